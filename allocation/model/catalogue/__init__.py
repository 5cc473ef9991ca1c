"""The catalogue of findings: every reason code the program can report, in one place.

Each entry has the code, its severity (two where one code is used at two levels), a short
Norwegian title a committee member understands, a message template in the words the call
site uses ({placeholders} stand for what the finding fills in) and the fix. The user guide's
table of findings is made from this list (:func:`guide_table`), and the tests check that the
codes raised by the program and by the test suite are exactly the codes listed here.

Pure data: no reading, no writing. The entries stand in one module per area.
"""

from __future__ import annotations

import re

from ..findings import SEVERITY_NO
from . import applications, config, cycle, files, inputs, letters, membership, reports, statistics, verify, years
from .entry import Entry

CATALOGUE: tuple[Entry, ...] = (
    files.ENTRIES
    + config.ENTRIES
    + inputs.ENTRIES
    + applications.ENTRIES
    + verify.ENTRIES
    + reports.ENTRIES
    + membership.ENTRIES
    + years.ENTRIES
    + statistics.ENTRIES
    + letters.ENTRIES
    + cycle.ENTRIES
)

BY_CODE: dict[str, Entry] = {e.code: e for e in CATALOGUE}
assert len(BY_CODE) == len(CATALOGUE), "a code is listed twice"


def entry(code: str) -> Entry:
    """The catalogue's entry for ``code``; KeyError names the code when it is not listed."""
    try:
        return BY_CODE[code]
    except KeyError:
        raise KeyError(f"reason code {code!r} is not in allocation/model/catalogue/") from None


def codes() -> list[str]:
    return [e.code for e in CATALOGUE]


# --- the user guide's table ---------------------------------------------------------------------

GUIDE_START = "<!-- funn:start (laget fra allocation/model/catalogue/; ikke rediger for hånd) -->"
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
    "membership": "Medlemskap og kommunenumre",
    "statistics": "Tall fra statistikk",
    "previous": "Fjorårets kjøring",
    "earlier": "Tidligere vedtak",
    "letters": "Vedtaksbrev",
    "verify": "Kontroll av en kjøremappe (verify)",
    "compare": "Sammenligning av to kjøringer (compare)",
    "report": "Rapportene fra mottakerne ([reports])",
    "overview": "Oversikten over årene (overview)",
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
