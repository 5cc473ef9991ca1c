"""Sheet «Vedtaksoversikt»: one portrait page for the forum's innstilling.

Every network and every named recipient with its amount, the sums, and the reconciliation to
the frame (difference 0 kr). The page adds up on its own: its sums are formulas over its rows.
"""

from __future__ import annotations

from ..model.formatting import format_kroner
from ..model.result import Allocation
from .book import Book, Sheet
from .summary_page import header, one_portrait_page, page_formats, reconciliation, title_rows

FRAME_CELL = "$B$4"


def write_decision_overview(book: Book, s: Sheet, result: Allocation) -> None:
    page_formats(book)
    one_portrait_page(s)
    s.widths([41, 14, 32])
    title_rows(s, f"Vedtaksoversikt – {result.name}", "Vedlegg til innstillingen. Alle beløp i hele kroner.")
    s.text(3, 0, "Ramme", "bold")
    s.number(3, 1, result.frame)
    g = result.grants
    row = 5
    s.text(row, 0, "Tildelt nettverkene" if g is not None else "Til nettverkene", "sub")
    row += 1
    header(s, row, ["Nettverk", "Beløp", *(["Søknad og ramme"] if g is not None else [])], {1})
    nets = []
    for net in result.networks:
        row += 1
        if g is None:
            amount, basis = result.network_frame(net), ""
        else:
            ng = g.networks[net]
            amount = ng.granted
            basis = (
                "ingen søknad"
                if ng.requested is None
                else f"søkt {format_kroner(ng.requested)}, ramme {format_kroner(ng.frame)}"
            )
        s.text(row, 0, net)
        s.number(row, 1, amount)
        s.text(row, 2, basis, "beside_muted")
        nets.append(amount)
    net_sum = _sum_row(s, row + 1, "Sum til nettverkene", row - len(nets) + 1, row, sum(nets))
    row += 3
    s.text(row, 0, "Navngitte mottakere", "sub")
    row += 1
    header(s, row, ["Mottaker", "Beløp", "Fra pott"], {1})
    for recipient, amount, pot in result.recipients:
        row += 1
        s.text(row, 0, recipient)
        s.number(row, 1, amount)
        s.text(row, 2, pot, "beside_muted")
    count = len(result.recipients)
    recipients = sum(a for _, a, _ in result.recipients)
    rec_sum = _sum_row(s, row + 1, "Sum til navngitte mottakere", row - count + 1, row, recipients)
    lines: list[tuple[str, str | None, int]] = [
        ("Tildelt nettverkene" if g is not None else "Til nettverkene", net_sum, sum(nets)),
        ("Til navngitte mottakere", rec_sum, recipients),
    ]
    if g is not None:
        lines.append(("Ikke tildelt: ramme uten søknad eller ubrukt, holdes tilbake", None, g.held_back))
    lines.append(("Holdt tilbake (under én avrundingsenhet)", None, result.held_back))
    reconciliation(s, result, row + 3, FRAME_CELL, lines)


def _sum_row(s: Sheet, row: int, label: str, first: int, last: int, value: int) -> str:
    """A bold sum of column B over rows ``first``..``last`` (0-based) at ``row``; its A1 cell."""
    s.text(row, 0, label, "total")
    s.formula(row, 1, f"=SUM(B{first + 1}:B{last + 1})" if last >= first else "=0", value, "kr_bold")
    return f"$B${row + 1}"
