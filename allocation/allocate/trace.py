"""The trace: for every network, the path of every krone — pot, split, share, rounding —
with the parameter and its decision note. Pure; used by the manifest and sheet Sporing."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ..model.formatting import format_fraction
from ..model.result import ROOT, Allocation, PotResult


def decimal_text(value: Fraction, places: int = 4) -> str:
    """An exact fraction for the manifest: fixed decimals with a point (display only)."""
    return format_fraction(value, places, point=".", strip_zeros=False)


def pot_path(result: Allocation, pot: PotResult) -> list[dict[str, Any]]:
    """From the frame down to ``pot``: each step's name, amount and basis."""
    by_name = {p.name: p for p in result.pots}
    steps = []
    cur: PotResult | None = pot
    while cur is not None:
        steps.append({"pot": cur.name, "amount": cur.amount, "basis": cur.basis, "note": cur.note})
        cur = by_name.get(cur.parent) if cur.parent != ROOT else None
    steps.append({"pot": ROOT, "amount": result.frame, "basis": "rammen", "note": ""})
    return list(reversed(steps))


def network_trace(result: Allocation) -> dict[str, list[dict[str, Any]]]:
    """Per network, one entry per part: the pots from the frame down (their amounts, bases and
    notes are in the manifest's ``pots``), the split, the exact share and the rounding."""
    out: dict[str, list[dict[str, Any]]] = {n: [] for n in result.networks}
    for pot in result.leaf_spread_pots():
        path = [step["pot"] for step in pot_path(result, pot)]
        total = sum((s.weight for s in pot.shares), Fraction(0))
        how = (
            f"nøkkel: {pot.key.describe()}"
            if pot.leaf == "key" and pot.key
            else ("fast beløp per nettverk" if pot.size == "per_network" else "likt per nettverk")
        )
        for share in pot.shares:
            out[share.name].append(
                {
                    "pot": pot.name,
                    "path": path,
                    "distribution": how,
                    "weight": decimal_text(share.weight) if pot.size != "per_network" else None,
                    "total_weight": decimal_text(total) if pot.size != "per_network" else None,
                    "exact": decimal_text(share.exact),
                    "floor": share.floor,
                    "rounding": share.rounding,
                    "amount": share.amount,
                    "note": pot.note,
                }
            )
    return out
