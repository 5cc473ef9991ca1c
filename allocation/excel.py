"""Reading workbooks safely: a pre-flight check, then python-calamine.

python-calamine is about 8x faster than openpyxl here, but it aborts the whole
process on some malformed files (an absurd used range). So no file reaches it
before :func:`preflight` has looked at its bytes: real format, size, zip entry
count and expanded size, DTD declarations, and each sheet's declared range.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .findings import ERROR, WARNING, Finding

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 2_000
MAX_EXPANDED_BYTES = 400 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLS = 500
MAX_CELLS = 5_000_000

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?\"")


def col_letter(col: int) -> str:
    """0-based column index to Excel letters (0 -> A)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def a1(row: int, col: int) -> str:
    """0-based row and column to an A1 reference."""
    return f"{col_letter(col)}{row + 1}"


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def header_key(text: Any) -> str:
    """Headers match after trimming, case-folding and Unicode NFC."""
    return " ".join(unicodedata.normalize("NFC", str(text)).casefold().split())


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
class SheetInfo:
    """What pre-flight saw in one worksheet's XML."""

    name: str
    hidden: bool = False
    hidden_rows: list[int] = field(default_factory=list)  # 0-based
    hidden_cols: list[int] = field(default_factory=list)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2 (0-based)
    formulas_without_value: list[str] = field(default_factory=list)  # A1


_OLE_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_CELL_FAR_RIGHT = re.compile(rb'<(?:\w+:)?c r="(?:[A-Z]{3,}|[T-Z][A-Z])\d')
_CELL_FAR_DOWN = re.compile(rb'<(?:\w+:)?c r="[A-Z]+(?:\d{7,}|[2-9]\d{5})"')
_ROW_NUMBER = re.compile(rb'<(?:\w+:)?row [^>]*?r="(\d+)"')
_HIDDEN_ROW = re.compile(
    rb'<(?:\w+:)?row [^>]*?r="(\d+)"[^>]*?hidden="(?:1|true)"|<(?:\w+:)?row [^>]*?hidden="(?:1|true)"[^>]*?r="(\d+)"'
)
_HIDDEN_COL = re.compile(rb'<(?:\w+:)?col [^>]*?min="(\d+)"[^>]*?max="(\d+)"[^>]*?hidden="(?:1|true)"')
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_FORMULA_CELL = re.compile(rb'<(?:\w+:)?c r="([A-Z]+\d+)"[^>]*?>(.*?)</(?:\w+:)?c>', re.S)
_SHEET_ENTRY = re.compile(r"<(?:\w+:)?sheet\b[^>]*>")
_ATTR = re.compile(r'([\w:]+)="([^"]*)"')


def preflight(path: Path, display: str) -> tuple[list[Finding], dict[str, SheetInfo]]:
    """Check a workbook's bytes before any parser sees it.

    Returns errors (an empty list means the file is safe to parse) and what was
    seen in each worksheet (hidden rows and columns, merged cells, formulas
    without a stored value), keyed by ``header_key`` of the sheet name.
    """

    def bad(code: str, message: str, fix: str) -> tuple[list[Finding], dict[str, SheetInfo]]:
        return [Finding(code, ERROR, message, file=display, fix=fix)], {}

    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(512)
    except OSError as exc:
        return bad(
            "file.unreadable", f"Kan ikke lese filen ({exc.strerror}).", "Sjekk at filen finnes og ikke er låst."
        )
    if size > MAX_FILE_BYTES:
        return bad(
            "file.too_large",
            f"Filen er {size // (1024 * 1024)} MB, over grensen på {MAX_FILE_BYTES // (1024 * 1024)} MB.",
            "Fjern ark og data som ikke hører til.",
        )
    if size == 0:
        return bad("file.empty", "Filen er tom (0 byte).", "Lagre arbeidsboka på nytt fra Excel.")
    kind = _sniff(path, head)
    if kind != "xlsx":
        code, message, fix = _FORMATS[kind]
        return bad(code, message, fix)
    try:
        with zipfile.ZipFile(path) as zf:
            return _check_zip(zf, display)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError) as exc:
        return bad(
            "file.corrupt",
            f"Arbeidsboka er skadet og kan ikke leses ({exc}).",
            "Åpne den i Excel og lagre på nytt, eller be om en ny kopi.",
        )


_SAVE_AS = "Åpne filen i Excel og velg Lagre som → Excel-arbeidsbok (.xlsx)."
_FORMATS = {
    "encrypted": (
        "file.encrypted",
        "Arbeidsboka er passordbeskyttet (kryptert) og kan ikke leses.",
        "Åpne den i Excel, fjern passordet (Fil → Info → Beskytt arbeidsbok), og lagre.",
    ),
    "xls": ("file.xls", "Filen er i det gamle .xls-formatet.", _SAVE_AS),
    "ods": ("file.ods", "Filen er et OpenDocument-regneark (.ods).", _SAVE_AS),
    "html": ("file.html", "Filen er en nettside (HTML) lagret med Excel-navn, ikke en arbeidsbok.", _SAVE_AS),
    "xml2003": ("file.xml2003", "Filen er et XML-regneark fra Excel 2003.", _SAVE_AS),
    "csv": (
        "file.csv",
        "Filen er ren tekst (CSV eller lignende), ikke en Excel-arbeidsbok.",
        "Åpne filen i Excel, kontroller kolonnene, og lagre som Excel-arbeidsbok (.xlsx).",
    ),
    "unknown": ("file.not_xlsx", "Filen er ikke en Excel-arbeidsbok (.xlsx).", _SAVE_AS),
}


def _sniff(path: Path, head: bytes) -> str:
    """The file's real format by its first bytes."""
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES)
        return "encrypted" if _OLE_ENCRYPTED in data else "xls"
    if head.startswith(b"PK\x03\x04"):
        if b"mimetypeapplication/vnd.oasis.opendocument" in head:
            return "ods"
        return "xlsx"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<html", b"<!doctype html", b"<table", b"<meta")):
        return "html"
    if text.startswith(b"<?xml"):
        return "html" if b"<html" in text else "xml2003"
    try:
        head.decode("utf-8")
        printable = True
    except UnicodeDecodeError:
        printable = all(b >= 9 for b in head[:256])
    return "csv" if printable and head else "unknown"


def _check_zip(zf: zipfile.ZipFile, display: str) -> tuple[list[Finding], dict[str, SheetInfo]]:
    def bad(code: str, message: str, fix: str) -> tuple[list[Finding], dict[str, SheetInfo]]:
        return [Finding(code, ERROR, message, file=display, fix=fix)], {}

    infos = zf.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        return bad(
            "file.zip_entries",
            f"Arbeidsboka har {len(infos)} deler, mer enn en vanlig arbeidsbok.",
            "Lagre arbeidsboka på nytt fra Excel.",
        )
    if sum(i.file_size for i in infos) > MAX_EXPANDED_BYTES or any(
        i.compress_size and i.file_size / i.compress_size > 1000 and i.file_size > 10_000_000 for i in infos
    ):
        return bad(
            "file.zip_bomb",
            "Arbeidsboka blir urimelig stor når den pakkes ut.",
            "Lagre arbeidsboka på nytt fra Excel, uten unødvendige data.",
        )
    names = {i.filename for i in infos}
    if "mimetype" in names and b"opendocument" in zf.read("mimetype"):
        return bad(*_FORMATS["ods"])
    if "xl/workbook.xml" not in names:
        return bad(
            "file.not_xlsx",
            "Filen er en zip-fil, men ikke en Excel-arbeidsbok.",
            "Lagre filen som Excel-arbeidsbok (.xlsx).",
        )
    parts: dict[str, bytes] = {}
    for info in infos:
        if info.filename.endswith((".xml", ".rels", ".vml")):
            data = zf.read(info)
            if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
                return bad(
                    "file.dtd",
                    "Arbeidsboka inneholder DTD-deklarasjoner, som Excel aldri skriver.",
                    "Åpne og lagre filen i Excel, eller be avsender om en vanlig .xlsx.",
                )
            if info.filename.startswith("xl/worksheets/"):
                parts[info.filename] = data
    sheets: dict[str, SheetInfo] = {}
    for name, hidden, part in _sheet_parts(zf):
        data = parts.get(part)
        if data is None:
            continue
        problem = _check_dimension(data[:4096]) or _check_extent(data)
        if problem:
            return bad(
                "file.range",
                f"Arket «{name}»: {problem}",
                "Slett tomme rader og kolonner nederst og til høyre, og lagre.",
            )
        sheets[header_key(name)] = _inspect(name, hidden, data)
    return [], sheets


def _sheet_parts(zf: zipfile.ZipFile) -> list[tuple[str, bool, str]]:
    """(sheet name, hidden, part path) from workbook.xml and its relationships."""
    workbook = zf.read("xl/workbook.xml").decode("utf-8", "replace")
    try:
        rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        rels = ""
    targets = {}
    for m in re.finditer(r"<(?:\w+:)?Relationship\b[^>]*>", rels):
        attrs = dict(_ATTR.findall(m.group(0)))
        target = attrs.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        targets[attrs.get("Id")] = target
    out = []
    for m in _SHEET_ENTRY.finditer(workbook):
        attrs = dict(_ATTR.findall(m.group(0)))
        rid = next((v for k, v in attrs.items() if k.endswith(":id")), None)
        name = _xml_unescape(attrs.get("name", ""))
        out.append((name, attrs.get("state", "visible") != "visible", targets.get(rid, "")))
    return out


def _xml_unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def _check_dimension(start: bytes) -> str | None:
    m = _DIMENSION.search(start)
    if not m:
        return None
    c1, r1, c2, r2 = (g.decode() if g else None for g in m.groups())
    first_col, last_col = _col_index(c1 or "A"), _col_index(c2 or c1 or "A")
    first_row, last_row = int(r1 or 1), int(r2 or r1 or 1)
    rows, cols = last_row - first_row + 1, last_col - first_col + 1
    if last_row > MAX_ROWS or last_col >= MAX_COLS or rows * cols > MAX_CELLS:
        return f"det brukte området er oppgitt til {rows} rader × {cols} kolonner, langt mer enn en tabell her har."
    return None


def _check_extent(data: bytes) -> str | None:
    if _CELL_FAR_RIGHT.search(data):
        return f"det finnes celler lenger til høyre enn kolonne {col_letter(MAX_COLS - 1)}."
    if _CELL_FAR_DOWN.search(data):
        return "det finnes celler langt nedenfor det en tabell her kan ha."
    last = max(map(int, _ROW_NUMBER.findall(data)), default=0)
    if last > MAX_ROWS:
        return f"det finnes data på rad {last}, langt nedenfor det en tabell her kan ha."
    return None


def _inspect(name: str, hidden: bool, data: bytes) -> SheetInfo:
    info = SheetInfo(name, hidden)
    if b'hidden="' in data:  # cheap guards: most sheets have none of these
        for m in _HIDDEN_ROW.finditer(data):
            info.hidden_rows.append(int(m.group(1) or m.group(2)) - 1)
        for m in _HIDDEN_COL.finditer(data):
            info.hidden_cols += list(range(int(m.group(1)) - 1, min(int(m.group(2)), MAX_COLS)))
    for m in _MERGE.finditer(data) if b"mergeCell" in data else ():
        c1, r1, c2, r2 = (g.decode() if g else None for g in m.groups())
        info.merged.append((int(r1) - 1, _col_index(c1), int(r2 or r1) - 1, _col_index(c2 or c1)))
    if b"<f" in data:
        for m in _FORMULA_CELL.finditer(data):
            body = m.group(2)
            if b"<f" in body and re.search(rb"<(?:\w+:)?v>[^<]", body) is None:
                info.formulas_without_value.append(m.group(1).decode())
    return info


@dataclass
class Sheet:
    """A sheet's cells from A1, as python-calamine typed them."""

    file: str
    name: str
    rows: list[list[Any]]
    info: SheetInfo = field(default_factory=lambda: SheetInfo(""))

    def cell(self, row: int, col: int) -> Any:
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return None


def read_workbook_sheets(
    path: Path, display: str, wanted: list[str] | None
) -> tuple[dict[str, Sheet], list[str], list[Finding]]:
    """Read the wanted sheets (matched by ``header_key``; None: every sheet) after pre-flight.

    Returns the sheets found, all sheet names in the file, and findings.
    """
    findings, infos = preflight(path, display)
    if findings:
        return {}, [], findings
    from python_calamine import CalamineWorkbook  # heavy-ish import, only when reading

    try:
        wb = CalamineWorkbook.from_path(str(path))
        names = list(wb.sheet_names)
        out: dict[str, Sheet] = {}
        by_key = {header_key(n): n for n in names}
        for want in names if wanted is None else wanted:
            real = by_key.get(header_key(want))
            if real is None:
                continue
            sheet = wb.get_sheet_by_name(real)
            rows = sheet.to_python(skip_empty_area=False)
            out[want] = Sheet(display, real, [list(r) for r in rows], infos.get(header_key(real), SheetInfo(real)))
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
