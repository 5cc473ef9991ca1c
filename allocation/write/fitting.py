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


Look = tuple[float, bool, bool, bool, float, float]


def look(props: dict[str, Any]) -> Look:
    """Size, bold, mono, wraps, indent (in column-width units) and the height of one line with
    its padding (points), of a format's properties."""
    size = float(props.get("font_size", BODY_SIZE))
    one_line = line_height(size) + (6 if size >= 14 else 2)
    return (*font(props), bool(props.get("text_wrap")), 1.5 * int(props.get("indent", 0)), one_line)


def _width(text: str, size: float, bold: bool, mono: bool) -> float:
    """The width of the widest line of ``text``."""
    if "\n" not in text:
        return text_width(text, size, bold, mono)
    return max(text_width(x, size, bold, mono) for x in text.split("\n"))


class Tally:
    """What the finishing step needs of a sheet's cells, gathered in one pass over them: per
    column the widths its texts and numbers need, per row the height of its cells that do not
    depend on a column's width, and the cells whose fit is decided later (texts that wrap, may
    run on to the right or may be too wide for their column)."""

    def __init__(self, s: Sheet):
        self.props = s.book.props
        self.looks: dict[str | None, Look] = {}
        self.cols: set[int] = set()
        self.last_row = -1
        self.fonts: set[str | None] = set()  # the formats of cells with a text
        self.need: dict[int, float] = {}  # the width every counted text needs
        self.words: dict[int, float] = {}  # the widest word of a text
        self.numbers: dict[int, float] = {}  # the widest number
        self.wrapped: dict[int, float] = {}  # the widest line of a wrapped text, unwrapped
        self.fixed: dict[int, float] = {}  # per row, the height of its cells that do not wrap
        self.flowing: dict[tuple[int, int], tuple[str, str | None]] = {}  # wrapped texts
        self.runs: list[tuple[int, int, float, str, str | None]] = []  # texts that may run on
        self.wide: dict[int, list[tuple[int, int, int, float, str, str | None]]] = {}  # texts that may wrap
        self.heads: list[tuple[int, int]] = []  # cells in format «head», in the order of the sheet's cells
        self._count(s.cells)

    def look(self, fmt: str | None) -> Look:
        out = self.looks.get(fmt)
        if out is None:
            out = self.looks[fmt] = look(self.props.get(fmt, {}))
        return out

    def _count(self, cells: dict[tuple[int, int], tuple[str, str | None, bool]]) -> None:
        """Count every cell, in the order they were first written (one loop: this is the one
        pass over all of a sheet's cells; what it calls per cell, inline)."""
        looks, fixed, need, words = self.looks, self.fixed, self.need, self.words
        numbers, wide = self.numbers, self.wide
        add_col, add_font, last_row = self.cols.add, self.fonts.add, self.last_row
        for index, ((r, c), (text, fmt, is_number)) in enumerate(cells.items()):
            size, bold, mono, wraps, indent, height = looks.get(fmt) or self.look(fmt)
            add_col(c)
            if r > last_row:
                last_row = r
            if fmt == "head":
                self.heads.append((r, c))
            if not text:
                if height > fixed.get(r, 0.0):
                    fixed[r] = height
                continue
            add_font(fmt)
            one_line = "\n" not in text
            width = (text_width(text, size, bold, mono) if one_line else _width(text, size, bold, mono)) + indent + PAD
            if wraps:  # (as add_wrapped)
                self.flowing[(r, c)] = (text, fmt)
                word = longest_word(text, size, bold, mono) + indent + PAD
                if word > words.get(c, 0.0):
                    words[c] = word
                if width > self.wrapped.get(c, 0.0):
                    self.wrapped[c] = width
                continue
            if not one_line:
                height = self.lines_high(text.count("\n") + 1, size)
            if height > fixed.get(r, 0.0):
                fixed[r] = height
            if is_number:
                if width > need.get(c, 0.0):
                    need[c] = width
                if width > numbers.get(c, 0.0):
                    numbers[c] = width
            elif fmt in OVERFLOW:
                self.runs.append((r, c, width, text, fmt))
            else:
                if width > need.get(c, 0.0):
                    need[c] = width
                word = longest_word(text, size, bold, mono) + indent + PAD
                if word > words.get(c, 0.0):
                    words[c] = word
                texts = wide.get(c)
                if texts is None:
                    texts = wide[c] = []
                texts.append((index, r, c, width, text, fmt))
        self.last_row = last_row

    def add_wrapped(self, r: int, c: int, text: str, fmt: str | None) -> None:
        """A wrapped text: the room its words and its lines unwrapped need; its lines are
        counted once its column's width is known."""
        size, bold, mono, _, indent, _ = self.look(fmt)
        self.flowing[(r, c)] = (text, fmt)
        self.words[c] = max(self.words.get(c, 0.0), longest_word(text, size, bold, mono) + indent + PAD)
        self.wrapped[c] = max(self.wrapped.get(c, 0.0), _width(text, size, bold, mono) + indent + PAD)

    def add_flowing(self, r: int, c: int, text: str, fmt: str | None) -> None:
        """A text written again wrapped: its lines are counted once its column's width is known
        (what it needed unwrapped stays: no more than it needs wrapped)."""
        self.flowing[(r, c)] = (text, fmt)

    def restyle(self, r: int, c: int, text: str, fmt: str) -> None:
        """The wrapped text at ``r``, ``c`` written again in ``fmt``, a wrapped format of the same
        font and no less indent: it needs no less room than before, so what it needed stays."""
        if text:
            self.fonts.add(fmt)
            self.add_wrapped(r, c, text, fmt)

    @staticmethod
    def lines_high(lines: int, size: float) -> float:
        """The height (points) of a cell of ``lines`` lines of text in ``size``."""
        return min(lines, MAX_LINES) * line_height(size) + (6 if size >= 14 else 2)


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


def fit_columns(s: Sheet) -> tuple[Tally, dict[int, float], dict[int, float]]:
    """Headers aligned as their numbers, every column as wide as its text; returns the tally of
    the sheet's cells, per column of text the narrowest width it may take for print, and per
    column of wrapped text the width of its longest text unwrapped."""
    t = Tally(s)
    if _align_headers(s, t):
        t = Tally(s)  # (formats that cannot be counted as restyled: counted afresh)
    widest: dict[int, float] = {}
    return t, _fit_columns(s, t, widest), widest


def explicit_heights(s: Sheet) -> dict[int, float]:
    """The row heights (points) the sheet's own code set: a row is never made lower."""
    return {r: float(i.height) * 0.75 for r, i in s.ws.row_info.items() if i.height is not None}


def fit_rows(s: Sheet, t: Tally, explicit: dict[int, float]) -> None:
    """A text still wider than its column wraps at words; every row as high as its lines."""
    _wrap_too_wide(s, t)
    _fit_rows(s, t, explicit)


def _align_headers(s: Sheet, t: Tally) -> bool:
    """A header over a column of numbers is right-aligned, as the numbers are (in the order of
    the cells: a number written as a header becomes its text). True when ``t`` could not
    follow."""
    cells = s.cells
    head, head_num = t.look("head"), t.look("head_num")
    follows = head_num[:4] == head[:4] and head[3] and head_num[4] >= head[4]
    aligned = False
    for r, c in t.heads:
        text = cells[(r, c)][0]
        below = [cells[(r + k, c)] for k in range(1, 6) if (r + k, c) in cells and cells[(r + k, c)][0]]
        if below and sum(1 for _, _, is_number in below if is_number) * 2 > len(below):
            s.text(r, c, text, "head_num")
            t.restyle(r, c, text, "head_num")
            aligned = True
    return aligned and not follows


def _fit_columns(s: Sheet, t: Tally, widest: dict[int, float]) -> dict[int, float]:
    """Size every column; returns, per column of text, the narrowest width it may take for
    print (its widest word, its widest number)."""
    if not t.cols:
        return {}
    cols = sorted(t.cols)
    need, words, overflow = dict(t.need), dict(t.words), []
    for r, c, width, text, fmt in t.runs:
        right = s.cells.get((r, c + 1))
        if not (right and right[0]):
            overflow.append((r, c, width))
            continue
        size, bold, mono, _, indent, _ = t.look(fmt)
        need[c] = max(need.get(c, 0.0), width)
        words[c] = max(words.get(c, 0.0), longest_word(text, size, bold, mono) + indent + PAD)
    widths: dict[int, float] = {}
    for c in cols:
        now = column_width(s, c)
        if c in t.wrapped:  # as wide as set, narrower when every text is shorter, never below a word
            w = max(min(now, max(t.wrapped[c], need.get(c, 0.0))), words[c], need.get(c, 0.0))
        elif c in need:
            w = need[c]
        else:
            w = now
        widths[c] = min(max(w, 3.0), MAX_WIDTH)
    pinned = _run_on(s, widths, overflow, max(cols))
    for c, w in widths.items():
        set_width(s, c, w)
    widest.update({c: w for c, w in t.wrapped.items() if c not in pinned})
    return {c: max(words.get(c, 0.0), t.numbers.get(c, 0.0)) for c in cols if c in words and c not in pinned}


def _run_on(s: Sheet, widths: dict[int, float], overflow: list[tuple[int, int, float]], last: int) -> set[int]:
    """Room in ``widths`` for the texts that run on into the empty cells to their right, within
    the sheet; returns the columns made as wide as such a text needs (not to be narrowed)."""
    pinned: set[int] = set()
    if s.ws.charts:  # charts take the columns they span: a title runs on over them
        last = max(last, max(col for _, col, *_ in s.ws.charts) + CHART_COLUMNS)
    for r, c, width in overflow:
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
    return pinned


def _wrap_too_wide(s: Sheet, t: Tally) -> None:
    """A text wider than its column (however wide it may be) wraps at words, in the order the
    cells were written (the order the wrapped formats are made in)."""
    hits = []
    for c, texts in t.wide.items():
        limit = column_width(s, c) + 0.01
        over = [x for x in texts if x[3] > limit]
        if over:
            hits += over
            t.wide[c] = [x for x in texts if x[3] <= limit]
    for _, r, c, _, text, fmt in sorted(hits):
        wrapped = s.book.wrapped(fmt)
        s.text(r, c, text, wrapped)
        t.fonts.add(wrapped)  # (the same font as ``fmt``)
        t.add_flowing(r, c, text, wrapped)  # (its height of one line stays: its lines are no lower)


def _fit_rows(s: Sheet, t: Tally, explicit: dict[int, float]) -> None:
    widths = {c: column_width(s, c) for c in t.cols}
    rows = dict(t.fixed)
    kinds: dict[str | None, tuple[float, bool, bool, float, float, float]] = {}
    for (r, c), (text, fmt) in t.flowing.items():
        kind = kinds.get(fmt)
        if kind is None:  # (the terms of Tally.lines_high, once per format)
            size, bold, mono, _, indent, _ = t.look(fmt)
            kind = kinds[fmt] = (size, bold, mono, indent, line_height(size), 6 if size >= 14 else 2)
        size, bold, mono, indent, line, pad = kind
        lines = wrapped_lines(text, widths[c] - PAD - indent, size, bold, mono)
        height = (lines if lines < MAX_LINES else MAX_LINES) * line + pad
        if height > rows.get(r, 0.0):
            rows[r] = height
    for r, height in sorted(rows.items()):
        info = s.ws.row_info.get(r)
        height = max(height, explicit.get(r, 0.0))
        if height > 16 or (info is not None and r not in explicit):  # (a height set by an earlier pass)
            options = {"level": info.level, "hidden": info.hidden} if info else None
            s.ws.set_row(r, max(15.0, round(height * 4) / 4), info.row_format if info else None, options)
