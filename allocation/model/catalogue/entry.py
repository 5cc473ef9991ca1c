"""One entry of the catalogue of findings, and the few texts many entries share."""

from __future__ import annotations

from dataclasses import dataclass

from ..findings import ERROR, NOTE, WARNING


@dataclass(frozen=True)
class Entry:
    """A reason code in the catalogue: the severities it is raised with, its Norwegian title,
    message and fix."""

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
