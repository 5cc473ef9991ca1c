"""Sheet «Fordeling»: one row per network, one column per part, with last year and the grants beside them."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell

from ..model.result import Allocation
from ..pipeline import Prepared
from .book import Sheet


def _num(value: Fraction | int) -> int | float:
    """A count key or rounding step for display: an int when whole (these are never results)."""
    f = Fraction(value)
    return int(f) if f.denominator == 1 else float(f)


def write_fordeling(s: Sheet, prepared: Prepared, result: Allocation, refs: dict[str, Any]) -> None:
    """One row per network. A key-spread part is a live formula: the network's key ÷ the
    total key × the pot, plus the largest-remainder rounding shown in its own column."""
    columns = [c for c in prepared.config.count_columns() if any(c in t for t in prepared.counts.totals.values())]
    leaves = result.leaf_spread_pots()
    n = len(result.networks)
    total_row = n + 1
    heads = ["Nettverk", *columns]
    totals: dict[int, tuple[int | float, str]] = {  # column -> (cached total, format)
        1 + j: (prepared.counts.total(col), "int_bold") for j, col in enumerate(columns)
    }
    part_cols: list[int] = []
    layout: list[tuple[Any, int | None, int | None]] = []  # pot, key column, rounding column
    for pot in leaves:
        live = pot.leaf == "key" and pot.name in result.key_values and sum(result.key_values[pot.name].values()) > 0
        if live:
            heads += [f"{pot.name}: nøkkel", f"{pot.name}: justering"]
            layout.append((pot, len(heads) - 2, len(heads) - 1))
            totals[len(heads) - 2] = (_num(sum((x.weight for x in pot.shares), Fraction(0))), "kr_bold")
            totals[len(heads) - 1] = (_num(sum((x.amount - x.exact for x in pot.shares), Fraction(0))), "dec_bold")
        else:
            layout.append((pot, None, None))
        heads.append(pot.name)
        part_cols.append(len(heads) - 1)
        totals[len(heads) - 1] = (sum(result.parts[x][pot.name] for x in result.networks), "kr_bold")
    heads.append("Ramme for nettverket")
    frame_col = len(heads) - 1
    totals[frame_col] = (sum(result.network_frame(x) for x in result.networks), "kr_bold")
    s.header(0, heads)
    s.widths([28, *[12] * (len(heads) - 2), 15])
    for _, key_col, adj_col in layout:  # the trace columns: narrow, grouped so a reader can fold them away
        if key_col is not None and adj_col is not None:
            s.ws.set_column(key_col, adj_col, 10, None, {"level": 1})
    s.ws.freeze_panes(1, 1)
    s.ws.repeat_rows(0)
    shares = {pot.name: {x.name: x for x in reversed(pot.shares)} for pot, key_col, _ in layout if key_col is not None}
    for i, net in enumerate(result.networks):
        r = 1 + i
        s.text(r, 0, net)
        for j, col in enumerate(columns):
            s.number(r, 1 + j, prepared.counts.totals[net].get(col, 0), "int")
        for (pot, key_col, adj_col), part_col in zip(layout, part_cols, strict=True):
            amount = result.parts[net][pot.name]
            if key_col is None or adj_col is None:
                s.number(r, part_col, amount)
                continue
            share = shares[pot.name][net]
            s.number(r, key_col, _num(share.weight), "num")
            s.number(r, adj_col, _num(amount - share.exact), "dec")
            key, total = xl_rowcol_to_cell(r, key_col), xl_rowcol_to_cell(total_row, key_col, True, False)
            adj = xl_rowcol_to_cell(r, adj_col)
            s.formula(r, part_col, f"=ROUND({key}/{total}*{refs['pot:' + pot.name]}+{adj},0)", amount)
        cells = "+".join(xl_rowcol_to_cell(r, c) for c in part_cols) or "0"
        s.formula(r, frame_col, f"={cells}", result.network_frame(net))
    s.text(total_row, 0, "Sum", "total")
    for c, (value, fmt) in totals.items():
        top, bottom = xl_rowcol_to_cell(1, c), xl_rowcol_to_cell(max(n, 1), c)
        s.formula(total_row, c, f"=SUM({top}:{bottom})", value, fmt)
    refs["fordeling_parts"] = [(pot.name, col) for (pot, _, _), col in zip(layout, part_cols, strict=True)]
    refs["networks_total"] = f"Fordeling!{xl_rowcol_to_cell(total_row, frame_col, True, True)}"
    next_col = frame_col + 1
    if prepared.previous is not None:
        _previous_columns(s, prepared, result, frame_col, total_row)
        heads += ["I fjor", "Endring"]
        next_col += 2
    if result.grants is not None:
        heads += _grant_columns(s, result, next_col, total_row, refs)
    s.as_table("Fordeling", total_row, heads)


def _previous_columns(s: Sheet, prepared: Prepared, result: Allocation, frame_col: int, total_row: int) -> None:
    """«I fjor» (last year's frame, or grant) and «Endring» beside this year's frame."""
    from ..model.names import name_key

    assert prepared.previous is not None
    last = {name_key(k): v for k, v in prepared.previous.items()}
    s.header(0, ["I fjor", "Endring"], frame_col + 1)
    s.ws.set_column(frame_col + 1, frame_col + 2, 15)
    s.ws.write_comment(0, frame_col + 1, f"Fra kjøringen «{prepared.previous_name}».")
    for i, net in enumerate(result.networks):
        r = 1 + i
        before = last.get(name_key(net))
        if before is None:
            s.text(r, frame_col + 1, "ny", "muted_line")
            continue
        s.number(r, frame_col + 1, before)
        now, was = xl_rowcol_to_cell(r, frame_col), xl_rowcol_to_cell(r, frame_col + 1)
        s.formula(r, frame_col + 2, f"={now}-{was}", result.network_frame(net) - before)
    n = len(result.networks)
    present = [x for x in result.networks if name_key(x) in last]
    sums = [sum(last[name_key(x)] for x in present), sum(result.network_frame(x) - last[name_key(x)] for x in present)]
    for k, value in enumerate(sums):
        col = frame_col + 1 + k
        top, bottom = xl_rowcol_to_cell(1, col), xl_rowcol_to_cell(max(n, 1), col)
        s.formula(total_row, col, f"=SUM({top}:{bottom})", value, "kr_bold")


def _grant_columns(s: Sheet, result: Allocation, first: int, total_row: int, refs: dict[str, Any]) -> list[str]:
    assert result.grants is not None
    heads = ["Søkt år 1", "Tildelt innenfor rammen", "Omfordelt", "Tildelt", "Tildelt eier", "Tildelt UH"]
    s.header(0, heads, first)
    for i in range(len(heads)):
        s.ws.set_column(first + i, first + i, 15)
    n = len(result.networks)
    for i, net in enumerate(result.networks):
        g = result.grants.networks[net]
        r = 1 + i
        if g.requested is None:
            s.text(r, first, "ingen søknad", "muted_line")
        else:
            s.number(r, first, g.requested)
        s.number(r, first + 1, g.base)
        s.number(r, first + 2, g.redistributed)
        b, c = xl_rowcol_to_cell(r, first + 1), xl_rowcol_to_cell(r, first + 2)
        s.formula(r, first + 3, f"={b}+{c}", g.granted)
        s.number(r, first + 4, g.granted_owner)
        s.number(r, first + 5, g.granted_uh)
    grants = list(result.grants.networks.values())
    sums = [
        sum(g.requested or 0 for g in grants),
        sum(g.base for g in grants),
        sum(g.redistributed for g in grants),
        result.grants.total_granted(),
        sum(g.granted_owner for g in grants),
        sum(g.granted_uh for g in grants),
    ]
    for i, value in enumerate(sums):
        top, bottom = xl_rowcol_to_cell(1, first + i), xl_rowcol_to_cell(max(n, 1), first + i)
        s.formula(total_row, first + i, f"=SUM({top}:{bottom})", value, "kr_bold")
    refs["granted_total"] = f"Fordeling!{xl_rowcol_to_cell(total_row, first + 3, True, True)}"
    return heads
