"""Exact money arithmetic: whole kroner as int, splits by largest remainder.

Every split in the allocation goes through :func:`largest_remainder` (or
:func:`split_amounts`, the same split without its explaining figures), so the
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
    ws = _fractions(weights)
    ints = _scaled(ws)
    weight_sum = sum(ints)
    if weight_sum == 0:
        return Split(total, unit, tuple(Share(n, w, Fraction(0), 0, 0) for n, w in ws), total)
    floors, bonus = _apportion(total, [n for n, _ in ws], ints, unit)
    shares = tuple(
        Share(name, w, Fraction(total * k, weight_sum), f * unit, (f + b) * unit)
        for (name, w), k, f, b in zip(ws, ints, floors, bonus, strict=True)
    )
    distributed = sum(s.amount for s in shares)
    held_back = total - distributed
    assert 0 <= held_back < unit, "largest remainder must leave less than one unit"
    assert distributed + held_back == total
    return Split(total, unit, shares, held_back)


def split_amounts(total: int, weights: Sequence[tuple[str, Fraction | int]], unit: int = 1) -> dict[str, int]:
    """``largest_remainder(total, weights, unit).amounts()``, without the figures that explain them."""
    _check_arguments(total, unit)
    ws = _fractions(weights)
    ints = _scaled(ws)
    if sum(ints) == 0:
        return {n: 0 for n, _ in ws}
    floors, bonus = _apportion(total, [n for n, _ in ws], ints, unit)
    return {n: (f + b) * unit for (n, _), f, b in zip(ws, floors, bonus, strict=True)}


def _fractions(weights: Sequence[tuple[str, Fraction | int]]) -> list[tuple[str, Fraction]]:
    ws = [(name, w if type(w) is Fraction else Fraction(w)) for name, w in weights]
    if any(w.numerator < 0 for _, w in ws):
        raise ValueError("weights must be >= 0")
    return ws


def _scaled(ws: list[tuple[str, Fraction]]) -> list[int]:
    """The weights as whole numbers in the same proportion: times their denominators' least common multiple."""
    scale = lcm(*(w.denominator for _, w in ws))
    return [w.numerator * (scale // w.denominator) for _, w in ws]


def _apportion(total: int, names: list[str], ints: list[int], unit: int) -> tuple[tuple[int, ...], list[int]]:
    """Each share floored to whole units, and the unit (0 or 1) handed out for the largest remainders."""
    per_unit = sum(ints) * unit  # exact share in units = total * ints[i] / per_unit
    floors, remainders = zip(*(divmod(total * k, per_unit) for k in ints), strict=True)
    order = sorted(range(len(ints)), key=lambda i: (-remainders[i], -ints[i], name_key(names[i]), names[i]))
    bonus = [0] * len(ints)
    for i in order[: total // unit - sum(floors)]:
        bonus[i] = 1
    return floors, bonus


def _check_arguments(total: int, unit: int) -> None:
    if not isinstance(total, int) or isinstance(total, bool):
        raise TypeError("total must be whole kroner (int)")
    if total < 0:
        raise ValueError("cannot split a negative amount")
    if unit < 1:
        raise ValueError("the rounding unit must be at least 1 kr")
