"""The sheet «Tilbakebetaling»: the recipients' reports on an earlier decision, what was unspent,
what was deducted from this year's payment and what is claimed back."""

from __future__ import annotations

from ..model.reports import ReportsOutcome
from .book import Sheet

HEADS = [
    "Nettverk",
    "Rapport (fil)",
    "Levert",
    "Tildelt eier",
    "Tildelt UH",
    "Brukt eier",
    "Brukt UH",
    "Ubrukt",
    "Trukket i årets utbetaling",
    "Krav om tilbakebetaling",
]
CLAIM_HEADS = ["Mottaker", "Rolle", "Nettverk", "Beløp", "Grunnlag"]


def write_tilbakebetaling(s: Sheet, outcome: ReportsOutcome) -> None:
    rules = outcome.rules
    rule = "trekkes fra årets utbetaling" if rules.unspent == "deduct" else "kreves tilbakebetalt"
    s.widths([28, 28, 12, 14, 14, 14, 14, 14, 16, 16])
    s.text(0, 0, f"Rapporter på vedtaket «{outcome.decision.name}»", "title")
    s.text(
        1,
        0,
        f"Ubrukte midler over {rules.unspent_threshold:,} kr per nettverk {rule}".replace(",", " ")
        + (f"; frist for rapport {rules.deadline:%d.%m.%Y}." if rules.deadline else ".")
        + (f" {rules.note}" if rules.note else ""),
        "muted_line",
    )
    s.header(3, HEADS)
    unspent = {u.network: u for u in outcome.unspent}
    row = 3
    for rep in sorted(outcome.reports, key=lambda r: r.network):
        row += 1
        g = outcome.decision.granted[rep.network]
        u = unspent.get(rep.network)
        s.text(row, 0, rep.network)
        s.text(row, 1, rep.file)
        s.text(row, 2, rep.submitted.strftime("%d.%m.%Y") if rep.submitted else "")
        values = [g.owner, g.uh, rep.used_owner, rep.used_uh]
        values += [u.unspent_owner + u.unspent_uh, u.deducted_owner + u.deducted_uh] if u else [0, 0]
        values += [u.claimed_owner + u.claimed_uh] if u else [0]
        for i, v in enumerate(values):
            s.number(row, 3 + i, v)
    total = row + 1
    s.text(total, 0, "Sum", "total")
    for c in range(3, 10):
        col = chr(ord("A") + c)
        cached = _column_total(outcome, c)
        s.formula(total, c, f"=SUM({col}5:{col}{total})" if row > 3 else "=0", cached, "kr_bold")
    row = total + 2
    s.text(row, 0, "Krav om tilbakebetaling", "sub")
    row += 1
    s.header(row, CLAIM_HEADS)
    first = row + 1
    for claim in outcome.claims:
        row += 1
        s.text(row, 0, claim.recipient)
        s.text(row, 1, claim.role)
        s.text(row, 2, claim.network)
        s.number(row, 3, claim.amount)
        s.text(row, 4, claim.reason, "wrap")
    row += 1
    s.text(row, 0, "Sum krav", "total")
    formula = f"=SUM(D{first + 1}:D{row})" if outcome.claims else "=0"
    s.formula(row, 3, formula, outcome.total_claimed(), "kr_bold")
    if not outcome.claims:
        s.text(row + 1, 0, "Ingen krav om tilbakebetaling.", "muted_line")


def _column_total(outcome: ReportsOutcome, c: int) -> int:
    unspent = {u.network: u for u in outcome.unspent}
    total = 0
    for rep in outcome.reports:
        g = outcome.decision.granted[rep.network]
        u = unspent.get(rep.network)
        extra = (
            [u.unspent_owner + u.unspent_uh, u.deducted_owner + u.deducted_uh, u.claimed_owner + u.claimed_uh]
            if u
            else [0, 0, 0]
        )
        total += [g.owner, g.uh, rep.used_owner, rep.used_uh, *extra][c - 3]
    return total
