"""A fast path for worksheet XML in canonical form, with exactly the result of the expat pass.

The expat pass of :mod:`allocation.read.sheetxml` calls Python for every element; on the
national benchmark's sheet that is 260 000 calls. Most sheets are written by Excel,
xlsxwriter, openpyxl or LibreOffice in one plain form, and for those this module does the
same work with a handful of regular expressions that run in C:

1. It first *proves* that the part is in that form. The bytes are UTF-8 (an XML declaration
   that says so, or none), hold no ``<!`` (no comment, CDATA or DTD) and no ``<?`` but the
   declaration, and exactly one ``<sheetData>`` ... ``</sheetData>``. Everything inside it
   must match one strict grammar as a whole (one ``fullmatch``): rows and cells with
   ``r`` on every one (positions are explicit), attributes in a fixed order (so none can
   appear twice), values of exact shapes (no entity or character reference, no ``>``, no
   ``"``), a ``<v>`` for every formula of a non-text cell, a finite number in every numeric
   ``<v>``, no empty ``<v>`` but in text and error cells, no rich text, only whitespace
   between elements. The text inside is legal XML (valid UTF-8, no control characters,
   no ``]]>``). The rest of the part (what comes before and after the cells: dimension,
   columns, merged ranges, ...) is parsed by the expat pass itself, with the cells left out;
   it must hold no ``c``, ``row``, ``v``, ``f`` or ``is`` element under any prefix.
2. Only then it extracts, by regular expression, what pre-flight needs: the cell positions
   (extents, count, and that none is repeated), error cells and their text, per-cent styled
   numeric cells, hidden rows.

Whatever is not proven, or is anything but clean (a repeated cell, a range over the limits,
a problem in the rest of the part), returns ``None``, and the caller runs the expat pass
over the same bytes, in the same chunks, with the tag budget untouched: that pass gives every
message. So the fast path can never accept what the expat pass refuses, nor see a cell
differently; ``tests/test_preflight_fastpath.py`` checks that the two agree.
"""

from __future__ import annotations

import dataclasses
import functools
import re

from .memo import Bounded
from .sheetxml import MAX_CELLS, MAX_COLS, MAX_ROWS, Budget, SheetScan, XmlProblem, col_index, scan_sheet

_B = rb"(?:0|1|true|false)"
_D = rb"[0-9]{1,9}"
_WS = rb"[ \t\n]*+"
# Character data: no markup, only the five predefined entities (character references fall back).
_CHAR = rb"[^<&\x00-\x08\x0b\x0c\x0e-\x1f\r]"  # no carriage return: expat would make it a line feed
_TEXT = _CHAR + rb"*+(?:&(?:amp|lt|gt|quot|apos);" + _CHAR + rb"*+)*+"
_NUMBER = rb"-?(?:[0-9]{1,20}(?:\.[0-9]{0,40})?|\.[0-9]{1,40})(?:[eE][-+]?[0-9]{1,2})?"  # finite
_TOKEN = rb"[!-%'-;=-~]{1,100}"  # printable ASCII without space, & and <: never empty once stripped
_ERROR_TEXT = rb"[ -%'-;=-~]{0,100}"

_FORMULA = (
    rb'(?:<f(?: t="(?:normal|array|shared|dataTable)")?(?: aca="' + _B + rb'")?(?: ref="[A-Z0-9:$]{1,40}")?'
    rb'(?: dt2D="' + _B + rb'")?(?: dtr="' + _B + rb'")?(?: del1="' + _B + rb'")?(?: del2="' + _B + rb'")?'
    rb'(?: r1="[A-Z0-9$]{1,20}")?(?: r2="[A-Z0-9$]{1,20}")?(?: ca="' + _B + rb'")?(?: si="' + _D + rb'")?'
    rb'(?: bx="' + _B + rb'")?(?: ?/>|>' + _TEXT + rb"</f>))"
)
_STYLE = rb'(?: s="' + _D + rb'")'
_CELL_TAIL = rb'(?: cm="' + _D + rb'")?(?: vm="' + _D + rb'")?(?: ph="' + _B + rb'")?'


def _typed(kind: bytes, content: bytes) -> bytes:
    """A cell of type ``kind`` (``s`` before or after ``t``) whose content matches ``content``."""
    t = rb' t="' + kind + rb'"'
    return rb"(?:" + _STYLE + rb"?" + t + rb"|" + t + _STYLE + rb")" + _CELL_TAIL + rb"(?: ?/>|>" + content + rb"</c>)"


_VALUE = rb"(?:" + _FORMULA + rb"?<v>" + _TOKEN + rb"</v>)?"  # s, b, d: a formula only with a value
_ANY_VALUE = rb"(?:<v>" + _TEXT + rb"</v>|<v ?/>)?"
_INLINE = rb"(?:<is>(?:<t>" + _TEXT + rb'</t>|<t xml:space="preserve">' + _TEXT + rb"</t>|<t ?/>)</is>)?"
_NUMERIC = (
    rb"(?:"
    + _STYLE
    + rb'?(?: t="n")?| t="n"'
    + _STYLE
    + rb")"
    + _CELL_TAIL
    + rb"(?: ?/>|>(?:"
    + _FORMULA
    + rb"?<v>"
    + _NUMBER
    + rb"</v>)?</c>)"
)
_CELL = (
    rb'<c r="[A-Z]{1,3}(?P=row)"(?:'  # on its own row
    + rb"|".join(
        [
            _typed(b"s", _VALUE),  # the most common first: the numeric branch is slower to fail
            _NUMERIC,
            _typed(b"str", _FORMULA + rb"?" + _ANY_VALUE),
            _typed(b"e", _FORMULA + rb"?(?:<v>" + _ERROR_TEXT + rb"</v>|<v ?/>)?"),
            _typed(b"inlineStr", _FORMULA + rb"?" + _ANY_VALUE + _INLINE),
            _typed(b"b", _VALUE),
            _typed(b"d", _VALUE),
        ]
    )
    + rb")"
)
_ROW = (
    rb'<row r="(?P<row>[1-9][0-9]{0,6})"(?: spans="[0-9]{1,5}:[0-9]{1,5}(?: [0-9]{1,5}:[0-9]{1,5})*")?' + _STYLE + rb"?"
    rb'(?: customFormat="' + _B + rb'")?(?: ht="[0-9]{1,5}(?:\.[0-9]{1,20})?")?(?: hidden="' + _B + rb'")?'
    rb'(?: customHeight="' + _B + rb'")?(?: outlineLevel="[0-7]")?(?: collapsed="' + _B + rb'")?'
    rb'(?: thickTop="' + _B + rb'")?(?: thickBot="' + _B + rb'")?(?: ph="' + _B + rb'")?'
    rb'(?: x14ac:dyDescent="[0-9]{1,5}(?:\.[0-9]{1,20})?")?'
    rb"(?: ?/>|>" + _WS + rb"(?:" + _CELL + _WS + rb")*+</row>)"
)


@functools.cache
def _sheet_data() -> re.Pattern[bytes]:
    """The grammar of ``<sheetData>``'s content, compiled on first use (about 8 ms, once)."""
    return re.compile(_WS + rb"(?:" + _ROW + _WS + rb")*+")


_START = re.compile(
    rb'(?:\xef\xbb\xbf)?(?:<\?xml version="1\.0"(?: encoding="(?i:utf-8)")?(?: standalone="(?:yes|no)")? ?\?>)?'
    rb"[ \t\r\n]*<[A-Za-z_]"
)
_OPEN, _CLOSE = b"<sheetData>", b"</sheetData>"
# Elements the expat pass acts on while reading cells: none may stand outside <sheetData>.
_CELL_ELEMENT = re.compile(rb"<(?:[^\s/>]*:)?(?:c|row|v|f|is|sheetData)[\s/>]")

_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"')
_CELL_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})')
_ROW_WITH_CELLS = re.compile(rb'<row r="([0-9]{1,7})"[^>]*>[ \t\n]*<c ')
_ROW_NUMBER = re.compile(rb'<row r="([0-9]{1,7})"')
_HIDDEN_ROW = re.compile(rb'<row r="([0-9]{1,7})"[^>]* hidden="(?:1|true)"')
_ERROR_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]* t="e"[^>]*>(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)?(?:<v>([^<]*)</v>)?'
)
_CELL_TAG_END = rb'(?=(?: cm="| vm="| ph="| ?/>|>))'


@functools.lru_cache(maxsize=32)
def _percent_cell(styles: frozenset[str]) -> re.Pattern[bytes]:
    """Numeric cells (no ``t``, or ``t="n"``) whose style is one of ``styles``."""
    ids = b"|".join(sorted(s.encode() for s in styles))
    s = rb' s="(?:' + ids + rb')"'
    return re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"(?:' + s + rb'(?: t="n")?| t="n"' + s + rb")" + _CELL_TAG_END)


def _legal_text(body: bytes) -> bool:
    """Valid UTF-8 without the two characters XML excludes above U+D7FF, and no ``]]>``
    (the grammar keeps control characters out of the text)."""
    if b"]]>" in body:
        return False
    if body.isascii():
        return True
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return "\ufffe" not in text and "\uffff" not in text


_PAIR_TRIES = 16


def _find_pair(data: bytes, pair: bytes, start: int) -> int:
    """``data.find(pair, start)`` for two bytes whose second is rare in a sheet («!», «?»): that
    byte is looked for alone (much faster than the pair, whose «<» is everywhere), and the pair
    is looked for whole once that byte has turned up often."""
    second = pair[1:]
    i = data.find(second, start + 1)
    for _ in range(_PAIR_TRIES):
        if i < 0:
            return -1
        if data[i - 1] == pair[0]:
            return i - 1
        i = data.find(second, i + 1)
    return data.find(pair, max(start, i - 1)) if i >= 0 else -1


def _split(data: bytes) -> tuple[bytes, bytes, bytes] | None:
    """(before, cells, after) around the first ``<sheetData>``, if the part is UTF-8 with no
    comment, CDATA, DTD or processing instruction; otherwise None. That it is the one
    ``<sheetData>`` is proven by :func:`_no_cell_elements` on what is around it."""
    if _START.match(data) is None or _find_pair(data, b"<!", 0) >= 0:
        return None
    first = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    if _find_pair(data, b"<?", first + 1) >= 0:  # only the declaration, at the start
        return None
    i = data.find(_OPEN)
    j = data.find(_CLOSE, i)
    if i < 0 or j < 0:
        return None
    return data[:i], data[i + len(_OPEN) : j], data[j + len(_CLOSE) :]


def _no_cell_elements(before: bytes, after: bytes) -> bool:
    """No element the expat pass acts on while reading cells stands outside ``<sheetData>``."""
    return _CELL_ELEMENT.search(before) is None and _CELL_ELEMENT.search(after) is None


REST_MEMO_BYTES = 4 * 1024 * 1024
_rest_memo: Bounded[SheetScan] = Bounded(REST_MEMO_BYTES)


def _rest(before: bytes, after: bytes, percent_styles: frozenset[str]) -> SheetScan | None:
    """The part without its cells, through the expat pass; None unless it is clean. A clean
    verdict is remembered by the exact bytes (forms from one template share them) and handed
    out as a fresh copy."""
    rest = before + _OPEN + _CLOSE + after
    key = (rest, percent_styles)
    found = _rest_memo.get(key)
    if found is None:  # a remembered rest has been proven free of cell elements
        if not _no_cell_elements(before, after):
            return None
        try:
            kept = scan_sheet([rest], percent_styles, Budget(MAX_CELLS * 4, "arket"))
        except XmlProblem:
            return None
        if kept.cells != 0 or kept.duplicates:
            return None
        _rest_memo.keep(key, kept, len(rest))
    else:
        kept = found[0]
    return _copy(kept)


def _copy(scan: SheetScan) -> SheetScan:
    return dataclasses.replace(
        scan,
        hidden_rows=list(scan.hidden_rows),
        hidden_cols=list(scan.hidden_cols),
        merged=list(scan.merged),
        formulas_without_value=list(scan.formulas_without_value),
        errors=dict(scan.errors),
        percent=list(scan.percent),
        empty_values=list(scan.empty_values),
        bad_numbers=list(scan.bad_numbers),
        duplicates=list(scan.duplicates),
    )


def scan_sheet_fast(data: bytes, percent_styles: frozenset[str], budget: Budget) -> SheetScan | None:
    """The expat pass's result for a part in canonical form; None if it is not (then nothing is
    spent from ``budget``)."""
    tags = data.count(b"<")
    if tags > budget.tags:
        return None
    parts = _split(data)
    if parts is None:
        return None
    before, body, after = parts
    if not _legal_text(body) or _sheet_data().fullmatch(body) is None:
        return None
    refs = _CELL_REF.findall(body)
    if len(set(refs)) != len(refs):
        return None  # a repeated cell: the expat pass reports it
    if max(map(int, _ROW_NUMBER.findall(body)), default=0) > MAX_ROWS:
        return None
    max_row, max_col = -1, -1
    if refs:  # every cell is on its own row
        max_row = max(map(int, _ROW_WITH_CELLS.findall(body))) - 1
        max_col = max(map(col_index, {x.decode() for x in set(_CELL_COLUMN.findall(body))}))
        if max_row >= MAX_ROWS or max_col >= MAX_COLS or (max_row + 1) * (max_col + 1) > MAX_CELLS:
            return None
    scan = _rest(before, after, percent_styles)
    if scan is None:
        return None
    scan.rows, scan.cols, scan.cells = max_row + 1, max_col + 1, len(refs)
    scan.hidden_rows = [int(r) - 1 for r in _HIDDEN_ROW.findall(body)]
    if percent_styles:
        scan.percent = [(int(r) - 1, col_index(c.decode())) for c, r in _percent_cell(percent_styles).findall(body)]
    if b' t="e"' in body:
        for c, r, value in _ERROR_CELL.findall(body):
            scan.errors[(int(r) - 1, col_index(c.decode()))] = value.decode().strip()[:40] or "#FEIL"
    budget.tags -= tags
    return scan
