"""Sheets «Sammendrag», «Avsetninger» and «Parametre»: the frame and every pot, set-asides, the model."""

from __future__ import annotations

from typing import Any

from ..model.config import Pot
from ..model.result import ROOT, Allocation, Grants
from ..pipeline import Prepared
from .book import Sheet
from .when import local_time

POT_FIRST_ROW = 10  # Sammendrag: the first pot's row (0-based); Fordeling's formulas refer to it


SIZE_NO = {
    "amount": "fast beløp",
    "percent": "prosent",
    "ratio": "forholdstall",
    "rest": "resten",
    "per_network": "per nettverk",
    "parameters": "fra parameterarbeidsboka",
}


def _goes_to(pot: Pot, has_children: bool) -> str:
    """Where a pot's money goes, in the same words on every sheet: a named recipient (a leaf
    with no other receiver goes to the recipient of its own name), the networks, or its
    sub-pots."""
    if pot.recipient:
        return pot.recipient
    if pot.spread == "key" or pot.key is not None:
        return LEAF_NO["key"] + (f" ({pot.key.describe()})" if pot.key is not None else "")
    if pot.spread:
        return LEAF_NO.get(pot.spread, pot.spread)
    return LEAF_NO[""] if has_children else pot.name


LEAF_NO = {
    "recipient": "navngitt mottaker",
    "key": "nettverk etter nøkkel",
    "flat": "nettverk, likt",
    "": "underpotter",
}


SOURCE_NO = {"config": "konfigurasjonen", "Avsetninger": "arket «Avsetninger»", "Ramme": "arket «Ramme»"}


def write_sammendrag(
    s: Sheet, prepared: Prepared, result: Allocation, refs: dict[str, Any], rev: dict[str, Any]
) -> None:
    """The frame, every pot, the reconciliation to the krone and, with applications, the payout."""
    s.widths([34, 16, 44, 14, 24, 44])
    s.text(0, 0, f"Fordeling av Kompetanseløftet – {result.name}", "title")
    s.text(1, 0, "Forslag til samarbeidsforum. Alle beløp i hele kroner.", "muted_line")
    facts = [
        ("Ramme", result.frame, "kr"),
        ("Avrundingsenhet", result.unit, "kr"),
        ("Antall nettverk", len(result.networks), "int"),
    ]
    for i, (label, value, fmt) in enumerate(facts):
        s.text(3 + i, 0, label, "bold")
        s.number(3 + i, 1, value, fmt)
    s.text(3, 2, prepared.config.frame_note, "muted")
    s.text(6, 0, "Kjørt", "bold")
    s.text(6, 1, local_time(rev["created"]))
    row = _pot_rows(s, result)
    row = _reconciliation(s, result, refs, row + 2, frame_cell="$B$4")
    if result.grants is not None:
        _payout(s, result.grants, refs, row + 2)
    s.ws.freeze_panes(0, 0)


def _pot_rows(s: Sheet, result: Allocation) -> int:
    """One row per pot from POT_FIRST_ROW (other sheets' formulas refer to them); the last row."""
    row = POT_FIRST_ROW - 2
    s.text(row, 0, "Potter", "sub")
    row += 1
    s.header(row, ["Pott", "Beløp", "Grunnlag", "Holdt tilbake", "Går til", "Vedtak"])
    s.ws.repeat_rows(row)
    for pot in result.pots:
        row += 1
        s.text(row, 0, pot.name, f"indent{min(pot.depth, 5)}")
        s.number(row, 1, pot.amount)
        s.text(row, 2, pot.basis, "wrap")
        s.number(row, 3, pot.held_back)
        s.text(row, 4, (pot.recipient or pot.name) if pot.leaf == "recipient" else LEAF_NO[pot.leaf], "wrap")
        s.text(row, 5, pot.note, "wrap")
    return row


def _reconciliation(s: Sheet, result: Allocation, refs: dict[str, Any], row: int, frame_cell: str) -> int:
    """«Avstemming»: what went where, summed, against the frame (difference 0); the last row."""
    s.text(row, 0, "Avstemming", "sub")
    row += 1
    s.header(row, ["Post", "Beløp"])
    recipients = (
        "Til navngitte mottakere (arket «Avsetninger»)",
        refs["recipients_total"],
        sum(a for _, a, _ in result.recipients),
    )
    rounding = ("Holdt tilbake (under én avrundingsenhet)", None, result.held_back)
    if result.grants is None:
        lines = [
            (
                "Til nettverkene (arket «Fordeling»)",
                refs["networks_total"],
                sum(result.network_frame(n) for n in result.networks),
            ),
            recipients,
            rounding,
        ]
    else:
        g = result.grants
        lines = [
            ("Tildelt nettverkene (arket «Fordeling»)", refs["granted_total"], g.total_granted()),
            recipients,
            ("Ikke tildelt: ramme uten søknad eller ubrukt, holdes tilbake", None, g.held_back),
            rounding,
        ]
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
    s.text(row, 0, "Utbetales (arket «Utbetaling»)", "total")
    s.formula(row, 1, f"={refs['payments_total']}", g.total_granted() - g.total_deducted(), "kr_bold")
    row += 1
    policy = "omfordelt etter nøkkelen" if g.policy == "redistribute" else "holdt tilbake"
    s.text(row, 0, f"Ubrukt ramme er {policy}.", "muted_line")


def write_avsetninger(s: Sheet, result: Allocation, refs: dict[str, Any]) -> None:
    heads = ["Pott", "Mottaker", "Beløp", "Grunnlag", "Vedtak"]
    s.header(0, heads)
    s.widths([30, 30, 16, 40, 50])
    s.ws.freeze_panes(1, 0)
    s.ws.repeat_rows(0)
    by_pot = {p.name: p for p in result.pots}
    for i, (recipient, amount, pot) in enumerate(result.recipients, start=1):
        s.text(i, 0, pot)
        s.text(i, 1, recipient)
        s.number(i, 2, amount)
        s.text(i, 3, by_pot[pot].basis, "wrap")
        s.text(i, 4, by_pot[pot].note, "wrap")
    last = len(result.recipients) + 1
    s.text(last, 0, "Sum", "total")
    total = sum(a for _, a, _ in result.recipients)
    s.formula(last, 2, f"=SUM(C2:C{last})" if last > 1 else "=0", total, "kr_bold")
    s.as_table("Avsetninger", last, heads)
    refs["recipients_total"] = f"Avsetninger!$C${last + 1}"


def write_parametre(s: Sheet, prepared: Prepared) -> None:
    cfg = prepared.config
    s.widths([28, 22, 18, 22, 34, 50, 24])
    s.text(0, 0, "Parametre slik de ble brukt", "title")
    rows = [
        ("Navn", cfg.name),
        ("Fylke", cfg.county),
        ("År", cfg.year or ""),
        ("Avrundingsenhet (kr)", cfg.unit),
        ("Ramme (kr)", cfg.frame),
        ("Vedtak for rammen", cfg.frame_note),
    ]
    for i, (label, value) in enumerate(rows, start=2):
        s.text(i, 0, label, "bold")
        if isinstance(value, int):
            s.number(i, 1, value, "kr" if "kr" in label else None)
        else:
            s.text(i, 1, value, "line")
    r = len(rows) + 3
    s.text(r, 0, "Potter", "sub")
    r += 1
    s.header(r, ["Pott", "Under", "Størrelse", "Verdi", "Fordeles til", "Vedtak", "Kilde"])
    for pot in cfg.pots:
        r += 1
        value = _pot_value(pot)
        leaf = _goes_to(pot, bool(cfg.children(pot.name)))
        for c, v in enumerate(
            [
                pot.name,
                pot.parent or ROOT,
                SIZE_NO.get(pot.size, pot.size),
                value,
                leaf,
                pot.note,
                SOURCE_NO.get(pot.source, pot.source),
            ]
        ):
            s.text(r, c, v, "wrap")
    if cfg.keys:
        r += 2
        s.text(r, 0, "Tellenøkler", "sub")
        r += 1
        s.header(r, ["Nøkkel", "Kolonner og vekter", "", "", "", "Vedtak"])
        for key in cfg.keys.values():
            r += 1
            s.text(r, 0, key.name)
            s.text(r, 1, key.describe(), "line")
            s.text(r, 5, key.note, "wrap")
    r += 2
    s.text(r, 0, f"Konfigurasjonsfilen {cfg.path.name}, ordrett", "sub")
    for line in cfg.raw_text.splitlines():
        r += 1
        s.text(r, 0, line, "mono")


def _pot_value(pot: Any) -> str:
    from ..model.formatting import format_fraction, format_kroner

    if pot.size == "amount" and pot.amount is not None:
        return f"{format_kroner(pot.amount)} kr"
    if pot.size == "percent" and pot.percent is not None:
        return f"{format_fraction(pot.percent)} %"
    if pot.size == "ratio" and pot.ratio is not None:
        return pot.ratio.describe()
    if pot.size == "per_network":
        base = f"{format_kroner(pot.per_network)} kr" if pot.per_network is not None else ""
        extra = "; ".join(f"{n}: +{format_kroner(a)} kr" for n, a in pot.extra)
        sheet = "; ".join(f"{n}: {format_kroner(a)} kr" for n, a, _ in pot.network_amounts)
        return "; ".join(x for x in (base, extra, sheet) if x)
    return ""
