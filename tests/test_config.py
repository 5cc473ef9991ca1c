"""Strict configuration loading: each problem has its reason code and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from allocation.model.findings import ConfigError
from allocation.read.configuration import load_config

from .conftest import ROOT

HEAD = """
[run]
frame = 1_000_000
[inputs]
counts = "tall.xlsx"
"""


def codes(tmp_path: Path, body: str, head: str = HEAD) -> list[tuple[str, str]]:
    (tmp_path / "tall.xlsx").write_bytes(b"")
    path = tmp_path / "m.toml"
    path.write_text(head + body, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_config(path)
    for f in exc.value.findings:
        assert f.file == "m.toml" and f.message
    return [(f.code, f.cell) for f in exc.value.findings]


def test_bundled_configs_load() -> None:
    for name in ("trondelag.toml", "nordland.toml"):
        cfg = load_config(ROOT / "config" / name)
        assert cfg.pots


def test_unknown_key_suggests_the_closest(tmp_path) -> None:
    (tmp_path / "tall.xlsx").write_bytes(b"")
    p = tmp_path / "m.toml"
    p.write_text(
        HEAD + '[[pot]]\nname = "A"\namount = 1\n[[pot]]\nname = "B"\nrest = true\nspred = "key"\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError) as exc:
        load_config(p)
    (f,) = exc.value.findings
    assert f.code == "config.unknown_key" and "spread" in f.fix and f.cell == "pot «B».spred"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ('[[pot]]\nname = "A"\namount = -5\n', "config.negative"),
        ('[[pot]]\nname = "A"\namount = "400 000"\n', "config.type"),
        ('[[pot]]\nname = "A"\namount = 10.5\n', "config.not_whole"),
        ('[[pot]]\nname = "A"\npercent = 70\n[[pot]]\nname = "B"\npercent = 29.9\n', "config.percent_sum"),
        (
            '[[pot]]\nname = "A"\npercent = 70\n[[pot]]\nname = "B"\npercent = 40\n[[pot]]\nname="C"\nrest=true\n',
            "config.percent_sum",
        ),
        ('[[pot]]\nname = "A"\namount = 1\nparent = "Finnes ikke"\n', "config.unknown_parent"),
        ('[[pot]]\nname = "A"\namount = 1\n[[pot]]\nname = "a"\namount = 2\n', "config.duplicate_pot"),
        ('[[pot]]\nname = "A"\namount = 1\npercent = 5\n', "config.size_conflict"),
        ('[[pot]]\nname = "A"\nrest = true\nspread = "key"\n', "config.missing"),
        ('[[pot]]\nname = "A"\nrest = true\nspread = "key"\nkey = "finnes_ikke"\n', "config.unknown_count_key"),
        ('[[pot]]\nname = "A"\nrest = true\nspread = "tilfeldig"\n', "config.spread"),
        ('[[pot]]\nname = "A"\nrest = true\n[[pot]]\nname = "B"\nrest = true\n', "config.two_rests"),
        (
            '[[pot]]\nname = "A"\nrest = true\nrecipient = "X"\n[[pot]]\nname = "B"\nparent = "A"\nrest = true\n',
            "config.inner_leaf",
        ),
        (
            '[[pot]]\nname = "A"\nparent = "B"\nrest = true\n[[pot]]\nname = "B"\nparent = "A"\nrest = true\n',
            "config.cycle",
        ),
        ('[[pot]]\nname = "A"\namount = 1\nextra = { "X" = 5 }\n', "config.extra_without_flat"),
        ("", "config.no_pots"),
    ],
)
def test_config_problem_codes(tmp_path, body: str, code: str) -> None:
    assert code in [c for c, _ in codes(tmp_path, body)]


def test_missing_input_file_and_frame(tmp_path) -> None:
    found = codes(tmp_path, '[[pot]]\nname = "A"\nrest = true\n', head='[run]\n[inputs]\ncounts = "mangler.xlsx"\n')
    assert ("config.input_missing", "inputs.counts") in found
    assert ("config.no_frame", "run.frame") in found


def test_all_problems_reported_at_once(tmp_path) -> None:
    found = codes(tmp_path, '[[pot]]\nname = "A"\namount = -1\n[[pot]]\nname = "B"\npercent = "x"\nfoo = 1\n')
    assert {c for c, _ in found} >= {"config.negative", "config.type", "config.unknown_key"}


def test_toml_syntax_error(tmp_path) -> None:
    assert codes(tmp_path, "[[pot]\nname = A\n")[0][0] == "config.syntax"


def test_missing_config_file(tmp_path) -> None:
    with pytest.raises(ConfigError) as exc:
        load_config(tmp_path / "finnes-ikke.toml")
    assert exc.value.findings[0].code == "config.not_found"


def test_decimal_values_are_exact(tmp_path) -> None:
    (tmp_path / "tall.xlsx").write_bytes(b"")
    p = tmp_path / "m.toml"
    p.write_text(HEAD + '[[pot]]\nname = "A"\npercent = 12.5\n[[pot]]\nname = "B"\npercent = 87.5\n', encoding="utf-8")
    cfg = load_config(p)
    from fractions import Fraction

    assert [pot.percent for pot in cfg.pots] == [Fraction(25, 2), Fraction(175, 2)]


def test_toml_syntax_errors_in_norwegian_with_a_hint_that_fits(tmp_path, capsys) -> None:
    from allocation.cli import main

    base = (
        (ROOT / "config" / "trondelag.toml")
        .read_text(encoding="utf-8")
        .replace("../input_templates", str(ROOT / "input_templates"))
    )
    cases = [
        (base.replace("frame = 32_000_000", "frame = 32 000 000"), "32_000_000"),
        (base.replace("percent = 8\n", "percent = 8,5\n"), "8.5"),
        (base.replace("unit = 1 ", "unit = en ", 1), '"en"'),
    ]
    for i, (text, hint) in enumerate(cases):
        path = tmp_path / f"k{i}.toml"
        path.write_text(text, encoding="utf-8")
        assert main(["validate", str(path), "--out", str(tmp_path / f"funn{i}")]) == 2
        out = capsys.readouterr()
        printed = out.out + out.err
        assert "config.syntax" in printed and hint in printed and "linje" in printed, printed
        assert "Expected" not in printed and "Invalid" not in printed, printed
