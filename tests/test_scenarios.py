"""Scenarios: one run per declared alternative, each verifiable, and one side-by-side workbook."""

from __future__ import annotations

import json

import openpyxl
import pytest

from allocation.cli import main
from allocation.model.findings import ConfigError
from allocation.pipeline import run
from allocation.read.configuration import load_config

from .conftest import ROOT

SCENARIOS = """

[[scenario]]
name = "Grunntilskudd 300 000"
pots = { "Grunntilskudd" = { per_network = 300_000 } }

[[scenario]]
name = "Større ramme"
run = { frame = 33_000_000 }
pots = { "Fellestiltak" = { amount = 2_000_000 } }
note = "Dersom rammen øker"
"""


def config(tmp_path, extra: str = SCENARIOS):
    text = (ROOT / "config" / "trondelag.toml").read_text(encoding="utf-8")
    text = text.replace("../input_templates", (ROOT / "input_templates").as_posix())
    path = tmp_path / "modell.toml"
    path.write_text(text + extra, encoding="utf-8")
    return path


def test_scenario_values_are_applied(tmp_path) -> None:
    path = config(tmp_path)
    _, base = run(path)
    _, alt = run(path, scenario="Grunntilskudd 300 000")
    assert base.pot("Grunntilskudd").amount == 11 * 250_000
    assert alt.pot("Grunntilskudd").amount == 11 * 300_000
    assert alt.pot("Fordelingsnøkkel").amount == base.pot("Fordelingsnøkkel").amount - 11 * 50_000
    _, big = run(path, scenario="større ramme")
    assert big.frame == 33_000_000 and big.pot("Fellestiltak").amount == 2_000_000  # percent replaced by amount
    assert big.name.endswith("– Større ramme")


def test_run_writes_every_scenario_and_the_comparison(tmp_path) -> None:
    out = tmp_path / "k"
    assert main(["run", str(config(tmp_path)), "--out", str(out)]) == 0
    folders = sorted(p.name for p in tmp_path.iterdir() if p.is_dir())
    assert folders == ["k", "k-grunntilskudd-300-000", "k-storre-ramme"]
    for name in folders:
        assert main(["verify", str(tmp_path / name)]) == 0
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [s["name"] for s in m["scenarios"]] == ["Grunntilskudd 300 000", "Større ramme"]
    alt = json.loads((tmp_path / "k-grunntilskudd-300-000" / "manifest.json").read_text(encoding="utf-8"))
    assert alt["scenario"] == "Grunntilskudd 300 000"
    ws = openpyxl.load_workbook(out / "scenarier.xlsx", data_only=True)["Scenarier"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["Nettverk", "Grunnlag", "Grunntilskudd 300 000", "Endring: Grunntilskudd 300 000"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}
    base = {n["name"]: n["frame"] for n in m["networks"]}
    other = {n["name"]: n["frame"] for n in alt["networks"]}
    for net in base:
        assert rows[net][1] == base[net] and rows[net][2] == other[net] and rows[net][3] == other[net] - base[net]
    params = list(openpyxl.load_workbook(out / "scenarier.xlsx")["Parametre"].iter_rows(min_row=2, values_only=True))
    assert ("Større ramme", "Ramme (kr)", "33 000 000", "run.frame") in params


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ('\n[[scenario]]\nname = "X"\npots = { "Grunntilskot" = { per_network = 1 } }\n', "config.unknown_pot"),
        ('\n[[scenario]]\nname = "X"\nrun = { ramme = 1 }\n', "config.unknown_key"),
        ('\n[[scenario]]\nname = "X"\n[[scenario]]\nname = "x"\n', "config.duplicate_scenario"),
    ],
)
def test_bad_scenarios(tmp_path, extra, code) -> None:
    path = config(tmp_path, extra)
    with pytest.raises(ConfigError) as exc:
        cfg = load_config(path)
        for name in cfg.scenarios:
            load_config(path, scenario=name)
    assert code in [f.code for f in exc.value.findings]
