"""Sheet «Sammendrag»: the run at a glance on one portrait A4 page.

The frame, the pot tree (nested pots indented under their parent), what each network gets,
what was held back and the reconciliation to 0 kr; with applications, the payout.
"""

from __future__ import annotations

from typing import Any

from ..model.result import Allocation, Grants
from ..pipeline import Prepared
from .book import Book, Sheet
from .summary_sheets import LEAF_NO
from .when import local_time

POT_FIRST_ROW = 9  # the first pot's row (0-based); Fordeling's formulas refer to the pots' amounts
FRAME_CELL = "$B$3"
TREE_STEP = 2  # indent levels per level of the pot tree
TWO_UP = 24  # more networks than this are listed two to a row


def one_portrait_page(s: Sheet) -> None:
    """A4 portrait, the whole sheet on one page."""
    s.ws.set_portrait()
    s.ws.set_paper(9)
    s.ws.fit_to_pages(1, 1)
    s.ws.set_margins(left=0.6, right=0.6, top=0.75, bottom=0.75)


def page_formats(book: Book) -> None:
    """The formats of the one-page sheets: «tree0», «tree1», … a pot's name indented by its depth
    (left-aligned, which LibreOffice needs to show an indent; top-level pots bold); «beside» and
    «beside_muted», text kept clear of the amount in the column before it."""
    base: dict[str, Any] = {"font_name": "Calibri", "font_size": 11, "valign": "top", "align": "left"}
    wanted: dict[str, dict[str, Any]] = {f"tree{d}": {"indent": TREE_STEP * d, "bold": not d} for d in range(6)}
    wanted["beside"] = {"indent": 1, "text_wrap": True}
    wanted["beside_muted"] = {"indent": 1, "italic": True, "font_color": "#595959"}
    wanted["head_amount"] = {"bold": True, "bg_color": "#DDE5F0", "bottom": 1, "text_wrap": True, "align": "right"}
    wanted["head_beside"] = {"bold": True, "bg_color": "#DDE5F0", "bottom": 1, "text_wrap": True, "indent": 1}
    for name, extra in wanted.items():
        if name not in book.formats:
            book.add_format(name, **{**base, **extra})


def header(s: Sheet, row: int, labels: list[str], amounts: set[int]) -> None:
    """Column headings; those over amounts right-aligned like the amounts, and a text heading
    right of an amount column kept clear of it."""
    for c, label in enumerate(labels):
        fmt = "head_amount" if c in amounts else ("head_beside" if c - 1 in amounts else "head")
        s.text(row, c, label, fmt)


def title_rows(s: Sheet, title: str, subtitle: str) -> None:
    """The title and, clear of it, the subtitle."""
    s.text(0, 0, title, "title")
    s.ws.set_row(0, 22)
    s.text(1, 0, subtitle, "muted_line")
    s.ws.set_row(1, 21)  # some air below the subtitle


def pot_refs(result: Allocation) -> dict[str, str]:
    """Where «Sammendrag» writes each pot's amount, for other sheets' formulas."""
    return {"pot:" + pot.name: f"Sammendrag!$B${POT_FIRST_ROW + i + 1}" for i, pot in enumerate(result.pots)}


def write_sammendrag(
    book: Book, s: Sheet, prepared: Prepared, result: Allocation, refs: dict[str, Any], rev: dict[str, Any]
) -> None:
    """The frame, every pot, what each network gets, the reconciliation to the krone and, with
    applications, the payout."""
    page_formats(book)
    one_portrait_page(s)
    s.widths([41, 13, 22, 13])
    subtitle = f"Forslag til samarbeidsforum, kjørt {local_time(rev['created'])}. Alle beløp i hele kroner."
    title_rows(s, f"Sammendrag – {result.name}", subtitle)
    s.text(2, 0, "Ramme", "bold")
    s.number(2, 1, result.frame)
    s.text(3, 0, "Vedtak for rammen", "bold")
    s.text(3, 1, prepared.config.frame_note, "muted_line")
    s.text(4, 0, "Avrundingsenhet", "bold")
    s.number(4, 1, result.unit)
    s.text(5, 0, "Antall nettverk", "bold")
    s.number(5, 1, len(result.networks), "int")
    row = _pot_rows(s, result)
    row = _network_rows(s, result, row + 2)
    row = reconciliation(s, result, row + 2, FRAME_CELL, sammendrag_sources(result, refs))
    if result.grants is not None:
        _payout(s, result.grants, refs, row + 2)


def _pot_rows(s: Sheet, result: Allocation) -> int:
    """One row per pot from POT_FIRST_ROW, in tree order, each name indented by its depth."""
    row = POT_FIRST_ROW - 2
    s.text(row, 0, "Rammen fordelt på potter", "sub")
    row += 1
    header(s, row, ["Pott", "Beløp", "Går til", "Holdt tilbake"], {1, 3})
    for pot in result.pots:
        row += 1
        s.text(row, 0, pot.name, f"tree{min(pot.depth, 5)}")
        s.number(row, 1, pot.amount)
        s.text(row, 2, (pot.recipient or pot.name) if pot.leaf == "recipient" else LEAF_NO[pot.leaf], "beside")
        s.number(row, 3, pot.held_back)
    return row


def _network_rows(s: Sheet, result: Allocation, row: int) -> int:
    """What each network gets: its frame and, with applications, what it is granted. Many
    networks are listed two to a row, so the page stays readable."""
    if len(result.networks) > TWO_UP:
        return _network_pairs(s, result, row)
    s.text(row, 0, "Til nettverkene", "sub")
    row += 1
    grants = result.grants
    header(s, row, ["Nettverk", "Ramme", *(["Tildelt"] if grants is not None else [])], {1, 2})
    first = row + 1
    for net in result.networks:
        row += 1
        s.text(row, 0, net)
        s.number(row, 1, result.network_frame(net))
        if grants is not None:
            s.number(row, 2, grants.networks[net].granted)
    row += 1
    s.text(row, 0, "Sum", "total")
    cols = [(1, sum(result.network_frame(n) for n in result.networks))]
    if grants is not None:
        cols.append((2, grants.total_granted()))
    for col, value in cols:
        letter = "BC"[col - 1]
        formula = f"=SUM({letter}{first + 1}:{letter}{row})" if row > first else "=0"
        s.formula(row, col, formula, value, "kr_bold")
    return row


def _network_pairs(s: Sheet, result: Allocation, row: int) -> int:
    """The networks in two halves side by side (columns A–B and C–D), each with what it gets."""
    grants = result.grants
    gets = {n: grants.networks[n].granted if grants else result.network_frame(n) for n in result.networks}
    label = "Tildelt" if grants is not None else "Ramme"
    s.text(row, 0, "Tildelt nettverkene" if grants is not None else "Til nettverkene", "sub")
    row += 1
    header(s, row, ["Nettverk", label, "Nettverk", label], {1, 3})
    nets = list(result.networks)
    half = -(-len(nets) // 2)
    first = row + 1
    for i, net in enumerate(nets):
        r, c = (first + i, 0) if i < half else (first + i - half, 2)
        s.text(r, c, net, "beside" if c else None)
        s.number(r, c + 1, gets[net])
    row = first + half
    s.text(row, 0, "Sum", "total")
    bottom = row  # 1-based number of the last listed row
    s.formula(row, 1, f"=SUM(B{first + 1}:B{bottom})+SUM(D{first + 1}:D{bottom})", sum(gets.values()), "kr_bold")
    return row


def sammendrag_sources(result: Allocation, refs: dict[str, Any]) -> list[tuple[str, str | None, int]]:
    """The reconciliation's lines on «Sammendrag»: label, the cell it refers to, the amount."""
    recipients = sum(a for _, a, _ in result.recipients)
    held = ("Holdt tilbake (under én avrundingsenhet)", None, result.held_back)
    to_recipients = ("Til navngitte mottakere («Avsetninger»)", refs["recipients_total"], recipients)
    if result.grants is None:
        networks = sum(result.network_frame(n) for n in result.networks)
        return [("Til nettverkene («Fordeling»)", refs["networks_total"], networks), to_recipients, held]
    g = result.grants
    return [
        ("Tildelt nettverkene («Fordeling»)", refs["granted_total"], g.total_granted()),
        to_recipients,
        ("Ikke tildelt: ramme uten søknad eller ubrukt, holdes tilbake", None, g.held_back),
        held,
    ]


def reconciliation(
    s: Sheet, result: Allocation, row: int, frame_cell: str, lines: list[tuple[str, str | None, int]]
) -> int:
    """«Avstemming»: what went where, summed, against the frame (difference 0); the last row.
    Amounts are in column B."""
    s.text(row, 0, "Avstemming", "sub")
    first = row + 1
    for label, ref, value in lines:
        row += 1
        s.text(row, 0, label, "wrap")
        if ref:
            s.formula(row, 1, f"={ref}", value)
        else:
            s.number(row, 1, value)
    total = sum(v for _, _, v in lines)
    row += 1
    s.text(row, 0, "Sum fordelt og holdt tilbake", "total")
    s.formula(row, 1, f"=SUM(B{first + 1}:B{row})", total, "kr_bold")
    sum_cell = f"B{row + 1}"
    row += 1
    s.text(row, 0, "Ramme", "bold")
    s.formula(row, 1, f"={frame_cell}", result.frame, "kr")
    row += 1
    s.text(row, 0, "Differanse (skal være 0)", "total")
    s.formula(row, 1, f"=B{row}-{sum_cell}", result.frame - total, "kr_ok")
    return row


def _payout(s: Sheet, g: Grants, refs: dict[str, Any], row: int) -> None:
    """«Utbetaling»: granted, deducted for money on fund, paid."""
    s.text(row, 0, "Utbetaling", "sub")
    row += 1
    s.text(row, 0, "Tildelt nettverkene", "wrap")
    s.formula(row, 1, f"={refs['granted_total']}", g.total_granted())
    row += 1
    s.text(
        row,
        0,
        "Trekk for ubenyttede midler på fond"
        + (" (trekkes fra utbetalingen)" if g.fund_rule == "deduct" else " (bare rapportert)"),
        "wrap",
    )
    s.number(row, 1, g.total_deducted())
    row += 1
    unspent = g.total_unspent_deducted()
    if unspent:  # [reports]: unspent money in the recipients' reports, deducted from this payment
        s.text(row, 0, "Trekk for ubrukte midler i rapportene («Tilbakebetaling»)", "wrap")
        s.number(row, 1, unspent)
        row += 1
    s.text(row, 0, "Utbetales («Utbetaling»)", "total")
    s.formula(row, 1, f"={refs['payments_total']}", g.total_granted() - g.total_deducted() - unspent, "kr_bold")
    row += 1
    policy = "omfordelt etter nøkkelen" if g.policy == "redistribute" else "holdt tilbake"
    s.text(row, 0, f"Ubrukt ramme er {policy}.", "muted_line")
