"""Exact money arithmetic: whole kroner as int, splits by largest remainder.

Every split in the allocation goes through :func:`largest_remainder`, so the
parts of any split always add up to what was distributed, and whatever is
smaller than one rounding unit is returned as held back.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from math import lcm

from ..model.names import name_key
from ..model.result import Share, Split


def largest_remainder(total: int, weights: Sequence[tuple[str, Fraction | int]], unit: int = 1) -> Split:
    """Split ``total`` kroner over named weights, in whole multiples of ``unit``.

    Exact share ``total * w_i / sum(w)``; each is floored to the unit; the whole
    units left are handed out one each in order of the largest fractional
    remainder; ties go to the larger weight, then to the name first in
    ``name_key`` order. What is smaller than one unit is held back. A split
    over weights that are all zero hands out nothing and holds back the total.

    Computed in integers: the weights are scaled to whole numbers by the least
    common multiple of their denominators, which changes neither the shares nor
    the order of the remainders (they all have the same denominator).
    """
    _check_arguments(total, unit)
    ws = [(name, w if type(w) is Fraction else Fraction(w)) for name, w in weights]
    if any(w.numerator < 0 for _, w in ws):
        raise ValueError("weights must be >= 0")
    scale = lcm(*(w.denominator for _, w in ws))
    ints = [w.numerator * (scale // w.denominator) for _, w in ws]
    weight_sum = sum(ints)
    if weight_sum == 0:
        return Split(total, unit, tuple(Share(n, w, Fraction(0), 0, 0) for n, w in ws), total)

    per_unit = weight_sum * unit  # exact share in units = total * ints[i] / per_unit
    floors, remainders = zip(*(divmod(total * k, per_unit) for k in ints), strict=True)
    left = total // unit - sum(floors)
    order = sorted(range(len(ws)), key=lambda i: (-remainders[i], -ints[i], name_key(ws[i][0]), ws[i][0]))
    bonus = [0] * len(ws)
    for i in order[:left]:
        bonus[i] = 1
    shares = tuple(
        Share(name, w, Fraction(total * k, weight_sum), f * unit, (f + b) * unit)
        for (name, w), k, f, b in zip(ws, ints, floors, bonus, strict=True)
    )
    distributed = sum(s.amount for s in shares)
    held_back = total - distributed
    assert 0 <= held_back < unit, "largest remainder must leave less than one unit"
    assert distributed + held_back == total
    return Split(total, unit, shares, held_back)


def _check_arguments(total: int, unit: int) -> None:
    if not isinstance(total, int) or isinstance(total, bool):
        raise TypeError("total must be whole kroner (int)")
    if total < 0:
        raise ValueError("cannot split a negative amount")
    if unit < 1:
        raise ValueError("the rounding unit must be at least 1 kr")
