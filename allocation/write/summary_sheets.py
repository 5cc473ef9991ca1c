"""Sheets «Avsetninger» and «Parametre»: set-asides and the model as used («Sammendrag» is in summary_page)."""

from __future__ import annotations

from typing import Any

from ..model.config import Pot
from ..model.result import ROOT, Allocation
from ..pipeline import Prepared
from .book import Sheet

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
