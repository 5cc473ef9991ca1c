"""Commitments across years: a three-year chain built from scratch, checked krone by krone
against an independent calculation, and every bad case with its finding.

Year 1 (2025) grants three-year applications. Year 2 (2026) draws on year 1 with one
commitment cancelled and one changed by the forum (sheet «Tilsagnsendringer»), a commitment
typed by hand in «Ramme», and a second round that hands out what the first round held back
plus repaid money. Year 3 (2027) draws on all three folders.
"""

from __future__ import annotations

import json
import shutil
from fractions import Fraction
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from allocation.audit.verify import verify
from allocation.cli import main
from allocation.model.findings import ConfigError, InputErrors
from allocation.pipeline import run

from .conftest import ROOT, write_xlsx

COUNTS = (ROOT / "input_templates" / "trondelag" / "tall.xlsx").as_posix()
YEAR3 = {"Trondheim/Malvik": (2_000_000, 1_000_000), "Innherred": (500_000, 400_000), "Namdal": (300_000, 100_000)}
CANCEL = ("Fosen", "Fosen (ansvarlig eier)")
CHANGE = ("Namdal", "Nord universitet", 300_000)
REPAID = 250_000
HAND_TYPED = 500_000


def _rows() -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(ROOT / "input_templates" / "trondelag" / "søknader.xlsx")
    rows = book.get_sheet_by_name("Søknader").to_python()
    return [[None if v == "" else v for v in r] for r in rows]


def _applications(path: Path, year3: dict[str, tuple[int, int]], only: dict[str, str] | None = None) -> Path:
    """The bundled list, with year-3 requests; ``only``: keep one row per network named (new name)."""
    rows = _rows()
    head = rows[0]
    for r in rows[1:]:
        if r[0] in year3:
            r[head.index("Eier beløp år 3")], r[head.index("UH beløp år 3")] = year3[r[0]]
    if only is not None:
        kept = [r for r in rows[1:] if r[0] in only]
        for r in kept:
            r[0] = only[r[0]]
        rows = [head, *kept]
    return write_xlsx(path, {"Søknader": rows})


def _config(folder: Path, name: str, year: int, body: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(f'[run]\nname = "{name}"\nyear = {year}\n' + body, encoding="utf-8")
    return path


TREE = """
[keys.elevtall]
columns = { "Barn i barnehage" = 1, "Elever i grunnskolen" = 1, "Elever og lærlinger i vgs" = 1 }

[[pot]]
name = "Møtevirksomhet"
amount = 400_000

[[pot]]
name = "Fellestiltak"
percent = 8

[[pot]]
name = "Koordinering"
per_network = 100_000

[[pot]]
name = "Fordelingsnøkkel"
rest = true
spread = "key"
key = "elevtall"
"""


def _year_config(folder: Path, name: str, year: int, inputs: str, run_extra: str, policy: str) -> Path:
    body = f"""{run_extra}
[inputs]
counts = "{COUNTS}"
{inputs}
{TREE}
[applications]
files = ["{name}-søknader.xlsx"]
policy = "{policy}"
redistribution_key = "elevtall"
"""
    return _config(folder, name, year, body)


def _run(config: Path, out: Path) -> dict[str, Any]:
    assert main(["run", str(config), "--out", str(out)]) == 0
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


# --- the independent calculation ----------------------------------------------------------------


def _two_way(amount: int, a: int, b: int) -> tuple[int, int]:
    """Largest remainder over two weights, by hand: each floor, the unit left to the larger rest."""
    if a + b == 0:
        return amount, 0
    qa, qb = Fraction(amount * a, a + b), Fraction(amount * b, a + b)
    fa, fb = int(qa), int(qb)
    if fa + fb < amount:
        if qa - fa >= qb - fb:
            fa += 1
        else:
            fb += 1
    return fa, fb


def _amount(v: Any) -> int:
    if v is None:
        return 0
    if isinstance(v, float | int):
        return int(v)
    digits = "".join(ch for ch in str(v).split("(")[0] if ch.isdigit())
    return int(digits or 0)


def expected_commitments(manifest: dict[str, Any], apps: Path) -> dict[tuple[str, str, int], int]:
    """(network, recipient, year) -> kroner: year 1 as granted, years 2 and 3 the indicative
    amount min(requested, the network's frame), split owner/UH by their requests."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(apps).get_sheet_by_name("Søknader").to_python()
    head = rows[0]
    frames = {n["name"]: n["frame"] for n in manifest["networks"]}
    granted = {n["name"]: (n["granted_owner"], n["granted_uh"]) for n in manifest["networks"]}
    out: dict[tuple[str, str, int], int] = {}
    for r in rows[1:]:
        net, owner, uh = r[0], r[head.index("Eier")], r[head.index("UH")]
        out[(net, owner, 1)], out[(net, uh, 1)] = granted[net]
        for y in (2, 3):
            o, u = _amount(r[head.index(f"Eier beløp år {y}")]), _amount(r[head.index(f"UH beløp år {y}")])
            if o + u:
                out[(net, owner, y)], out[(net, uh, y)] = _two_way(min(o + u, frames[net]), o, u)
    return {k: v for k, v in out.items() if v}


def made(manifest: dict[str, Any]) -> dict[tuple[str, str, int], int]:
    return {(m["network"], m["recipient"], m["year"]): m["amount"] for m in manifest["commitments"]["made"]}


def pot(manifest: dict[str, Any], name: str) -> int:
    return next(p["amount"] for p in manifest["pots"] if p["name"] == name)


def _county_rules(m: dict[str, Any], new_money: int) -> None:
    """The county's own tree shares what is left: 400 000, 8 %, 100 000 per network, the rest."""
    assert pot(m, "Nye midler etter tilsagn") == new_money
    assert pot(m, "Møtevirksomhet") == 400_000
    assert pot(m, "Koordinering") == 100_000 * 11
    exact = Fraction(new_money * 8, 100)
    assert pot(m, "Fellestiltak") in (int(exact), int(exact) + (exact.denominator > 1))
    rest = new_money - 400_000 - 1_100_000 - pot(m, "Fellestiltak")
    assert pot(m, "Fordelingsnøkkel") == rest
    nets = sum(n["granted"] for n in m["networks"])
    assert nets + sum(r["amount"] for r in m["recipients"]) + m["held_back"] == m["frame"]


# --- the chain ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("aar")
    out: dict[str, Any] = {"base": base}
    # year 1: three-year applications
    _applications(base / "y1-søknader.xlsx", YEAR3)
    y1 = _year_config(base, "y1", 2025, "", "frame = 32_000_000", "redistribute")
    out["y1"] = _run(y1, base / "run-y1")
    # year 2: the frame and a hand-typed commitment in «Ramme», one cancellation and one change
    _applications(base / "y2-søknader.xlsx", YEAR3)
    write_xlsx(
        base / "y2-parametre.xlsx",
        {
            "Ramme": [
                ["Post", "Beløp", "Vedtak"],
                ["Ramme 2026", 60_000_000, "Udir 2026"],
                ["Tilsagn 2024, år 3", 500_000, "Vedtak 2024"],
            ],
            "Tilsagnsendringer": [
                ["Vedtak", "Nettverk", "Mottaker", "År", "Nytt beløp", "Merknad"],
                ["y1", CANCEL[0], CANCEL[1], 2026, 0, "Forumets vedtak 12.03.2026: trukket"],
                ["run-y1", CHANGE[0], CHANGE[1], 2026, CHANGE[2], "Forumets vedtak 12.03.2026: redusert"],
            ],
        },
    )
    inputs = 'parameters = "y2-parametre.xlsx"\nearlier_decisions = ["run-y1"]'
    y2 = _year_config(base, "y2", 2026, inputs, "", "hold_back")
    out["y2"] = _run(y2, base / "run-y2")
    # year 2, second round: what the first round held back, with repaid money, by new applications
    _applications(base / "y2b-søknader.xlsx", {}, only={"Fosen": "Hitra/Frøya", "Namdal": "Namdal"})
    body = f"""repaid = {REPAID}
repaid_note = "Tilbakebetalt av Namdal etter rapporteringen 2025"

[inputs]
counts = "{COUNTS}"
first_round = "run-y2"

[keys.elevtall]
columns = {{ "Barn i barnehage" = 1, "Elever i grunnskolen" = 1, "Elever og lærlinger i vgs" = 1 }}

[[pot]]
name = "Andre runde"
rest = true
spread = "key"
key = "elevtall"

[applications]
files = ["y2b-søknader.xlsx"]
policy = "hold_back"
"""
    out["y2b"] = _run(_config(base, "y2b", 2026, body), base / "run-y2b")
    # year 3: draws on year 1 (its year 3), year 2 and the second round (their year 2)
    _applications(base / "y3-søknader.xlsx", {})
    inputs = 'earlier_decisions = ["run-y1", "run-y2", "run-y2b"]'
    out["y3"] = _run(_year_config(base, "y3", 2027, inputs, "frame = 70_000_000", "redistribute"), base / "run-y3")
    return out


def test_year_one_records_its_commitments(chain) -> None:
    m = chain["y1"]
    assert made(m) == expected_commitments(m, chain["base"] / "y1-søknader.xlsx")
    c = m["commitments"]
    assert c["decision_year"] == 2025 and c["rule"] == "indicative" and c["drawn"] == []
    assert {2025, 2026, 2027} == {x["payment_year"] for x in c["made"]}
    assert sum(x["amount"] for x in c["made"] if x["year"] == 1) == sum(n["granted"] for n in m["networks"])
    book = openpyxl.load_workbook(chain["base"] / "run-y1" / "fordeling.xlsx", read_only=True)
    rows = list(book["Tilsagn"].iter_rows(values_only=True))
    assert rows[0][:5] == ("Hva", "Vedtak", "Vedtaksår", "År i partnerskapet", "Utbetalingsår")
    assert sum(r[10] for r in rows[1:] if r[0] == "Dette vedtaket") == sum(x["amount"] for x in c["made"])


def test_year_two_takes_year_one_off_the_top_with_the_forums_changes(chain) -> None:
    y1, m = chain["y1"], chain["y2"]
    due = {k: v for k, v in made(y1).items() if k[2] == 2}
    original = dict(due)
    due[(CANCEL[0], CANCEL[1], 2)] = 0
    due[(CHANGE[0], CHANGE[1], 2)] = CHANGE[2]
    drawn = {(d["network"], d["recipient"], d["year"]): d for d in m["commitments"]["drawn"]}
    assert {k: d["amount"] for k, d in drawn.items()} == due
    assert {k: d["original"] for k, d in drawn.items()} == original
    assert "trukket" in drawn[(CANCEL[0], CANCEL[1], 2)]["change_note"]
    total = sum(due.values())
    assert pot(m, "Tilsagn fra vedtak 2025 (år 2)") == total == m["commitments"]["total_drawn"]
    assert pot(m, "Tilsagn 2024, år 3") == HAND_TYPED
    leaves = [p for p in m["pots"] if p["parent"] == "Tilsagn fra vedtak 2025 (år 2)"]
    assert len(leaves) == len([v for v in due.values() if v]) and all(p["recipient"] for p in leaves)
    assert not any(CANCEL[1] in p["name"] for p in leaves)
    _county_rules(m, 60_000_000 - HAND_TYPED - total)
    assert made(m) == expected_commitments(m, chain["base"] / "y2-søknader.xlsx")
    assert m["earlier_decisions"][0]["folder"] == "run-y1"
    book = openpyxl.load_workbook(chain["base"] / "run-y2" / "fordeling.xlsx", read_only=True)
    rows = [r for r in book["Tilsagn"].iter_rows(values_only=True) if r[0] and str(r[0]).startswith("Tidligere")]
    cancelled = next(r for r in rows if r[5] == CANCEL[0] and r[7] == CANCEL[1])
    assert cancelled[9] == original[(CANCEL[0], CANCEL[1], 2)] and cancelled[10] == 0
    assert cancelled[12].startswith("Trukket av forumet")


def test_second_round_hands_out_only_what_is_left(chain) -> None:
    first, m = chain["y2"], chain["y2b"]
    assert first["held_back"] > 0
    frame = first["held_back"] + REPAID
    assert m["frame"] == frame == m["second_round"]["frame"]
    assert m["second_round"]["repaid"] == REPAID and m["second_round"]["held_back"] == first["held_back"]
    assert {n["network"]: n["granted"] for n in m["second_round"]["frozen"]} == {
        n["name"]: n["granted"] for n in first["networks"]
    }
    assert m["commitments"]["second_round"] is True and m["commitments"]["drawn"] == []
    assert pot(m, "Andre runde") == frame
    granted = {n["name"]: n["granted"] for n in m["networks"] if n["granted"]}
    assert set(granted) == {"Hitra/Frøya", "Namdal"}
    for n in m["networks"]:
        if n["requested"]:
            assert n["granted"] == min(n["requested"], n["frame"])
    assert sum(n["granted"] for n in m["networks"]) + m["held_back"] == frame
    assert made(m) == expected_commitments(m, chain["base"] / "y2b-søknader.xlsx")


def test_year_three_draws_on_all_three(chain) -> None:
    m = chain["y3"]
    want = {
        "Tilsagn fra vedtak 2025 (år 3)": sum(v for k, v in made(chain["y1"]).items() if k[2] == 3),
        "Tilsagn fra vedtak 2026 (år 2)": sum(v for k, v in made(chain["y2"]).items() if k[2] == 2),
        "Tilsagn fra vedtak 2026, 2. runde (år 2)": sum(v for k, v in made(chain["y2b"]).items() if k[2] == 2),
    }
    assert all(want.values())
    assert {name: pot(m, name) for name in want} == want
    total = sum(want.values())
    assert m["commitments"]["total_drawn"] == total
    _county_rules(m, 70_000_000 - total)
    assert [e["folder"] for e in m["earlier_decisions"]] == ["run-y1", "run-y2", "run-y2b"]


def test_every_run_of_the_chain_verifies(chain) -> None:
    for name in ("run-y1", "run-y2", "run-y2b", "run-y3"):
        report = verify(chain["base"] / name)
        assert report.identical, [f.text() for f in report.findings]


# --- bad cases ----------------------------------------------------------------------------------


def _copy_chain(chain, tmp_path: Path, names=("run-y1", "run-y2")) -> Path:
    for name in names:
        shutil.copytree(chain["base"] / name, tmp_path / name)
    for f in chain["base"].glob("*.xlsx"):
        shutil.copy(f, tmp_path / f.name)
    return tmp_path


def _errors(config: Path) -> dict[str, list]:
    with pytest.raises(InputErrors) as exc:
        run(config)
    out: dict[str, list] = {}
    for f in exc.value.findings:
        out.setdefault(f.code, []).append(f)
    return out


def _y2(folder: Path, inputs: str, run_extra: str = "frame = 60_000_000", name: str = "y2") -> Path:
    shutil.copy(folder / "y2-søknader.xlsx", folder / f"{name}-søknader.xlsx") if name != "y2" else None
    return _year_config(folder, name, 2026, inputs, run_extra, "hold_back")


def test_missing_earlier_folder_is_named(chain, tmp_path) -> None:
    _copy_chain(chain, tmp_path, ())
    found = _errors(_y2(tmp_path, 'earlier_decisions = ["finnes-ikke"]'))["earlier.missing"]
    assert found[0].value == "finnes-ikke" and "finnes-ikke" in found[0].message


def test_tampered_earlier_folder_is_refused(chain, tmp_path) -> None:
    _copy_chain(chain, tmp_path, ("run-y1",))
    data = (tmp_path / "run-y1" / "inputs" / "y1-søknader.xlsx").read_bytes()
    (tmp_path / "run-y1" / "inputs" / "y1-søknader.xlsx").write_bytes(data + b"\0")
    found = _errors(_y2(tmp_path, 'earlier_decisions = ["run-y1"]'))["earlier.tampered"]
    assert "run-y1" in found[0].message and "y1-søknader.xlsx er endret" in found[0].message


@pytest.mark.parametrize("version", [None, "0.0.1"])
@pytest.mark.parametrize("edit", [0, 1_000_000])
def test_edited_commitment_in_earlier_manifest_is_refused(chain, tmp_path, capsys, version, edit) -> None:
    """By this version: verify whole; by another version (last year's, before an upgrade): the
    numbers drawn on, re-run from the folder's copies."""
    _copy_chain(chain, tmp_path, ("run-y1",))
    path = tmp_path / "run-y1" / "manifest.json"
    m = json.loads(path.read_text(encoding="utf-8"))
    m["commitments"]["made"][-1]["amount"] += edit
    m["tool_version"] = version or m["tool_version"]
    path.write_text(json.dumps(m, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    config = _y2(tmp_path, 'earlier_decisions = ["run-y1"]')
    code = main(["run", str(config), "--out", str(tmp_path / "ut")])
    err = capsys.readouterr().err
    if edit:
        assert code == 1 and "earlier.not_verified" in err
        assert not (tmp_path / "ut").exists()
    else:
        assert code == 0, err


def test_same_folder_twice_is_an_error(chain, tmp_path) -> None:
    _copy_chain(chain, tmp_path, ("run-y1",))
    shutil.copytree(tmp_path / "run-y1", tmp_path / "kopi")
    found = _errors(_y2(tmp_path, 'earlier_decisions = ["run-y1", "./run-y1", "kopi"]'))["earlier.twice"]
    assert [f.cell for f in found] == ["inputs.earlier_decisions[2]", "inputs.earlier_decisions[3]"]


def test_commitment_to_a_network_that_is_gone(chain, tmp_path) -> None:
    from python_calamine import CalamineWorkbook

    _copy_chain(chain, tmp_path, ("run-y1",))
    rows = CalamineWorkbook.from_path(COUNTS).get_sheet_by_name("Tall").to_python()
    rows = [["Fosen og Ørland" if c == "Fosen" else (None if c == "" else c) for c in r] for r in rows]
    counts = write_xlsx(tmp_path / "tall.xlsx", {"Tall": rows})
    config = _y2(tmp_path, 'earlier_decisions = ["run-y1"]')
    config.write_text(config.read_text(encoding="utf-8").replace(COUNTS, counts.as_posix()), encoding="utf-8")
    found = _errors(config)["earlier.network_gone"]
    assert {f.value for f in found} == {"Fosen"}


def test_commitments_larger_than_the_frame(chain, tmp_path) -> None:
    _copy_chain(chain, tmp_path, ("run-y1",))
    found = _errors(_y2(tmp_path, 'earlier_decisions = ["run-y1"]', "frame = 1_000_000"))["earlier.exceeds_frame"]
    assert found[0].expected == "høyst 1 000 000"


def test_changes_that_fit_no_commitment_or_are_not_valid(chain, tmp_path) -> None:
    _copy_chain(chain, tmp_path, ("run-y1",))
    write_xlsx(
        tmp_path / "p.xlsx",
        {
            "Ramme": [["Post", "Beløp", "Vedtak"], ["Ramme", 60_000_000, ""]],
            "Tilsagnsendringer": [
                ["Vedtak", "Nettverk", "Mottaker", "År", "Nytt beløp", "Merknad"],
                ["y1", "Fosen", "DMMH", 2027, 0, "feil år"],
                ["y1", "Fosen", "DMMH", 2026, "mye", ""],
            ],
        },
    )
    found = _errors(_y2(tmp_path, 'parameters = "p.xlsx"\nearlier_decisions = ["run-y1"]', ""))
    assert found["earlier.change_value"][0].cell == "E3"
    write_xlsx(
        tmp_path / "p.xlsx",
        {
            "Ramme": [["Post", "Beløp", "Vedtak"], ["Ramme", 60_000_000, ""]],
            "Tilsagnsendringer": [
                ["Vedtak", "Nettverk", "Mottaker", "År", "Nytt beløp", "Merknad"],
                ["y1", "Fosen", "DMMH", 2027, 0, "feil år"],
            ],
        },
    )
    found = _errors(_y2(tmp_path, 'parameters = "p.xlsx"\nearlier_decisions = ["run-y1"]', ""))
    assert found["earlier.change_unmatched"][0].cell == "C2"
    write_xlsx(
        tmp_path / "p.xlsx",
        {"Ramme": [["Post", "Beløp"], ["Ramme", 60_000_000]], "Tilsagnsendringer": [["Vedtak", "Mottaker"]]},
    )
    found = _errors(_y2(tmp_path, 'parameters = "p.xlsx"\nearlier_decisions = ["run-y1"]', ""))
    assert "Nettverk" in found["earlier.change_headers"][0].value


def test_two_changes_of_one_commitment_are_an_error_naming_both_rows(chain, tmp_path) -> None:
    _copy_chain(chain, tmp_path, ("run-y1",))
    write_xlsx(
        tmp_path / "p.xlsx",
        {
            "Ramme": [["Post", "Beløp", "Vedtak"], ["Ramme", 60_000_000, ""]],
            "Tilsagnsendringer": [
                ["Vedtak", "Nettverk", "Mottaker", "År", "Nytt beløp", "Merknad"],
                ["y1", CHANGE[0], CHANGE[1], 2026, CHANGE[2], "redusert"],
                ["run-y1", CHANGE[0], CHANGE[1], 2026, 0, "trukket"],
            ],
        },
    )
    found = _errors(_y2(tmp_path, 'parameters = "p.xlsx"\nearlier_decisions = ["run-y1"]', ""))
    assert [(f.sheet, f.cell) for f in found["earlier.change_twice"]] == [("Tilsagnsendringer", "C3")]
    assert "rad 2" in found["earlier.change_twice"][0].message
    assert "earlier.change_unmatched" not in found


def test_changes_without_earlier_decisions_are_not_ignored(chain, tmp_path) -> None:
    _copy_chain(chain, tmp_path, ())
    config = _y2(tmp_path, 'parameters = "y2-parametre.xlsx"', "")
    found = _errors(config)["earlier.change_unmatched"]
    assert [f.value for f in found] == [CANCEL[1], CHANGE[1]]


def test_folder_without_commitments_or_unreadable(chain, tmp_path) -> None:
    text = (ROOT / "config" / "trondelag.toml").read_text(encoding="utf-8")
    (tmp_path / "t.toml").write_text(text.replace("../input_templates", (ROOT / "input_templates").as_posix()))
    assert main(["run", str(tmp_path / "t.toml"), "--out", str(tmp_path / "uten")]) == 0
    (tmp_path / "rot").mkdir()
    (tmp_path / "rot" / "manifest.json").write_text("{ikke json")
    _copy_chain(chain, tmp_path, ())
    found = _errors(_y2(tmp_path, 'earlier_decisions = ["uten", "rot"]'))
    assert found["earlier.no_commitments"][0].value == "uten"
    assert found["earlier.unreadable"][0].value == "rot"


def test_earlier_decision_of_this_year(chain, tmp_path) -> None:
    _copy_chain(chain, tmp_path, ("run-y1", "run-y2"))
    found = _errors(_y2(tmp_path, 'earlier_decisions = ["run-y1", "run-y2"]'))["earlier.not_earlier"]
    assert [f.value for f in found] == ["run-y2"]


def test_first_round_of_another_year(chain, tmp_path) -> None:
    _copy_chain(chain, tmp_path, ("run-y1",))
    found = _errors(_y2(tmp_path, 'first_round = "run-y1"', ""))["earlier.first_round_mismatch"]
    assert "vedtak 2025" in found[0].message


@pytest.mark.parametrize(
    ("inputs", "run_extra", "apps", "code"),
    [
        ('earlier_decisions = ["run-y1"]', "frame = 60_000_000", 'commitments = "alt"', "config.commitment_rule"),
        ('first_round = "run-y1"', "frame = 60_000_000", "", "config.second_round_frame"),
        ("", "frame = 60_000_000\nrepaid = 10", "", "config.repaid_without_round"),
        ('first_round = "run-y1"\nearlier_decisions = ["run-y1"]', "", "", "config.second_round_with_earlier"),
    ],
)
def test_configuration_of_years(chain, tmp_path, inputs, run_extra, apps, code) -> None:
    _copy_chain(chain, tmp_path, ("run-y1",))
    config = _y2(tmp_path, inputs, run_extra)
    config.write_text(config.read_text(encoding="utf-8") + apps + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        run(config)
    assert code in {f.code for f in exc.value.findings}


def test_year_is_needed(chain, tmp_path) -> None:
    _copy_chain(chain, tmp_path, ("run-y1",))
    config = _y2(tmp_path, 'earlier_decisions = ["run-y1"]')
    config.write_text(config.read_text(encoding="utf-8").replace("year = 2026\n", ""), encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        run(config)
    assert "config.year_needed" in {f.code for f in exc.value.findings}


@pytest.mark.parametrize("rule", ["none", "requested"])
def test_commitment_rules(chain, tmp_path, rule) -> None:
    _copy_chain(chain, tmp_path, ())
    config = _year_config(tmp_path, "y1", 2025, "", "frame = 32_000_000", "redistribute")
    config.write_text(config.read_text(encoding="utf-8") + f'commitments = "{rule}"\n', encoding="utf-8")
    _, result = run(config)
    assert result.commitments is not None
    later = {(c.network, c.role, c.year): c.amount for c in result.commitments.made if c.year > 1}
    if rule == "none":
        assert later == {}
    else:
        requested = {
            (a.network, y): a.requested(y)
            for g in result.grants.networks.values()
            for a in [x.app for x in g.apps]
            for y in (2, 3)
        }
        for (net, y), req in requested.items():
            assert later.get((net, "owner", y), 0) + later.get((net, "uh", y), 0) == req


def test_verify_rechecks_the_earlier_folders(chain, tmp_path) -> None:
    m = chain["y2"]
    assert m["inputs"][-1]["role"] == "earlier" and m["inputs"][-1]["file"] == "inputs/tidligere-vedtak-1-manifest.json"
    assert m["earlier_decisions"][0]["path"] == str((chain["base"] / "run-y1").resolve())
    # run-y1 moved away: checked from the copy, a note; run-y1 changed: the later run's verify names it
    orig = chain["base"] / "run-y1"
    data = (orig / "fordeling.xlsx").read_bytes()
    shutil.move(orig, tmp_path / "flyttet")
    try:
        report = verify(chain["base"] / "run-y2")
        assert report.identical
        assert "verify.earlier_not_found" in {f.code for f in report.findings}
        shutil.copytree(tmp_path / "flyttet", orig)
        (orig / "fordeling.xlsx").write_bytes(data + b"\0")
        report = verify(chain["base"] / "run-y2")
        assert "verify.earlier_differs" in {f.code for f in report.differences}
    finally:
        shutil.rmtree(orig, ignore_errors=True)
        shutil.move(tmp_path / "flyttet", orig)
    assert verify(chain["base"] / "run-y2").identical


def test_the_overview_reconciles_the_chain_year_by_year(chain, tmp_path) -> None:
    """The county's overview over the chain (earlier commitments drawn, a hand-typed commitment,
    a cancelled one and a second round): every year reconciles to 0 kr, the earlier commitments
    are what the later runs drew, the second round's frame is not counted twice, and what is
    bound for coming years is what the runs committed beyond their own year."""
    from allocation.audit.history import build_overview, load_history

    base = chain["base"]
    folders = [base / n for n in ("run-y1", "run-y2", "run-y2b", "run-y3")]
    records, findings = load_history(folders)
    assert [f for f in findings if f.severity == "error"] == []
    overview = build_overview(records)
    by_year = {y.year: y for y in overview.years}
    assert set(by_year) == {2025, 2026, 2027}
    assert all(y.difference == 0 for y in overview.years)
    assert all(r.difference() == 0 for r in overview.runs)
    y2, y2b = chain["y2"], chain["y2b"]
    assert by_year[2026].frame == y2["frame"] + REPAID  # the first round's held-back money counted once
    assert by_year[2026].held_back == y2["held_back"] - y2b["second_round"]["held_back"] + y2b["held_back"]
    assert by_year[2026].earlier == chain["y2"]["commitments"]["total_drawn"]
    assert by_year[2027].earlier == chain["y3"]["commitments"]["total_drawn"]
    bound: dict[int, int] = {}
    for m in (chain["y1"], y2, y2b, chain["y3"]):
        for c in m["commitments"]["made"]:
            if c["payment_year"] > m["commitments"]["decision_year"]:
                bound[c["payment_year"]] = bound.get(c["payment_year"], 0) + c["amount"]
    got: dict[int, int] = {}
    for (_, _, pay), amount in overview.bound.items():
        got[pay] = got.get(pay, 0) + amount
    assert got == bound
    out = tmp_path / "oversikt.xlsx"
    assert main(["overview", *map(str, folders), "--out", str(out)]) == 0


def test_an_earlier_manifest_naming_a_file_outside_its_folder_is_refused(tmp_path) -> None:
    """The hash check of an earlier folder follows only paths inside it: a manifest that names
    ``../x`` (whose bytes match) is a changed folder, as for the other uses of a run folder."""
    import hashlib

    from allocation.read.earlier import changed_files

    folder = tmp_path / "run"
    folder.mkdir()
    outside = tmp_path / "x.xlsx"
    outside.write_bytes(b"x")
    sha = hashlib.sha256(b"x").hexdigest()
    (folder / "modell.toml").write_bytes(b"m")
    data = {
        "config": {"file": "modell.toml", "sha256": hashlib.sha256(b"m").hexdigest()},
        "inputs": [{"file": "../x.xlsx", "sha256": sha}],
    }
    assert changed_files(folder, data) == ["../x.xlsx mangler"]
    (folder / "fordeling.xlsx").write_bytes(b"w")
    data = {**data, "inputs": [], "workbook": "fordeling.xlsx", "workbook_sha256": "0" * 64}
    assert changed_files(folder, data) == ["fordeling.xlsx er endret"]
