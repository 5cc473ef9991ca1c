"""Exact money arithmetic: whole kroner as int, splits by largest remainder.

Every split in the allocation goes through :func:`largest_remainder`, so the
parts of any split always add up to what was distributed, and whatever is
smaller than one rounding unit is returned as held back.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from ..model.names import name_key
from ..model.result import Share, Split


def largest_remainder(total: int, weights: Sequence[tuple[str, Fraction | int]], unit: int = 1) -> Split:
    """Split ``total`` kroner over named weights, in whole multiples of ``unit``.

    Exact share ``total * w_i / sum(w)``; each is floored to the unit; the whole
    units left are handed out one each in order of the largest fractional
    remainder; ties go to the larger weight, then to the name first in
    ``name_key`` order. What is smaller than one unit is held back. A split
    over weights that are all zero hands out nothing and holds back the total.
    """
    if not isinstance(total, int) or isinstance(total, bool):
        raise TypeError("total must be whole kroner (int)")
    if total < 0:
        raise ValueError("cannot split a negative amount")
    if unit < 1:
        raise ValueError("the rounding unit must be at least 1 kr")
    ws = [(name, Fraction(w)) for name, w in weights]
    if any(w < 0 for _, w in ws):
        raise ValueError("weights must be >= 0")
    weight_sum = sum((w for _, w in ws), Fraction(0))
    if weight_sum == 0:
        return Split(total, unit, tuple(Share(n, w, Fraction(0), 0, 0) for n, w in ws), total)

    units_total = total // unit
    exact = [total * w / weight_sum for _, w in ws]
    floors = [int((e / unit).__floor__()) for e in exact]
    left = units_total - sum(floors)
    order = sorted(
        range(len(ws)),
        key=lambda i: (-(exact[i] / unit - floors[i]), -ws[i][1], name_key(ws[i][0]), ws[i][0]),
    )
    bonus = [0] * len(ws)
    for i in order[:left]:
        bonus[i] = 1
    shares = tuple(
        Share(ws[i][0], ws[i][1], exact[i], floors[i] * unit, (floors[i] + bonus[i]) * unit) for i in range(len(ws))
    )
    distributed = sum(s.amount for s in shares)
    held_back = total - distributed
    assert 0 <= held_back < unit, "largest remainder must leave less than one unit"
    assert distributed + held_back == total
    return Split(total, unit, shares, held_back)
