"""Sheet «Diagrammer»: each chart beside its own small table holding exactly what its title says.

A chart reads only its own table, so it can never pick up rows it does not mean (a nested pot
in a chart of the top-level pots); a pie's slices add up to the total its table states.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell

from ..model.result import ROOT, Allocation
from .book import Book, Sheet
from .summary_page import header, page_formats, title_rows

PALETTE = ["#1F3864", "#2E75B6", "#9DC3E6", "#548235", "#A9D18E", "#C55A11", "#F4B183", "#7F7F7F", "#BF8F00"]
POTS_TITLE = "Rammen fordelt på potter (øverste nivå)"
NETWORKS_TITLE = "Ramme per nettverk, fordelt på deler"
NAME_WIDTH, AMOUNT_WIDTH = 22, 12
ROW_PX = 20  # a row of 15 pt
NETWORKS_PER_CHART = 11  # a table and its chart of this many networks fill one landscape page
PAGE_ROWS = 32  # rows of 15 pt on a landscape A4 page printed at 100 % (measured in LibreOffice)


@dataclass(frozen=True)
class ChartBlock:
    """A chart's data: categories (rows) and series (columns) of whole kroner, and its total."""

    title: str
    head: str  # the heading of the category column
    categories: list[str]
    series: list[tuple[str, list[int]]]
    total_label: str
    total: int


def pot_block(result: Allocation) -> ChartBlock:
    """The top-level pots and, when the root split held some kroner back, that remainder: the
    slices add up to the frame."""
    top = [p for p in result.pots if p.parent == ROOT]
    names = [p.name for p in top]
    amounts = [p.amount for p in top]
    if result.root_held_back:
        names.append("Holdt tilbake (under én avrundingsenhet)")
        amounts.append(result.root_held_back)
    assert sum(amounts) == result.frame
    return ChartBlock(POTS_TITLE, "Pott", names, [("Beløp", amounts)], "Sum = rammen", result.frame)


def network_blocks(result: Allocation) -> list[ChartBlock]:
    """Each network's frame by part (the spread leaf pots). Up to NETWORKS_PER_CHART networks in
    one chart, so every network is named; more are shared evenly over several charts, each with
    its own title saying which networks it shows."""
    parts = result.leaf_spread_pots()
    nets = list(result.networks)
    charts = -(-len(nets) // NETWORKS_PER_CHART)
    size = -(-len(nets) // charts)
    blocks = []
    for start in range(0, len(nets), size):
        chunk = nets[start : start + size]
        series = [(p.name, [result.parts[n][p.name] for n in chunk]) for p in parts]
        total = sum(result.network_frame(n) for n in chunk)
        if charts == 1:
            blocks.append(ChartBlock(NETWORKS_TITLE, "Nettverk", chunk, series, "Sum til nettverkene", total))
            continue
        which = f"nettverk {start + 1}–{start + len(chunk)} av {len(nets)}"
        title = f"{NETWORKS_TITLE} ({which})"
        blocks.append(
            ChartBlock(title, "Nettverk", chunk, series, f"Sum, nettverk {start + 1}–{start + len(chunk)}", total)
        )
    return blocks


def write_charts(book: Book, s: Sheet, result: Allocation) -> None:
    """The pie of the top-level pots beside its table, then the table of each network's frame by
    part with its bars below. A page break keeps every chart whole on one page."""
    title_rows(
        s,
        f"Diagrammer – {result.name}",
        "Hvert diagram viser tallene i tabellen ved siden av eller over; de er de samme som i «Sammendrag».",
    )
    blocks = [pot_block(result)]
    if result.networks and result.leaf_spread_pots():
        blocks += network_blocks(result)
    page_formats(book)
    s.widths(_widths(blocks))
    if "pct" not in book.formats:
        book.add_format("pct", num_format="0.0 %")
    row, used, breaks = 3, 3, []
    for block in blocks:
        pie = len(block.series) == 1
        chart_rows = 1 + _height(block) // ROW_PX
        table_rows = len(block.categories) + 4  # title, a heading of two lines, the rows, the sum
        if used + (max(table_rows, chart_rows) if pie else table_rows) > PAGE_ROWS and used > 3:
            breaks.append(row - 1)  # the block begins the next page
            used = 0
        last, chart, col = _block(book, s, block, row)
        if pie:
            s.ws.insert_chart(row, col, chart, {"x_offset": 15})
            used += max(table_rows, chart_rows) + 2
            row = max(last, row + chart_rows) + 2
            continue
        used = (used + table_rows + 1) % PAGE_ROWS  # the table, and a blank row before the chart
        row = last + 2
        if used + chart_rows > PAGE_ROWS:
            breaks.append(row - 1)
            used = 0
        s.ws.insert_chart(row, 0, chart)
        used += chart_rows + 2
        row += chart_rows + 2
    s.ws.set_h_pagebreaks(breaks)


def _step(largest: int) -> int:
    """A round step for the amount axis giving at most six labels, so they never run together."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if largest / (step * factor) <= 5:
                return step * factor
        step *= 10


def _widths(blocks: list[ChartBlock]) -> list[float]:
    """The name column, then amount columns wide enough for each heading's longest word."""
    longest = max(len(name) for block in blocks for name in block.categories)
    widths = [float(min(34, max(NAME_WIDTH, longest + 3)))]
    for block in blocks:
        heads = [name for name, _ in block.series] + ["Ramme for nettverket"]
        for c, head in enumerate(heads, start=1):
            need = max(AMOUNT_WIDTH, 2 + max(len(w) for w in head.split()))
            if c < len(widths):
                widths[c] = max(widths[c], need)
            else:
                widths.append(need)
    return widths


def _height(block: ChartBlock) -> int:
    """The chart's height in pixels."""
    if len(block.series) == 1:
        return 300
    return min((PAGE_ROWS - 2) * ROW_PX, max(260, 17 * len(block.categories) + 130))


def _block(book: Book, s: Sheet, block: ChartBlock, row: int) -> tuple[int, Any, int]:
    """The table from ``row``; its last row, its chart (reading only the table) and the first
    column right of the table."""
    pie = len(block.series) == 1
    s.text(row, 0, block.title, "sub")
    heads = [block.head, *(name for name, _ in block.series)]
    heads += ["Andel"] if pie else ["Ramme for nettverket"]
    header(s, row + 1, heads, set(range(1, len(heads))))
    # (the header row's height follows its wrapped lines: Sheet.finish)
    first = row + 2
    last = first + len(block.categories) - 1
    for i, name in enumerate(block.categories):
        r = first + i
        s.text(r, 0, name, "wrap")
        values = [v[i] for _, v in block.series]
        for c, v in enumerate(values, start=1):
            s.number(r, c, v)
        if pie:
            total_cell = xl_rowcol_to_cell(last + 1, 1, True, True)
            s.formula(r, 2, f"={xl_rowcol_to_cell(r, 1)}/{total_cell}", values[0] / block.total, "pct")
        else:
            left, right = xl_rowcol_to_cell(r, 1), xl_rowcol_to_cell(r, len(values))
            s.formula(r, len(values) + 1, f"=SUM({left}:{right})", sum(values))
    total_row = last + 1
    s.text(total_row, 0, block.total_label, "total")
    for c in range(1, len(heads) - (1 if pie else 0)):
        column = [v for _, v in block.series][c - 1] if c <= len(block.series) else None
        value = sum(column) if column is not None else block.total
        top, bottom = xl_rowcol_to_cell(first, c), xl_rowcol_to_cell(last, c)
        s.formula(total_row, c, f"=SUM({top}:{bottom})", value, "kr_bold")
    chart = book.wb.add_chart({"type": "pie"} if pie else {"type": "bar", "subtype": "stacked"})
    for k in range(len(block.series)):
        c = 1 + k
        spec: dict[str, object] = {
            "name": [s.name, row + 1, c],
            "categories": [s.name, first, 0, last, 0],
            "values": [s.name, first, c, last, c],
        }
        if pie:
            spec["data_labels"] = {
                "percentage": True,
                "category": False,
                "leader_lines": True,
                "position": "best_fit",
                "num_format": "0.0 %",
                "separator": "\n",
                "font": {"size": 10},
            }
            spec["points"] = [{"fill": {"color": PALETTE[i % len(PALETTE)]}} for i in range(len(block.categories))]
        else:
            spec["fill"] = {"color": PALETTE[k % len(PALETTE)]}
            spec["gap"] = 60
        chart.add_series(spec)
    chart.set_title({"name": block.title, "name_font": {"size": 12, "bold": True}})
    height = _height(block)
    if pie:
        chart.set_legend({"position": "right", "font": {"size": 10}})
    else:
        grid = {"visible": True, "line": {"color": "#D9D9D9"}}
        widest = max((sum(v[i] for _, v in block.series) for i in range(len(block.categories))), default=0)
        axis = {"num_format": "#,##0", "major_gridlines": grid, "num_font": {"size": 10}, "min": 0}
        chart.set_x_axis(axis | ({"major_unit": _step(widest)} if widest > 0 else {}))
        chart.set_y_axis({"reverse": True, "num_font": {"size": 10}, "interval_unit": 1})  # every network named
        chart.set_legend({"position": "bottom", "font": {"size": 10}})
    chart.set_size({"width": 440 if pie else 720, "height": height})
    return total_row, chart, len(heads)
