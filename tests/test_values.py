"""The value parser, table-driven: every form people type, and the unreadable ones."""

from __future__ import annotations

from fractions import Fraction

import pytest

from allocation.read.values import parse_amount, parse_percent

AMOUNTS = [
    ("1 580 500", 1_580_500, False),
    ("1580500", 1_580_500, False),
    ("1 580 500,-", 1_580_500, False),
    ("kr 1 580 500", 1_580_500, False),
    ("1\u00a0580\u00a0500", 1_580_500, False),
    ("1\u202f580\u202f500", 1_580_500, False),
    ("1000 000 (anslag)", 1_000_000, True),
    ("918 100", 918_100, False),
    ("145 767,-", 145_767, False),
    ("22 400 ( eier)", 22_400, False),
    ("1 580 500,00", 1_580_500, False),
    ("1.500.000", 1_500_000, False),
    (1580500, 1_580_500, False),
    (1580500.0, 1_580_500, False),
    ("NOK 200 000", 200_000, False),
    ("200 000 kr", 200_000, False),
    ("Eier: 400 000", 400_000, False),
    ("anslag 300 000", 300_000, True),
    (None, None, False),
    ("", None, False),
    ("-100", -100, False),
]


@pytest.mark.parametrize(("raw", "value", "estimate"), AMOUNTS)
def test_amounts(raw, value, estimate) -> None:
    p = parse_amount(raw)
    assert (p.value, p.estimate, p.problem) == (value, estimate, None)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("1.500", "tusen"),
        ("1 0OO 000", "bokstaven O"),
        ("1500,50", "hele kroner"),
        (1500.5, "hele kroner"),
        ("mange", "ikke et beløp"),
        (True, "sannhetsverdi"),
    ],
)
def test_unreadable_amounts(raw, fragment) -> None:
    p = parse_amount(raw)
    assert p.value is None and fragment in p.problem


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("30", 30),
        ("30 %", 30),
        ("30%", 30),
        ("0,3", 30),
        (0.3, 30),
        ("Eier: 30", 30),
        (10, 10),
        ("12,5", Fraction(25, 2)),
        ("0", 0),
        (None, None),
        ("100 %", 100),
    ],
)
def test_percents(raw, value) -> None:
    p = parse_percent(raw)
    assert p.problem is None and p.value == value


@pytest.mark.parametrize("raw", ["ti", "150", "-5", "30 prosent eller mer"])
def test_unreadable_percents(raw) -> None:
    assert parse_percent(raw).problem


def test_a_huge_value_found_is_kept_by_its_start_and_length() -> None:
    from allocation.model.findings import VALUE_MAX, Finding

    f = Finding("counts.not_whole_number", "error", "Ikke et tall.", value="9" * 5_000_000)
    assert f.value.startswith("9" * VALUE_MAX + "…")
    assert f.value.endswith("(5\u00a0000\u00a0000 tegn i alt)")
    assert len(f.value) < VALUE_MAX + 40
    small = Finding("counts.not_whole_number", "error", "Ikke et tall.", value="12 abc")
    assert small.value == "12 abc"
