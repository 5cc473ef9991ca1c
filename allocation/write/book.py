"""xlsxwriter with the project's formats and checked, injection-safe writes."""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell, xl_rowcol_to_cell_fast
from xlsxwriter.worksheet import CellBlankTuple, CellNumberTuple, CellStringTuple

FIXED_CREATED = dt.datetime(2000, 1, 1)
WRAPPED = {"wrap", "muted", "error", "warning", "note"}


class WriteError(Exception):
    """xlsxwriter refused a cell (outside the sheet, a text too long): a fault of the program,
    reported with the cell."""


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a workbook is built. Every cell written is a few
    small objects that live until the file is closed; the collections their number triggers
    would walk the whole heap (the run's inputs, the libraries) again and again and find next
    to nothing, at a cost about that of writing the cells. What little cyclic garbage the
    writing leaves is collected once the collector is back on."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


# The dynamic-array functions xlsxwriter prefixes with «_xlfn.» in every formula it is given, each
# by a regular expression of its own (29 substitutions a formula: about 16 µs, 70 ms for the
# 4 400 formulas of 1 000 applications), as a name followed by «(». A formula naming none of them
# (the project writes none) comes out of those substitutions as it went in. («INGLE»: xlsxwriter's
# pattern for SINGLE is «\SINGLE\(», any non-space character before «INGLE(».)
_DYNAMIC_NAMES = (
    "ANCHORARRAY BYCOL BYROW CHOOSECOLS CHOOSEROWS DROP EXPAND FILTER HSTACK LAMBDA MAKEARRAY MAP RANDARRAY "
    "REDUCE SCAN INGLE SEQUENCE SORT SORTBY SWITCH TAKE TEXTSPLIT TOCOL TOROW UNIQUE VSTACK WRAPCOLS WRAPROWS XLOOKUP"
).split()
_DYNAMIC = re.compile("(?:" + "|".join(_DYNAMIC_NAMES) + r")\(")


def plain_formulas(ws: Any) -> Callable[..., str]:
    """``ws._prepare_formula`` (which strips the leading «=» and array braces and prefixes the
    dynamic-array functions) without its 29 substitutions for a formula that names no such
    function; any other formula, or a worksheet set to expand future functions, goes through
    xlsxwriter's own."""
    own = ws._prepare_formula

    def prepare(formula: str, expand_future_functions: bool = False) -> str:
        if expand_future_functions or ws.use_future_functions or _DYNAMIC.search(formula):
            return str(own(formula, expand_future_functions))
        if formula.startswith("{"):
            formula = formula[1:]
        if formula.startswith("="):
            formula = formula[1:]
        if formula.endswith("}"):
            formula = formula[:-1]
        return formula

    return prepare


def plain_cells(ws: Any) -> Callable[[int, int, Any], None]:
    """``ws._write_cell`` (the innermost loop of writing a sheet's XML) writing a formatted
    number, shared text or blank cell as one piece of text. xlsxwriter's own builds the same
    element from a list of attributes, each escaped in turn (the format's index, a number, by
    an exception caught: about 1.7 µs a cell, 0.3 s for the 178 000 cells of 1 000
    applications). A cell reference is letters and digits and an index digits, so neither
    needs escaping; any other cell, or a worksheet writing its rows as it goes, goes through
    xlsxwriter's own."""
    own = ws._write_cell

    def write_cell(row: int, col: int, cell: Any) -> None:
        fmt = cell.format
        if fmt is None or ws.constant_memory:
            own(row, col, cell)
            return
        kind = type(cell)
        if kind is CellStringTuple:
            ws.fh.write(
                f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{fmt._get_xf_index()}" t="s"><v>{cell.string}</v></c>'
            )
        elif kind is CellNumberTuple:
            ws.fh.write(
                f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{fmt._get_xf_index()}"><v>{cell.number:.16G}</v></c>'
            )
        elif kind is CellBlankTuple:
            ws.fh.write(f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{fmt._get_xf_index()}"/>')
        else:
            own(row, col, cell)

    return write_cell


def plain_rows(ws: Any) -> Callable[[], None]:
    """``ws._write_rows`` (the rows of a sheet's XML) visiting each row's cells in column order
    instead of asking every row for every column between the sheet's first and last, and
    reckoning each block of 16 rows' span (its first and last column) the same way. A worksheet
    with comments, or writing its rows as it goes, goes through xlsxwriter's own."""
    own = ws._write_rows

    def columns(cells: dict[int, Any]) -> list[int]:
        cols = sorted(cells)
        if cols[0] < ws.dim_colmin or cols[-1] > ws.dim_colmax:  # (xlsxwriter's loop sees only these)
            cols = [c for c in cols if ws.dim_colmin <= c <= ws.dim_colmax]
        return cols

    def write_rows() -> None:
        if ws.comments or ws.constant_memory:
            own()
            return
        table, row_info, first, last = ws.table, ws.row_info, ws.dim_rowmin, ws.dim_rowmax
        ordered = {r: columns(cells) for r, cells in table.items() if cells and first <= r <= last}
        blocks: dict[int, tuple[int, int]] = {}
        for r, cols in ordered.items():
            if not cols:
                continue
            block, low, high = r // 16, cols[0], cols[-1]
            seen = blocks.get(block)
            blocks[block] = (min(low, seen[0]), max(high, seen[1])) if seen else (low, high)
        ws.row_spans = spans = {b: f"{low + 1}:{high + 1}" for b, (low, high) in blocks.items()}
        write_row, write_cell, write = ws._write_row, ws._write_cell, ws.fh.write
        letters: dict[int, str] = {}
        for r in sorted(ordered.keys() | {r for r in row_info if first <= r <= last}):
            in_row = ordered.get(r)
            if in_row is None:
                write_row(r, spans.get(r // 16), row_info[r], empty_row=True)
                continue
            write_row(r, spans.get(r // 16), row_info.get(r))
            cells, number = table[r], r + 1
            for c in in_row:  # (plain_cells' formatted text and number cells, without the call)
                cell = cells[c]
                fmt, kind = cell.format, type(cell)
                if fmt is not None and kind is CellStringTuple:
                    ref = letters.get(c) or letters.setdefault(c, xl_col_to_name(c))
                    write(f'<c r="{ref}{number}" s="{fmt._get_xf_index()}" t="s"><v>{cell.string}</v></c>')
                elif fmt is not None and kind is CellNumberTuple:
                    ref = letters.get(c) or letters.setdefault(c, xl_col_to_name(c))
                    write(f'<c r="{ref}{number}" s="{fmt._get_xf_index()}"><v>{cell.number:.16G}</v></c>')
                else:
                    write_cell(r, c, cell)
            write("</row>")

    return write_rows


class Sheet:
    """A worksheet with checked writes and the project's formats."""

    def __init__(self, book: Book, name: str, tab: str | None = None):
        self.ws = book.wb.add_worksheet(name)
        self.f = book.formats
        # xlsxwriter's undecorated writers: the same checks and return codes, without the
        # wrapper that converts A1 references (positions here are always row and column numbers).
        self._string = self.ws._write_string
        self._blank = self.ws._write_blank
        self._number = self.ws._write_number
        self._formula = self.ws._write_formula
        self.ws._prepare_formula = plain_formulas(self.ws)
        self.ws._write_cell = plain_cells(self.ws)
        self.ws._write_rows = plain_rows(self.ws)
        self.name = name
        self.book = book
        self.col_widths: dict[int, float] = {}
        # what was written where, for the finishing step (write/fitting.py): the text as shown
        # (a number as formatted) and the format's name
        self.cells: dict[tuple[int, int], tuple[str, str | None, bool]] = {}
        self.finished = False
        if tab:
            self.ws.set_tab_color(tab)
        self.ws.set_landscape()
        self.ws.set_paper(9)
        self.ws.set_header(f'&L&"Calibri,Bold"{_escape_hf(book.title)}&R{name}')
        self.ws.set_footer(f"&L{_escape_hf(book.stamp)}&RSide &P av &N")

    def _check(self, rc: int, row: int, col: int) -> None:
        if rc not in (0, None):
            raise WriteError(
                f"Kunne ikke skrive celle {xl_rowcol_to_cell(row, col)} i arket «{self.name}» (kode {rc})."
            )

    def text(self, row: int, col: int, value: Any, fmt: str | None = None) -> None:
        s = "" if value is None else str(value)
        if len(s) > 32_767:
            s = s[:32_700] + " … (forkortet)"
        self.cells[(row, col)] = (s, fmt, False)
        rc = self._blank(row, col, None, self.f.get(fmt)) if s == "" else self._string(row, col, s, self.f.get(fmt))
        if rc:
            self._check(rc, row, col)

    def number(self, row: int, col: int, value: int | float, fmt: str | None = "kr") -> None:
        self.cells[(row, col)] = ((self.book.shows.get(fmt) or self.book.show(fmt))(value), fmt, True)
        rc = self._number(row, col, value, self.f.get(fmt))
        if rc:
            self._check(rc, row, col)

    def formula(self, row: int, col: int, formula: str, value: float, fmt: str | None = "kr") -> None:
        self.cells[(row, col)] = ((self.book.shows.get(fmt) or self.book.show(fmt))(value), fmt, True)
        rc = self._formula(row, col, formula, self.f.get(fmt), value)
        if rc:
            self._check(rc, row, col)

    def header(self, row: int, labels: list[str], col: int = 0) -> None:
        for i, label in enumerate(labels):
            self.text(row, col + i, label, "head")

    def as_table(self, name: str, last_row: int, heads: list[str], total_row: bool = True) -> None:
        """Make rows 0..``last_row`` (header, data and, with ``total_row``, a total row already
        written) an Excel table with filter buttons. The cells keep what was written (formulas
        over plain ranges, which every spreadsheet application recalculates); the headers keep
        their format."""
        if last_row < (2 if total_row else 1):
            return
        rc = self.ws.add_table(
            0,
            0,
            last_row,
            len(heads) - 1,
            {
                "name": name,
                "columns": [{"header": h} for h in heads],
                "total_row": total_row,
                "style": "Table Style Light 9",
            },
        )
        self._check(rc, 0, 0)
        self.header(0, heads)

    def widths(self, widths: Sequence[float]) -> None:
        for i, w in enumerate(widths):
            self.ws.set_column(i, i, w)
            self.col_widths[i] = w

    def finish(self) -> None:
        """The common finishing step of every sheet: columns sized from their text, headers
        aligned with their numbers, row heights from the wrapped lines (neither Excel nor
        LibreOffice sizes them on open), and a page layout that prints no text below 8 pt."""
        from .fitting import explicit_heights, fit_columns, fit_rows
        from .printing import narrow_to_fit, page_setup

        if self.finished:  # its record of the cells is gone: a second fitting would see none of them
            raise RuntimeError(f"Arket «{self.name}» er allerede ferdigstilt.")
        explicit = explicit_heights(self)
        tally, narrowest, widest = fit_columns(self)
        narrow_to_fit(self, tally, narrowest)
        fit_rows(self, tally, explicit)
        if page_setup(self, tally, widest):
            fit_rows(self, tally, explicit)
        # Fitting is done: its record of every cell goes now, not when the file is written (the
        # national case: 5 MB less at the moment the workbook's parts are assembled).
        self.cells = {}
        self.finished = True


class Book:
    """A workbook in the project's look (its formats, title and stamp), assembled in memory by
    xlsxwriter and written to ``path`` by :meth:`close`."""

    def __init__(self, path: Path, title: str, stamp: str):
        self.wb = xlsxwriter.Workbook(
            str(path), {"strings_to_formulas": False, "strings_to_urls": False, "in_memory": True}
        )
        self.wb.set_properties({"title": title, "created": FIXED_CREATED, "author": "allocation"})
        self.title, self.stamp = title, stamp
        base = {"font_name": "Calibri", "font_size": 11, "valign": "top"}
        self.props: dict[str | None, dict[str, Any]] = {None: base}
        self.shows: dict[str | None, Callable[[float], str]] = {}  # per format, how it shows a number

        def fmt(**kw: Any) -> Any:
            return {**base, **kw}

        self.formats: dict[str | None, Any] = {
            None: fmt(),
            "title": fmt(bold=True, font_size=16, font_color="#1F3864"),
            "sub": fmt(bold=True, font_size=12, font_color="#1F3864"),
            "head": fmt(bold=True, bg_color="#DDE5F0", bottom=1, text_wrap=True),
            "head_num": fmt(bold=True, bg_color="#DDE5F0", bottom=1, text_wrap=True, align="right", indent=1),
            "kr": fmt(num_format=KR),
            "kr_bold": fmt(num_format=KR, bold=True, top=1),
            "kr_ok": fmt(num_format=KR, bold=True, bg_color="#E2EFDA", top=1, bottom=1),
            "int": fmt(num_format=KR),
            "num": fmt(num_format="#,##0.####"),
            "dec": fmt(num_format="0.0000", font_color="#595959"),
            "dec_bold": fmt(num_format="0.0000", bold=True, top=1),
            "int_bold": fmt(num_format=KR, bold=True, top=1),
            "bold": fmt(bold=True),
            "total": fmt(bold=True, top=1),
            "wrap": fmt(text_wrap=True),
            "muted": fmt(font_color="#595959", italic=True, text_wrap=True),
            "muted_line": fmt(font_color="#595959", italic=True),
            "line": fmt(),  # a line of text that may run on into the empty cells to its right
            "mono": fmt(font_name="Consolas", font_size=10),
            "error": fmt(bg_color="#F8CBAD", text_wrap=True),
            "warning": fmt(bg_color="#FFE699", text_wrap=True),
            "note": fmt(text_wrap=True),
        }
        for depth in range(6):
            self.formats[f"indent{depth}"] = fmt(indent=depth, bold=depth == 0)
        self.props.update({k: v for k, v in self.formats.items() if k is not None})
        self.formats = {k: self.wb.add_format(v) for k, v in self.formats.items()}

    def close(self) -> None:
        """Write the file. First, what was kept only while cells were added goes: xlsxwriter's
        record of every cell in a table (kept to refuse an overlapping table or merged range)
        and the text widths remembered for fitting (the national case: its peak, while the
        workbook's parts are assembled, 114.7 → 111.7 MB). Then each worksheet's reference
        back to the workbook is dropped, so the workbook and all its cells are freed at once, not
        left as a cycle for the collector to walk the whole heap for (a workbook of 100 000
        cells: about 0.1–0.4 s)."""
        from .textfit import forget_widths

        for ws in self.wb.worksheets():
            ws.table_cells = {}
        forget_widths()
        self.wb.close()
        for ws in self.wb.worksheets():
            ws.workbook_add_format = None

    def add_format(self, name: str, **props: Any) -> None:
        """A format of the project's base (Calibri 11, top-aligned) under ``name``."""
        self.props[name] = {**self.props[None], **props}
        self.formats[name] = self.wb.add_format(self.props[name])
        self.shows.pop(name, None)

    def show(self, fmt: str | None) -> Callable[[float], str]:
        """How a number in format ``fmt`` is shown (:func:`shown`), kept per format."""
        self.shows[fmt] = show_as(str(self.props.get(fmt, {}).get("num_format", "General")))
        return self.shows[fmt]

    def wrapped(self, name: str | None) -> str:
        """The name of format ``name`` with wrapping on (made on first use)."""
        key = f"{name or 'plain'}+wrap"
        if key not in self.formats:
            self.add_format(key, **{**self.props.get(name, {}), "text_wrap": True})
        return key


KR = "#,##0_)"  # whole kroner, with a space after the last digit: never flush against the next column


def shown(value: float, props: dict[str, Any]) -> str:
    """A number roughly as a spreadsheet shows it in format ``props`` (for sizing columns)."""
    return show_as(str(props.get("num_format", "General")))(value)


@lru_cache(maxsize=256)
def show_as(code: str) -> Callable[[float], str]:
    """How :func:`shown` shows a number in number format ``code``: the code read once."""
    tail = ")" if code.endswith("_)") else ""
    if "%" in code:
        return lambda value: f"{value * 100:,.1f} %".replace(",", "\u00a0") + tail
    if code.startswith("0.0000"):
        return lambda value: f"{value:.4f}" + tail
    if "." in code:
        return lambda value: f"{value:,.4f}".rstrip("0").rstrip(".").replace(",", "\u00a0") + tail
    if "#,##0" in code:
        return lambda value: f"{value:,.0f}".replace(",", "\u00a0") + tail
    return lambda value: f"{value:.10g}" + tail


def _escape_hf(text: str) -> str:
    return text.replace("&", "&&")
