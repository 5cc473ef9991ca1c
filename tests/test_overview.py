"""The county's overview across years: a chain of runs, every year reconciled to 0 kr, the sums
checked against an independent calculation from the manifests, and every bad folder refused."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from allocation.audit.history import build_overview, load_history
from allocation.cli import main

from .conftest import ROOT
from .test_reports import fill, manifest, reports_table, year_config


@pytest.fixture(scope="module")
def chain(tmp_path_factory) -> list[Path]:
    """Three years of Trøndelag: 2025; 2026 with reports on 2025 (unspent deducted); 2027 with
    reports on 2026 claimed back."""
    base = tmp_path_factory.mktemp("kjede")
    y1, y2, y3 = (base / f"y{i}" for i in (1, 2, 3))
    assert main(["run", str(year_config(base, 2025)), "--out", str(y1)]) == 0
    assert main(["reports", str(y1), "--out", str(base / "maler1")]) == 0
    fill(base / "maler1" / "rapport-fosen.xlsx", base / "inn1" / "fosen.xlsx", 100_000, 0, dt.date(2026, 6, 1))
    assert main(["run", str(year_config(base, 2026, reports_table(y1, "inn1"))), "--out", str(y2)]) == 0
    assert main(["reports", str(y2), "--out", str(base / "maler2")]) == 0
    fill(base / "maler2" / "rapport-namdal.xlsx", base / "inn2" / "namdal.xlsx", 7_000, 3_000, dt.date(2027, 6, 1))
    table = reports_table(y2, "inn2", unspent="claim")
    assert main(["run", str(year_config(base, 2027, table)), "--out", str(y3)]) == 0
    return [y1, y2, y3]


def independent(folder: Path) -> dict[str, int]:
    m = manifest(folder)
    grants = sum(n["granted"] if n["granted"] is not None else n["frame"] for n in m["networks"])
    return {
        "frame": m["frame"],
        "grants": grants,
        "set_asides": sum(r["amount"] for r in m["recipients"]),
        "held": m["held_back"],
    }


def rows(path: Path, sheet: str) -> list[tuple]:
    return list(openpyxl.load_workbook(path, data_only=True)[sheet].iter_rows(values_only=True))


def test_every_year_reconciles_to_zero(chain, tmp_path, capsys) -> None:
    out = tmp_path / "oversikt.xlsx"
    assert main(["overview", *map(str, chain), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "2025: ramme 32 000 000 kr, går opp (0 kr)" in printed
    years = {r[0]: r for r in rows(out, "Avstemming")[1:] if isinstance(r[0], int)}
    assert sorted(years) == [2025, 2026, 2027]
    for year, folder in zip((2025, 2026, 2027), chain, strict=True):
        want = independent(folder)
        _, _, frame, earlier, grants, set_asides, held, diff = years[year]
        assert (frame, earlier, grants, set_asides, held) == (
            want["frame"],
            0,
            want["grants"],
            want["set_asides"],
            want["held"],
        )
        assert diff == 0 == frame - grants - set_asides - held
    runs = rows(out, "Kjøringer")[1:4]
    assert [r[9] for r in runs] == [0, 0, 0]


def test_partnerships_payments_reports_and_what_is_bound(chain, tmp_path) -> None:
    out = tmp_path / "o.xlsx"
    assert main(["overview", *map(str, reversed(chain)), "--out", str(out)]) == 0
    nets = {(r[0], r[1]): r for r in rows(out, "Partnerskap")[1:]}
    m2 = manifest(chain[1])
    fosen_2026 = nets[("Fosen", 2026)]
    paid = sum(p["amount"] for p in m2["payments"] if p["network"] == "Fosen")
    assert fosen_2026[5] == paid and fosen_2026[6] == 100_000  # deducted for what was unspent in 2025
    reported = m2["reports"]["entries"][0]
    assert nets[("Fosen", 2025)][7] == reported["used_owner"] + reported["used_uh"]
    assert nets[("Fosen", 2025)][8] == 100_000
    assert nets[("Namdal", 2026)][8] == 10_000
    # bound for coming years: the indicative year 2 and 3 amounts, by payment year, summed independently
    bound: dict[int, int] = {}
    for year, folder in zip((2025, 2026, 2027), chain, strict=True):
        for a in manifest(folder)["applications"]:
            for key, item in a["indicative"].items():
                pay = year + int(key.removeprefix("year_")) - 1
                bound[pay] = bound.get(pay, 0) + item["commitment"]
    table = rows(out, "Bundet framover")
    heads = table[0]
    total = next(r for r in table if r[0] == "Sum bundet")
    got = {int(h.removeprefix("Utbetales ")): v for h, v in zip(heads[2:], total[2:], strict=True)}
    assert got == bound and bound


def test_commitments_key_is_used_when_present(chain, tmp_path) -> None:
    """A run that records its commitments (the manifest key ``commitments``): earlier commitments
    drawn this year are shown apart, and what it made for later years is what is bound."""
    copy = tmp_path / "y2"
    shutil.copytree(chain[1], copy)
    m = manifest(copy)
    m["commitments"] = {
        "made": [{"recipient": "Fosen", "decision_year": 2026, "payment_year": 2027, "amount": 500_000}],
        "drawn": [{"recipient": "Fosen", "decision_year": 2025, "payment_year": 2026, "amount": 300_000}],
    }
    (copy / "manifest.json").write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    records, findings = load_history([copy])
    assert findings == []
    overview = build_overview(records)
    (year,) = overview.years
    want = independent(chain[1])
    assert (year.earlier, year.new_grants) == (300_000, want["grants"] - 300_000)
    assert year.difference == 0
    assert overview.bound == {("Fosen", 2026, 2027): 500_000}


def test_earlier_commitments_drawn_to_an_owner_show_under_its_network(chain, tmp_path) -> None:
    """A drawn commitment names its network and its recipient (the owner, not the network):
    «Partnerskap» shows it on the network's row, not 0 kr."""
    copy = tmp_path / "y2"
    shutil.copytree(chain[1], copy)
    m = manifest(copy)
    owner = "Fosen (ansvarlig eier)"
    m["commitments"] = {
        "made": [],
        "drawn": [
            {"network": "Fosen", "recipient": owner, "decision_year": 2025, "payment_year": 2026, "amount": 300_000}
        ],
    }
    m["frame"] += 300_000
    m["recipients"] = [*m["recipients"], {"name": owner, "amount": 300_000}]
    (copy / "manifest.json").write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "o.xlsx"
    assert main(["overview", str(copy), "--out", str(out)]) == 0
    nets = {(r[0], r[1]): r for r in rows(out, "Partnerskap")[1:]}
    assert nets[("Fosen", 2026)][3] == 300_000
    assert nets[("Namdal", 2026)][3] == 0
    (year,) = build_overview(load_history([copy])[0]).years
    assert (year.earlier, year.difference) == (300_000, 0)


def test_bad_folders_are_findings_and_no_overview(chain, tmp_path, capsys) -> None:
    tampered = tmp_path / "endret"
    shutil.copytree(chain[0], tampered)
    (tampered / "fordeling.xlsx").write_bytes(b"changed")
    empty = tmp_path / "tom"
    empty.mkdir()
    out = tmp_path / "o.xlsx"
    assert main(["overview", str(chain[1]), str(tampered), str(empty), str(chain[1]), "--out", str(out)]) == 1
    assert not out.exists()
    err = capsys.readouterr().err
    assert "overview.tampered" in err and str(tampered) in err
    assert "overview.unusable" in err and "overview.duplicate" in err


def test_scenario_skipped_and_unreconciled_year_reported(chain, tmp_path, capsys) -> None:
    scenario = tmp_path / "scenario"
    shutil.copytree(chain[0], scenario)
    m = manifest(scenario)
    m["scenario"] = "Grunntilskudd 300 000"
    (scenario / "manifest.json").write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    off = tmp_path / "skjev"
    shutil.copytree(chain[1], off)
    m = manifest(off)
    m["held_back"] += 1
    (off / "manifest.json").write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "o.xlsx"
    assert main(["overview", str(chain[0]), str(scenario), str(off), "--out", str(out)]) == 1
    printed = capsys.readouterr()
    assert "overview.scenario_skipped" in printed.out + printed.err
    assert "overview.unreconciled" in printed.out + printed.err
    years = {r[0]: r for r in rows(out, "Avstemming")[1:] if isinstance(r[0], int)}
    assert years[2025][7] == 0 and years[2026][7] == -1


def test_formulas_recalculate_in_libreoffice(chain, tmp_path) -> None:
    """Tilbakebetaling (deducted and claimed), the overview and a report template, recalculated by
    LibreOffice: every formula gives the engine's number."""
    from .test_libreoffice import formula_cells, recalculate

    out = tmp_path / "o.xlsx"
    assert main(["overview", *map(str, chain), "--out", str(out)]) == 0
    template = chain[0].parent / "maler1" / "rapport-fosen.xlsx"
    files = [chain[1] / "fordeling.xlsx", chain[2] / "fordeling.xlsx", out, template]
    checked = 0
    for original, redone in recalculate(files, tmp_path).items():
        values = openpyxl.load_workbook(redone, data_only=True)
        for sheet, ref, cached in formula_cells(original):
            if sheet in ("Tilbakebetaling", "Avstemming", "Kjøringer", "Bundet framover", "Rapport"):
                assert values[sheet][ref].value == cached, (original.name, sheet, ref)
                checked += 1
    assert checked > 20


def test_runs_that_may_not_belong_together_are_warned_about(chain, tmp_path, capsys) -> None:
    again = tmp_path / "samme-år"
    shutil.copytree(chain[0], again)
    nordland = tmp_path / "nordland"
    assert main(["run", str(ROOT / "config" / "nordland.toml"), "--out", str(nordland)]) == 0
    out = tmp_path / "o.xlsx"
    capsys.readouterr()
    assert main(["overview", str(chain[0]), str(again), str(nordland), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "overview.same_year" in printed and str(again) in printed
    assert "overview.mixed_counties" in printed and "Nordland" in printed
    years = {r[0]: r for r in rows(out, "Avstemming")[1:] if isinstance(r[0], int)}
    assert years[2025][2] == 2 * manifest(chain[0])["frame"] and years[2025][7] == 0
