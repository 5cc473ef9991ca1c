"""How a parent's amount is shared among its child pots, before any network sees it.

Fixed pots take their amounts, percentage pots their share by largest remainder,
and the rest goes to the ``rest`` pot or over the ``ratio`` pots by count totals.
Used by the walk (:mod:`.pots`) and by the rules judged before it (:mod:`.rules`).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import lcm

from ..model.config import Config, Key, Pot
from ..model.counts import Counts
from ..model.names import name_key
from ..model.result import Split
from .money import largest_remainder

_REST = "\x00rest"


def key_weight(key: Key, counts: dict[str, int]) -> Fraction:
    """The key's weighted sum of counts. With whole counts and rational weights (always, from the
    readers) summed over the weights' common denominator: one Fraction rather than one per term."""
    values = [counts.get(col, 0) for col, _ in key.weights]
    if not all(type(v) is int for v in values) or not all(type(w) in (Fraction, int) for _, w in key.weights):
        return sum((w * v for (_, w), v in zip(key.weights, values, strict=True)), Fraction(0))
    scale = lcm(*(w.denominator for _, w in key.weights))
    scaled = sum(w.numerator * (scale // w.denominator) * v for (_, w), v in zip(key.weights, values, strict=True))
    return Fraction(scaled, scale)


@dataclass
class ChildPlan:
    """How one parent's amount splits over its children, before any rule is judged.

    ``rest`` is what is left after the fixed and percentage pots (negative: the parent
    is too small); ``unassigned`` is whole units that no pot takes. The rule check and
    the walk both use this one computation."""

    fixed: dict[str, int]
    flat: dict[str, dict[str, int]]
    pct_split: Split | None
    pct_amounts: dict[str, int]
    rest: int
    ratio_split: Split | None
    ratio_amounts: dict[str, int]
    held: int
    unassigned: int

    def amount_of(self, pot: Pot) -> int:
        return self.fixed.get(pot.name, self.pct_amounts.get(pot.name, self.ratio_amounts.get(pot.name, 0)))


def flat_amounts(pot: Pot, networks: tuple[str, ...]) -> dict[str, int]:
    """Per-network amounts of a per_network pot: the sheet's value, else flat + extra."""
    sheet = {name_key(n): a for n, a, _ in pot.network_amounts}
    extra = {name_key(net): amt for net, amt in pot.extra}
    out = {}
    for n in networks:
        k = name_key(n)
        if k in sheet:
            out[n] = sheet[k]
        else:
            assert pot.per_network is not None, f"per_network pot {pot.name!r} without an amount"
            out[n] = pot.per_network + extra.get(k, 0)
    return out


def total_key(key: Key, counts: Counts) -> Fraction:
    return sum((key_weight(key, counts.totals[n]) for n in counts.networks), Fraction(0))


def plan_children(config: Config, counts: Counts, parent: str | None, amount: int) -> ChildPlan:
    """Split ``amount`` over the children of ``parent`` (None: the frame), one level only."""
    kids = config.children(parent)
    fixed: dict[str, int] = {}
    flat: dict[str, dict[str, int]] = {}
    for pot in kids:
        if pot.size == "amount":
            fixed[pot.name] = pot.amount or 0
        elif pot.size == "per_network":
            flat[pot.name] = flat_amounts(pot, counts.networks)
            fixed[pot.name] = sum(flat[pot.name].values())
    percent_pots = [p for p in kids if p.size == "percent"]
    pct_total = sum((p.percent or Fraction(0) for p in percent_pots), Fraction(0))
    weights: list[tuple[str, Fraction]] = [(p.name, p.percent or Fraction(0)) for p in percent_pots]
    if percent_pots and pct_total < 100:
        weights.append((_REST, 100 - pct_total))
    pct_split = largest_remainder(amount, weights, config.unit) if percent_pots else None
    pct_amounts = {n: a for n, a in (pct_split.amounts().items() if pct_split else []) if n != _REST}
    rest = amount - sum(fixed.values()) - sum(pct_amounts.values())
    left = max(rest, 0)
    rest_pots = [p for p in kids if p.size == "rest"]
    ratio_pots = [p for p in kids if p.size == "ratio"]
    ratio_amounts: dict[str, int] = {}
    ratio_split: Split | None = None
    held = unassigned = 0
    if rest_pots:
        ratio_amounts[rest_pots[0].name] = left
    elif ratio_pots:
        ratio_weights = [(p.name, total_key(p.ratio, counts)) for p in ratio_pots if p.ratio]
        ratio_split = largest_remainder(left, ratio_weights, config.unit)
        ratio_amounts = ratio_split.amounts()
        held += ratio_split.held_back
    elif left >= config.unit:
        unassigned = left
    else:
        held += left
    return ChildPlan(fixed, flat, pct_split, pct_amounts, rest, ratio_split, ratio_amounts, held, unassigned)
