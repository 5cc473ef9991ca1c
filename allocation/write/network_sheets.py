"""Sheet «Per nettverk»: one block per network, for decision letters."""

from __future__ import annotations

from ..allocate.trace import pot_path
from ..model.formatting import format_kroner
from ..model.result import Allocation, PotResult
from .book import Sheet
from .payments import payment_lines


def write_per_network(s: Sheet, result: Allocation) -> None:
    """One block per network, ready to paste into a vedtak: what it gets, from which pots,
    the owner/UH split and the payment lines. A page break between networks."""
    s.widths([40, 18, 50])
    row = 0
    breaks = []
    parts = [(pot, _from(result, pot)) for pot in result.leaf_spread_pots()]  # the same for every network
    for net in result.networks:
        if row:
            breaks.append(row)
        s.text(row, 0, net, "title")
        s.text(row + 1, 0, result.name, "muted_line")
        row += 3
        s.header(row, ["Del", "Kroner", "Fra"])
        for pot, where_from in parts:
            amount = result.parts[net][pot.name]
            row += 1
            s.text(row, 0, pot.name, "wrap")
            s.number(row, 1, amount)
            s.text(row, 2, where_from, "wrap")
        row += 1
        s.text(row, 0, "Ramme for nettverket", "total")
        s.number(row, 1, result.network_frame(net), "kr_bold")
        if result.grants is not None:
            row = _grant_block(s, result, net, row + 2)
        row += 3
    s.ws.set_h_pagebreaks(breaks)


def _from(result: Allocation, pot: PotResult) -> str:
    """The column «Fra» of a part: the pots it came through, and the pot's basis."""
    path = " → ".join(step["pot"] for step in pot_path(result, pot))
    return f"{path} ({pot.basis})"


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
