"""compare: two runs side by side with exact differences, new and vanished networks,
and the configurations' differences parameter by parameter."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl

from allocation.cli import main

from .conftest import counts_rows, write_xlsx

NETS = {"Alfa": (100, 200, 0), "Beta": (300, 400, 0), "Gamma": (0, 0, 500)}


def make_run(tmp: Path, name: str, networks: dict, base: int) -> Path:
    folder = tmp / f"in-{name}"
    folder.mkdir()
    write_xlsx(folder / "tall.xlsx", {"Tall": counts_rows(networks)})
    (folder / "m.toml").write_text(
        f"""
[run]
name = "Scenario {name}"
frame = 10_000_000
[inputs]
counts = "tall.xlsx"
[[pot]]
name = "Møter"
amount = 400_000
[[pot]]
name = "Grunntilskudd"
per_network = {base}
[[pot]]
name = "Nøkkel"
rest = true
spread = "key"
key = {{ "Barn i barnehage" = 1, "Elever i grunnskolen" = 1, "Elever og lærlinger i vgs" = 1 }}
""",
        encoding="utf-8",
    )
    out = tmp / name
    assert main(["run", str(folder / "m.toml"), "--out", str(out)]) == 0
    return out


def rows(path: Path, sheet: str) -> dict:
    ws = openpyxl.load_workbook(path, data_only=True)[sheet]
    return {r[0]: r[1:] for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}


def test_scenarios_side_by_side(tmp_path) -> None:
    a = make_run(tmp_path, "a", NETS, 250_000)
    b = make_run(tmp_path, "b", NETS, 300_000)
    out = tmp_path / "sammenligning.xlsx"
    assert main(["compare", str(a), str(b), "--out", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Sammendrag", "Nettverk", "Deler", "Potter", "Parametre"]
    nets = rows(out, "Nettverk")
    # A: 9 600 000 - 750 000 = 8 850 000 by key 300/700/500 of 1500; B: 8 700 000
    assert nets["Alfa"][:3] == (250_000 + 1_770_000, 300_000 + 1_740_000, 20_000)
    assert nets["Beta"][:3] == (250_000 + 4_130_000, 300_000 + 4_060_000, -20_000)
    assert nets["Gamma"][:3] == (250_000 + 2_950_000, 300_000 + 2_900_000, 0)
    assert abs(nets["Alfa"][3] - 20_000 / 2_020_000) < 1e-9
    params = rows(out, "Parametre")
    assert params["Grunntilskudd: beløp per nettverk (kr)"] == ("250 000", "300 000", "pot «Grunntilskudd».per_network")
    assert params["Navn på kjøringen"] == ("Scenario a", "Scenario b", "run.name")
    pots = rows(out, "Potter")
    assert pots["Grunntilskudd"][:3] == (750_000, 900_000, 150_000)


def test_new_and_vanished_networks(tmp_path) -> None:
    a = make_run(tmp_path, "a", NETS, 250_000)
    b = make_run(tmp_path, "b", {"Alfa": (100, 200, 0), "Delta": (300, 400, 500)}, 250_000)
    out = tmp_path / "c.xlsx"
    assert main(["compare", str(a), str(b), "--out", str(out), "--threshold", "50"]) == 0
    nets = rows(out, "Nettverk")
    assert nets["Beta"][1] == "—" and nets["Beta"][4] == "borte"
    assert nets["Delta"][0] == "—" and nets["Delta"][4] == "ny"
    assert nets["Alfa"][4] is None


def test_never_overwrites_and_names_an_open_file(tmp_path, capsys) -> None:
    a = make_run(tmp_path, "a", NETS, 250_000)
    out = tmp_path / "c.xlsx"
    out.write_bytes(b"brukerens fil")
    assert main(["compare", str(a), str(a), "--out", str(out)]) == 2
    assert out.read_bytes() == b"brukerens fil"
    fresh = tmp_path / "ny.xlsx"
    (tmp_path / "~$ny.xlsx").write_bytes(b"")
    assert main(["compare", str(a), str(a), "--out", str(fresh)]) == 2
    assert "åpen i Excel" in capsys.readouterr().err
    assert not fresh.exists()
    assert main(["compare", str(a), str(tmp_path / "finnes-ikke")]) == 2


def test_same_run_has_no_differences(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    a = make_run(tmp_path, "a", NETS, 250_000)
    assert main(["compare", str(a), str(a)]) == 0
    out = tmp_path / "output" / "sammenligning-001.xlsx"
    assert all(r[2] == 0 for r in rows(out, "Nettverk").values())
    assert list(rows(out, "Parametre")) == ["Konfigurasjonene er like."]


def test_previous_run_adds_last_year_and_change(tmp_path) -> None:
    a = make_run(tmp_path, "a", NETS, 250_000)
    folder = tmp_path / "in-b"
    folder.mkdir()
    write_xlsx(folder / "tall.xlsx", {"Tall": counts_rows({**NETS, "Delta": (1, 1, 1)})})
    text = (tmp_path / "in-a" / "m.toml").read_text(encoding="utf-8")
    text = text.replace('counts = "tall.xlsx"', f'counts = "tall.xlsx"\nprevious_run = "../{a.name}"')
    (folder / "m.toml").write_text(text.replace("per_network = 250000", "per_network = 300000"), encoding="utf-8")
    out = tmp_path / "b"
    assert main(["run", str(folder / "m.toml"), "--out", str(out)]) == 0
    ws = openpyxl.load_workbook(out / "fordeling.xlsx", data_only=True)["Fordeling"]
    header = [c.value for c in ws[1]]
    got = {
        r[0]: (r[header.index("Ramme for nettverket")], r[header.index("I fjor")], r[header.index("Endring")])
        for r in ws.iter_rows(min_row=2, values_only=True)
        if r[0]
    }
    before = {n: v[-1] for n, v in rows(a / "fordeling.xlsx", "Fordeling").items()}
    for net in NETS:
        frame, was, change = got[net]
        assert was == before[net] and change == frame - was
    assert got["Delta"][1] == "ny"
    assert (out / "inputs" / "forrige-manifest.json").read_bytes() == (a / "manifest.json").read_bytes()
    moved = tmp_path / "flyttet"
    shutil.copytree(out, moved)
    assert main(["verify", str(moved)]) == 0


def test_a_folder_that_is_not_a_run_is_a_finding(tmp_path, capsys) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "manifest.json").write_text("{ikke json", encoding="utf-8")
    assert main(["compare", str(tmp_path / "a"), str(tmp_path / "b")]) == 2
    err = capsys.readouterr().err
    assert "compare.unusable_folder" in err and "Traceback" not in err


def test_threshold_as_norwegians_write_it() -> None:
    from decimal import Decimal

    import pytest

    from allocation.cli import percent_argument

    for text, want in [("5", "5"), ("5,5", "5.5"), ("5.5", "5.5"), ("5 %", "5"), ("5,5%", "5.5"), ("0", "0")]:
        assert percent_argument(text) == Decimal(want), text
    for bad in ["x", "", "-1", "nan", "inf", "5,5,5", "1e9"]:
        with pytest.raises(Exception, match="ikke en prosent"):
            percent_argument(bad)
