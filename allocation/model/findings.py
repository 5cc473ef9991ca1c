"""Findings: every problem the engine reports, as data.

A finding has a reason code (tests assert on these, not on prose), a
severity, where it is (file, sheet, A1 cell), the value found, what was
expected and how to fix it. Messages are Norwegian bokmål for the users.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"
NOTE = "note"

SEVERITY_NO = {ERROR: "feil", WARNING: "advarsel", NOTE: "merknad"}
_RANK = {ERROR: 0, WARNING: 1, NOTE: 2}
VALUE_MAX = 500  # characters of a value found that a finding keeps


@dataclass(frozen=True)
class Finding:
    """One problem a user can fix (or a note): its reason code from the catalogue, severity, the
    Norwegian message, where it is (file, sheet, cell), the value found, what was expected and
    how to fix it."""

    code: str
    severity: str
    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    value: str = ""
    expected: str = ""
    fix: str = ""

    def __post_init__(self) -> None:
        # The value found is quoted back so the user recognises the cell; a cell of megabytes
        # is quoted by its start and its length, not copied whole into funn.json and funn.xlsx.
        if len(self.value) > VALUE_MAX:
            cut = f"{self.value[:VALUE_MAX]}… ({len(self.value):,} tegn i alt)".replace(",", "\u00a0")
            object.__setattr__(self, "value", cut)

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    def location(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"ark «{self.sheet}»")
        if self.cell:
            parts.append(f"celle {self.cell}")
        return ", ".join(p for p in parts if p)

    def text(self) -> str:
        """One line for the terminal: where, what, how to fix."""
        head = self.location()
        body = self.message
        if self.fix:
            body += f" {self.fix}"
        return f"{head}: {body}" if head else body


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Worst first, then by place, so a report reads top-down."""
    return sorted(findings, key=lambda f: (_RANK.get(f.severity, 9), f.file, f.sheet, _cell_order(f.cell), f.code))


def _cell_order(cell: str) -> tuple[int, str]:
    digits = "".join(ch for ch in cell if ch.isdigit())
    letters = "".join(ch for ch in cell if ch.isalpha())
    return (int(digits) if digits else 0, letters.rjust(3))


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)


MAX_PER_KIND = 100  # findings of one code in one sheet: past this, one line says how many more


def limit(findings: list[Finding], per_kind: int = MAX_PER_KIND) -> list[Finding]:
    """At most ``per_kind`` findings of one reason code in one file and sheet, then one finding of
    the same code and severity that counts the rest and names the first and last cell: a sheet
    of 100 000 broken rows is reported in a screenful, not in a minute and a gigabyte."""
    groups: dict[tuple[str, str, str], list[Finding]] = {}
    for f in findings:
        groups.setdefault((f.code, f.file, f.sheet), []).append(f)
    if all(len(g) <= per_kind for g in groups.values()):
        return findings
    out: list[Finding] = []
    seen: dict[tuple[str, str, str], int] = {}
    for f in findings:
        key = (f.code, f.file, f.sheet)
        index = seen[key] = seen.get(key, -1) + 1
        if index < per_kind:
            out.append(f)
        elif index == per_kind:
            rest = groups[key][per_kind:]
            cells = [g.cell for g in rest if g.cell]
            span = f" (cellene {cells[0]}–{cells[-1]})" if len(cells) > 1 else ""
            out.append(
                Finding(
                    f.code,
                    f.severity,
                    f"… og {len(rest)} funn til av samme slag{span}.",
                    file=f.file,
                    sheet=f.sheet,
                    cell=cells[0] if cells else "",
                    value=str(len(rest)),
                    fix=f.fix,
                )
            )
    return out


class InputErrors(Exception):
    """Raised by readers when input files have errors; carries all findings (at most
    ``MAX_PER_KIND`` of one kind in one sheet, then a count of the rest)."""

    def __init__(self, findings: list[Finding]):
        findings = limit(findings)
        super().__init__(f"{len(findings)} funn i inndata")
        self.findings = findings


class ConfigError(Exception):
    """The configuration cannot be used (exit status 2). Carries findings."""

    def __init__(self, findings: list[Finding]):
        super().__init__("; ".join(f.text() for f in findings))
        self.findings = findings
