"""The catalogue of findings: every reason code the program can report, in one place.

Each entry has the code, its severity (two where one code is used at two levels), a short
Norwegian title a committee member understands, a message template in the words the call
site uses ({placeholders} stand for what the finding fills in) and the fix. The user guide's
table of findings is made from this list (:func:`guide_table`), and the tests check that the
codes raised by the program and by the test suite are exactly the codes listed here.

Pure data: no reading, no writing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .findings import ERROR, NOTE, SEVERITY_NO, WARNING


@dataclass(frozen=True)
class Entry:
    code: str
    severities: tuple[str, ...]
    title: str
    message: str
    fix: str = ""

    @property
    def area(self) -> str:
        return self.code.split(".", 1)[0]


E, W, N = (ERROR,), (WARNING,), (NOTE,)
_RESAVE = "Åpne den i Excel og lagre på nytt, eller be om en ny kopi."
_SAVE_AS = "Åpne filen i Excel og velg Lagre som → Excel-arbeidsbok (.xlsx)."
_RERUN = "Kjør fordelingen på nytt fra de opprinnelige filene i stedet for å endre kjøremappen."
_EXCEL_FIX = (
    "Rett formelen i cellen så den viser en verdi i stedet for {feilverdi}, "
    "eller skriv verdien inn direkte (Lim inn utvalg → Verdier)."
)

CATALOGUE: tuple[Entry, ...] = (
    # --- the file itself (pre-flight) ---------------------------------------------------------
    Entry(
        "file.too_large",
        E,
        "Filen er for stor",
        "Filen er {mb} MB, over grensen på {grense} MB.",
        "Fjern ark og data som ikke hører til.",
    ),
    Entry("file.empty", E, "Filen er tom", "Filen er tom (0 byte).", "Lagre arbeidsboka på nytt fra Excel."),
    Entry(
        "file.encrypted",
        E,
        "Arbeidsboka er passordbeskyttet",
        "Arbeidsboka er passordbeskyttet (kryptert) og kan ikke leses.",
        "Åpne den i Excel, fjern passordet (Fil → Info → Beskytt arbeidsbok), og lagre.",
    ),
    Entry("file.xls", E, "Gammelt Excel-format (.xls)", "Filen er i det gamle .xls-formatet.", _SAVE_AS),
    Entry("file.ods", E, "OpenDocument-regneark (.ods)", "Filen er et OpenDocument-regneark (.ods).", _SAVE_AS),
    Entry(
        "file.html",
        E,
        "Nettside med Excel-navn",
        "Filen er en nettside (HTML) lagret med Excel-navn, ikke en arbeidsbok.",
        _SAVE_AS,
    ),
    Entry("file.xml2003", E, "XML-regneark fra Excel 2003", "Filen er et XML-regneark fra Excel 2003.", _SAVE_AS),
    Entry(
        "file.csv",
        E,
        "Tekstfil (CSV), ikke en arbeidsbok",
        "Filen er ren tekst (CSV eller lignende), ikke en Excel-arbeidsbok.",
        "Åpne filen i Excel, kontroller kolonnene, og lagre som Excel-arbeidsbok (.xlsx).",
    ),
    Entry("file.not_xlsx", E, "Ikke en Excel-arbeidsbok", "Filen er ikke en Excel-arbeidsbok (.xlsx).", _SAVE_AS),
    Entry(
        "file.zip_entries",
        E,
        "Arbeidsboka har urimelig mange deler",
        "Arbeidsboka har {antall} deler, mer enn en vanlig arbeidsbok.",
        "Lagre arbeidsboka på nytt fra Excel.",
    ),
    Entry(
        "file.zip_bomb",
        E,
        "Arbeidsboka blir urimelig stor utpakket",
        "Arbeidsboka blir urimelig stor når den pakkes ut.",
        "Lagre arbeidsboka på nytt fra Excel, uten unødvendige data.",
    ),
    Entry("file.corrupt", E, "Skadet arbeidsbok", "Arbeidsboka er skadet og kan ikke leses: {hva}.", _RESAVE),
    Entry(
        "file.dtd",
        E,
        "Arbeidsboka har DTD-deklarasjoner",
        "Arbeidsboka inneholder DTD-deklarasjoner, som Excel aldri skriver.",
        "Åpne og lagre filen i Excel, eller be avsender om en vanlig .xlsx.",
    ),
    Entry(
        "file.range",
        E,
        "Arket har celler langt utenfor tabellen",
        "Arket «{ark}»: {hva}.",
        "Slett tomme rader og kolonner nederst og til høyre, og lagre.",
    ),
    Entry(
        "file.unreadable",
        E,
        "Filen kan ikke leses",
        "Kan ikke lese filen ({grunn}).",
        "Sjekk at filen finnes og ikke er låst, og at du har lesetilgang.",
    ),
    Entry(
        "file.duplicate_sheet",
        E,
        "To ark med samme navn",
        "Arbeidsboka har to ark som begge kan være «{ark}»: «{a}» og «{b}».",
        "Slett arket som ikke skal brukes, eller gi det et annet navn.",
    ),
    # --- cells and sheets ---------------------------------------------------------------------
    Entry(
        "sheet.duplicate_cell",
        E,
        "Samme celle to ganger i filen",
        "Cellen {celle} står mer enn én gang i filen, med hver sin verdi; det er ikke sikkert hvilken som vises.",
        "Åpne filen i Excel, kontroller cellen, og lagre på nytt.",
    ),
    Entry(
        "sheet.empty_value",
        E,
        "Celle med tomt verdifelt",
        "Cellen har et tomt verdifelt, som Excel ikke lagrer; det er ikke sikkert hva som vises.",
        "Åpne filen i Excel, skriv verdien i cellen på nytt, og lagre.",
    ),
    Entry(
        "sheet.bad_number",
        E,
        "Tall Excel ikke kan vise",
        "Cellen har «{verdi}», som ikke er et tall Excel kan vise.",
        "Skriv tallet med sifre i cellen i Excel, og lagre.",
    ),
    Entry(
        "sheet.formula_no_value",
        E,
        "Formel uten lagret verdi",
        "Cellen har en formel uten lagret verdi.",
        "Åpne filen i Excel, trykk Lagre, og prøv igjen (da lagres verdiene).",
    ),
    Entry(
        "sheet.hidden",
        W,
        "Skjult ark blir lest",
        "Arket «{ark}» er skjult, men blir lest.",
        "Vis arket (høyreklikk på en arkfane → Vis) og kontroller innholdet.",
    ),
    Entry(
        "sheet.hidden_rows",
        W,
        "Skjulte rader blir lest",
        "Skjulte rader blir lest med: {rader}.",
        "Vis radene og kontroller at de skal være med.",
    ),
    Entry(
        "sheet.hidden_columns",
        W,
        "Skjulte kolonner",
        "Skjulte kolonner: {kolonner}.",
        "Vis kolonnene og kontroller innholdet.",
    ),
    Entry(
        "sheet.merged_cells",
        E,
        "Sammenslåtte celler i tabellen",
        "Sammenslåtte celler {område} i tabellen.",
        "Del opp cellene (Start → Slå sammen og midtstill → Del celler) og skriv verdien i hver rad.",
    ),
    Entry(
        "names.lookalike",
        E,
        "Navn som ligner, men ikke er like",
        "{hva} «{a}» ({celle_a}) og «{b}» ({celle_b}) ligner hverandre, men er ikke samme navn ({tegn}).",
        "Skriv navnet på nytt med vanlige bokstaver, likt på begge steder.",
    ),
    Entry(
        "names.mixed_script",
        W,
        "Navn med bokstaver fra andre alfabeter",
        "{hva} «{navn}» blander latinske bokstaver med {andre}.",
        "Skriv navnet på nytt med vanlige bokstaver (tekst limt inn fra nettsider kan ha slike tegn).",
    ),
    Entry(
        "value.fraction_read_as_percent",
        W,
        "Andel skrevet som desimaltall",
        "«{felt}»: {verdi} er lest som {prosent} %.",
        "Skriv andelen i prosent (f.eks. 30 eller 30 %) hvis det var ment annerledes.",
    ),
    # --- the configuration (TOML) -------------------------------------------------------------
    Entry(
        "config.not_found",
        E,
        "Finner ikke konfigurasjonsfilen",
        "Finner ikke konfigurasjonsfilen {sti}.",
        "Sjekk stien og filnavnet.",
    ),
    Entry(
        "config.unreadable",
        E,
        "Konfigurasjonsfilen kan ikke leses",
        "Kan ikke lese konfigurasjonsfilen {sti} ({grunn}).",
        "Lagre filen som UTF-8-tekst.",
    ),
    Entry(
        "config.syntax",
        E,
        "Skrivefeil i konfigurasjonen",
        "Konfigurasjonen er ikke gyldig TOML: {feil}.",
        "Rett linjen som nevnes; tekst skal stå i anførselstegn.",
    ),
    Entry(
        "config.unknown_key",
        E,
        "Ukjent nøkkel i konfigurasjonen",
        "Ukjent nøkkel «{nøkkel}» i {hvor}.",
        "Rett skrivemåten (meldingen foreslår den nærmeste gyldige nøkkelen: «Mente du …?»).",
    ),
    Entry(
        "config.type",
        E,
        "Feil slags verdi i konfigurasjonen",
        "{nøkkel} må være {slag}, fant «{verdi}».",
        "Skriv verdien slik eksempelet i README viser.",
    ),
    Entry("config.missing", E, "Noe mangler i konfigurasjonen", "{nøkkel} mangler.", 'Legg til {nøkkel} = "…".'),
    Entry(
        "config.not_finite",
        E,
        "Ikke et tall (nan eller inf)",
        "{nøkkel} er ikke et tall ({verdi}).",
        "Skriv et vanlig tall med sifre; nan og inf kan ikke brukes.",
    ),
    Entry("config.too_large", E, "Urimelig stort tall", "{nøkkel} er urimelig stort ({verdi}).", "Sjekk antall sifre."),
    Entry(
        "config.precision",
        E,
        "For mange desimaler",
        "{nøkkel} har flere enn {maks} desimaler ({verdi}).",
        "Skriv tallet med færre desimaler.",
    ),
    Entry(
        "config.not_whole",
        E,
        "Beløp med desimaler",
        "{nøkkel} må være hele kroner, fant «{verdi}».",
        "Fjern desimalene.",
    ),
    Entry(
        "config.negative",
        E,
        "Negativt tall i konfigurasjonen",
        "{nøkkel} kan ikke være negativt ({verdi}).",
        "Skriv et beløp som er 0 eller større.",
    ),
    Entry(
        "config.unit",
        E,
        "Avrundingsenheten er 0",
        "Avrundingsenheten kan ikke være 0.",
        "Bruk 1 for hele kroner eller f.eks. 1000.",
    ),
    Entry(
        "config.input_missing",
        E,
        "Finner ikke en inndatafil",
        "Finner ikke filen «{fil}» som {nøkkel} viser til ({sti}).",
        "Stier regnes fra mappen konfigurasjonen ligger i. Sjekk navnet og at filen finnes.",
    ),
    Entry(
        "config.empty_key",
        E,
        "Tellenøkkel uten kolonner",
        "{nøkkel} har ingen kolonner.",
        "Skriv minst én tellekolonne med vekt.",
    ),
    Entry(
        "config.zero_key",
        E,
        "Alle vektene i en nøkkel er 0",
        "Alle vektene i {nøkkel} er 0.",
        "Minst én vekt må være større enn 0.",
    ),
    Entry(
        "config.unknown_count_key",
        E,
        "Ukjent tellenøkkel",
        "{nøkkel} viser til nøkkelen «{navn}», som ikke finnes under [keys].",
        "Definer den under [keys.NAVN] eller skriv kolonnene direkte.",
    ),
    Entry(
        "config.duplicate_name",
        E,
        "Samme navn to ganger",
        "{hvor} nevner {hva} to ganger: «{a}» og «{b}» er samme navn.",
        "Skriv navnet bare én gang; det er ikke gitt hvilken verdi som skal gjelde.",
    ),
    Entry(
        "config.empty_name",
        E,
        "Navn uten synlige tegn",
        "{nøkkel} er tomt eller har bare mellomrom eller usynlige tegn ({navn}).",
        "Skriv et navn med vanlige bokstaver.",
    ),
    Entry(
        "config.bad_name",
        E,
        "Navn med kontrolltegn",
        "{nøkkel} inneholder kontrolltegn ({navn}).",
        "Skriv navnet uten linjeskift, tabulator eller andre kontrolltegn.",
    ),
    Entry(
        "config.reserved_name",
        E,
        "Potten heter det samme som rammen",
        "{nøkkel} er «{navn}», som er navnet på selve rammen.",
        "Gi potten et annet navn, f.eks. «Ramme til nettverk».",
    ),
    Entry(
        "config.policy",
        E,
        "Ukjent regel for omfordeling",
        "Ukjent policy «{verdi}».",
        'Bruk "redistribute" (omfordeling) eller "hold_back" (holdes tilbake).',
    ),
    Entry(
        "config.fund",
        E,
        "Ukjent regel for fond",
        "Ukjent regel for fond «{verdi}».",
        'Bruk "report" (bare vis) eller "deduct" (trekk fra utbetalingen).',
    ),
    Entry(
        "config.too_many_pots",
        E,
        "Urimelig mange potter",
        "Konfigurasjonen har {antall} potter; mer enn {maks} er ikke en fordelingsmodell.",
        "Sjekk om filen er laget av et program som har gått i løkke.",
    ),
    Entry(
        "config.size_conflict",
        E,
        "Potten har flere størrelser",
        "{pott} har flere størrelser ({størrelser}).",
        "Bruk én av amount, percent, ratio, rest eller per_network.",
    ),
    Entry(
        "config.percent_range",
        E,
        "Prosent over 100",
        "{pott}: prosent over 100 ({verdi}).",
        "Skriv en prosent mellom 0 og 100.",
    ),
    Entry(
        "config.extra_without_flat",
        E,
        "Ekstra beløp på feil slags pott",
        "{pott}: extra og column gjelder bare potter med per_network.",
        "Fjern extra/column, eller gi potten per_network.",
    ),
    Entry(
        "config.spread",
        E,
        "Ukjent fordelingsmåte",
        "{pott}: ukjent spread «{verdi}».",
        'Bruk spread = "key" (pro rata etter en tellenøkkel) eller "flat" (likt per nettverk).',
    ),
    Entry(
        "config.flat_leaf",
        E,
        "Likt per nettverk kan ikke fordeles annerledes",
        "{pott}: per_network fordeles alltid likt på nettverkene.",
        "Fjern spread/recipient.",
    ),
    Entry(
        "config.leaf_conflict",
        E,
        "Både mottaker og fordeling",
        "{pott} har både recipient og spread.",
        "Velg én av dem.",
    ),
    Entry(
        "config.key_without_spread",
        E,
        "Nøkkel uten fordeling etter nøkkel",
        '{pott} har key, men ikke spread = "key".',
        'Legg til spread = "key" eller fjern key.',
    ),
    Entry(
        "config.duplicate_pot",
        E,
        "To potter med samme navn",
        "To potter heter «{navn}».",
        "Gi hver pott, avsetning og forpliktelse sitt eget navn.",
    ),
    Entry(
        "config.unknown_parent",
        E,
        "Overordnet pott finnes ikke",
        "Potten «{pott}» har parent «{parent}», som ikke finnes.",
        "Parent må være navnet på en annen pott.",
    ),
    Entry(
        "config.cycle",
        E,
        "Pottene går i ring",
        "Potten «{pott}» ligger i en sirkel av parent-er ({kjede}).",
        "Minst én pott i sirkelen må ligge rett under rammen eller under en annen pott.",
    ),
    Entry(
        "config.too_deep",
        E,
        "Urimelig dypt pottetre",
        "Potten «{pott}» ligger {nivåer} nivåer under rammen; mer enn {maks} er ikke en fordelingsmodell.",
        "Sjekk parent-kjeden; vanlige modeller har tre eller fire nivåer.",
    ),
    Entry(
        "config.inner_leaf",
        E,
        "Pott med underpotter har også mottaker",
        "{pott} har underpotter og kan ikke også ha recipient/spread.",
        "Flytt recipient/spread til en underpott.",
    ),
    Entry(
        "config.two_rests",
        E,
        "To potter tar resten",
        "Mer enn én pott under {forelder} har rest = true.",
        "Bare én pott kan ta resten.",
    ),
    Entry(
        "config.rest_and_ratio",
        E,
        "Rest og forholdstall deler samme rest",
        "Under {forelder} deler både rest og ratio resten.",
        "Bruk enten én rest-pott eller ratio-potter.",
    ),
    Entry(
        "config.percent_sum",
        E,
        "Prosentene går ikke opp",
        "Prosentene under {forelder} summerer til {sum} %, ikke 100 %.",
        "Rett prosentene så de blir 100 til sammen, eller legg til en pott med rest = true.",
    ),
    Entry("config.no_pots", E, "Ingen potter", "Konfigurasjonen har ingen potter.", "Legg til minst én [[pot]]."),
    Entry(
        "config.no_frame",
        E,
        "Rammen mangler",
        "Rammen mangler.",
        "Skriv frame = beløp under [run], eller hent den fra parameterarbeidsboka (arket «Ramme»).",
    ),
    Entry(
        "config.duplicate_scenario",
        E,
        "To scenarier med samme navn",
        "To scenarier heter «{navn}».",
        "Gi hvert scenario et eget navn.",
    ),
    Entry("config.unknown_scenario", E, "Scenariet finnes ikke", "Scenariet «{navn}» finnes ikke.", "Sjekk navnet."),
    Entry(
        "config.unknown_pot",
        E,
        "Scenariet endrer en pott som ikke finnes",
        "{scenario} endrer potten «{pott}», som ikke finnes.",
        "Skriv navnet på en pott.",
    ),
    Entry(
        "config.scenario_folder_clash",
        E,
        "To scenarier får samme mappe",
        "Scenariene «{a}» og «{b}» får samme mappenavn («…-{mappe}»), så kjøremappene deres kan ikke skilles.",
        "Gi scenariene navn som er ulike også uten tegnsetting, store/små bokstaver og mellomrom.",
    ),
    Entry(
        "config.key_column_missing",
        E,
        "Tellekolonnen modellen bruker mangler",
        "Kolonnen «{kolonne}» mangler.",
        "Skriv overskriften nøyaktig «{kolonne}».",
    ),
    # --- the rules of the pot tree, with the parameters and counts in place --------------------
    Entry(
        "config.unit_too_large",
        E,
        "Avrundingsenheten er større enn rammen",
        "Avrundingsenheten er {enhet} kr, større enn hele rammen på {ramme} kr.",
        "Bruk en mindre enhet, f.eks. unit = 1 eller 1000.",
    ),
    Entry(
        "config.no_size",
        E,
        "Potten har ingen størrelse",
        "Potten «{pott}» har verken beløp, prosent, ratio eller rest.",
        "Skriv amount, percent, ratio, rest eller per_network, eller før opp beløpet i arket «Avsetninger».",
    ),
    Entry(
        "config.unknown_network",
        E,
        "Ekstra beløp til et ukjent nettverk",
        "Potten «{pott}» gir ekstra til «{nettverk}», som ikke er et nettverk i telleboka.",
        "Skriv nettverket slik det står i arket «Tall».",
    ),
    Entry(
        "config.unit_mismatch",
        W,
        "Beløp som ikke går opp i avrundingsenheten",
        "Potten «{pott}» har {beløp} kr, som ikke er et helt antall avrundingsenheter ({enhet} kr); "
        "beløpet brukes som det står.",
        "Rund beløpet av, eller sjekk at det er riktig.",
    ),
    Entry(
        "config.frame_too_small",
        E,
        "Faste beløp er større enn rammen",
        "{forelder} er {beløp} kr, men de faste og prosentvise pottene under den er til sammen {sum} kr.",
        "Øk beløpet eller reduser de faste beløpene under den.",
    ),
    Entry(
        "config.unassigned_rest",
        E,
        "Penger som ikke går til noen pott",
        "{beløp} kr under {forelder} går ikke til noen pott.",
        "Legg til en pott med rest = true, eller rett beløpene så de går opp.",
    ),
    Entry(
        "config.amount_twice",
        E,
        "Beløpet er bestemt to steder",
        "{hva} står både i konfigurasjonen og i parameterarbeidsboka.",
        "Fjern beløpet fra ett av stedene, så det bare er bestemt ett sted.",
    ),
    Entry(
        "config.name_clash",
        E,
        "Forpliktelse med samme navn som en pott",
        "Forpliktelsen «{post}» i arket «{ark}» heter det samme som potten «{pott}» i konfigurasjonen.",
        "Gi forpliktelsen et annet navn (f.eks. «Tilsagn 2024, år 2»).",
    ),
    Entry(
        "counts.zero_ratio",
        E,
        "Tellingene gir 0 for pottene",
        "Tellingene gir 0 for alle pottene under {forelder}, så {beløp} kr kan ikke fordeles.",
        "Fyll inn tallene i telleboka, eller sjekk at kolonnene har tall.",
    ),
    Entry(
        "counts.zero_key",
        E,
        "Tellingene gir 0 for nøkkelen",
        "Tellingene gir 0 for nøkkelen til «{pott}» ({nøkkel}), så {beløp} kr kan ikke fordeles.",
        "Fyll inn tallene i telleboka, eller sjekk at kolonnene har tall.",
    ),
    # --- the counts workbook -------------------------------------------------------------------
    Entry(
        "counts.no_sheet",
        E,
        "Arket «Tall» mangler",
        "Finner ikke arket «{ark}».",
        "Gi arket med tallene navnet «{ark}».",
    ),
    Entry(
        "counts.no_header",
        E,
        "Finner ikke overskriftene i telleboka",
        "Finner ingen overskriftsrad med «Nettverk» i arket.",
        "Første rad i tabellen skal ha overskriftene fra malen, bl.a. «Nettverk».",
    ),
    Entry(
        "counts.missing_column",
        E,
        "En kolonne mangler i telleboka",
        "Kolonnen «{kolonne}» mangler.",
        "Skriv overskriften nøyaktig «{kolonne}».",
    ),
    Entry(
        "counts.duplicate_header",
        E,
        "Samme overskrift to ganger",
        "Overskriften «{overskrift}» står to ganger ({a} og {b}).",
        "Gi kolonnene ulike navn, eller slett den som ikke skal brukes.",
    ),
    Entry(
        "counts.row_without_counts",
        W,
        "Rad uten tall",
        "Raden «{navn}» har ingen tall og er ikke tatt med.",
        "Er det et nettverk, skriv tallene (0 der det er null). Er det en merknad, kan den stå.",
    ),
    Entry(
        "counts.excel_error",
        E,
        "Feilverdi fra Excel i en celle",
        "«{feilverdi}» i kolonnen «{kolonne}» er en feilverdi fra Excel, ikke en verdi.",
        _EXCEL_FIX,
    ),
    Entry(
        "counts.not_whole_number",
        E,
        "Antallet er ikke et helt tall",
        "«{verdi}» i kolonnen «{kolonne}» {problem}.",
        "Skriv antallet med sifre, f.eks. 1 250.",
    ),
    Entry(
        "counts.row_equals_sum_above",
        E,
        "Rad som er summen av radene over",
        "Tallene i raden «{navn}» er nøyaktig summen av radene over (rad {fra}–{til}). Er det en summerad "
        "eller et nettverk? Programmet kan ikke avgjøre det.",
        "Er det en summerad: skriv «Sum» i kolonnen «Nettverk». Er det et nettverk: flytt raden øverst.",
    ),
    Entry(
        "counts.total_row_mismatch",
        W,
        "Summeraden stemmer ikke",
        "Summeraden (rad {rad}) stemmer ikke med radene over ({forskjell}). Summeraden er ikke tatt med; "
        "radene over er brukt.",
        "Kontroller om noen rader mangler eller er skjult.",
    ),
    Entry(
        "counts.total_row",
        N,
        "Summerad hoppet over",
        "Summeraden «{tekst}» (rad {rad}) er ikke tatt med (den stemmer med radene over).",
    ),
    Entry(
        "counts.no_rows",
        E,
        "Ingen nettverk i telleboka",
        "Arket «{ark}» har ingen rader med nettverk og tall under overskriftene.",
        "Skriv ett nettverk eller én eier per rad under overskriftene, med tallene.",
    ),
    Entry(
        "counts.no_network",
        E,
        "Rad med tall, men uten nettverk",
        "Raden har tall, men mangler nettverk.",
        "Skriv navnet på nettverket i kolonnen «Nettverk».",
    ),
    Entry(
        "counts.municipality",
        E,
        "Kommunenummer uten fire sifre",
        "Kommunenummeret «{verdi}» har ikke fire sifre.",
        "Skriv kommunenummeret med fire sifre, f.eks. 0301.",
    ),
    Entry(
        "counts.negative",
        E,
        "Negativt antall",
        "Antallet {verdi} i kolonnen «{kolonne}» er negativt.",
        "Antall kan ikke være mindre enn 0.",
    ),
    Entry(
        "counts.network_spelling",
        W,
        "Nettverket er skrevet på flere måter",
        "Nettverket er skrevet på flere måter ({skrivemåter}); radene er lagt sammen som «{navn}».",
        "Skriv navnet likt på alle rader.",
    ),
    # --- the parameters workbook ---------------------------------------------------------------
    Entry(
        "parameters.sheet_name",
        E,
        "Arket har nesten riktig navn",
        "Finner ikke arket «{ark}», men arket «{ligner}» ligner.",
        "Gi arket navnet «{ark}».",
    ),
    Entry(
        "parameters.no_sheets",
        E,
        "Parameterarbeidsboka mangler arkene",
        "Parameterarbeidsboka har ingen av arkene «Ramme», «Avsetninger» eller «Nettverk».",
        "Bruk malen fra «run_allocation.py templates».",
    ),
    Entry(
        "parameters.duplicate_name",
        E,
        "Samme navn to ganger i parameterarbeidsboka",
        "{hva} «{navn}» står to ganger ({a} og {b}).",
        "Skriv hvert navn bare én gang.",
    ),
    Entry(
        "parameters.no_header",
        E,
        "Finner ikke overskriftene",
        "Finner ikke overskriften «{overskrift}» i arket.",
        "Bruk overskriftene fra malen.",
    ),
    Entry(
        "parameters.excel_error",
        E,
        "Feilverdi fra Excel i en celle",
        "«{feilverdi}» i «{felt}» er en feilverdi fra Excel, ikke en verdi.",
        _EXCEL_FIX,
    ),
    Entry(
        "parameters.total_row_mismatch",
        W,
        "Summeraden stemmer ikke",
        "Summeraden «{tekst}» (rad {rad}) stemmer ikke med radene over ({forskjell}). Den er ikke tatt med; "
        "radene over er brukt.",
        "Kontroller om noen rader mangler eller er skjult, eller slett summeraden.",
    ),
    Entry("parameters.total_row", N, "Summerad hoppet over", "Summeraden «{tekst}» (rad {rad}) er ikke tatt med."),
    Entry(
        "parameters.amount",
        E,
        "Beløpet kan ikke leses",
        "«{verdi}» i «{felt}» {problem}.",
        "Skriv beløpet med sifre, f.eks. 400 000.",
    ),
    Entry("parameters.missing_amount", E, "Beløp mangler", "«{post}» mangler beløp.", "Fyll inn beløpet."),
    Entry(
        "parameters.two_frames",
        E,
        "Mer enn én ramme",
        "Arket har mer enn én rad for rammen.",
        "Behold én rad med Post «Ramme»; andre rader er forpliktelser.",
    ),
    Entry("parameters.no_post", E, "Beløp uten post", "Raden har beløp, men ingen Post.", "Skriv hva beløpet gjelder."),
    Entry(
        "parameters.percent",
        E,
        "Andelen kan ikke leses",
        "«{verdi}» i «Andel (%)» {problem}.",
        "Skriv andelen i prosent, f.eks. 8.",
    ),
    Entry("parameters.no_name", E, "Avsetning uten navn", "Avsetningen mangler navn.", "Skriv navnet på avsetningen."),
    Entry(
        "parameters.amount_and_share",
        E,
        "Både beløp og andel",
        "«{navn}» har både beløp og andel.",
        "Fyll inn enten Beløp eller Andel (%).",
    ),
    Entry(
        "parameters.unknown_network",
        E,
        "Ukjent nettverk i parameterarbeidsboka",
        "Nettverket «{nettverk}» finnes ikke i telleboka.",
        "Skriv navnet slik det står i arket «Tall» (meldingen foreslår det nærmeste: «Mente du …?»).",
    ),
    # --- applications --------------------------------------------------------------------------
    Entry(
        "applications.folder_unreadable",
        E,
        "Søknadsmappen kan ikke leses",
        "Kan ikke lese «{mappe}» ({grunn}).",
        "Sjekk at du har lesetilgang til den.",
    ),
    Entry(
        "applications.lock_file",
        N,
        "Excels låsefil hoppet over",
        "Hoppet over Excels låsefil (filen er åpen i Excel).",
        "Lukk arbeidsboka i Excel før kjøringen, så filen forsvinner.",
    ),
    Entry("applications.hidden_file", N, "Skjult fil hoppet over", "Hoppet over skjult fil eller systemfil."),
    Entry(
        "applications.broken_link",
        E,
        "Lenke som ikke peker noe sted",
        "Snarveien (lenken) peker på en fil som ikke finnes, så søknaden den viser til blir ikke lest.",
        "Legg selve søknadsfilen i mappen, eller rett eller slett lenken.",
    ),
    Entry(
        "applications.macro_workbook",
        E,
        "Søknad lagret som makroarbeidsbok",
        "Søknaden er lagret som makroarbeidsbok og blir ikke lest.",
        "Åpne den i Excel og velg Lagre som → Excel-arbeidsbok (.xlsx), og slett makrofilen fra mappen.",
    ),
    Entry(
        "applications.other_format",
        E,
        "Regneark i annet format enn .xlsx",
        "Filen er et regneark i et annet format enn .xlsx og blir ikke lest.",
        "Åpne den i Excel og lagre som Excel-arbeidsbok (.xlsx), eller flytt den ut av mappen hvis den ikke er "
        "en søknad.",
    ),
    Entry(
        "applications.folder_named_xlsx",
        W,
        "Mappe med navn som en arbeidsbok",
        "Dette er en mappe med navn som en arbeidsbok, ikke en arbeidsbok; den blir ikke lest.",
        "Legg søknadsfilen (.xlsx) rett i søknadsmappen, og gi mappen et annet navn eller flytt den.",
    ),
    Entry(
        "applications.subfolder",
        W,
        "Undermappe med arbeidsbøker",
        "Undermappen har arbeidsbøker, men undermapper blir ikke lest.",
        "Flytt søknadene som skal være med, rett inn i søknadsmappen.",
    ),
    Entry(
        "applications.other_folder",
        N,
        "Undermappe hoppet over",
        "Hoppet over en undermappe (undermapper blir ikke lest).",
    ),
    Entry(
        "applications.not_a_file",
        W,
        "Verken fil eller mappe",
        "Dette er verken en vanlig fil eller en mappe, og blir ikke lest.",
        "Legg søknaden i mappen som en vanlig .xlsx-fil.",
    ),
    Entry(
        "applications.not_xlsx",
        N,
        "Fil som ikke er .xlsx hoppet over",
        "Hoppet over fil som ikke er .xlsx.",
        "Lagre søknaden som Excel-arbeidsbok (.xlsx) hvis den skal være med.",
    ),
    Entry(
        "applications.no_sheet",
        E,
        "Søknadsarket mangler",
        "Finner verken arket «Søknad» (ett søknadsskjema) eller «Søknader» (liste).",
        "Bruk malene fra «run_allocation.py templates», og behold arknavnet.",
    ),
    Entry(
        "applications.no_header",
        E,
        "Finner ikke overskriftene i søknadslista",
        "Finner ikke overskriftsraden (med «Nettverk»).",
        "Bruk overskriftene fra malen.",
    ),
    Entry(
        "applications.missing_column",
        E,
        "En kolonne mangler i søknadslista",
        "Kolonnen «{felt}» mangler.",
        "Legg til kolonnen «{felt}» slik den står i malen.",
    ),
    Entry(
        "applications.total_row",
        N,
        "Summerad i søknadslista",
        "Raden «{tekst}» (rad {rad}) er en summerad og er ikke lest som en søknad.",
    ),
    Entry(
        "applications.missing_field",
        E,
        "Et felt mangler i søknadsskjemaet",
        "Skjemaet mangler feltet «{felt}».",
        "Bruk skjemaet fra malen; ikke slett rader med ledetekst.",
    ),
    Entry(
        "applications.name_away_from_label",
        W,
        "Feltet står ikke ved ledeteksten",
        "Navnet {navn} peker på celle {celle}, men ledeteksten «{felt}» står i {ledetekst}.",
        "Kontroller at {celle} er riktig felt.",
    ),
    Entry(
        "applications.amount_missing",
        E,
        "Beløpet for år 1 er tomt",
        "«{felt}» er tom. Et tomt felt er ikke en søknad om 0 kr.",
        "Skriv beløpet det søkes om for år 1; skriv 0 hvis det ikke søkes om noe.",
    ),
    Entry(
        "applications.excel_error",
        E,
        "Feilverdi fra Excel i en celle",
        "«{feilverdi}» i «{felt}» er en feilverdi fra Excel, ikke en verdi.",
        _EXCEL_FIX,
    ),
    Entry(
        "applications.unreadable_amount",
        E,
        "Beløpet kan ikke leses",
        "«{verdi}» i «{felt}» {problem}.",
        "Skriv beløpet med sifre i hele kroner, f.eks. 1 580 500.",
    ),
    Entry(
        "applications.unreadable_share",
        E,
        "Andelen kan ikke leses",
        "«{verdi}» i «{felt}» {problem}.",
        "Skriv andelen i prosent, f.eks. 30 eller 30 %.",
    ),
    Entry(
        "applications.unreadable_yesno",
        E,
        "Verken Ja eller Nei",
        "«{verdi}» i «{felt}» er verken Ja eller Nei.",
        "Skriv Ja eller Nei.",
    ),
    Entry(
        "applications.unreadable_date",
        E,
        "Datoen kan ikke leses",
        "«{verdi}» i «{felt}» er ikke en dato.",
        "Skriv datoen som dd.mm.åååå, f.eks. 15.01.2025.",
    ),
    Entry(
        "applications.duplicate",
        E,
        "To søknader fra samme nettverk",
        "Nettverket «{nettverk}» har allerede en søknad ({hvor}).",
        "Slå søknadene sammen til én, eller tillat flere med multiple_per_network = true.",
    ),
    Entry(
        "applications.no_application",
        W,
        "Nettverk uten søknad",
        "Nettverket «{nettverk}» har ingen søknad og får 0 kr.",
        "Sjekk om søknaden mangler i mappen eller lista.",
    ),
    Entry(
        "applications.no_network",
        E,
        "Søknad uten nettverk",
        "Søknaden mangler nettverk.",
        "Skriv nettverket slik det står i arket «Tall».",
    ),
    Entry(
        "applications.unknown_network",
        E,
        "Søknad fra et ukjent nettverk",
        "Nettverket «{nettverk}» finnes ikke i telleboka.",
        "Skriv navnet slik det står i arket «Tall» (meldingen foreslår det nærmeste: «Mente du …?»).",
    ),
    Entry(
        "applications.not_confirmed",
        E,
        "Partnerskapet er ikke bekreftet",
        "Det er ikke bekreftet at søknaden er laget i partnerskap (et absolutt krav).",
        "Skriv Ja i «Partnerskap bekreftet» når eier og UH står bak søknaden sammen.",
    ),
    Entry(
        "applications.no_uh",
        E,
        "Søknad uten UH-partner",
        "Søknaden har ingen UH-partner (et absolutt krav).",
        "Fyll inn universitetet eller høgskolen som er partner.",
    ),
    Entry(
        "applications.negative",
        E,
        "Negativt beløp i søknaden",
        "«{felt}» er negativt.",
        "Beløp kan ikke være mindre enn 0.",
    ),
    Entry(
        "applications.shares_sum",
        E,
        "Andelene går ikke opp i 100 %",
        "Andelene for år 1 summerer til {sum} %, ikke 100 %.",
        "Rett andelene for kartlegging, planlegging, gjennomføring og koordinator.",
    ),
    Entry(
        "applications.estimate_year1",
        W,
        "Beløpet for år 1 er et anslag",
        "«{felt}» er merket som anslag, men år 1 skal være et fast beløp.",
        "Be om et endelig beløp for år 1.",
    ),
    Entry(
        "applications.late",
        W,
        "Søknaden kom etter fristen",
        "Søknaden kom {mottatt}, etter fristen {frist}.",
        "Samarbeidsforum avgjør om den skal behandles.",
    ),
    Entry(
        "applications.orgnr_missing",
        E,
        "Org.nr mangler",
        "Org.nr for {hvem} mangler.",
        "Skriv organisasjonsnummeret (9 sifre).",
    ),
    Entry(
        "applications.orgnr_invalid",
        E,
        "Ugyldig org.nr",
        "Org.nr for {hvem} er ugyldig (9 sifre med kontrollsiffer).",
        "Sjekk nummeret i Enhetsregisteret.",
    ),
    Entry(
        "applications.account_missing",
        E,
        "Kontonummer mangler",
        "Kontonummer for {hvem} mangler; ingenting kan utbetales.",
        "Skriv kontonummeret (11 sifre).",
    ),
    Entry(
        "applications.account_invalid",
        E,
        "Ugyldig kontonummer",
        "Kontonummeret for {hvem} er ugyldig ({sifre} sifre; et kontonummer har 11 sifre med kontrollsiffer).",
        "Be mottakeren bekrefte kontonummeret skriftlig.",
    ),
    Entry(
        "applications.coordination_no_amount",
        W,
        "Andel til koordinator uten beløp",
        "Søknaden har en andel til koordinator, men ikke noe beløp.",
        "Fyll inn «Koordinator beløp» og begrunn koordineringen.",
    ),
    Entry(
        "applications.coordination_high",
        W,
        "Høy andel til koordinering",
        "Koordinering er {andel} % av søknaden, over grensen på {grense} %.",
        "Koordinering skal være av begrenset omfang og begrunnes.",
    ),
    Entry(
        "applications.over_frame",
        W,
        "Søknad over rammen",
        "Søknaden fra «{nettverk}» er på {beløp} kr, over rammen på {ramme} kr.",
        "Tildelingen blir høyst rammen, pluss eventuell omfordeling.",
    ),
    # --- last year's run ---------------------------------------------------------------------
    Entry(
        "previous.unreadable",
        E,
        "Fjorårets kjøring kan ikke leses",
        "Fjorårets manifest.json kan ikke leses ({grunn}).",
        "Pek på mappen til en fullført kjøring.",
    ),
    # --- verify: is a run folder what its own inputs give? --------------------------------------
    Entry(
        "verify.not_a_folder",
        E,
        "Finner ikke kjøremappen",
        "Finner ikke kjøremappen {mappe}.",
        "Pek på en kjøremappe som run har laget, med manifest.json urørt.",
    ),
    Entry(
        "verify.no_manifest",
        E,
        "Kjøremappen har ikke manifest.json",
        "Mappen {mappe} har ingen manifest.json.",
        "Pek på en kjøremappe som run har laget, med manifest.json urørt.",
    ),
    Entry(
        "verify.manifest_invalid",
        E,
        "Manifestet er ugyldig",
        "manifest.json: {hva}.",
        "Pek på en kjøremappe som run har laget, med manifest.json urørt.",
    ),
    Entry(
        "verify.unsafe_path",
        E,
        "Manifestet peker ut av kjøremappen",
        "«{nøkkel}» peker på {fil}, utenfor kjøremappen eller på en uventet plass.",
        "Pek på en kjøremappe som run har laget, med manifest.json urørt.",
    ),
    Entry(
        "verify.workbook_entry_missing",
        E,
        "Manifestet nevner ingen arbeidsbok",
        "Manifestet nevner ingen arbeidsbok (nøkkelen «workbook» mangler); arbeidsboka kan ikke kontrolleres.",
        _RERUN,
    ),
    Entry(
        "verify.hash_missing",
        E,
        "Fil uten kontrollsum i manifestet",
        "Manifestet har ingen gyldig SHA-256 for {fil}; filen kan ikke kontrolleres.",
        _RERUN,
    ),
    Entry("verify.file_missing", E, "En fil mangler i kjøremappen", "Filen {fil} mangler i kjøremappen.", _RERUN),
    Entry(
        "verify.file_changed",
        E,
        "En fil er endret etter kjøringen",
        "Filen {fil} er endret (SHA-256 stemmer ikke med manifestet).",
        _RERUN,
    ),
    Entry(
        "verify.ignored_file",
        N,
        "Låsefil eller systemfil i kjøremappen",
        "Låsefil eller systemfil, ikke en del av kjøringen.",
    ),
    Entry(
        "verify.extra_input",
        E,
        "Ekstra fil blant inndata",
        "{fil} ligger i inputs/, men står ikke i manifestet.",
        _RERUN,
    ),
    Entry("verify.extra_file", E, "Ekstra fil i kjøremappen", "{fil} står ikke i manifestet.", _RERUN),
    Entry("verify.rerun_failed", E, "Kjøringen kan ikke gjentas", "Kjøringen kan ikke gjentas: {grunn}", _RERUN),
    Entry(
        "verify.manifest_differs",
        E,
        "Manifestet er ulikt ved ny kjøring",
        "{hva}: {lagret} i manifestet, {ny} ved ny kjøring.",
        _RERUN,
    ),
    Entry(
        "verify.workbook_unreadable",
        E,
        "Arbeidsboka kan ikke leses for sammenligning",
        "Arbeidsboka kan ikke leses for sammenligning ({grunn}).",
        _RERUN,
    ),
    Entry(
        "verify.workbook_differs",
        E,
        "Arbeidsboka er endret utenfor cellene",
        "Arbeidsboka er endret utenfor cellene (f.eks. diagram, formatering eller egenskaper): {deler}.",
        _RERUN,
    ),
    Entry("verify.extra_sheet", E, "Ekstra ark i arbeidsboka", "Arket «{ark}» finnes ikke i ny kjøring.", _RERUN),
    Entry("verify.missing_sheet", E, "Et ark mangler i arbeidsboka", "Arket «{ark}» mangler i arbeidsboka.", _RERUN),
    Entry(
        "verify.sheet_order",
        E,
        "Arkene står i annen rekkefølge",
        "Arkene står i en annen rekkefølge enn ved ny kjøring.",
        _RERUN,
    ),
    Entry(
        "verify.formula_differs",
        E,
        "En formel er endret",
        "Formelen er endret: {lagret} i arbeidsboka, {ny} ved ny kjøring.",
        _RERUN,
    ),
    Entry("verify.cell_differs", E, "En celle er endret", "{lagret} i arbeidsboka, {ny} ved ny kjøring.", _RERUN),
    Entry(
        "verify.format_differs",
        E,
        "Et tallformat er endret",
        "Tallformatet er endret: {lagret} i arbeidsboka, {ny} ved ny kjøring.",
        _RERUN,
    ),
)

BY_CODE: dict[str, Entry] = {e.code: e for e in CATALOGUE}
assert len(BY_CODE) == len(CATALOGUE), "a code is listed twice"


def entry(code: str) -> Entry:
    """The catalogue's entry for ``code``; KeyError names the code when it is not listed."""
    try:
        return BY_CODE[code]
    except KeyError:
        raise KeyError(f"reason code {code!r} is not in allocation/model/catalogue.py") from None


def codes() -> list[str]:
    return [e.code for e in CATALOGUE]


# --- the user guide's table ---------------------------------------------------------------------

GUIDE_START = "<!-- funn:start (laget fra allocation/model/catalogue.py; ikke rediger for hånd) -->"
GUIDE_END = "<!-- funn:end -->"
AREAS_NO = {
    "file": "Filen",
    "sheet": "Celler og ark",
    "names": "Navn",
    "value": "Verdier",
    "config": "Konfigurasjonen og reglene",
    "counts": "Telleboka",
    "parameters": "Parameterarbeidsboka",
    "applications": "Søknadene",
    "previous": "Fjorårets kjøring",
    "verify": "Kontroll av en kjøremappe (verify)",
}


def _cell(text: str) -> str:
    """A table cell: placeholders shown as «…» (the finding itself names the real value)."""
    return re.sub(r"\{[^{}]*\}", "…", text).replace("|", "\\|").replace("\n", " ")


def guide_table() -> str:
    """The table of findings for docs/brukerveiledning.md, grouped by area, in catalogue order."""
    lines: list[str] = []
    for area, heading in AREAS_NO.items():
        rows = [e for e in CATALOGUE if e.area == area]
        if not rows:
            continue
        lines += ["", f"**{heading}**", "", "| kode | slag | funn | gjør dette |", "|---|---|---|---|"]
        for e in rows:
            kind = " / ".join(SEVERITY_NO[s] for s in e.severities)
            lines.append(f"| `{e.code}` | {kind} | {_cell(e.title)} | {_cell(e.fix) or '–'} |")
    return "\n".join(lines[1:])


def with_guide_table(text: str) -> str:
    """``text`` (the guide) with the part between the two markers replaced by :func:`guide_table`."""
    head, start, rest = text.partition(GUIDE_START)
    _, end, tail = rest.partition(GUIDE_END)
    if not start or not end:
        raise ValueError(f"the guide has no {GUIDE_START!r} … {GUIDE_END!r} section")
    return f"{head}{GUIDE_START}\n{guide_table()}\n{GUIDE_END}{tail}"
