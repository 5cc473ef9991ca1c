"""Reading the XML parts of a workbook with a real XML parser, before python-calamine does.

One streaming pass per part with expat (C speed; the handlers do little): it
refuses DTDs and entity declarations itself, so no spelling of ``<!DOCTYPE``
slips past, and it reads attributes by name in any order, with or without a
namespace prefix. For a worksheet the pass places every cell as
python-calamine places it (a ``<row>`` without ``r`` follows the previous row,
a ``<c>`` without ``r`` follows the previous cell in its row), and stops as
soon as the used range, counted from the cells themselves, passes the limits:
nothing of absurd size ever reaches python-calamine, which would abort the
whole process on it.
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from xml.parsers import expat

MAX_ROWS = 200_000
MAX_COLS = 500
MAX_CELLS = 1_000_000  # rows x columns of the used range, from A1
MAX_STYLES = 100_000  # cell formats (Excel's own limit is 64 000)
MAX_NAMES = 10_000  # defined names
MAX_SHEETS = 1_000
# Tags ("<" counted in C, before a chunk is parsed: an upper bound on elements) that the
# Python handlers may see. The national benchmark's sheet has 260 000; each costs about a
# microsecond, so this bounds the time of any file. Shared strings are parsed without Python
# handlers; their tags bound the number of strings python-calamine holds.
MAX_SHEET_TAGS = 1_000_000  # all worksheets of one workbook together
MAX_STRING_TAGS = 2_000_000
MAX_STYLE_TAGS = 200_000
MAX_WORKBOOK_TAGS = 100_000
CHUNK = 1 << 20

PERCENT_BUILTIN = frozenset({9, 10})


class XmlProblem(Exception):
    """The part cannot be used; ``code`` is a reason code, ``message`` Norwegian."""

    def __init__(self, code: str, message: str, cell: str = "", value: str = ""):
        super().__init__(message)
        self.code, self.message, self.cell, self.value = code, message, cell, value


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _refuse_dtd(*_: object) -> None:
    raise XmlProblem("file.dtd", "Arbeidsboka inneholder DTD-deklarasjoner, som Excel aldri skriver.")


def new_parser() -> expat.XMLParserType:
    """An expat parser that refuses any DTD or entity declaration."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.UnparsedEntityDeclHandler = _refuse_dtd
    parser.NotationDeclHandler = _refuse_dtd
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    return parser


class Budget:
    """How many more tags the parts read with one limit may hold."""

    def __init__(self, tags: int, what: str):
        self.tags, self.what = tags, what

    def spend(self, chunk: bytes) -> None:
        self.tags -= chunk.count(b"<")
        if self.tags < 0:
            raise _range_problem(f"{self.what} har for mange celler og XML-elementer til å leses trygt.")


def feed(parser: expat.XMLParserType, chunks: Iterable[bytes], budget: Budget | None = None) -> None:
    """Parse a whole part chunk by chunk; malformed XML is a ``file.corrupt`` problem. With a
    budget, each chunk's tags are counted (in C) before the handlers see any of them."""
    try:
        for chunk in chunks:
            if budget is not None:
                budget.spend(chunk)
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise XmlProblem("file.corrupt", f"XML-feil ({expat.ErrorString(exc.code)}, linje {exc.lineno}).") from None


def check_part(chunks: Iterable[bytes], budget: Budget | None = None) -> None:
    """Well-formed, with no DTD: all that is asked of parts python-calamine does not judge."""
    feed(new_parser(), chunks, budget)


# ---------------------------------------------------------------------------- references

_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")
_COLS: dict[str, int] = {}


def col_index(letters: str) -> int:
    """Column letters (any case) to a 0-based index: A -> 0."""
    n = _COLS.get(letters)
    if n is None:
        n = 0
        for ch in letters.upper():
            n = n * 26 + (ord(ch) - 64)
        n -= 1
        if len(_COLS) < 20_000:
            _COLS[letters] = n
    return n


def parse_ref(ref: str) -> tuple[int, int] | None:
    """``B12`` (as python-calamine reads it: letters in any case) -> (11, 1); None if not a cell."""
    m = _REF.fullmatch(ref)
    if m is None or m.group(2).lstrip("0") == "":
        return None
    return int(m.group(2)) - 1, col_index(m.group(1))


def a1(row: int, col: int) -> str:
    letters, col = "", col + 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


# ------------------------------------------------------------------------------- sheets


@dataclass
class SheetScan:
    """What one pass over a worksheet part saw. Positions are 0-based (row, col)."""

    rows: int = 0  # used range from A1, from the cells themselves
    cols: int = 0
    cells: int = 0
    hidden_rows: list[int] = field(default_factory=list)
    hidden_cols: list[int] = field(default_factory=list)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    formulas_without_value: list[str] = field(default_factory=list)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # t="e" cells and their text
    percent: list[tuple[int, int]] = field(default_factory=list)  # numeric cells formatted as per cent
    empty_values: list[str] = field(default_factory=list)  # <v/> that is no value at all
    bad_numbers: list[tuple[str, str]] = field(default_factory=list)  # (A1, text) not a finite number
    duplicates: list[str] = field(default_factory=list)


def _range_problem(message: str) -> XmlProblem:
    return XmlProblem("file.range", message)


_LETTERS = [a1(0, c)[:-1] for c in range(MAX_COLS)]
_TEXT_TYPES = ("str", "inlineStr")


class _Stop(Exception):
    """Enough seen: the pass ends early, with what it found."""


def scan_sheet(
    chunks: Iterable[bytes], percent_styles: frozenset[str] = frozenset(), budget: Budget | None = None
) -> SheetScan:
    """One pass over a worksheet part. Raises :class:`XmlProblem` for a file that must not be read.

    The handlers are closures over plain locals and do as little as they can per cell:
    this pass runs over every cell of every input.
    """
    scan = SheetScan()
    positions = array("q")  # every cell's row-major position, to find repeated cells
    locals_: dict[str, str] = {}
    row, rowtag, col = -1, "", -1  # the current <row> (index and number as text), the previous column
    last, ordered, max_row, max_col = -1, True, -1, -1
    # the open cell
    cell_row, cell_col, ctype = -1, -1, "n"
    in_cell = has_f = has_v = in_v = False
    text: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal row, rowtag, col, last, ordered, max_row, max_col
        nonlocal cell_row, cell_col, ctype, in_cell, has_f, has_v, in_v
        local = locals_.get(name)
        if local is None:
            local = locals_[name] = _local(name)
        if local == "c":
            if in_cell:
                raise XmlProblem("file.corrupt", "En celle står inne i en annen celle.")
            ref = attrs.get("r")
            nxt = col + 1
            if ref is None or (nxt < MAX_COLS and ref == _LETTERS[nxt] + rowtag):
                if row < 0:
                    raise XmlProblem("file.corrupt", "En celle står utenfor en rad.")
                r, c = row, nxt
            else:
                pos = parse_ref(ref)
                if pos is None:
                    raise XmlProblem("file.corrupt", f"Ugyldig cellereferanse «{ref[:40]}».", value=ref[:40])
                r, c = pos
                if r >= MAX_ROWS:
                    raise _range_problem("det finnes celler langt nedenfor det en tabell her kan ha.")
            col = c
            if c > max_col or r > max_row:
                if c >= MAX_COLS:
                    raise _range_problem(f"det finnes celler lenger til høyre enn kolonne {_LETTERS[-1]}.")
                max_col, max_row = max(c, max_col), max(r, max_row)
                if (max_row + 1) * (max_col + 1) > MAX_CELLS:
                    raise _range_problem(
                        f"det brukte området er minst {max_row + 1} rader × {max_col + 1} kolonner, "
                        "langt mer enn en tabell her har."
                    )
            flat = r * MAX_COLS + c
            if flat <= last:
                if flat == last:
                    scan.duplicates.append(a1(r, c))
                    raise _Stop
                ordered = False
            last = flat
            positions.append(flat)
            if len(positions) > MAX_CELLS:  # more cells than the range holds: some are repeated
                raise _Stop
            cell_row, cell_col, in_cell, has_f, has_v = r, c, True, False, False
            ctype = attrs.get("t", "n")
            style = attrs.get("s")
            if style is not None and ctype == "n" and style in percent_styles:
                scan.percent.append((r, c))
            return
        if local == "v":
            in_v = has_v = True
        elif local == "f":
            has_f = True
        elif local == "row":
            r_attr = attrs.get("r")
            if r_attr is None:
                row += 1
            elif r_attr.isdigit() and int(r_attr) >= 1:
                row = int(r_attr) - 1
            else:
                raise XmlProblem("file.corrupt", f"Ugyldig radnummer «{r_attr[:40]}».", value=r_attr[:40])
            if row >= MAX_ROWS:
                raise _range_problem(f"det finnes data på rad {row + 1}, langt nedenfor det en tabell her kan ha.")
            rowtag, col = str(row + 1), -1
            if attrs.get("hidden") in ("1", "true"):
                scan.hidden_rows.append(row)
        elif local == "col":
            _hidden_cols(scan, attrs)
        elif local == "mergeCell":
            _merge(scan, attrs.get("ref", ""))
        elif local == "dimension":
            check_dimension(attrs.get("ref", ""))

    def end(name: str) -> None:
        nonlocal in_v, in_cell
        if in_v:
            in_v = False
        elif in_cell and locals_[name] == "c":
            in_cell = False
            if text:
                if ctype == "s" or (
                    ctype == "n" and len(text) == 1 and len(text[0]) < 16 and text[0].isdigit() and text[0].isascii()
                ):
                    text.clear()  # the common cells: a shared string, a whole number of up to 15 digits
                    return
            elif not (has_f or has_v or ctype == "e"):
                return
            _end_cell(scan, cell_row, cell_col, ctype, has_f, has_v, text)
            text.clear()

    def chars(data: str) -> None:
        if in_v:
            text.append(data)

    parser = new_parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        feed(parser, chunks, budget or Budget(MAX_SHEET_TAGS, "arket"))
    except _Stop:
        pass
    scan.rows, scan.cols, scan.cells = max_row + 1, max_col + 1, len(positions)
    if not ordered or len(positions) > MAX_CELLS:
        ranked = sorted(positions)
        twice = {ranked[i] for i in range(1, len(ranked)) if ranked[i] == ranked[i - 1]}
        scan.duplicates += [a1(*divmod(p, MAX_COLS)) for p in sorted(twice)[:20]]
    return scan


def _end_cell(scan: SheetScan, row: int, col: int, ctype: str, has_f: bool, has_v: bool, parts: list[str]) -> None:
    """A cell with a value (or a formula, or an empty ``<v>``) has ended: judge it."""
    value = (parts[0] if len(parts) == 1 else "".join(parts)).strip() if parts else ""
    if ctype == "e":
        scan.errors[(row, col)] = value[:40] or "#FEIL"
    elif ctype in _TEXT_TYPES:
        return  # a formula's text result may be empty
    elif not value:
        if has_f:
            scan.formulas_without_value.append(a1(row, col))
        elif has_v:
            scan.empty_values.append(a1(row, col))
    elif ctype == "n":
        try:
            ok = math.isfinite(float(value))
        except ValueError:
            ok = False
        if not ok:
            scan.bad_numbers.append((a1(row, col), value[:40] + ("…" if len(value) > 40 else "")))


def _hidden_cols(scan: SheetScan, attrs: dict[str, str]) -> None:
    if attrs.get("hidden") not in ("1", "true"):
        return
    lo, hi = attrs.get("min", ""), attrs.get("max", "")
    if lo.isdigit() and hi.isdigit():
        scan.hidden_cols += range(max(int(lo) - 1, 0), min(int(hi), MAX_COLS))


def _merge(scan: SheetScan, ref: str) -> None:
    first, _, second = ref.partition(":")
    a, b = parse_ref(first), parse_ref(second or first)
    if a is None or b is None:
        raise XmlProblem("file.corrupt", f"Ugyldig område for sammenslåtte celler «{ref[:40]}».", value=ref[:40])
    scan.merged.append((a[0], a[1], b[0], b[1]))


def check_dimension(ref: str) -> None:
    """The declared ``<dimension>`` is only checked for being a range: the used range is judged
    from the cells themselves (python-calamine sizes its grid by the cells it reads, not by
    this declaration, so a sheet that declares A1:XFD1048576 over a small table is read)."""
    first, _, second = ref.partition(":")
    a, b = parse_ref(first), parse_ref(second or first)
    if (a is None or b is None) and ref and not (first.isalpha() or first.isdigit()):
        raise XmlProblem("file.corrupt", f"Ugyldig oppgitt område «{ref[:40]}».", value=ref[:40])


# ------------------------------------------------------------------------ other parts


def _counting(on: Callable[[str, dict[str, str]], None]) -> Callable[[str, dict[str, str]], None]:
    """A start handler that hands ``on`` the local name (without a namespace prefix)."""

    def start(name: str, attrs: dict[str, str]) -> None:
        on(name if ":" not in name else _local(name), attrs)

    return start


def scan_shared_strings(chunks: Iterable[bytes]) -> None:
    """Shared strings, parsed without Python handlers: python-calamine holds every string in
    memory, and the tags bound how many there are."""
    feed(new_parser(), chunks, Budget(MAX_STRING_TAGS, "tekstdelen av arbeidsboka"))


def is_percent_format(code: str) -> bool:
    """A number format that shows a number as per cent: a % outside quotes and brackets,
    not escaped, in one of the sections for numbers."""
    section, i, n = 0, 0, len(code)
    while i < n and section < 3:
        ch = code[i]
        if ch == '"':
            end = code.find('"', i + 1)
            i = n if end < 0 else end + 1
            continue
        if ch == "[":
            end = code.find("]", i + 1)
            i = n if end < 0 else end + 1
            continue
        if ch in "\\_*":
            i += 2
            continue
        if ch == ";":
            section += 1
        elif ch == "%":
            return True
        i += 1
    return False


def scan_styles(chunks: Iterable[bytes]) -> frozenset[str]:
    """The cell formats (values of a cell's ``s``) that show numbers as per cent."""
    custom: dict[int, str] = {}
    xfs: list[int] = []
    depth = {"cellXfs": 0}

    def on(local: str, attrs: dict[str, str]) -> None:
        if local == "numFmt":
            fid = attrs.get("numFmtId", "")
            if fid.isdigit():
                custom[int(fid)] = attrs.get("formatCode", "")
        elif local == "cellXfs":
            depth["cellXfs"] = 1
        elif local == "xf" and depth["cellXfs"]:
            fid = attrs.get("numFmtId", "0")
            xfs.append(int(fid) if fid.isdigit() else 0)

    def end(name: str) -> None:
        if _local(name) == "cellXfs":
            depth["cellXfs"] = 0

    parser = new_parser()
    parser.StartElementHandler = _counting(on)
    parser.EndElementHandler = end
    feed(parser, chunks, Budget(MAX_STYLE_TAGS, "formatdelen av arbeidsboka"))
    if len(xfs) > MAX_STYLES:
        raise _range_problem("arbeidsboka har urimelig mange celleformater.")
    percent = {fid for fid in set(xfs) if fid in PERCENT_BUILTIN or (fid in custom and is_percent_format(custom[fid]))}
    return frozenset(str(i) for i, fid in enumerate(xfs) if fid in percent)


@dataclass
class WorkbookPart:
    """xl/workbook.xml: the sheets in order (name, state, relationship id) and the defined names."""

    sheets: list[tuple[str, str, str]] = field(default_factory=list)
    names: list[tuple[str, str | None, str]] = field(default_factory=list)  # (name, localSheetId, text)


def scan_workbook(chunks: Iterable[bytes]) -> WorkbookPart:
    part = WorkbookPart()
    open_name: list[tuple[str, str | None]] = []
    text: list[str] = []

    def on(local: str, attrs: dict[str, str]) -> None:
        if local == "sheet":
            rid = next((v for k, v in attrs.items() if _local(k) == "id"), "")
            part.sheets.append((attrs.get("name", ""), attrs.get("state", "visible"), rid))
            if len(part.sheets) > MAX_SHEETS:
                raise _range_problem("arbeidsboka har urimelig mange ark.")
        elif local == "definedName":
            open_name.append((attrs.get("name", ""), attrs.get("localSheetId")))
            text.clear()

    def end(name: str) -> None:
        if open_name and _local(name) == "definedName":
            n, local_id = open_name.pop()
            part.names.append((n, local_id, "".join(text)))
            if len(part.names) > MAX_NAMES:
                raise _range_problem("arbeidsboka har urimelig mange definerte navn.")

    def chars(data: str) -> None:
        if open_name:
            text.append(data)

    parser = new_parser()
    parser.StartElementHandler = _counting(on)
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    feed(parser, chunks, Budget(MAX_WORKBOOK_TAGS, "arbeidsbokdelen"))
    return part


def scan_rels(chunks: Iterable[bytes]) -> list[tuple[str, str, str]]:
    """Relationships: (Id, Type, Target)."""
    out: list[tuple[str, str, str]] = []

    def on(local: str, attrs: dict[str, str]) -> None:
        if local == "Relationship":
            out.append((attrs.get("Id", ""), attrs.get("Type", ""), attrs.get("Target", "")))

    parser = new_parser()
    parser.StartElementHandler = _counting(on)
    feed(parser, chunks, Budget(MAX_WORKBOOK_TAGS, "relasjonsdelen av arbeidsboka"))
    return out
