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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .findings import ERROR, Finding

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


def preflight(path: Path, display: str) -> list[Finding]:
    """Check a workbook's bytes before any parser sees it. Empty list = safe."""

    def bad(code: str, message: str, fix: str) -> list[Finding]:
        return [Finding(code, ERROR, message, file=display, fix=fix)]

    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
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
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return bad(
            "file.ole",
            "Filen er en gammel .xls-fil eller en passordbeskyttet arbeidsbok.",
            "Åpne den i Excel, fjern eventuelt passordet, og lagre som Excel-arbeidsbok (.xlsx).",
        )
    if not head.startswith(b"PK\x03\x04"):
        return bad(
            "file.not_xlsx",
            "Filen er ikke en Excel-arbeidsbok (.xlsx).",
            "Åpne filen i Excel og lagre den som Excel-arbeidsbok (.xlsx).",
        )
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                return bad(
                    "file.zip_entries",
                    f"Arbeidsboka har {len(infos)} deler, mer enn en vanlig arbeidsbok.",
                    "Lagre arbeidsboka på nytt fra Excel.",
                )
            if sum(i.file_size for i in infos) > MAX_EXPANDED_BYTES:
                return bad(
                    "file.zip_bomb",
                    "Arbeidsboka blir urimelig stor når den pakkes ut.",
                    "Lagre arbeidsboka på nytt fra Excel, uten unødvendige data.",
                )
            names = {i.filename for i in infos}
            if "xl/workbook.xml" not in names:
                return bad(
                    "file.not_xlsx",
                    "Filen er en zip-fil, men ikke en Excel-arbeidsbok.",
                    "Lagre filen som Excel-arbeidsbok (.xlsx).",
                )
            for info in infos:
                if not info.filename.endswith((".xml", ".rels")):
                    continue
                with zf.open(info) as part:
                    start = part.read(4096)
                if b"<!DOCTYPE" in start or b"<!ENTITY" in start:
                    return bad(
                        "file.dtd",
                        "Arbeidsboka inneholder DTD-deklarasjoner, som Excel aldri skriver.",
                        "Åpne og lagre filen i Excel, eller be avsender om en vanlig .xlsx.",
                    )
                if info.filename.startswith("xl/worksheets/"):
                    problem = _check_dimension(start)
                    if problem:
                        return bad(
                            "file.range", problem, "Slett tomme rader og kolonner nederst og til høyre, og lagre."
                        )
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        return bad(
            "file.corrupt",
            f"Arbeidsboka er skadet og kan ikke leses ({exc}).",
            "Åpne den i Excel og lagre på nytt, eller be om en ny kopi.",
        )
    return []


def _check_dimension(start: bytes) -> str | None:
    m = _DIMENSION.search(start)
    if not m:
        return None
    c1, r1, c2, r2 = (g.decode() if g else None for g in m.groups())
    last_col = _col_index(c2 or c1 or "A")
    last_row = int(r2 or r1 or 1)
    first_col = _col_index(c1 or "A")
    first_row = int(r1 or 1)
    rows = last_row - first_row + 1
    cols = last_col - first_col + 1
    if last_row > MAX_ROWS or last_col >= MAX_COLS or rows * cols > MAX_CELLS:
        return f"Et ark oppgir et brukt område på {rows} rader × {cols} kolonner, langt mer enn data i denne løsningen."
    return None


@dataclass
class Sheet:
    """A sheet's cells from A1, as python-calamine typed them."""

    file: str
    name: str
    rows: list[list[Any]]

    def cell(self, row: int, col: int) -> Any:
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return None


def read_workbook_sheets(
    path: Path, display: str, wanted: list[str]
) -> tuple[dict[str, Sheet], list[str], list[Finding]]:
    """Read the wanted sheets (matched by ``header_key``) after pre-flight.

    Returns the sheets found, all sheet names in the file, and findings.
    """
    findings = preflight(path, display)
    if findings:
        return {}, [], findings
    from python_calamine import CalamineWorkbook  # heavy-ish import, only when reading

    try:
        wb = CalamineWorkbook.from_path(str(path))
        names = list(wb.sheet_names)
        out: dict[str, Sheet] = {}
        by_key = {header_key(n): n for n in names}
        for want in wanted:
            real = by_key.get(header_key(want))
            if real is None:
                continue
            sheet = wb.get_sheet_by_name(real)
            rows = sheet.to_python(skip_empty_area=False)
            out[want] = Sheet(display, real, [list(r) for r in rows])
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


def cell_text(value: Any) -> str:
    """How a cell reads to a person: integral floats without '.0', dates as dd.mm.yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "SANN" if value else "USANN"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value).replace(".", ",")
    if isinstance(value, dt.datetime):
        return value.strftime("%d.%m.%Y") if value.time() == dt.time() else value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value).strip()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
