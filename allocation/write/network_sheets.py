"""Sheets for reading and for decision letters: charts, and one block per network."""

from __future__ import annotations

from typing import Any

from ..allocate.trace import pot_path
from ..model.formatting import format_kroner
from ..model.result import ROOT, Allocation
from .book import Book, Sheet
from .payments import payment_lines
from .summary_sheets import POT_FIRST_ROW

PALETTE = ["#1F3864", "#2E75B6", "#9DC3E6", "#548235", "#A9D18E", "#C55A11", "#F4B183", "#7F7F7F", "#BF8F00"]


def write_charts(book: Book, s: Sheet, result: Allocation, refs: dict[str, Any]) -> None:
    """Native Excel charts: each network's frame stacked by part, and the frame split into pots."""
    s.text(0, 0, f"Diagrammer – {result.name}", "title")
    s.text(1, 0, "Tallene står i arkene «Fordeling» og «Sammendrag»; diagrammene følger dem.", "muted_line")
    n = len(result.networks)
    parts = refs.get("fordeling_parts", [])
    if n and parts:
        bar = book.wb.add_chart({"type": "bar", "subtype": "stacked"})
        for i, (name, c) in enumerate(parts):
            bar.add_series(
                {
                    "name": name,
                    "categories": ["Fordeling", 1, 0, n, 0],
                    "values": ["Fordeling", 1, c, n, c],
                    "fill": {"color": PALETTE[i % len(PALETTE)]},
                    "gap": 60,
                }
            )
        bar.set_title({"name": "Ramme per nettverk, fordelt på deler"})
        bar.set_x_axis({"num_format": "#,##0", "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
        bar.set_y_axis({"reverse": True})
        bar.set_legend({"position": "bottom"})
        bar.set_size({"width": 900, "height": max(320, 28 * n + 120)})
        s.ws.insert_chart(3, 0, bar)
    top = [(i, p) for i, p in enumerate(result.pots) if p.parent == ROOT]
    if top:
        pie = book.wb.add_chart({"type": "pie"})
        rows = [POT_FIRST_ROW + i for i, _ in top]
        first, last = min(rows), max(rows)
        pie.add_series(
            {
                "name": "Rammen fordelt på potter",
                "categories": ["Sammendrag", first, 0, last, 0],
                "values": ["Sammendrag", first, 1, last, 1],
                "data_labels": {"percentage": True, "category": True, "leader_lines": True},
                "points": [{"fill": {"color": PALETTE[i % len(PALETTE)]}} for i in range(last - first + 1)],
            }
        )
        pie.set_title({"name": "Rammen fordelt på potter (øverste nivå)"})
        pie.set_legend({"none": True})
        pie.set_size({"width": 640, "height": 420})
        pie_row = 3 + max(18, (28 * n + 160) // 20)
        s.ws.insert_chart(pie_row, 0, pie)
        s.ws.set_h_pagebreaks([pie_row - 1])


def write_per_network(s: Sheet, result: Allocation) -> None:
    """One block per network, ready to paste into a vedtak: what it gets, from which pots,
    the owner/UH split and the payment lines. A page break between networks."""
    s.widths([40, 18, 50])
    row = 0
    breaks = []
    for net in result.networks:
        if row:
            breaks.append(row)
        s.text(row, 0, net, "title")
        s.text(row + 1, 0, result.name, "muted_line")
        row += 3
        s.header(row, ["Del", "Kroner", "Fra"])
        for pot in result.leaf_spread_pots():
            amount = result.parts[net][pot.name]
            row += 1
            s.text(row, 0, pot.name, "wrap")
            s.number(row, 1, amount)
            path = " → ".join(step["pot"] for step in pot_path(result, pot))
            s.text(row, 2, f"{path} ({pot.basis})", "wrap")
        row += 1
        s.text(row, 0, "Ramme for nettverket", "total")
        s.number(row, 1, result.network_frame(net), "kr_bold")
        if result.grants is not None:
            row = _grant_block(s, result, net, row + 2)
        row += 3
    s.ws.set_h_pagebreaks(breaks)


def _grant_block(s: Sheet, result: Allocation, net: str, row: int) -> int:
    assert result.grants is not None
    g = result.grants.networks[net]
    s.text(row, 0, "Tildeling", "sub")
    lines = [
        ("Søkt år 1", g.requested),
        ("Tildelt innenfor rammen", g.base),
        ("Omfordelt", g.redistributed),
        ("Tildelt", g.granted),
        ("Tildelt eier", g.granted_owner),
        ("Tildelt UH", g.granted_uh),
    ]
    for label, value in lines:
        row += 1
        s.text(row, 0, label, "bold" if label == "Tildelt" else None)
        if value is None:
            s.text(row, 1, "ingen søknad", "muted_line")
        else:
            s.number(row, 1, value, "kr_bold" if label == "Tildelt" else "kr")
    for app in g.apps:
        for year, (req, commitment) in sorted(app.indicative.items()):
            row += 1
            s.text(row, 0, f"Tilsagn år {year} (veiledende, søkt {format_kroner(req)})")
            s.number(row, 1, commitment)
    payments = [line for app in g.apps for line in payment_lines(net, app)]
    unspent = sum(app.unspent_owner + app.unspent_uh for app in g.apps)
    if unspent:
        row += 1
        s.text(row, 0, "Trekk for ubrukte midler i rapporten (arket «Tilbakebetaling»)", "wrap")
        s.number(row, 1, -unspent)
    if payments:
        row += 2
        s.text(row, 0, "Utbetaling", "sub")
        for p in payments:
            row += 1
            s.text(row, 0, f"{p['role']}: {p['recipient']}, org.nr {p['orgnr']}", "wrap")
            s.number(row, 1, p["amount"])
            s.text(row, 2, f"konto {p['account']}, ref. {p['reference']}", "wrap")
    return row
