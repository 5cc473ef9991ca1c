"""The merged features together, as a county would use them over the years: decision letters with
applications and earlier decisions, a second round with letters, reports and scenarios beside
commitments. Every run is checked against its manifest, by ``validate`` (same exit code as
``run``), by ``verify`` (identical, and an edit caught) and by a second run (byte-identical)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from allocation.cli import main
from allocation.model.letters import kroner_text

from .conftest import ROOT
from .test_years import YEAR3, _applications

TEMPLATE = (ROOT / "config" / "trondelag-soknader.toml").read_text(encoding="utf-8")
INPUTS = (ROOT / "input_templates").as_posix()


SECOND = f"""[run]
name = "y2b"
county = "Trøndelag"
year = 2026
repaid = 250_000
repaid_note = "Tilbakebetalt etter rapporteringen"

[inputs]
counts = "{INPUTS}/trondelag/tall.xlsx"
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


def _config(folder: Path, name: str, year: int, frame: int, apps: str, inputs: str = "") -> Path:
    text = TEMPLATE.replace("../input_templates", INPUTS)
    text = text.replace('name = "Trøndelag 2025 – tildeling etter søknad"', f'name = "{name}"')
    text = text.replace("year = 2025", f"year = {year}").replace("frame = 32_000_000", f"frame = {frame}")
    text = text.replace(f'files = ["{INPUTS}/trondelag/søknader.xlsx"]', f'files = ["{apps}"]')
    text = text.replace("deadline = 2025-02-01", f"deadline = {year}-02-01")
    text = text.replace("decision_date = 2025-03-14", f"decision_date = {year}-03-14")
    text = text.replace("payment_date = 2025-04-01", f"payment_date = {year}-04-01")
    text = text.replace("reporting_deadline = 2026-03-01", f"reporting_deadline = {year + 1}-03-01")
    text = text.replace("[inputs]\n", "[inputs]\n" + inputs + "\n", 1)
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _run(config: Path, out: Path) -> dict[str, Any]:
    assert main(["run", str(config), "--out", str(out)]) == 0
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _text(path: Path) -> str:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.fixture(scope="module")
def cycle(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    import os

    os.environ["ALLOCATION_LETTER_PDF"] = "0"
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
    base = tmp_path_factory.mktemp("syklus")
    _applications(base / "y1-søknader.xlsx", YEAR3)
    _applications(base / "y2-søknader.xlsx", {})
    out: dict[str, Any] = {"base": base}
    out["y1-config"] = _config(base, "y1", 2025, 32_000_000, "y1-søknader.xlsx")
    out["y1"] = _run(out["y1-config"], base / "run-y1")
    out["y2-config"] = _config(base, "y2", 2026, 40_000_000, "y2-søknader.xlsx", 'earlier_decisions = ["run-y1"]')
    out["y2"] = _run(out["y2-config"], base / "run-y2")
    _applications(base / "y2b-søknader.xlsx", {}, only={"Fosen": "Hitra/Frøya", "Namdal": "Namdal"})
    letters = TEMPLATE[TEMPLATE.index("[letters]") :].replace("2025-03-14", "2026-06-14")
    second = base / "y2b.toml"
    second.write_text(SECOND + letters.replace("2025-04-01", "2026-07-01"), encoding="utf-8")
    out["y2b-config"] = second
    out["y2b"] = _run(second, base / "run-y2b")
    return out


REPORTS = """
[reports]
run = "run-y1"
files = ["{folder}"]
deadline = 2026-02-15
unspent_threshold = 5_000
unspent = "deduct"
note = "Rapportering 2026"
"""


def _filled(cycle: dict[str, Any], folder: str) -> Path:
    """The list of reports from year 1, filled in: every other owner 100 000 kr unspent, every
    third UH 50 000 kr."""
    import datetime as dt

    import openpyxl

    base = cycle["base"]
    assert main(["reports", str(base / "run-y1"), "--out", str(base / f"maler-{folder}")]) == 0
    book = openpyxl.load_workbook(base / f"maler-{folder}" / "rapporter.xlsx")
    for i, row in enumerate(book["Rapporter"].iter_rows(min_row=2)):
        if isinstance(row[3].value, int):
            row[5].value = row[3].value - (100_000 if i % 2 == 0 else 0)
            row[6].value = row[4].value - (50_000 if i % 3 == 0 else 0)
            row[7].value = dt.date(2026, 1, 15)
    (base / folder).mkdir()
    book.save(base / folder / "rapporter.xlsx")
    return base / folder


@pytest.fixture(scope="module")
def reported(cycle) -> dict[str, Any]:
    """Year 2 with the reports on year 1 deducted, as well as year 1's commitments drawn."""
    base = cycle["base"]
    _filled(cycle, "rapporter")
    config = base / "y2r.toml"
    config.write_text(cycle["y2-config"].read_text(encoding="utf-8") + REPORTS.format(folder="rapporter"), "utf-8")
    return {"config": config, "manifest": _run(config, base / "run-y2r")}


def test_drawn_commitments_stand_in_the_letters(cycle) -> None:
    """A commitment from an earlier decision paid this year stands in its network's letter
    (decision, recipient, org.nr, amount as the manifest's ``drawn``), and in its recipient's
    letter, one row per network: the recipient's letter amount is the manifest's, never a sum
    without the networks it is made of."""
    m, folder = cycle["y2"], cycle["base"] / "run-y2"
    drawn = [d for d in m["commitments"]["drawn"] if d["amount"]]
    assert drawn
    by_network = {le["network"]: le for le in m["letters"] if le["network"]}
    by_recipient = {le["recipient"]: le for le in m["letters"] if le["network"] is None}
    for d in drawn:
        orgnr = next(c["orgnr"] for c in cycle["y1"]["commitments"]["made"] if c["recipient"] == d["recipient"])
        for letter in (by_network[d["network"]], by_recipient[d["recipient"]]):
            text = _text(folder / letter["file"])
            assert d["decision"] in text and d["recipient"] in text and d["network"] in text, d
            assert kroner_text(d["amount"]) in text, d
            assert orgnr and orgnr in text.replace(" ", ""), d
    internal = {"Møtevirksomhet", "Fellestiltak"}
    recipients = {r["name"]: r["amount"] for r in m["recipients"] if r["name"] not in internal}
    assert {name: le["amount"] for name, le in by_recipient.items()} == recipients
    ntnu = by_recipient["NTNU"]
    assert ntnu["orgnr"] and ntnu["orgnr"] in _text(folder / ntnu["file"])


def test_a_second_round_writes_to_those_it_decides_for(cycle) -> None:
    """A second round decides only on its own applications: a network whose first-round grant
    stands gets no letter saying it was granted 0 kr for the year."""
    m, folder = cycle["y2b"], cycle["base"] / "run-y2b"
    applied = {a["network"] for a in m["applications"]}
    networks = {le["network"] for le in m["letters"] if le["network"]}
    assert networks == applied
    for le in m["letters"]:
        text = _text(folder / le["file"])
        assert kroner_text(le["amount"]) in text and m["fingerprint"] in text
    first = {n["network"]: n["granted"] for n in m["second_round"]["frozen"]}
    assert first["Fosen"] > 0 and not (folder / "brev" / "fosen.docx").exists()


def test_a_letter_says_what_the_reports_took_off_its_payments(cycle, reported) -> None:
    """With ``[reports]`` the payment lines are what is paid after the unspent money is deducted;
    the letter says how much was deducted, so its grant and its payments agree."""
    m, folder = reported["manifest"], cycle["base"] / "run-y2r"
    assert m["commitments"]["total_drawn"] > 0 and m["reports"]["total_deducted"] > 0
    payments: dict[str, list[int]] = {}
    for pay in m["payments"]:
        payments.setdefault(pay["network"], []).append(pay["amount"])
    for a in m["applications"]:
        letter = next(le for le in m["letters"] if le["network"] == a["network"])
        text = _text(folder / letter["file"])
        for amount in payments[a["network"]]:
            assert kroner_text(amount) in text
        unspent = a["unspent_deducted_owner"] + a["unspent_deducted_uh"]
        if unspent:
            said = ("trukket fra utbetalingen: ", "trekte frå utbetalinga: ")  # bokmål, nynorsk
            assert any(f"{s}{kroner_text(unspent)}" in text for s in said), a["network"]
    assert main(["verify", str(folder)]) == 0


def test_an_empty_folder_of_reports_verifies(cycle) -> None:
    """Reports named by a folder that holds none yet: every network is missing (warnings), the
    run is written, and ``verify`` re-runs it from the copies without looking for the folder."""
    base = cycle["base"]
    (base / "tom").mkdir()
    config = base / "y2-tom.toml"
    config.write_text(cycle["y2-config"].read_text(encoding="utf-8") + REPORTS.format(folder="tom"), "utf-8")
    assert main(["validate", str(config), "--out", str(base / "funn-tom")]) == 0
    _run(config, base / "run-y2-tom")
    assert main(["verify", str(base / "run-y2-tom")]) == 0


@pytest.fixture(scope="module")
def alternatives(cycle) -> dict[str, Any]:
    """Year 2 with a scenario beside the base case: commitments drawn, letters, applications."""
    base = cycle["base"]
    config = base / "y2s.toml"
    scenario = '\n[[scenario]]\nname = "Større ramme"\nrun = { frame = 45_000_000 }\n'
    config.write_text(cycle["y2-config"].read_text(encoding="utf-8") + scenario, "utf-8")
    return {"config": config, "manifest": _run(config, base / "run-y2s")}


def test_a_scenario_writes_no_decision_letters(cycle, alternatives) -> None:
    """A scenario is an alternative for the forum, not a decision: its folder has no letters that
    say «har vedtatt», while the base case has them; every folder verifies."""
    base = cycle["base"]
    assert alternatives["manifest"]["letters"]
    other = base / "run-y2s-storre-ramme"
    m = json.loads((other / "manifest.json").read_text(encoding="utf-8"))
    assert m["scenario"] == "Større ramme" and m["commitments"]["total_drawn"] > 0
    assert "letters" not in m and not (other / "brev").exists()
    for folder in (base / "run-y2s", other):
        assert main(["verify", str(folder)]) == 0


def test_a_scenario_folder_is_no_earlier_decision(cycle, alternatives, capsys) -> None:
    """Drawing commitments from a scenario's folder would take off the top what was never
    decided: an error naming the folder, from validate and run alike."""
    base = cycle["base"]
    inputs = 'earlier_decisions = ["run-y1", "run-y2s-storre-ramme"]'
    config = _config(base, "y3-scenario", 2027, 40_000_000, "y2-søknader.xlsx", inputs)
    capsys.readouterr()
    assert main(["validate", str(config), "--out", str(base / "funn-y3")]) == 1
    assert "earlier.scenario" in capsys.readouterr().err
    assert main(["run", str(config), "--out", str(base / "run-y3-scenario")]) == 1
    assert "earlier.scenario" in capsys.readouterr().err
    first = base / "y2b-scenario.toml"
    first.write_text(
        cycle["y2b-config"].read_text(encoding="utf-8").replace('"run-y2"', '"run-y2s-storre-ramme"'), "utf-8"
    )
    assert main(["validate", str(first), "--out", str(base / "funn-y2b")]) == 1
    assert "earlier.scenario" in capsys.readouterr().err


def test_counts_from_statistics_keep_the_written_standard(tmp_path) -> None:
    """Counts from statistics and membership have no sheet «Tall»: the ``Målform`` column of
    «Medlemskap» gives the written standard, so Orkdalsregionen's letter is in nynorsk."""
    import openpyxl

    book = openpyxl.load_workbook(ROOT / "input_templates" / "trondelag" / "medlemskap.xlsx")
    sheet = book["Medlemskap"]
    column = sheet.max_column + 1
    sheet.cell(1, column, "Målform")
    for r in range(2, sheet.max_row + 1):
        if sheet.cell(r, 1).value == "Orkdalsregionen" and sheet.cell(r, 3).value == "Orkland":
            sheet.cell(r, column, "nynorsk")
    book.save(tmp_path / "medlemskap.xlsx")
    text = (ROOT / "config" / "trondelag-statistikk.toml").read_text(encoding="utf-8")
    text = text.replace("../input_templates/trondelag/medlemskap.xlsx", "medlemskap.xlsx")
    text = text.replace("../input_templates", INPUTS) + TEMPLATE[TEMPLATE.index("[letters]") :]
    config = tmp_path / "statistikk.toml"
    config.write_text(text, encoding="utf-8")
    assert main(["validate", str(config), "--out", str(tmp_path / "funn")]) == 0
    m = _run(config, tmp_path / "run")
    standards = {le["network"]: le["standard"] for le in m["letters"] if le["network"]}
    assert standards["Orkdalsregionen"] == "nynorsk"
    assert {s for n, s in standards.items() if n != "Orkdalsregionen"} == {"bokmål"}
    assert "Tilskot" in _text(tmp_path / "run" / "brev" / "orkdalsregionen.docx") or "ramma" in _text(
        tmp_path / "run" / "brev" / "orkdalsregionen.docx"
    )
    assert main(["verify", str(tmp_path / "run")]) == 0


def test_reports_on_a_scenario_are_refused(cycle, alternatives, capsys) -> None:
    """Recipients report on what was decided: a scenario's folder under ``[reports] run`` is an
    error naming it, from validate and run alike."""
    base = cycle["base"]
    _filled(cycle, "rapporter-scenario")
    config = base / "y3-rapporter.toml"
    reports = REPORTS.format(folder="rapporter-scenario").replace('"run-y1"', '"run-y2s-storre-ramme"')
    text = cycle["y2-config"].read_text(encoding="utf-8").replace("year = 2026", "year = 2027")
    config.write_text(text + reports, "utf-8")
    capsys.readouterr()
    assert main(["validate", str(config), "--out", str(base / "funn-y3r")]) == 1
    assert "report.scenario" in capsys.readouterr().err
    assert main(["run", str(config), "--out", str(base / "run-y3r")]) == 1
    assert "report.scenario" in capsys.readouterr().err
    assert main(["reports", str(base / "run-y2s-storre-ramme"), "--out", str(base / "maler-scenario")]) == 1
    assert not (base / "maler-scenario").exists()


def _nordland_applications(path: Path) -> Path:
    """Applications for Nordland's networks, made from the bundled list, with year-3 requests."""
    from .conftest import write_xlsx
    from .test_years import _rows

    rows = _rows()
    head = rows[0]
    networks = ["Salten", "Bodø", "Ofoten", "Vesterålen", "Lofoten", "Indre Helgeland", "Ytre Helgeland"]
    out = [head]
    for i, net in enumerate(networks):
        r = list(rows[1 + i])
        r[0], r[1] = net, f"Tiltak {net}"
        r[head.index("Eier")], r[head.index("Eier referanse")] = f"{net} (ansvarlig eier)", f"KL {net}"
        r[head.index("Eier beløp år 3")], r[head.index("UH beløp år 3")] = 300_000 + 10_007 * i, 200_000 + 3_333 * i
        out.append(r)
    return write_xlsx(path, {"Søknader": out})


def test_nordland_in_thousands_draws_commitments_to_the_krone(tmp_path, capsys) -> None:
    """Nordland rounds to whole thousands, but commitments are split owner/UH to the krone: the
    next year takes each off the top as it was committed, without a warning that blames the
    configuration for amounts the tool made, and the overview reconciles both years."""
    nordland = (ROOT / "config" / "nordland.toml").read_text(encoding="utf-8").replace("../input_templates", INPUTS)
    apps = '\n[applications]\nfiles = ["{0}"]\npolicy = "redistribute"\nredistribution_key = "grunnskole"\n'
    _nordland_applications(tmp_path / "n1.xlsx")
    _nordland_applications(tmp_path / "n2.xlsx")
    (tmp_path / "n1.toml").write_text(nordland + apps.format("n1.xlsx"), encoding="utf-8")
    second = nordland.replace("year = 2023", "year = 2024").replace('name = "Nordland 2023"', 'name = "Nordland 2024"')
    second = second.replace("[inputs]\n", '[inputs]\nearlier_decisions = ["run-n1"]\n', 1)
    (tmp_path / "n2.toml").write_text(second + apps.format("n2.xlsx"), encoding="utf-8")
    first = _run(tmp_path / "n1.toml", tmp_path / "run-n1")
    capsys.readouterr()
    assert main(["validate", str(tmp_path / "n2.toml"), "--out", str(tmp_path / "funn")]) == 0
    assert "config.unit_mismatch" not in capsys.readouterr().err
    m = _run(tmp_path / "n2.toml", tmp_path / "run-n2")
    made = first["commitments"]["made"]
    due = {(c["network"], c["recipient"]): c["amount"] for c in made if c["payment_year"] == 2024}
    assert any(v % 1000 for v in due.values())  # split to the krone
    assert {(d["network"], d["recipient"]): d["amount"] for d in m["commitments"]["drawn"]} == due
    assert not [f for f in m["findings"] if f["code"] == "config.unit_mismatch"]
    granted = sum(n["granted"] for n in m["networks"]) + sum(r["amount"] for r in m["recipients"])
    assert granted + m["held_back"] == m["frame"]
    folders = [str(tmp_path / "run-n1"), str(tmp_path / "run-n2")]
    assert main(["overview", *folders, "--out", str(tmp_path / "o.xlsx")]) == 0
    for folder in ("run-n1", "run-n2"):
        assert main(["verify", str(tmp_path / folder)]) == 0


def test_a_network_that_did_not_apply_gets_a_whole_sentence(cycle) -> None:
    """Hitra/Frøya did not apply in year 2: its letter says so, without «0 kr til eieren og 0 kr
    til UH-partneren .» naming no partner."""
    folder = cycle["base"] / "run-y2"
    letter = next(le for le in cycle["y2"]["letters"] if le["network"] == "Hitra/Frøya")
    text = _text(folder / letter["file"])
    assert "har ikke søkt" in text
    assert "UH-partneren ." not in text and "til eieren og 0 kr" not in text


def test_an_owner_gets_its_commitments_in_its_own_written_standard(cycle) -> None:
    """Orkdalsregionen's owner writes nynorsk (Målform in «Tall»): the letter for its earlier
    commitments is in nynorsk too, like its network's letter; a UH partner keeps the default."""
    letters = cycle["y2"]["letters"]
    owner = "Orkdalsregionen (ansvarlig eier)"
    standards = {le["network"]: le["standard"] for le in letters if le["recipient"] == owner}
    assert standards == {"Orkdalsregionen": "nynorsk", None: "nynorsk"}
    assert next(le["standard"] for le in letters if le["recipient"] == "NTNU") == "bokmål"


def test_reports_taken_by_the_first_round_are_not_taken_again(cycle, reported, capsys) -> None:
    """The first round (and a later year drawing on it) already deducted the unspent money the
    reports on year 1 showed: the same ``[reports]`` again would deduct or claim it twice."""
    base = cycle["base"]
    again = REPORTS.format(folder="rapporter")
    second = base / "y2b-rapporter.toml"
    text = cycle["y2b-config"].read_text(encoding="utf-8").replace('"run-y2"', '"run-y2r"')
    second.write_text(text + again, "utf-8")
    capsys.readouterr()
    assert main(["validate", str(second), "--out", str(base / "funn-y2br")]) == 1
    assert "report.taken_before" in capsys.readouterr().err
    assert main(["run", str(second), "--out", str(base / "run-y2br")]) == 1
    assert "report.taken_before" in capsys.readouterr().err
    inputs = 'earlier_decisions = ["run-y1", "run-y2r"]'
    later = _config(base, "y3-rapporter-igjen", 2027, 40_000_000, "y2-søknader.xlsx", inputs)
    later.write_text(later.read_text(encoding="utf-8") + again, "utf-8")
    assert main(["validate", str(later), "--out", str(base / "funn-y3ri")]) == 1
    assert "report.taken_before" in capsys.readouterr().err
