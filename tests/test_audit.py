"""Audit: byte-identical reruns, and verify finds every kind of tampering."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from allocation.cli import main

from .conftest import ROOT


def run_cli(tmp: Path, config: str, name: str, epoch: str = "1700000000") -> Path:
    out = tmp / name
    proc = subprocess.run(
        [sys.executable, str(ROOT / "run_allocation.py"), "run", str(ROOT / "config" / config), "--out", str(out)],
        env={"SOURCE_DATE_EPOCH": epoch, "PATH": "/usr/bin:/bin", "ALLOCATION_LETTER_PDF": "0"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.mark.parametrize("config", ["trondelag-soknader.toml", "nordland.toml"])
def test_two_runs_are_byte_identical(tmp_path, config) -> None:
    a, b = run_cli(tmp_path, config, "a"), run_cli(tmp_path, config, "b")
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    for rel in files:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_only_the_timestamp_differs_without_source_date_epoch(tmp_path) -> None:
    a = run_cli(tmp_path, "nordland.toml", "a", epoch="1700000000")
    b = run_cli(tmp_path, "nordland.toml", "b", epoch="1800000000")
    ma = json.loads((a / "manifest.json").read_text(encoding="utf-8"))
    mb = json.loads((b / "manifest.json").read_text(encoding="utf-8"))
    differing = {k for k in ma if ma[k] != mb[k]}
    assert differing == {"created", "workbook_sha256"}


@pytest.fixture
def run_dir(tmp_path) -> Path:
    out = tmp_path / "k"
    assert main(["run", str(ROOT / "config" / "trondelag.toml"), "--out", str(out)]) == 0
    assert main(["verify", str(out)]) == 0
    return out


def verify_output(capsys, folder: Path) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["verify", str(folder)])
    return code, capsys.readouterr().out


def test_changed_count_in_inputs(run_dir, capsys) -> None:
    path = run_dir / "inputs" / "tall.xlsx"
    wb = openpyxl.load_workbook(path)
    wb["Tall"]["D5"] = wb["Tall"]["D5"].value + 1  # Innherred: one more child
    wb.save(path)
    code, text = verify_output(capsys, run_dir)
    assert code == 1
    assert "inputs/tall.xlsx er endret" in text
    assert "nettverk «Innherred»" in text and "Fordelingsnøkkel" in text


def test_changed_krone_in_workbook(run_dir, capsys) -> None:
    path = run_dir / "fordeling.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["Fordeling"]
    header = [c.value for c in ws[1]]
    col = header.index("Grunntilskudd") + 1
    ws.cell(3, col).value = 250_001
    wb.save(path)
    code, text = verify_output(capsys, run_dir)
    assert code == 1
    assert "fordeling.xlsx er endret" in text
    assert f"ark «Fordeling», celle {ws.cell(3, col).coordinate}: 250 001 i arbeidsboka, 250 000 ved ny kjøring" in text


def test_changed_line_in_config_copy(run_dir, capsys) -> None:
    path = run_dir / "inputs" / "trondelag.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("per_network = 250_000", "per_network = 260_000"), encoding="utf-8"
    )
    code, text = verify_output(capsys, run_dir)
    assert code == 1
    assert "inputs/trondelag.toml er endret" in text
    assert "parts.Grunntilskudd): 250 000 i manifestet, 260 000 ved ny kjøring" in text


def test_deleted_file(run_dir, capsys) -> None:
    (run_dir / "inputs" / "tall.xlsx").unlink()
    code, text = verify_output(capsys, run_dir)
    assert code == 1
    assert "inputs/tall.xlsx mangler" in text


def test_changed_manifest_number(run_dir, capsys) -> None:
    path = run_dir / "manifest.json"
    m = json.loads(path.read_text(encoding="utf-8"))
    m["networks"][0]["frame"] += 1
    path.write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    code, text = verify_output(capsys, run_dir)
    assert code == 1 and f"nettverk «{m['networks'][0]['name']}», frame (networks[0].frame)" in text


def test_unusable_folder(tmp_path, capsys) -> None:
    (tmp_path / "tom").mkdir()
    assert main(["verify", str(tmp_path / "tom")]) == 2
    (tmp_path / "tom" / "manifest.json").write_text("{ikke json", encoding="utf-8")
    assert main(["verify", str(tmp_path / "tom")]) == 2


def test_copied_elsewhere_still_verifies(run_dir, tmp_path) -> None:
    moved = tmp_path / "et annet sted" / "kjøring"
    shutil.copytree(run_dir, moved)
    assert main(["verify", str(moved)]) == 0
