"""The command line end to end: exit statuses, the run folder, the workbook read back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from allocation.cli import main

from .conftest import GOLDEN, ROOT, counts_rows, write_xlsx

SHEETS = [
    "Sammendrag",
    "Vedtaksoversikt",
    "Diagrammer",
    "Fordeling",
    "Per nettverk",
    "Avsetninger",
    "Sporing",
    "Kontroll",
    "Parametre",
    "Revisjon",
]


def run_cli(*args: str) -> int:
    return main(list(args))


def manifest_numbers(folder: Path) -> dict:
    m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return {
        "frame": m["frame"],
        "networks": {n["name"]: {"parts": n["parts"], "frame": n["frame"]} for n in m["networks"]},
        "recipients": {r["name"]: r["amount"] for r in m["recipients"]},
        "held_back": m["held_back"],
    }


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("trondelag.toml", "trondelag/expected-frames.json"),
        ("nordland.toml", "nordland/expected.json"),
    ],
)
def test_run_writes_folder_matching_golden(tmp_path, config, expected, capsys) -> None:
    out = tmp_path / "kjøring"
    assert run_cli("run", str(ROOT / "config" / config), "--out", str(out)) == 0
    exp = json.loads((GOLDEN / expected).read_text(encoding="utf-8"))
    exp.pop("pots", None)
    assert manifest_numbers(out) == exp
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for entry in [m["config"], *m["inputs"]]:
        assert (out / entry["file"]).is_file()
    assert (out / "inputs" / config).read_bytes() == (ROOT / "config" / config).read_bytes()
    printed = capsys.readouterr().out
    assert str(out) in printed and "Holdt tilbake" in printed


def test_workbook_read_back_equals_manifest(tmp_path) -> None:
    out = tmp_path / "k"
    assert run_cli("run", str(ROOT / "config" / "trondelag.toml"), "--out", str(out)) == 0
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    wb = openpyxl.load_workbook(out / m["workbook"], data_only=True)  # cached values of the formulas
    assert wb.sheetnames == SHEETS
    ws = wb["Fordeling"]
    header = [c.value for c in ws[1]]
    frame_col = header.index("Ramme for nettverket")
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}
    for net in m["networks"]:
        assert rows[net["name"]][frame_col] == net["frame"]
        for part, amount in net["parts"].items():
            assert rows[net["name"]][header.index(part)] == amount
    assert rows["Sum"][frame_col] == sum(n["frame"] for n in m["networks"])
    rec = {r[1]: r[2] for r in wb["Avsetninger"].iter_rows(min_row=2, values_only=True) if r[1]}
    assert rec == {r["name"]: r["amount"] for r in m["recipients"]}
    summary = [r for r in wb["Sammendrag"].iter_rows(values_only=True)]
    diff = [r for r in summary if r[0] == "Differanse (skal være 0)"]
    assert diff and diff[0][1] == 0
    formulas = openpyxl.load_workbook(out / m["workbook"])["Fordeling"]
    assert str(formulas.cell(2, frame_col + 1).value).startswith("=")
    key_part = header.index("Fordelingsnøkkel")
    assert str(formulas.cell(2, key_part + 1).value).startswith("=ROUND(")


def test_never_writes_into_an_existing_folder(tmp_path, capsys) -> None:
    out = tmp_path / "finnes"
    out.mkdir()
    (out / "mine.txt").write_text("brukerens fil", encoding="utf-8")
    assert run_cli("run", str(ROOT / "config" / "trondelag.toml"), "--out", str(out)) == 2
    assert [p.name for p in out.iterdir()] == ["mine.txt"]
    assert "finnes fra før" in capsys.readouterr().err
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_numbered_folders_count_up(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run_cli("run", str(ROOT / "config" / "nordland.toml")) == 0
    assert run_cli("run", str(ROOT / "config" / "nordland.toml")) == 0
    assert sorted(p.name for p in (tmp_path / "output").iterdir()) == ["nordland-001", "nordland-002"]


def _config(tmp_path: Path, counts: Path) -> Path:
    text = (ROOT / "config" / "trondelag.toml").read_text(encoding="utf-8")
    text = text.replace('counts = "../input_templates/trondelag/tall.xlsx"', f'counts = "{counts.name}"')
    path = tmp_path / "modell.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_input_errors_exit_1_and_no_workbook(tmp_path, capsys) -> None:
    rows = counts_rows({"Trondheim/Malvik": (1, 2, 3), "Fosen": (1, 1, 1)})
    rows[1][3] = "mange"
    counts = write_xlsx(tmp_path / "tall.xlsx", {"Tall": rows})
    out = tmp_path / "k"
    assert run_cli("run", str(_config(tmp_path, counts)), "--out", str(out)) == 1
    assert not out.exists()
    err = capsys.readouterr().err
    assert "tall.xlsx, ark «Tall», celle D2" in err and "mange" in err and "Traceback" not in err


def test_config_error_exit_2(tmp_path, capsys) -> None:
    path = tmp_path / "m.toml"
    path.write_text(
        '[run]\nframe = 10\n[inputs]\ncounts = "borte.xlsx"\n[[pot]]\nname = "A"\nrest = true\n', encoding="utf-8"
    )
    assert run_cli("run", str(path)) == 2
    err = capsys.readouterr().err
    assert "m.toml" in err and "inputs.counts" in err and "borte.xlsx" in err


def test_usage_error_exit_2(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        run_cli("kjør")
    assert exc.value.code == 2


def test_validate_writes_findings_and_exits_by_severity(tmp_path) -> None:
    rows = counts_rows({"Trondheim/Malvik": (1, 2, 3)})
    rows[1][4] = -5
    counts = write_xlsx(tmp_path / "tall.xlsx", {"Tall": rows})
    out = tmp_path / "funn"
    assert run_cli("validate", str(_config(tmp_path, counts)), "--out", str(out)) == 1
    data = json.loads((out / "funn.json").read_text(encoding="utf-8"))
    assert [(f["code"], f["cell"]) for f in data["findings"]] == [("counts.negative", "E2")]
    assert openpyxl.load_workbook(out / "funn.xlsx").sheetnames == ["Kontroll"]
    assert run_cli("validate", str(ROOT / "config" / "trondelag.toml"), "--out", str(tmp_path / "ok")) == 0


def test_verify_identical_then_tampered(tmp_path) -> None:
    out = tmp_path / "k"
    assert run_cli("run", str(ROOT / "config" / "nordland.toml"), "--out", str(out)) == 0
    assert run_cli("verify", str(out)) == 0
    cfg = out / "inputs" / "nordland.toml"
    cfg.write_text(
        cfg.read_text(encoding="utf-8").replace("percent = 70", "percent = 71").replace("percent = 30", "percent = 29"),
        encoding="utf-8",
    )
    assert run_cli("verify", str(out)) == 1
    assert run_cli("verify", str(tmp_path / "finnes-ikke")) == 2


def test_templates_never_overwrite(tmp_path) -> None:
    assert run_cli("templates", "--out", str(tmp_path)) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "mal-medlemskap.xlsx",
        "mal-parametre.xlsx",
        "mal-søknader.xlsx",
        "mal-søknadsskjema.xlsx",
        "mal-tall.xlsx",
    ]
    before = (tmp_path / "mal-tall.xlsx").read_bytes()
    assert run_cli("templates", "--out", str(tmp_path)) == 0
    assert (tmp_path / "mal-tall.xlsx").read_bytes() == before
    assert openpyxl.load_workbook(tmp_path / "mal-tall.xlsx")["Tall"]["A1"].value == "Nettverk"


def test_entry_point_without_arguments_runs_the_bundled_example(tmp_path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "run_allocation.py")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    folder = tmp_path / "output" / "trondelag-001"
    exp = json.loads((GOLDEN / "trondelag" / "expected-frames.json").read_text(encoding="utf-8"))
    assert manifest_numbers(folder) == exp
    assert "Trondheim/Malvik" in proc.stdout


def test_quiet_verbose_and_progress(tmp_path, capsys) -> None:
    assert run_cli("run", str(ROOT / "config" / "trondelag-skjema.toml"), "--out", str(tmp_path / "a"), "-q") == 0
    out = capsys.readouterr()
    assert "Trondheim/Malvik" not in out.out and "Kjøremappe:" in out.out and "Leser søknad" not in out.err
    assert run_cli("-v", "run", str(ROOT / "config" / "trondelag-skjema.toml"), "--out", str(tmp_path / "b")) == 0
    out = capsys.readouterr()
    assert "Trondheim/Malvik" in out.out
    assert "Leser søknad 10/10: skjema/søknad-vaernesregionen.xlsx" in out.err  # plain lines when not a terminal
    assert "] lest, kontrollert og fordelt" in out.err
