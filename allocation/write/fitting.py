"""The finishing step of every sheet: columns as wide as their text, row heights from the
wrapped lines, headers aligned as the numbers below them.

Spreadsheet applications size neither on open (Excel never, LibreOffice not for the rows of
a file that states heights), so without this a value prints clipped under the next row or
behind the next column. Works on what :class:`~allocation.write.book.Sheet` recorded of
every write; a sheet added later gets it by calling ``finish()``.
"""

from __future__ import annotations

import math
from typing import Any, Protocol

from .textfit import BODY_SIZE, line_height, longest_word, text_width, wrapped_lines


class Sheet(Protocol):
    """What the finishing step needs of :class:`allocation.write.book.Sheet`."""

    ws: Any
    book: Any
    cells: dict[tuple[int, int], tuple[str, str | None, bool]]
    col_widths: dict[int, float]

    def text(self, row: int, col: int, value: Any, fmt: str | None = None) -> None: ...


PAD = 1.2  # a cell's own padding and a margin, in column-width units
MAX_WIDTH = 70.0  # wider than this, a text wraps instead
DEFAULT_WIDTH = 8.43
OVERFLOW = {"title", "sub", "muted_line", "mono", "line"}  # texts that may run on into empty cells to the right
MAX_LINES = 25
CHART_COLUMNS = 8  # the fewest columns a chart spans (it is 480 pixels wide or more)


def font(props: dict[str, Any]) -> tuple[float, bool, bool]:
    """(size, bold, mono) of a format's properties."""
    return float(props.get("font_size", BODY_SIZE)), bool(props.get("bold")), props.get("font_name") == "Consolas"


def _looks(s: Sheet) -> dict[str | None, tuple[float, bool, bool, bool, float]]:
    """Per format used on the sheet: size, bold, mono, wraps, indent (in column-width units)."""
    out = {}
    for fmt in {fmt for _, fmt, _ in s.cells.values()}:
        p = s.book.props.get(fmt, {})
        out[fmt] = (*font(p), bool(p.get("text_wrap")), 1.5 * int(p.get("indent", 0)))
    return out


def column_width(s: Sheet, col: int) -> float:
    """The width of ``col`` in column-width units as set so far."""
    info = s.ws.col_info.get(col)
    if info is None or info.width is None:
        return DEFAULT_WIDTH
    px = float(info.width)
    return (px - 5) / 7 if px >= 12 else px / 12


def set_width(s: Sheet, col: int, width: float) -> None:
    info = s.ws.col_info.get(col)
    options = {"level": info.level, "hidden": info.hidden, "collapsed": info.collapsed} if info else None
    width = math.ceil(round(width * 7, 6)) / 7  # up to a whole pixel (7 to a unit), so nothing is lost to rounding
    s.ws.set_column(col, col, width, info.column_format if info else None, options)
    s.col_widths[col] = width


def fit_columns(s: Sheet) -> tuple[dict[int, float], dict[int, float]]:
    """Headers aligned as their numbers, every column as wide as its text; returns, per column
    of text, the narrowest width it may take for print, and per column of wrapped text, the
    width of its longest text unwrapped."""
    _align_headers(s)
    widest: dict[int, float] = {}
    return _fit_columns(s, widest), widest


def explicit_heights(s: Sheet) -> dict[int, float]:
    """The row heights (points) the sheet's own code set: a row is never made lower."""
    return {r: float(i.height) * 0.75 for r, i in s.ws.row_info.items() if i.height is not None}


def fit_rows(s: Sheet, explicit: dict[int, float]) -> None:
    """A text still wider than its column wraps at words; every row as high as its lines."""
    _wrap_too_wide(s)
    _fit_rows(s, explicit)


def _align_headers(s: Sheet) -> None:
    """A header over a column of numbers is right-aligned, as the numbers are."""
    for (r, c), (text, fmt, _) in list(s.cells.items()):
        if fmt != "head":
            continue
        below = [s.cells[(r + k, c)] for k in range(1, 6) if (r + k, c) in s.cells and s.cells[(r + k, c)][0]]
        if below and sum(1 for _, _, is_number in below if is_number) * 2 > len(below):
            s.text(r, c, text, "head_num")


def _wraps(s: Sheet, fmt: str | None) -> bool:
    return bool(s.book.props.get(fmt, {}).get("text_wrap"))


def _fit_columns(s: Sheet, widest: dict[int, float]) -> dict[int, float]:
    """Size every column; returns, per column of text, the narrowest width it may take for
    print (its widest word, its widest number)."""
    looks = _looks(s)
    cols = sorted({c for _, c in s.cells})
    if not cols:
        return {}
    need: dict[int, float] = {}  # the width every counted text needs
    words: dict[int, float] = {}  # the widest word of a text
    numbers: dict[int, float] = {}  # the widest number
    wrapped: dict[int, float] = {}  # the widest line of a wrapped text, unwrapped
    overflow: list[tuple[int, int, float]] = []
    for (r, c), (text, fmt, is_number) in s.cells.items():
        if not text:
            continue
        size, bold, mono, wraps, indent = looks[fmt]
        if wraps:
            words[c] = max(words.get(c, 0.0), longest_word(text, size, bold, mono) + indent + PAD)
            line = max(text_width(x, size, bold, mono) for x in text.split("\n"))
            wrapped[c] = max(wrapped.get(c, 0.0), line + indent + PAD)
            continue
        width = max(text_width(x, size, bold, mono) for x in text.split("\n")) + indent + PAD
        right = s.cells.get((r, c + 1))
        if not is_number and fmt in OVERFLOW and not (right and right[0]):
            overflow.append((r, c, width))
            continue
        need[c] = max(need.get(c, 0.0), width)
        if is_number:
            numbers[c] = max(numbers.get(c, 0.0), width)
        else:
            words[c] = max(words.get(c, 0.0), longest_word(text, size, bold, mono) + indent + PAD)
    widths: dict[int, float] = {}
    for c in cols:
        now = column_width(s, c)
        if c in wrapped:  # as wide as set, narrower when every text is shorter, never below a word
            w = max(min(now, max(wrapped[c], need.get(c, 0.0))), words[c], need.get(c, 0.0))
        elif c in need:
            w = need[c]
        else:
            w = now
        widths[c] = min(max(w, 3.0), MAX_WIDTH)
    last = max(cols)
    pinned: set[int] = set()
    if s.ws.charts:  # charts take the columns they span: a title runs on over them
        last = max(last, max(col for _, col, *_ in s.ws.charts) + CHART_COLUMNS)
    for r, c, width in overflow:  # a text that runs on: into the empty cells to its right, within the sheet
        room = widths.get(c, DEFAULT_WIDTH)
        k = c + 1
        while k <= last and not (s.cells.get((r, k)) or ("", None, False))[0]:
            room += widths.get(k, column_width(s, k))
            k += 1
        if s.ws.charts and k > last:
            continue  # runs on over the charts' columns
        if width > room and k > last and c < last:  # past the last column: that column widens
            widths[last] = min(widths[last] + width - room, MAX_WIDTH)
            pinned.add(last)
        elif width > room and k > last:  # a sheet of one column (a title over charts): room in the next
            widths[c] = min(max(widths[c], width), MAX_WIDTH)
            pinned.add(c)
            if width > widths[c]:
                widths[c + 1] = min(width - widths[c], MAX_WIDTH)
        elif width > room:
            widths[c] = min(max(widths.get(c, 0.0), widths.get(c, 0.0) + width - room), MAX_WIDTH)
            pinned.add(c)  # as wide as this text needs: not to be made narrower for print
    for c, w in widths.items():
        set_width(s, c, w)
    widest.update({c: w for c, w in wrapped.items() if c not in pinned})
    return {c: max(words.get(c, 0.0), numbers.get(c, 0.0)) for c in cols if c in words and c not in pinned}


def _wrap_too_wide(s: Sheet) -> None:
    """A text wider than its column (however wide it may be) wraps at words."""
    looks = _looks(s)
    widths = {c: column_width(s, c) for c in {c for _, c in s.cells}}
    for (r, c), (text, fmt, is_number) in list(s.cells.items()):
        size, bold, mono, wraps, indent = looks[fmt]
        if is_number or not text or wraps or fmt in OVERFLOW:
            continue
        if max(text_width(x, size, bold, mono) for x in text.split("\n")) + indent + PAD > widths[c] + 0.01:
            s.text(r, c, text, s.book.wrapped(fmt))


def _fit_rows(s: Sheet, explicit: dict[int, float]) -> None:
    looks = _looks(s)
    widths = {c: column_width(s, c) for c in {c for _, c in s.cells}}
    rows: dict[int, float] = {}
    one_line = {fmt: line_height(look[0]) + (6 if look[0] >= 14 else 2) for fmt, look in looks.items()}
    for (r, c), (text, fmt, _) in s.cells.items():
        size, bold, mono, wraps, indent = looks[fmt]
        if not wraps and "\n" not in text:
            if one_line[fmt] > rows.get(r, 0.0):
                rows[r] = one_line[fmt]
            continue
        if not text:
            lines = 1
        elif wraps:
            lines = wrapped_lines(text, widths[c] - PAD - indent, size, bold, mono)
        else:
            lines = text.count("\n") + 1
        height = min(lines, MAX_LINES) * line_height(size) + (6 if size >= 14 else 2)
        rows[r] = max(rows.get(r, 0.0), height)
    for r, height in sorted(rows.items()):
        info = s.ws.row_info.get(r)
        height = max(height, explicit.get(r, 0.0))
        if height > 16 or (info is not None and r not in explicit):  # (a height set by an earlier pass)
            options = {"level": info.level, "hidden": info.hidden} if info else None
            s.ws.set_row(r, max(15.0, round(height * 4) / 4), info.row_format if info else None, options)
