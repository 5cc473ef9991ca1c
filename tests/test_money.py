"""Largest remainder: conservation, units, ties, as properties and by hand."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allocation.allocate.money import largest_remainder, split_amounts
from allocation.model.names import name_key
from allocation.model.result import Share, Split

weights = st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=30)
units = st.sampled_from([1, 10, 100, 1000, 7])


@given(total=st.integers(min_value=0, max_value=10**10), ws=weights, unit=units)
def test_conservation_units_and_bounds(total: int, ws: list[int], unit: int) -> None:
    split = largest_remainder(total, [(f"n{i}", w) for i, w in enumerate(ws)], unit)
    amounts = [s.amount for s in split.shares]
    assert sum(amounts) + split.held_back == total
    assert all(a >= 0 and a % unit == 0 for a in amounts)
    if sum(ws) > 0:
        assert 0 <= split.held_back < unit
        for s in split.shares:  # never more than one unit away from the exact share
            assert s.exact - unit < s.amount <= s.exact + unit
            assert all(isinstance(x, int) for x in (s.amount, s.floor))
    else:
        assert split.held_back == total


@given(total=st.integers(min_value=0, max_value=10**9), ws=weights, seed=st.randoms())
def test_order_of_participants_does_not_matter(total: int, ws: list[int], seed) -> None:
    named = [(f"Nettverk {i}", w) for i, w in enumerate(ws)]
    shuffled = named[:]
    seed.shuffle(shuffled)
    assert largest_remainder(total, named).amounts() == largest_remainder(total, shuffled).amounts()


def test_ties_go_to_larger_weight_then_name() -> None:
    # 10 kr over weights 1,1,1: exact 3.33 each; one krone left, tie on remainder and weight -> name order.
    split = largest_remainder(10, [("Bø", 1), ("Alta", 1), ("Ås", 1)])
    assert split.amounts() == {"Bø": 3, "Alta": 4, "Ås": 3}
    # equal remainders (0.5) but different weights: the larger weight wins.
    split = largest_remainder(3, [("A", 1), ("B", 3)], 1)  # exact 0.75 and 2.25 -> 1, 2
    assert split.amounts() == {"A": 1, "B": 2}
    split = largest_remainder(2, [("A", 1), ("B", 3)], 1)  # exact 0.5 and 1.5 -> tie on .5; B larger weight
    assert split.amounts() == {"A": 0, "B": 2}


def test_tie_break_uses_casefolded_nfc_names() -> None:
    nfd = "A\u030alesund"  # Ålesund written with a combining ring
    assert name_key(nfd) == name_key("ålesund")
    split = largest_remainder(1, [("bodø", 1), ("Alta", 1)])
    assert split.amounts() == {"bodø": 0, "Alta": 1}
    split = largest_remainder(1, [("alta", 1), ("Bodø", 1)])
    assert split.amounts() == {"alta": 1, "Bodø": 0}


def test_unit_holds_back_sub_unit_rest() -> None:
    split = largest_remainder(10_500, [("A", 1), ("B", 1)], 1000)
    assert split.amounts() == {"A": 5000, "B": 5000}
    assert split.held_back == 500
    split = largest_remainder(11_000, [("A", 1), ("B", 1)], 1000)
    assert split.amounts() == {"A": 6000, "B": 5000}  # tie -> name order


def test_fractional_weights_are_exact() -> None:
    split = largest_remainder(100, [("A", Fraction(1, 3)), ("B", Fraction(2, 3))])
    assert split.amounts() == {"A": 33, "B": 67}


@pytest.mark.parametrize("bad", [-1, 1.5])
def test_rejects_negative_or_float_totals(bad) -> None:
    with pytest.raises((ValueError, TypeError)):
        largest_remainder(bad, [("A", 1)])


def _reference_split(total: int, weights: list[tuple[str, Fraction | int]], unit: int) -> Split:
    """The earlier implementation in Fractions, kept to check the integer one against."""
    ws = [(name, Fraction(w)) for name, w in weights]
    weight_sum = sum((w for _, w in ws), Fraction(0))
    if weight_sum == 0:
        return Split(total, unit, tuple(Share(n, w, Fraction(0), 0, 0) for n, w in ws), total)
    exact = [total * w / weight_sum for _, w in ws]
    floors = [int((e / unit).__floor__()) for e in exact]
    order = sorted(
        range(len(ws)),
        key=lambda i: (-(exact[i] / unit - floors[i]), -ws[i][1], name_key(ws[i][0]), ws[i][0]),
    )
    bonus = [0] * len(ws)
    for i in order[: total // unit - sum(floors)]:
        bonus[i] = 1
    shares = tuple(
        Share(ws[i][0], ws[i][1], exact[i], floors[i] * unit, (floors[i] + bonus[i]) * unit) for i in range(len(ws))
    )
    return Split(total, unit, shares, total - sum(s.amount for s in shares))


any_weight = st.one_of(
    st.integers(min_value=0, max_value=5),  # few values: many ties
    st.integers(min_value=0, max_value=10**12),
    st.fractions(min_value=0, max_value=10**6, max_denominator=1000),
    st.fractions(min_value=0, max_value=3, max_denominator=7),
)
names = st.sampled_from(["Alta", "alta", "Bø", "Ås", "A\u030alesund", "ålesund", "Namdal", "Fosen"])


@given(
    total=st.one_of(st.integers(min_value=0, max_value=50), st.integers(min_value=0, max_value=10**12)),
    named=st.lists(st.tuples(names, any_weight), max_size=12),
    unit=units,
)
def test_integer_split_agrees_with_the_fraction_split(
    total: int, named: list[tuple[str, Fraction | int]], unit: int
) -> None:
    new, old = largest_remainder(total, named, unit), _reference_split(total, named, unit)
    assert new == old
    assert [(type(s.weight), type(s.exact), type(s.floor), type(s.amount)) for s in new.shares] == [
        (type(s.weight), type(s.exact), type(s.floor), type(s.amount)) for s in old.shares
    ]


@given(
    total=st.integers(min_value=0, max_value=10**10),
    named=st.lists(st.tuples(names, any_weight), max_size=12),
    unit=units,
)
def test_split_amounts_are_the_largest_remainder_amounts(
    total: int, named: list[tuple[str, Fraction | int]], unit: int
) -> None:
    assert split_amounts(total, named, unit) == largest_remainder(total, named, unit).amounts()
