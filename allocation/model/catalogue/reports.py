"""Catalogue entries: the recipients' reports on an earlier decision, and the county's overview."""

from __future__ import annotations

from ..findings import NOTE, WARNING
from .entry import E, Entry, W

_FOLDER_FIX = "Pek på kjøremappen slik run laget den; kjør «verify» på den for å se hva som er endret."

ENTRIES: tuple[Entry, ...] = (
    Entry(
        "config.unspent_rule",
        E,
        "Ukjent regel for ubrukte midler",
        "Ukjent regel for ubrukte midler «{regel}».",
        'Bruk "deduct" (trekk fra årets utbetaling) eller "claim" (krev tilbakebetalt).',
    ),
    Entry(
        "report.run_unusable",
        E,
        "Vedtaket det rapporteres på kan ikke leses",
        "Kjøremappen {mappe} kan ikke brukes: manifest.json mangler eller er ugyldig.",
        _FOLDER_FIX,
    ),
    Entry(
        "report.run_tampered",
        E,
        "Kjøremappen for vedtaket er endret",
        "Kjøremappen {mappe} er endret: {fil} stemmer ikke med SHA-256 i manifestet.",
        _FOLDER_FIX,
    ),
    Entry(
        "report.no_sheet",
        E,
        "Rapporten har ikke arket «Rapport» eller «Rapporter»",
        "Arbeidsboka har verken arket «Rapport» eller «Rapporter» (arkene er {ark}).",
        "Bruk malen som kommandoen «reports» skriver, uten å gi arket nytt navn.",
    ),
    Entry(
        "report.value",
        E,
        "Et felt i rapporten er tomt eller kan ikke leses",
        "«{felt}» for {nettverk} {problem}.",
        "Skriv hvor mye som ble brukt i hele kroner (0 hvis ingenting ble brukt), og datoen som dd.mm.åååå.",
    ),
    Entry(
        "report.unknown_recipient",
        E,
        "Rapport fra en som ikke fikk tilskudd",
        "Rapporten gjelder «{nettverk}», som ikke fikk tilskudd i vedtaket «{vedtak}».",
        "Skriv nettverkets navn slik det står i vedtaket.",
    ),
    Entry(
        "report.duplicate",
        E,
        "Samme nettverk har rapportert to ganger",
        "{nettverk} har rapportert to ganger: {første} og denne.",
        "Fjern den rapporten som ikke gjelder, så bare én står igjen.",
    ),
    Entry(
        "report.missing",
        W,
        "Rapport mangler",
        "{nettverk} har ikke levert rapport på tilskuddet fra «{vedtak}»; ingenting er trukket.",
        "Purr på rapporten og kjør på nytt, eller før nettverket opp i exempt under [reports].",
    ),
    Entry(
        "report.exempt_unknown",
        E,
        "Unntatt nettverk finnes ikke i vedtaket",
        "«{navn}» under exempt i [reports] er ikke et nettverk med tilskudd i «{vedtak}».",
        "Skriv nettverkets navn slik det står i vedtaket, eller ta navnet ut av exempt.",
    ),
    Entry(
        "report.late",
        W,
        "Rapporten kom etter fristen",
        "Rapporten fra {nettverk} er levert {dato}, etter fristen {frist}.",
        "Fyll inn datoen rapporten kom i feltet «Levert», eller følg opp forsinkelsen.",
    ),
    Entry(
        "report.overspent",
        W,
        "Brukt mer enn tildelt",
        "{nettverk} ({rolle}) har brukt {brukt}, mer enn de {tildelt} som ble tildelt.",
        "Sjekk tallet med mottakeren; det som er brukt utover tilskuddet dekkes ikke av ordningen.",
    ),
    Entry(
        "report.unspent",
        (WARNING, NOTE),
        "Ubrukte midler: trukket, krevd tilbake eller under terskelen",
        "{nettverk} har {beløp} ubrukt av tilskuddet fra «{vedtak}»: {hva som er gjort}.",
        "Send mottakeren beskjed om trekket eller kravet.",
    ),
    Entry(
        "overview.unusable",
        E,
        "En kjøremappe kan ikke brukes i oversikten",
        "Kjøremappen {mappe} kan ikke brukes: manifest.json mangler eller er ugyldig.",
        _FOLDER_FIX,
    ),
    Entry(
        "overview.tampered",
        E,
        "En kjøremappe i oversikten er endret",
        "Kjøremappen {mappe} er endret: {fil} stemmer ikke med SHA-256 i manifestet.",
        _FOLDER_FIX,
    ),
    Entry(
        "overview.duplicate",
        E,
        "Samme kjøremappe nevnt to ganger",
        "Kjøremappen {mappe} er nevnt to ganger.",
        "Nevn hver kjøremappe bare én gang.",
    ),
    Entry(
        "overview.scenario_skipped",
        W,
        "Et scenario er ikke tatt med i oversikten",
        "{mappe} er scenariet «{scenario}», ikke et vedtak; det er ikke tatt med.",
        "Nevn bare kjøringene som ble vedtatt.",
    ),
    Entry(
        "overview.same_year",
        W,
        "Flere kjøringer for samme år",
        "{antall} kjøringer gjelder {år} ({mapper}); rammene og tildelingene deres er lagt sammen for året.",
        "Er den ene erstattet av den andre (f.eks. rammene fra høsten og vedtaket), ta bare med den som ble "
        "vedtatt. En andre runde hører med.",
    ),
    Entry(
        "overview.mixed_counties",
        W,
        "Kjøringer fra flere fylker",
        "Kjøringene gjelder flere fylker ({fylker}).",
        "Lag én oversikt per fylke.",
    ),
    Entry(
        "overview.unreconciled",
        E,
        "Et år går ikke opp til kronen",
        "«{kjøring}» ({år}) går ikke opp: rammen minus tidligere tilsagn, nye tildelinger, avsetninger og "
        "holdt tilbake er {avvik} kr, ikke 0.",
        "Kjør «verify» på mappen; manifest.json kan være endret for hånd.",
    ),
)
