"""Catalogue entries: the features together over the years (a scenario's folder is no decision)."""

from __future__ import annotations

from .entry import E, Entry

ENTRIES: tuple[Entry, ...] = (
    Entry(
        "earlier.scenario",
        E,
        "En scenariomappe er ikke et vedtak",
        "Kjøremappen «{mappe}» er scenariet «{scenario}», et alternativ for forumet og ikke et vedtak; "
        "tilsagnene der er aldri gitt.",
        "Nevn kjøremappen for grunnalternativet (den som ble vedtatt) i stedet for scenariets mappe.",
    ),
    Entry(
        "report.scenario",
        E,
        "Rapportene gjelder et scenario, ikke et vedtak",
        "Kjøremappen «{mappe}» under [reports] run er scenariet «{scenario}», et alternativ for forumet og "
        "ikke et vedtak; det er ikke gitt noe tilskudd å rapportere på.",
        "Nevn kjøremappen for grunnalternativet (den som ble vedtatt) under [reports] run.",
    ),
    Entry(
        "report.taken_before",
        E,
        "Rapportene er allerede tatt med",
        "Rapportene på vedtaket i «{mappe}» er allerede tatt med i kjøringen «{kjøring}» ({tidligere}); ubrukte "
        "midler ville blitt trukket eller krevd tilbake to ganger.",
        "Ta bort [reports] her: rapportene på et vedtak leses bare én gang, i den kjøringen som trekker dem fra "
        "utbetalingen.",
    ),
)
