"""Page setup on A4: no printed text below 8 pt, the identifying columns on every page.

A sheet that fits one page wide at a scale of at least about 74 % is fitted to the width;
a wider one prints at the largest such scale that needs the fewest pages across, with
explicit breaks between whole columns, the header row and the identifying (frozen) columns
repeated on every page, page order across then down. A sheet that chose its own page setup
(``fit_to_pages`` or a scale) keeps it.
"""

from __future__ import annotations

import re

from .fitting import Sheet, Tally, column_width, font, set_width

A4 = (595.28, 841.89)  # points, portrait
MARGIN_LR = 0.7 * 72  # xlsxwriter's default left and right margins
MARGIN_TB = 0.75 * 72  # and top and bottom margins
SMALLEST = 8.2  # points: no printed text below 8 pt (with a little room for rounding)
CHART_FONT = 10.0  # the size of a chart's own text
LOWEST_SCALE = 74  # per cent: Calibri 11 prints at 8.1 pt
PT_PER_UNIT, PT_PAD = 7.0, 5.0  # a column width in points, as LibreOffice prints it (the widest)


def printable_width(landscape: bool) -> float:
    return (A4[1] if landscape else A4[0]) - 2 * MARGIN_LR


def column_points(s: Sheet, col: int) -> float:
    info = s.ws.col_info.get(col)
    if info is not None and info.hidden:
        return 0.0
    return PT_PER_UNIT * column_width(s, col) + PT_PAD


def charts_width(s: Sheet) -> float:
    """How far right the sheet's charts reach, in points as LibreOffice prints them (a chart
    spans the columns it covers in Excel, whose pixels LibreOffice prints about as points)."""
    out = 0.0
    for _row, col, chart, x_offset, _y, x_scale, *_ in s.ws.charts:
        left = sum(column_points(s, c) for c in range(col))
        out = max(out, left + (x_offset + chart.width * x_scale))
    return out


def lowest_scale(s: Sheet, t: Tally) -> int:
    """The lowest scale (per cent) at which the sheet's smallest font still prints at 8 pt."""
    sizes = [font(s.book.props.get(fmt, {}))[0] for fmt in t.fonts]
    sizes += [CHART_FONT] * bool(s.ws.charts)
    smallest = min(sizes, default=11.0)
    return max(LOWEST_SCALE, -(-int(SMALLEST / smallest * 1000) // 10))


def printable_height(landscape: bool) -> float:
    return (A4[0] if landscape else A4[1]) - 2 * MARGIN_TB


def row_points(s: Sheet, last: int) -> list[float]:
    out = []
    for r in range(last + 1):
        info = s.ws.row_info.get(r)
        out.append(0.0 if info and info.hidden else float(info.height) * 0.75 if info and info.height else 15.0)
    return out


def pages_down(heights: list[float], repeat: int, room: float) -> int:
    """How many pages the rows take, a row never split, the first ``repeat`` rows on every page."""
    fixed = sum(heights[:repeat])
    pages, used = 1, 0.0
    for h in heights:
        if used and used + h > room:
            pages += 1
            used = fixed
        used += h
    return pages


def pages_across(widths: list[float], repeat: int, room: float) -> list[int]:
    """The first column of every page after the first, when ``repeat`` columns are printed
    again on every page and a page holds ``room`` points of columns."""
    fixed = sum(widths[:repeat])
    breaks: list[int] = []
    used = 0.0
    for c, w in enumerate(widths):
        if used and used + w > room:
            breaks.append(c)
            used = fixed
        used += w
    return breaks


def narrow_to_fit(s: Sheet, t: Tally, narrowest: dict[int, float]) -> None:
    """A sheet a little too wide for one page at a readable scale: its columns of wrapped
    text are made narrower (never below their widest word, nor below 55 % of their width),
    so that it fits one page wide at 80 % (or at the lowest readable scale)."""
    ws = s.ws
    if ws.fit_page or ws.print_scale != 100 or not s.cells or not narrowest or ws.charts:
        return
    last = max(t.cols)
    widths = {c: column_points(s, c) for c in range(last + 1)}
    total = sum(widths.values())
    room = printable_width(not ws.orientation)
    lowest = lowest_scale(s, t)
    if room / total * 100 >= lowest:
        return
    floor = {
        c: PT_PER_UNIT * max(w, 0.55 * column_width(s, c)) + PT_PAD
        for c, w in narrowest.items()
        if c in widths and widths[c] > 0
    }
    slack = sum(widths[c] - floor[c] for c in floor if widths[c] > floor[c])
    for scale in (max(80, lowest), lowest):
        excess = total - room * 100 / scale
        if 0 < excess <= slack:
            ratio = excess / slack
            for c, f in floor.items():
                if widths[c] > f:
                    points = widths[c] - (widths[c] - f) * ratio
                    set_width(s, c, (points - PT_PAD) / PT_PER_UNIT)
            return


def page_setup(s: Sheet, t: Tally, widest: dict[int, float] | None = None) -> bool:
    """Set the page layout; True when columns of wrapped text were widened to fill the pages
    across (their rows then need fitting again)."""
    ws = s.ws
    if ws.fit_page or ws.print_scale != 100 or not s.cells:
        return False
    last = max(t.cols)
    widths = [column_points(s, c) for c in range(last + 1)]
    total = max(sum(widths), charts_width(s))
    room = printable_width(not ws.orientation)
    lowest = lowest_scale(s, t)
    if total <= room:
        return False
    if ws.charts:  # a chart is not split across pages: the sheet is fitted to the width
        ws.fit_to_pages(1, 0)
        return False
    if room / total * 100 >= lowest:
        ws.fit_to_pages(1, 0)
        return False
    repeat = ws.panes[1] if ws.panes and ws.panes[1] else 1
    while repeat and sum(widths[:repeat]) > room * 0.4:  # the identifying columns, if they leave room
        repeat -= 1
    heights = row_points(s, t.last_row)
    repeated = re.search(r"\$(\d+):\$(\d+)$", ws.repeat_row_range or "")
    head = int(repeated.group(2)) if repeated else 0  # the rows 1..head print on every page (near enough)
    height = printable_height(not ws.orientation)
    best: tuple[int, int, list[int]] | None = None
    for scale in range(100, lowest - 1, -1):
        breaks = pages_across(widths, repeat, room * 100 / scale)
        pages = (len(breaks) + 1) * pages_down(heights, head, height * 100 / scale)
        if best is None or pages < best[0]:
            best = (pages, scale, breaks)
    assert best is not None
    _, scale, breaks = best
    ws.set_print_scale(scale)
    if repeat:
        ws.repeat_columns(0, repeat - 1)
    ws.set_v_pagebreaks(breaks)
    ws.print_across()
    return _fill_pages(s, widths, repeat, breaks, room * 100 / scale, widest or {})


def _fill_pages(
    s: Sheet, widths: list[float], repeat: int, breaks: list[int], room: float, widest: dict[int, float]
) -> bool:
    """On each page across, the room left over goes to its columns of wrapped text (up to
    their longest text): fewer lines, lower rows."""
    changed = False
    starts = [0, *breaks]
    ends = [*breaks, len(widths)]
    for page, (first, end) in enumerate(zip(starts, ends, strict=True)):
        used = sum(widths[first:end]) + (sum(widths[:repeat]) if page else 0.0)
        left = room - used - 2 * PT_PER_UNIT  # a margin
        wants = {c: PT_PER_UNIT * widest[c] + PT_PAD - widths[c] for c in range(first, end) if c in widest}
        wants = {c: w for c, w in wants.items() if w > 1}
        if left <= 0 or not wants:
            continue
        share = min(1.0, left / sum(wants.values()))  # each as much as it wants, or the same part of it
        for c, want in wants.items():
            set_width(s, c, column_width(s, c) + want * share / PT_PER_UNIT)
        changed = True
    return changed
