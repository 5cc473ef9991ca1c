"""Cell-by-cell comparison of a stored workbook with the one a re-run writes.

Runs are byte-identical, so equal bytes settle it. When the bytes differ, every sheet is
read with openpyxl — the cached value a viewer shows, the formula, and the number format —
and the first differing cells are named. A difference outside the cells (charts, styles)
is named by the part of the file that differs.
"""

from __future__ import annotations

import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..model.findings import ERROR, Finding

FIX = "Kjør fordelingen på nytt i stedet for å redigere arbeidsboka."
SHOWN = 20  # differing cells named per sheet; the rest are counted
MAX_STORED_BYTES = 50_000_000  # a stored workbook larger than this is not parsed cell by cell


def compare_workbooks(stored: Path, fresh: Path, shown_as: str) -> list[Finding]:
    """Findings for every difference between ``stored`` and ``fresh`` (empty when identical)."""
    if stored.read_bytes() == fresh.read_bytes():
        return []
    too_big = max(MAX_STORED_BYTES, 10 * _unpacked(fresh))
    if stored.stat().st_size > too_big or _unpacked(stored) > too_big:
        return [_unreadable(shown_as, "filen er langt større enn ventet")]
    wanted = _sheets_to_read(stored, fresh)
    try:
        old = _read(stored, wanted)
    except Exception as exc:  # a tampered file may break openpyxl in any way; the difference is the finding
        return [_unreadable(shown_as, f"{type(exc).__name__}")]
    new = _read(fresh, wanted)
    findings: list[Finding] = []
    for name in old:
        if name not in new:
            findings.append(_sheet(shown_as, name, "verify.extra_sheet", f"Arket «{name}» finnes ikke i ny kjøring."))
    for name in new:
        if name not in old:
            findings.append(_sheet(shown_as, name, "verify.missing_sheet", f"Arket «{name}» mangler i arbeidsboka."))
    if [n for n in old if n in new] != [n for n in new if n in old]:
        findings.append(
            _sheet(shown_as, "", "verify.sheet_order", "Arkene står i en annen rekkefølge enn ved ny kjøring.")
        )
    for name, cells in new.items():
        stored_cells = old.get(name)
        if cells is not None and stored_cells is not None:
            findings += _compare_sheet(shown_as, name, stored_cells, cells)
    if not findings:
        parts = _differing_parts(stored, fresh)
        findings.append(
            Finding(
                "verify.workbook_differs",
                ERROR,
                "Arbeidsboka er endret utenfor cellene (f.eks. diagram, formatering eller egenskaper): "
                + ", ".join(parts[:5])
                + ".",
                file=shown_as,
                value=", ".join(parts[:5]),
                fix=FIX,
            )
        )
    return findings


Cell = tuple[Any, Any, str]  # cached value, formula (or None), number format


SHARED_PARTS = {
    "[Content_Types].xml",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/sharedStrings.xml",
    "xl/styles.xml",
}


def _sheets_to_read(stored: Path, fresh: Path) -> set[str] | None:
    """The sheets whose own part differs; None (all of them) when a part they share differs."""
    differing = set(_differing_parts(stored, fresh))
    if differing & SHARED_PARTS or "filens byte" in differing:
        return None
    return {title for title, member in _sheet_parts(fresh).items() if member in differing}


def _sheet_parts(path: Path) -> dict[str, str]:
    """Sheet title -> zip member, read from our own (rebuilt) workbook."""
    import xml.etree.ElementTree as ET

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    with zipfile.ZipFile(path) as z:
        book = ET.fromstring(z.read("xl/workbook.xml"))
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    out = {}
    for sheet in book.iter(f"{main}sheet"):
        target = targets.get(sheet.get(f"{rel}id"), "")
        out[sheet.get("name", "")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return out


def _read(path: Path, wanted: set[str] | None) -> dict[str, dict[tuple[int, int], Cell] | None]:
    """Every non-empty cell of the ``wanted`` sheets (all when None), by (row, column), 1-based;
    the other sheets are listed with None."""
    import openpyxl

    values = openpyxl.load_workbook(path, read_only=True, data_only=True)
    formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        out: dict[str, dict[tuple[int, int], Cell] | None] = {}
        for ws in formulas.worksheets:
            if wanted is not None and ws.title not in wanted:
                out[ws.title] = None
                continue
            cells: dict[tuple[int, int], Cell] = {}
            for (r, c, value, fmt), cached in zip(_cells(ws), _cells(values[ws.title]), strict=False):
                formula = value if isinstance(value, str) and value.startswith("=") else None
                cells[(r, c)] = (cached[2], formula, fmt)
            out[ws.title] = {k: v for k, v in cells.items() if v[0] not in (None, "") or v[1] is not None}
        for title in values.sheetnames:
            out.setdefault(title, None)
        return out
    finally:
        values.close()
        formulas.close()


def _cells(ws: Any) -> Iterator[tuple[int, int, Any, str]]:
    if not hasattr(ws, "iter_rows"):  # a chartsheet
        return
    for row in ws.iter_rows():
        for cell in row:
            if getattr(cell, "row", None) is None:  # EmptyCell in read-only mode
                continue
            yield cell.row, cell.column, cell.value, cell.number_format or "General"


def _compare_sheet(
    shown_as: str, sheet: str, old: dict[tuple[int, int], Cell], new: dict[tuple[int, int], Cell]
) -> list[Finding]:
    from ..model.cells import a1

    findings: list[Finding] = []
    differing = 0
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key, (None, None, "General")), new.get(key, (None, None, "General"))
        what = _what_differs(a, b)
        if what is None:
            continue
        differing += 1
        if differing > SHOWN:
            continue
        code, label, stored, rebuilt = what
        findings.append(
            Finding(
                code,
                ERROR,
                f"{label + ': ' if label else ''}{stored} i arbeidsboka, {rebuilt} ved ny kjøring.",
                file=shown_as,
                sheet=sheet,
                cell=a1(key[0] - 1, key[1] - 1),
                value=stored,
                expected=rebuilt,
                fix=FIX,
            )
        )
    if differing > SHOWN:
        findings.append(
            _sheet(shown_as, sheet, "verify.cell_differs", f"… og {differing - SHOWN} celler til er ulike i arket.")
        )
    return findings


def _what_differs(a: Cell, b: Cell) -> tuple[str, str, str, str] | None:
    if a[1] != b[1]:
        return "verify.formula_differs", "Formelen er endret", _show(a[1]), _show(b[1])
    if not _same_value(a[0], b[0]):
        return "verify.cell_differs", "", _show(a[0]), _show(b[0])
    if a[2] != b[2]:
        return "verify.format_differs", "Tallformatet er endret", f"«{a[2]}»", f"«{b[2]}»"
    return None


def _same_value(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return type(a) is type(b) and a == b


def _show(value: Any) -> str:
    from ..model.formatting import format_kroner

    if value is None or value == "":
        return "tom"
    if isinstance(value, bool):
        return "SANN" if value else "USANN"
    if isinstance(value, (int, float)) and float(value).is_integer() and abs(value) < 1e15:
        return format_kroner(int(value))
    if isinstance(value, (int, float)):
        return repr(value)
    return quote(str(value))


def quote(text: str, limit: int = 120) -> str:
    """A value quoted back for the terminal: control and format characters shown escaped."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    shown = "".join(f"\\u{ord(ch):04x}" if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text)
    return f"«{shown}»"


def _differing_parts(stored: Path, fresh: Path) -> list[str]:
    try:
        with zipfile.ZipFile(stored) as a, zipfile.ZipFile(fresh) as b:
            names = sorted(set(a.namelist()) | set(b.namelist()))
            return [
                n
                for n in names
                if n not in a.namelist() or n not in b.namelist() or a.getinfo(n).CRC != b.getinfo(n).CRC
            ] or ["filens byte"]
    except (zipfile.BadZipFile, OSError):
        return ["filens byte"]


def _unpacked(path: Path) -> int:
    """The size a workbook unpacks to (0 when it is not a zip file: openpyxl will say so)."""
    try:
        with zipfile.ZipFile(path) as z:
            return sum(info.file_size for info in z.infolist())
    except (zipfile.BadZipFile, OSError):
        return 0


def _unreadable(shown_as: str, why: str) -> Finding:
    return Finding(
        "verify.workbook_unreadable",
        ERROR,
        f"Arbeidsboka kan ikke leses for sammenligning ({why}).",
        file=shown_as,
        value=why,
        fix=FIX,
    )


def _sheet(shown_as: str, sheet: str, code: str, message: str) -> Finding:
    return Finding(code, ERROR, message, file=shown_as, sheet=sheet, fix=FIX)
