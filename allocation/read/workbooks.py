"""Reading workbooks safely: a pre-flight check, then python-calamine.

python-calamine is about 8x faster than openpyxl here, but it aborts the whole
process on some malformed files (an absurd used range) and reads error cells
as blank. So the file's bytes are read once; pre-flight
(:mod:`allocation.read.preflight`) judges them, and python-calamine reads the same
bytes. What pre-flight saw is then laid over calamine's cells: an error cell
becomes a :class:`CellError`, a number formatted as per cent a
:class:`PercentCell`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model.cells import a1, col_letter
from ..model.findings import ERROR, WARNING, Finding
from ..model.names import duplicate_sheets, name_key
from .memo import Bounded
from .preflight import MAX_FILE_BYTES, Preflight, SheetInfo, preflight_bytes, too_large
from .snapshot import has as snapshot_has
from .snapshot import read_bytes

_DEFINED_REF = re.compile(r"^'?(.+?)'?!\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
# What follows the last «!» of a reference to one cell: a cheap test that passes every text
# _DEFINED_REF matches, so that long formulas (a form's check formulas) are not scanned
_DEFINED_TAIL = re.compile(r"\$?[A-Za-z]{1,3}\$?\d{1,7}")


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def header_key(text: Any) -> str:
    """Headers match as names do: NFC, case-folded, spaces folded, invisible characters removed."""
    return name_key(str(text))


EXCEL_ERRORS = (
    "#NULL!",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#N/A",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
)


class CellError(str):
    """An Excel error cell (``#REF!``, ``#DIV/0!`` …), as the user sees it.

    python-calamine reads error cells as blank; pre-flight records them and
    :func:`read_workbook_sheets` puts a ``CellError`` in their place, so that no
    reader can take an error for 0 or a blank: every value parser reports it.
    """

    __slots__ = ()


class PercentCell(float):
    """A number in a cell formatted as per cent: Excel stores 150 % as 1.5.

    Put in place of the plain float by :func:`read_workbook_sheets`, so a share is
    read by its format (``PercentCell(1.5)`` is 150 %), never by guessing.
    """

    __slots__ = ()


@dataclass
class Sheet:
    """A sheet's cells from A1, as python-calamine typed them, with error and per-cent
    cells in place (:class:`CellError`, :class:`PercentCell`)."""

    file: str
    name: str
    rows: list[list[Any]]
    info: SheetInfo = field(default_factory=lambda: SheetInfo(""))
    # the workbook's defined names: name.casefold() -> (header_key of sheet, row, col), 0-based
    defined_names: dict[str, tuple[str, int, int]] = field(default_factory=dict)

    def cell(self, row: int, col: int) -> Any:
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return None


def preflight(path: Path, display: str) -> tuple[list[Finding], Preflight]:
    """Pre-flight of a file on disk (see :func:`allocation.read.preflight.preflight_bytes`)."""
    data, findings = _read_bytes(path, display)
    if data is None:
        return findings, Preflight()
    return preflight_bytes(data, display)


def _read_bytes(path: Path, display: str) -> tuple[bytes | None, list[Finding]]:
    try:
        # the size of the bytes the run holds, or else of the file (a larger one is not read)
        size = len(read_bytes(path)) if snapshot_has(path) else path.stat().st_size
        if size > MAX_FILE_BYTES:
            code, message, fix = too_large(size)
            return None, [Finding(code, ERROR, message, file=display, fix=fix)]
        data = read_bytes(path)  # the one read of the file: pre-flight, calamine and the copy in inputs/
    except OSError as exc:
        message = f"Kan ikke lese filen ({exc.strerror})."
        return None, [
            Finding("file.unreadable", ERROR, message, file=display, fix="Sjekk at filen finnes og ikke er låst.")
        ]
    return data, []


def preload(path: Path, display: str) -> None:
    """Read a file's bytes into the run's snapshot now, as :func:`read_workbook_sheets` will (a
    file too large or unreadable is left for it to report)."""
    _read_bytes(path, display)


def read_one_sheet(path: Path, display: str, name: str, code: str, holds: str) -> tuple[Sheet | None, list[Finding]]:
    """The sheet ``name`` of a workbook after pre-flight; when the file has no such sheet, the
    finding ``code`` names the sheets it has and the closest name (``holds``: what the sheet
    holds, e.g. «tallene», for the fix)."""
    import difflib

    sheets, names, findings = read_workbook_sheets(path, display, [name])
    if findings:
        return None, findings
    sheet = sheets.get(name)
    if sheet is not None:
        return sheet, []
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.4)
    return None, [
        Finding(
            code,
            ERROR,
            f"Finner ikke arket «{name}».",
            file=display,
            value=", ".join(names),
            expected=name,
            fix=f"Gi arket med {holds} navnet «{name}»" + (f" (er det «{close[0]}»?)." if close else "."),
        )
    ]


def read_workbook_sheets(
    path: Path, display: str, wanted: list[str] | None
) -> tuple[dict[str, Sheet], list[str], list[Finding]]:
    """Read the wanted sheets (matched by ``header_key``; None: every sheet) after pre-flight.

    The file's bytes are read once: pre-flight judges them and python-calamine reads
    the same bytes. Returns the sheets found, all sheet names in the file, and findings.
    """
    data, findings = _read_bytes(path, display)
    if data is None:
        return {}, [], findings
    findings, seen = preflight_bytes(data, display)
    if findings:
        return {}, [], findings
    from python_calamine import CalamineWorkbook  # heavy-ish import, only when reading

    defined = defined_cells(seen.defined_names)
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(wb.sheet_names)
        if twice := duplicate_sheets(names, wanted, display):
            wb.close()
            return {}, names, twice
        out: dict[str, Sheet] = {}
        by_key = {header_key(n): n for n in names}
        for want in names if wanted is None else wanted:
            real = by_key.get(header_key(want))
            if real is None:
                continue
            rows = wb.get_sheet_by_name(real).to_python(skip_empty_area=False)  # fresh lists, ours to change
            info = seen.sheets.get(real) or SheetInfo(real)
            overlay(rows, info)
            out[want] = Sheet(display, real, rows, info, defined)
        wb.close()
    except Exception as exc:  # calamine raises its own error types for broken files
        return (
            {},
            [],
            [
                Finding(
                    "file.corrupt",
                    ERROR,
                    f"Arbeidsboka kan ikke leses ({exc}).",
                    file=display,
                    fix="Åpne den i Excel og lagre på nytt som .xlsx.",
                )
            ],
        )
    return out, names, []


def overlay(rows: list[list[Any]], info: SheetInfo) -> None:
    """Put what python-calamine cannot tell in place: :class:`CellError` at every error cell
    (calamine reads them as blank), :class:`PercentCell` for every number formatted as per cent."""
    for (r, c), text in info.errors.items():
        while len(rows) <= r:
            rows.append([])
        row = rows[r]
        if len(row) <= c:
            row.extend([""] * (c + 1 - len(row)))
        row[c] = CellError(text)
    for r, c in info.percent:
        if r < len(rows) and c < len(rows[r]):
            value = rows[r][c]
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                rows[r][c] = PercentCell(value)


_DefinedNames = tuple[tuple[str, str | None, str], ...]
DEFINED_MEMO_CHARS = 1 << 20  # defined names whose cells are remembered (forms of one template share them)
_defined_memo: Bounded[dict[str, tuple[str, int, int]]] = Bounded(DEFINED_MEMO_CHARS)


def defined_cells(names: list[tuple[str, str | None, str]]) -> dict[str, tuple[str, int, int]]:
    """Defined names that point at one cell: name.casefold() -> (header_key of sheet, row, col),
    0-based. A name for the whole workbook goes before one local to a sheet. Worked out once
    for the same names (the memo holds the names themselves, bounded), handed out as a copy."""
    key = tuple(names)
    found = _defined_memo.get(key)
    if found is None:
        kept = _defined_cells(key)
        _defined_memo.keep(key, kept, sum(len(name) + len(text) for name, _, text in key))
        return dict(kept)
    return dict(found[0])


def _defined_cells(names: _DefinedNames) -> dict[str, tuple[str, int, int]]:
    out: dict[str, tuple[str, int, int]] = {}
    for name, _scope, text in sorted(names, key=lambda n: n[1] is not None):
        text = text.strip()
        if _DEFINED_TAIL.fullmatch(text.rpartition("!")[2]) is None:
            continue
        m = _DEFINED_REF.match(text)
        if m is None or not name or name.casefold() in out:
            continue
        out[name.casefold()] = (
            header_key(m.group(1).replace("''", "'")),
            int(m.group(3)) - 1,
            _col_index(m.group(2).upper()),
        )
    return out


HEADER_SEARCH_ROWS = 30


def find_header(rows: list[list[Any]], first: str) -> tuple[int | None, dict[str, int]]:
    """The header row: the first of the top rows with a cell matching ``first``.

    Returns the row (0-based) and {header_key: column} (the first of duplicates).
    """
    target = header_key(first)
    for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = [header_key(v) if isinstance(v, str) else "" for v in row]
        if target in keys:
            colmap: dict[str, int] = {}
            for c, k in enumerate(keys):
                if k and k not in colmap:
                    colmap[k] = c
            return r, colmap
    return None, {}


def sheet_findings(sheet: Sheet, header_row: int, merged_is_error: bool = True) -> list[Finding]:
    """Hidden sheet, rows and columns (warnings); merged cells in the data area and
    formulas without a stored value (errors: the value cannot be trusted)."""
    info, out = sheet.info, []
    where = {"file": sheet.file, "sheet": sheet.name}
    if info.hidden:
        out.append(
            Finding(
                "sheet.hidden",
                WARNING,
                f"Arket «{sheet.name}» er skjult, men blir lest.",
                **where,
                fix="Vis arket (høyreklikk på en arkfane → Vis) og kontroller innholdet.",
            )
        )
    rows = [r for r in info.hidden_rows if r > header_row and r < len(sheet.rows)]
    if rows:
        listed = ", ".join(str(r + 1) for r in rows[:10]) + (" …" if len(rows) > 10 else "")
        out.append(
            Finding(
                "sheet.hidden_rows",
                WARNING,
                f"Skjulte rader blir lest med: {listed}.",
                **where,
                cell=a1(rows[0], 0),
                fix="Vis radene og kontroller at de skal være med.",
            )
        )
    width = max((len(r) for r in sheet.rows), default=0)
    cols = [c for c in info.hidden_cols if c < width]
    if cols:
        out.append(
            Finding(
                "sheet.hidden_columns",
                WARNING,
                "Skjulte kolonner: " + ", ".join(col_letter(c) for c in cols[:10]) + ".",
                **where,
                cell=a1(max(header_row, 0), cols[0]),
                fix="Vis kolonnene og kontroller innholdet.",
            )
        )
    if merged_is_error:
        for r1, c1, r2, c2 in info.merged:
            if r2 > header_row:
                ref = f"{a1(r1, c1)}:{a1(r2, c2)}"
                out.append(
                    Finding(
                        "sheet.merged_cells",
                        ERROR,
                        f"Sammenslåtte celler {ref} i tabellen.",
                        **where,
                        cell=ref,
                        value=ref,
                        fix="Del opp cellene (Start → Slå sammen og midtstill → "
                        "Del celler) og skriv verdien i hver rad.",
                    )
                )
    for ref in info.formulas_without_value:
        out.append(
            Finding(
                "sheet.formula_no_value",
                ERROR,
                "Cellen har en formel uten lagret verdi.",
                **where,
                cell=ref,
                fix="Åpne filen i Excel, trykk Lagre, og prøv igjen (da lagres verdiene).",
            )
        )
    return out


def cell_text(value: Any) -> str:
    """How a cell reads to a person: integral floats without '.0', dates as dd.mm.yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "SANN" if value else "USANN"
    if isinstance(value, PercentCell):  # shown as Excel shows it: 1.5 is «150 %»
        return f"{float(value) * 100:.10g}".replace(".", ",") + " %"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value).replace(".", ",")
    if isinstance(value, dt.datetime):
        return value.strftime("%d.%m.%Y") if value.time() == dt.time() else value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value).strip()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
