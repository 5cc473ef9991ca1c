"""The allocation's sums and comparisons in integers agree with the same ones in Fractions."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from allocation.allocate.granting import _capped
from allocation.allocate.plan import key_weight
from allocation.model.config import Key

weights = st.one_of(
    st.integers(min_value=0, max_value=10**6).map(Fraction),
    st.fractions(min_value=0, max_value=10**4, max_denominator=1000),
)
columns = st.sampled_from(["barn", "elever", "vgs", "lærere"])


@given(
    terms=st.lists(st.tuples(columns, weights), min_size=1, max_size=5),
    counts=st.dictionaries(columns, st.integers(min_value=0, max_value=10**7)),
)
def test_key_weight_is_the_sum_of_its_terms(terms: list[tuple[str, Fraction]], counts: dict[str, int]) -> None:
    got = key_weight(Key("n", tuple(terms)), counts)
    assert type(got) is Fraction
    assert got == sum((w * counts.get(col, 0) for col, w in terms), Fraction(0))


def test_key_weight_with_counts_that_are_not_whole_numbers_sums_them_as_they_are() -> None:
    key = Key("n", (("barn", Fraction(1, 3)), ("elever", Fraction(2))))
    assert key_weight(key, {"barn": Fraction(3, 2), "elever": 4}) == Fraction(17, 2)


@given(
    pool=st.integers(min_value=1, max_value=10**9),
    needy=st.dictionaries(
        st.sampled_from([f"N{i}" for i in range(8)]),
        st.tuples(weights.filter(lambda w: w > 0), st.integers(min_value=1, max_value=10**9)),
        min_size=1,
    ),
)
def test_capped_is_the_fraction_comparison(pool: int, needy: dict[str, tuple[Fraction, int]]) -> None:
    ws = {n: w for n, (w, _) in needy.items()}
    lacking = {n: lack for n, (_, lack) in needy.items()}
    total = sum(ws.values(), Fraction(0))
    assert _capped(pool, ws, lacking) == {n for n in ws if Fraction(pool) * ws[n] / total >= lacking[n]}


def test_redistribution_weights_taken_from_the_pot_with_the_same_key_are_the_key_weights() -> None:
    from pathlib import Path

    from allocation.allocate.pots import _key_weights
    from allocation.pipeline import run

    prepared, result = run(Path(__file__).parent.parent / "config" / "trondelag-soknader.toml")
    key = prepared.config.applications.redistribution_key
    assert key is not None and any(p.key == key and p.name in result.key_values for p in result.pots)
    direct = {n: key_weight(key, prepared.counts.totals[n]) for n in prepared.counts.networks}
    assert _key_weights(result, prepared.counts, key) == direct
    assert list(_key_weights(result, prepared.counts, key)) == list(direct)
    assert _key_weights(result, prepared.counts, None) == {n: 0 for n in prepared.counts.networks}
