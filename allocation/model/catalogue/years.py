"""Catalogue entries: commitments across years (earlier decisions, changes, a second round)."""

from __future__ import annotations

from .entry import E, Entry, N

_FOLDER = "Pek på den urørte kjøremappen for vedtaket (den run laget), eller kjør det året på nytt."

ENTRIES: tuple[Entry, ...] = (
    Entry(
        "earlier.missing",
        E,
        "Finner ikke en tidligere kjøremappe",
        "Finner ikke den tidligere kjøremappen «{mappe}» (ingen manifest.json i {sti}).",
        _FOLDER,
    ),
    Entry(
        "earlier.unreadable",
        E,
        "En tidligere kjøremappe kan ikke leses",
        "manifest.json i den tidligere kjøremappen «{mappe}» kan ikke leses ({grunn}).",
        _FOLDER,
    ),
    Entry(
        "earlier.tampered",
        E,
        "En tidligere kjøremappe er endret",
        "Den tidligere kjøremappen «{mappe}» er endret eller ufullstendig: {filer}.",
        _FOLDER,
    ),
    Entry(
        "earlier.no_commitments",
        E,
        "En tidligere kjøremappe har ingen tilsagn",
        "Kjøremappen «{mappe}» har ingen tilsagn i manifest.json (en kjøring uten søknader, "
        "eller laget av en eldre versjon).",
        _FOLDER,
    ),
    Entry(
        "earlier.twice",
        E,
        "Samme tidligere vedtak er nevnt to ganger",
        "Vedtaket i «{mappe}» er allerede nevnt som «{første}»; tilsagnene ville blitt trukket to ganger.",
        "Nevn hver tidligere kjøremappe bare én gang.",
    ),
    Entry(
        "earlier.not_verified",
        E,
        "En tidligere kjøremappe gir ikke sine egne tall",
        "Den tidligere kjøremappen «{mappe}» består ikke kontrollen (verify): {forskjell}.",
        _FOLDER,
    ),
    Entry(
        "earlier.not_earlier",
        E,
        "Et «tidligere» vedtak er ikke fra et tidligere år",
        "«{mappe}» er {vedtak}, men denne kjøringen gjelder {år}; bare tilsagn fra tidligere år kan trekkes "
        "fra rammen.",
        "Nevn bare kjøremapper fra tidligere år i earlier_decisions (første runde samme år hører i first_round), "
        "og sjekk [run] year.",
    ),
    Entry(
        "earlier.network_gone",
        E,
        "Tilsagn til et nettverk som ikke finnes lenger",
        "{pott}: tilsagnet på {beløp} kr til {mottaker} gjelder nettverket «{nettverk}», som ikke finnes i "
        "telleboka i år.",
        "Skriv nettverkets nye navn i telleboka, eller trekk eller flytt tilsagnet i arket «Tilsagnsendringer» "
        "(Nytt beløp 0) med forumets vedtak.",
    ),
    Entry(
        "earlier.exceeds_frame",
        E,
        "Tilsagnene er større enn rammen",
        "Tilsagn fra tidligere vedtak er til sammen {beløp} kr, mer enn årets ramme på {ramme} kr.",
        "Sjekk rammen og hvilke kjøremapper som er nevnt, eller endre tilsagn i arket «Tilsagnsendringer».",
    ),
    Entry(
        "earlier.change_headers",
        E,
        "Arket «Tilsagnsendringer» mangler kolonner",
        "Arket «Tilsagnsendringer» mangler kolonnene {kolonner}.",
        "Bruk overskriftene Vedtak, Nettverk, Mottaker, År, Nytt beløp, Merknad i første rad.",
    ),
    Entry(
        "earlier.change_value",
        E,
        "En endring av et tilsagn har en tom eller ugyldig celle",
        "«{kolonne}» i endringen av et tilsagn er {tom eller ikke gyldig}.",
        "Skriv {det som ventes} i kolonnen.",
    ),
    Entry(
        "earlier.change_twice",
        E,
        "Det samme tilsagnet er endret på to rader",
        "Tilsagnet til {mottaker} i «{nettverk}» (vedtak «{vedtak}», år {år}) er endret både på rad {rad} og her.",
        "Behold bare én rad per tilsagn i arket «Tilsagnsendringer», med forumets endelige vedtak.",
    ),
    Entry(
        "earlier.change_unmatched",
        E,
        "En endring passer ikke med noe tilsagn",
        "Endringen for {mottaker} i «{nettverk}» (vedtak «{vedtak}», år {år}) passer ikke med noe tilsagn fra "
        "de tidligere vedtakene som utbetales i år.",
        "Skriv Vedtak som kjøringens navn eller mappenavn, og Nettverk, Mottaker og År slik arket «Tilsagn» "
        "i den kjøringen viser dem.",
    ),
    Entry(
        "earlier.first_round_mismatch",
        E,
        "Første runde passer ikke til den andre",
        "Første runde passer ikke: {hva}.",
        "Pek first_round på kjøremappen for første runde samme år, og sett [run] year likt.",
    ),
    Entry(
        "config.commitment_rule",
        E,
        "Ukjent regel for tilsagn",
        "Ukjent regel for tilsagn «{regel}».",
        'Bruk "indicative" (veiledende beløp), "requested" (det som er søkt) eller "none" (ingen tilsagn).',
    ),
    Entry(
        "config.second_round_frame",
        E,
        "En andre runde har ingen egen ramme",
        "En andre runde har ingen egen ramme: den deler ut det første runde holdt tilbake, og repaid.",
        "Fjern frame fra [run] (og rammen fra arket «Ramme»).",
    ),
    Entry(
        "config.repaid_without_round",
        E,
        "Tilbakebetalte midler uten andre runde",
        "Tilbakebetalte midler (repaid) deles bare ut i en andre runde.",
        'Legg til first_round = "MAPPE" under [inputs], eller fjern repaid.',
    ),
    Entry(
        "config.second_round_with_earlier",
        E,
        "En andre runde trekker ikke tidligere tilsagn",
        "En andre runde trekker ikke tilsagn fra tidligere vedtak; det gjorde første runde.",
        "Fjern earlier_decisions fra konfigurasjonen for andre runde.",
    ),
    Entry(
        "config.year_needed",
        E,
        "Året mangler i en kjøring som bygger på andre",
        "Kjøringen bygger på andre kjøringer, men [run] year mangler; da vet ikke verktøyet hvilke tilsagn "
        "som skal utbetales i år.",
        "Skriv året kjøringen gjelder, f.eks. year = 2026, under [run].",
    ),
    Entry(
        "verify.earlier_differs",
        E,
        "En tidligere kjøremappe kjøringen bygde på er endret",
        "Den tidligere kjøremappen {mappe}: {forskjell}.",
        _FOLDER,
    ),
    Entry(
        "verify.earlier_not_found",
        N,
        "En tidligere kjøremappe finnes ikke lenger",
        "Den tidligere kjøremappen {mappe} finnes ikke der kjøringen fant den; kontrollert fra kopien i inputs/.",
        "Legg mappen tilbake der den var for å kontrollere den også.",
    ),
)
