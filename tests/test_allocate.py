"""The allocation core against an independent calculation, and its invariants."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allocation.allocate.pots import allocate
from allocation.model.counts import Counts
from allocation.model.names import name_key
from allocation.read.configuration import load_config

COLS = ("Barn i barnehage", "Elever i grunnskolen", "Elever og lærlinger i vgs")


def reference_split(total: int, weights: dict[str, Fraction], unit: int) -> dict[str, int]:
    """Largest remainder written out plainly, independent of allocation.allocate.money."""
    wsum = sum(weights.values())
    if wsum == 0:
        return dict.fromkeys(weights, 0)
    exact = {n: Fraction(total) * w / wsum / unit for n, w in weights.items()}
    out = {n: int(e) for n, e in exact.items()}  # e >= 0, so int() floors
    left = total // unit - sum(out.values())
    by_name = sorted(weights, key=name_key)  # stable sorts: name ascending, then remainder and weight descending
    ranked = sorted(by_name, key=lambda n: (exact[n] - out[n], weights[n]), reverse=True)
    for n in ranked[:left]:
        out[n] += 1
    return {n: v * unit for n, v in out.items()}


def make_counts(networks: dict[str, tuple[int, int, int]]) -> Counts:
    ordered = sorted(networks, key=name_key)
    return Counts(
        "tall.xlsx", tuple(ordered), {n: dict(zip(COLS, networks[n], strict=True)) for n in ordered}, len(networks)
    )


def trondelag_like(
    tmp: Path, frame: int, unit: int, setaside: int, pct: int, flat: int, base: int, extra_net: str, extra: int
) -> Path:
    (tmp / "tall.xlsx").write_bytes(b"")
    path = tmp / "t.toml"
    path.write_text(
        f"""
[run]
frame = {frame}
unit = {unit}
[inputs]
counts = "tall.xlsx"
[keys.k]
columns = {{ "Barn i barnehage" = 1, "Elever i grunnskolen" = 1, "Elever og lærlinger i vgs" = 1 }}
[[pot]]
name = "Møter"
amount = {setaside}
[[pot]]
name = "Felles"
percent = {pct}
[[pot]]
name = "Koordinering"
per_network = {flat}
extra = {{ "{extra_net}" = {extra} }}
[[pot]]
name = "Grunntilskudd"
per_network = {base}
[[pot]]
name = "Nøkkel"
rest = true
spread = "key"
key = "k"
""",
        encoding="utf-8",
    )
    return path


def expected_trondelag(frame, unit, setaside, pct, flat, base, extra_net, extra, networks):
    felles = (
        reference_split(frame, {"Felles": Fraction(pct), "_": Fraction(100 - pct)}, unit)["Felles"]
        if pct < 100
        else frame // unit * unit
    )
    rest = frame - setaside - felles - (flat + base) * len(networks) - extra
    key = reference_split(rest, {n: Fraction(sum(v)) for n, v in networks.items()}, unit)
    return felles, rest, key


network_names = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøå /-", min_size=1, max_size=12).map(str.strip).filter(bool),
    min_size=1,
    max_size=12,
    unique_by=name_key,
)
count = st.integers(min_value=0, max_value=30_000)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    names=network_names,
    data=st.data(),
    unit=st.sampled_from([1, 1000, 100, 7]),
    frame=st.integers(min_value=10_000_000, max_value=80_000_000),
    pct=st.integers(min_value=0, max_value=20),
    setaside=st.integers(min_value=0, max_value=500_000),
)
def test_trondelag_model_matches_independent_calculation(tmp_path, names, data, unit, frame, pct, setaside) -> None:
    networks = {n: (data.draw(count), data.draw(count), data.draw(count)) for n in names}
    if sum(sum(v) for v in networks.values()) == 0:
        networks[names[0]] = (1, 0, 0)
    extra_net = names[-1]
    cfg = load_config(trondelag_like(tmp_path, frame, unit, setaside, pct, 100_000, 250_000, extra_net, 200_000))
    result = allocate(cfg, make_counts(networks))
    felles, rest, key = expected_trondelag(frame, unit, setaside, pct, 100_000, 250_000, extra_net, 200_000, networks)
    assert result.pot("Felles").amount == felles
    assert result.pot("Nøkkel").amount == rest
    for n in networks:
        assert result.parts[n]["Nøkkel"] == key[n]
        assert result.parts[n]["Koordinering"] == 100_000 + (200_000 if n == extra_net else 0)
        assert result.parts[n]["Grunntilskudd"] == 250_000
        assert result.parts[n]["Nøkkel"] % unit == 0
        assert all(v >= 0 for v in result.parts[n].values())
    paid = sum(result.network_frame(n) for n in networks) + sum(a for _, a in result.recipient_totals())
    assert paid + result.held_back == frame
    assert 0 <= result.held_back < 2 * unit  # at most one sub-unit rest per rounded split


NORDLAND = """
[run]
frame = {frame}
unit = {unit}
[inputs]
counts = "tall.xlsx"
[[pot]]
name = "Eiernettverket"
amount = 200000
[[pot]]
name = "Kommunal del"
ratio = {{ "Barn i barnehage" = 1, "Elever i grunnskolen" = 1 }}
[[pot]]
name = "Fylkeskommunal del"
ratio = {{ "Elever og lærlinger i vgs" = 1 }}
spread = "key"
key = {{ "Elever og lærlinger i vgs" = 1 }}
[[pot]]
name = "Barnehage"
parent = "Kommunal del"
ratio = {{ "Barn i barnehage" = 1 }}
[[pot]]
name = "Skole"
parent = "Kommunal del"
ratio = {{ "Elever i grunnskolen" = 1 }}
spread = "key"
key = {{ "Elever i grunnskolen" = 1 }}
[[pot]]
name = "Barnehagebaserte tiltak"
parent = "Barnehage"
percent = {pct}
spread = "key"
key = {{ "Barn i barnehage" = 1 }}
[[pot]]
name = "Særskilte tiltak"
parent = "Barnehage"
percent = {rest_pct}
"""


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    names=network_names,
    data=st.data(),
    unit=st.sampled_from([1, 1000, 500]),
    frame=st.integers(min_value=1_000_000, max_value=50_000_000),
    pct=st.integers(min_value=0, max_value=100),
)
def test_nordland_model_matches_independent_calculation(tmp_path, names, data, unit, frame, pct) -> None:
    networks = {n: (data.draw(count), data.draw(count), data.draw(count)) for n in names}
    tot = [sum(v[i] for v in networks.values()) for i in range(3)]
    if tot[0] == 0 or tot[1] == 0 or tot[2] == 0:
        networks[names[0]] = (networks[names[0]][0] + 1, networks[names[0]][1] + 1, networks[names[0]][2] + 1)
        tot = [sum(v[i] for v in networks.values()) for i in range(3)]
    (tmp_path / "tall.xlsx").write_bytes(b"")
    path = tmp_path / "n.toml"
    path.write_text(NORDLAND.format(frame=frame, unit=unit, pct=pct, rest_pct=100 - pct), encoding="utf-8")
    result = allocate(load_config(path), make_counts(networks))

    rest = frame - 200_000
    top = reference_split(rest, {"K": Fraction(tot[0] + tot[1]), "F": Fraction(tot[2])}, unit)
    kom = reference_split(top["K"], {"B": Fraction(tot[0]), "S": Fraction(tot[1])}, unit)
    bh = reference_split(kom["B"], {"T": Fraction(pct), "X": Fraction(100 - pct)}, unit)
    exp_f = reference_split(top["F"], {n: Fraction(v[2]) for n, v in networks.items()}, unit)
    exp_s = reference_split(kom["S"], {n: Fraction(v[1]) for n, v in networks.items()}, unit)
    exp_b = reference_split(bh["T"], {n: Fraction(v[0]) for n, v in networks.items()}, unit)
    assert result.pot("Kommunal del").amount == top["K"]
    assert result.pot("Barnehage").amount == kom["B"]
    assert dict(result.recipient_totals()) == {"Eiernettverket": 200_000, "Særskilte tiltak": bh["X"]}
    for n in networks:
        assert result.parts[n] == {
            "Barnehagebaserte tiltak": exp_b[n],
            "Skole": exp_s[n],
            "Fylkeskommunal del": exp_f[n],
        }
    paid = sum(result.network_frame(n) for n in networks) + sum(a for _, a in result.recipient_totals())
    assert paid + result.held_back == frame


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=network_names, data=st.data(), seed=st.randoms())
def test_same_result_when_rows_shuffled_or_names_recased(tmp_path, names, data, seed) -> None:
    networks = {n: (data.draw(count), data.draw(count), data.draw(count) + 1) for n in names}
    cfg = load_config(trondelag_like(tmp_path, 30_000_000, 1, 400_000, 8, 100_000, 250_000, names[0], 200_000))
    first = allocate(cfg, make_counts(networks))
    items = list(networks.items())
    seed.shuffle(items)
    recased = {(n.upper() if i % 2 else n.title()): v for i, (n, v) in enumerate(items)}
    cfg2 = load_config(trondelag_like(tmp_path, 30_000_000, 1, 400_000, 8, 100_000, 250_000, names[0].upper(), 200_000))
    second = allocate(cfg2, make_counts(recased))
    by_key = {name_key(n): first.network_frame(n) for n in first.networks}
    assert {name_key(n): second.network_frame(n) for n in second.networks} == by_key


def test_zero_counts_network_gets_only_flat_parts(tmp_path) -> None:
    cfg = load_config(trondelag_like(tmp_path, 10_000_000, 1000, 0, 0, 100_000, 0, "A", 0))
    result = allocate(cfg, make_counts({"A": (10, 0, 0), "B": (0, 0, 0), "C": (5, 5, 0)}))
    assert result.parts["B"]["Nøkkel"] == 0
    assert result.parts["B"]["Koordinering"] == 100_000
    assert result.parts["A"]["Nøkkel"] + result.parts["C"]["Nøkkel"] == result.pot("Nøkkel").amount


def test_ties_broken_by_name_in_allocation(tmp_path) -> None:
    # 9 700 000 - 0 left for the key: 3 equal networks, unit 1000 -> 9 700 units, 1 unit left: to "Alta".
    cfg = load_config(trondelag_like(tmp_path, 9_700_000, 1000, 0, 0, 0, 0, "Bø", 0))
    result = allocate(cfg, make_counts({"Bø": (1, 0, 0), "Alta": (1, 0, 0), "Ås": (1, 0, 0)}))
    assert {n: result.parts[n]["Nøkkel"] for n in result.networks} == {
        "Alta": 3_234_000,
        "Bø": 3_233_000,
        "Ås": 3_233_000,
    }


def test_frame_too_small_is_a_config_error(tmp_path) -> None:
    from allocation.model.findings import ConfigError

    cfg = load_config(trondelag_like(tmp_path, 1_000_000, 1, 400_000, 8, 100_000, 250_000, "A", 200_000))
    with pytest.raises(ConfigError) as exc:
        allocate(cfg, make_counts({"A": (1, 1, 1), "B": (1, 1, 1)}))
    assert [f.code for f in exc.value.findings] == ["config.frame_too_small"]


def test_money_no_pot_takes_is_a_config_error(tmp_path) -> None:
    from allocation.model.findings import ConfigError

    (tmp_path / "tall.xlsx").write_bytes(b"")
    path = tmp_path / "m.toml"
    body = (
        '[run]\nframe = 1_000_000\nunit = {unit}\n[inputs]\ncounts = "tall.xlsx"\n[[pot]]\nname = "A"\namount = {a}\n'
        '[[pot]]\nname = "B"\npercent = 50\nspread = "flat"\n'
    )
    path.write_text(body.format(unit=1, a=400_000), encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        allocate(load_config(path), make_counts({"A": (1, 1, 1)}))
    assert [f.code for f in exc.value.findings] == ["config.unassigned_rest"]
    # fixed + percentages that take the whole parent are fine
    path.write_text(body.format(unit=1, a=500_000), encoding="utf-8")
    result = allocate(load_config(path), make_counts({"A": (1, 1, 1), "B": (0, 0, 0)}))
    assert result.parts == {"A": {"B": 250_000}, "B": {"B": 250_000}} and result.held_back == 0
    # a rest below one unit is held back
    path.write_text(body.format(unit=1000, a=499_500), encoding="utf-8")
    result = allocate(load_config(path), make_counts({"A": (1, 1, 1)}))
    assert result.parts == {"A": {"B": 500_000}} and result.held_back == 500
