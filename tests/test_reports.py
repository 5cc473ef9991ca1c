"""Recipients' reports on an earlier decision: templates, reading back, findings, deduction and claims.

The decision reported on is the bundled Trøndelag example (year 1); a second year's run names it
under [reports]. Every krone is checked against what the manifests say, computed independently.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from allocation.allocate.unspent import settle_unspent
from allocation.cli import main
from allocation.model.applications import Application
from allocation.model.findings import ConfigError, InputErrors
from allocation.model.reports import DecisionRun, Granted, Report, ReportsRules
from allocation.model.result import AppGrant, Grants, NetworkGrant
from allocation.pipeline import run
from allocation.read.configuration import parse_config
from allocation.read.reports import read_decision, read_reports

from .conftest import ROOT, write_xlsx

COUNTS = (ROOT / "input_templates" / "trondelag" / "tall.xlsx").as_posix()
APPS = (ROOT / "input_templates" / "trondelag" / "søknader.xlsx").as_posix()


def year_config(folder: Path, year: int, reports: str = "") -> Path:
    """The bundled Trøndelag example for ``year``, with absolute input paths and a [reports] table."""
    text = (ROOT / "config" / "trondelag-soknader.toml").read_text(encoding="utf-8")
    text = text.replace("../input_templates/trondelag/tall.xlsx", COUNTS)
    text = text.replace("../input_templates/trondelag/søknader.xlsx", APPS)
    text = text.replace("year = 2025", f"year = {year}").replace("Trøndelag 2025", f"Trøndelag {year}")
    path = folder / f"år{year}.toml"
    path.write_text(text + reports, encoding="utf-8")
    return path


def manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def decision(tmp_path_factory) -> Path:
    """Year 1 run folder and its report templates (module-wide: made once)."""
    base = tmp_path_factory.mktemp("vedtak")
    assert main(["run", str(year_config(base, 2025)), "--out", str(base / "y1")]) == 0
    assert main(["reports", str(base / "y1"), "--out", str(base / "maler")]) == 0
    return base / "y1"


def granted_by_network(m: dict) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for a in m["applications"]:
        o, u = out.get(a["network"], (0, 0))
        out[a["network"]] = (o + a["granted_owner"], u + a["granted_uh"])
    return out


def fill(template: Path, dest: Path, unspent_owner: int, unspent_uh: int, date: dt.date | None) -> Path:
    """A template filled in as a recipient would: used = granted − unspent, the date delivered."""
    wb = openpyxl.load_workbook(template)
    ws = wb["Rapport"]
    assert ws["A10"].value == "Brukt eier" and ws["A11"].value == "Brukt UH"
    ws["B10"] = ws["B8"].value - unspent_owner
    ws["B11"] = ws["B9"].value - unspent_uh
    if date is not None:
        ws["B14"] = dt.datetime.combine(date, dt.time())
    dest.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dest)
    return dest


def reports_table(run_dir: Path, folder: str, **extra: object) -> str:
    lines = ["", "[reports]", f'run = "{run_dir.as_posix()}"', f'files = ["{folder}"]']
    lines += [f"{k} = {json.dumps(v) if isinstance(v, (str, list)) else v}" for k, v in extra.items()]
    return "\n".join(lines) + "\n"


def test_templates_are_prefilled_with_what_was_granted(decision) -> None:
    m = manifest(decision)
    granted = granted_by_network(m)
    maler = decision.parent / "maler"
    files = sorted(p.name for p in maler.iterdir())
    assert len(files) == len(granted) + 1 and "rapporter.xlsx" in files
    ws = openpyxl.load_workbook(maler / "rapport-fosen.xlsx")["Rapport"]
    assert (ws["B5"].value, ws["B8"].value, ws["B9"].value) == ("Fosen", *granted["Fosen"])
    assert ws["B4"].value == m["name"]
    owner_name = next(p["recipient"] for p in m["payments"] if p["network"] == "Fosen" and p["role"] == "Eier")
    assert ws["B6"].value == owner_name
    lst = openpyxl.load_workbook(maler / "rapporter.xlsx")["Rapporter"]
    rows = {r[0]: (r[3], r[4]) for r in lst.iter_rows(min_row=2, values_only=True) if r[3] is not None}
    assert rows == granted
    # an untouched template is not a report of 0 kr: the blank amounts are errors naming their cells
    reports, findings = read_reports([maler / "rapport-fosen.xlsx"])
    assert reports == []
    assert {(f.code, f.cell) for f in findings} == {("report.value", "B10"), ("report.value", "B11")}
    # an untouched list holds no reports at all (every network then is missing, never 0)
    assert read_reports([maler / "rapporter.xlsx"]) == ([], [])


def test_unspent_deducted_from_this_years_payment(decision, tmp_path) -> None:
    maler = decision.parent / "maler"
    inn = tmp_path / "innsendt"
    fill(maler / "rapport-fosen.xlsx", inn / "fosen.xlsx", 100_000, 0, dt.date(2026, 6, 10))
    fill(maler / "rapport-namdal.xlsx", inn / "namdal.xlsx", 5_000, 3_000, dt.date(2026, 6, 20))
    fill(maler / "rapport-innherred.xlsx", inn / "innherred.xlsx", 0, 0, dt.date(2026, 6, 1))
    table = reports_table(
        decision, "innsendt", deadline="2026-06-15", unspent_threshold=5000, exempt=["Trøndelag fylkeskommune"]
    ).replace('"2026-06-15"', "2026-06-15")
    out = tmp_path / "y2"
    assert main(["run", str(year_config(tmp_path, 2026, table)), "--out", str(out)]) == 0
    m = manifest(out)
    paid: dict[tuple[str, str], int] = {}
    for p in m["payments"]:
        paid[(p["network"], p["role"])] = paid.get((p["network"], p["role"]), 0) + p["amount"]
    granted = granted_by_network(m)
    assert paid[("Fosen", "Eier")] == granted["Fosen"][0] - 100_000
    assert paid[("Fosen", "UH")] == granted["Fosen"][1]
    assert (paid[("Namdal", "Eier")], paid[("Namdal", "UH")]) == (
        granted["Namdal"][0] - 5_000,
        granted["Namdal"][1] - 3_000,
    )
    assert sum(paid.values()) == sum(n["granted"] for n in m["networks"]) - 108_000
    assert m["reports"]["total_deducted"] == 108_000 and m["repayment_claims"] == []
    assert sum(a["unspent_deducted_owner"] + a["unspent_deducted_uh"] for a in m["applications"]) == 108_000
    codes = {(f["code"], f["severity"], f["file"], f["cell"]) for f in m["findings"] if f["code"].startswith("report.")}
    assert ("report.unspent", "warning", "fosen.xlsx", "B10") in codes
    assert ("report.late", "warning", "namdal.xlsx", "B14") in codes
    missing = {f["value"] for f in m["findings"] if f["code"] == "report.missing"}
    assert missing == set(granted_by_network(manifest(decision))) - {"Fosen", "Namdal", "Innherred"} - {
        "Trøndelag fylkeskommune"
    }
    ws = openpyxl.load_workbook(out / "fordeling.xlsx", data_only=True)["Tilbakebetaling"]
    sums = next(r for r in ws.iter_rows(values_only=True) if r[0] == "Sum")
    assert sums[7:10] == (108_000, 108_000, 0)
    assert (out / "inputs" / "rapportert-manifest.json").read_bytes() == (decision / "manifest.json").read_bytes()
    assert main(["verify", str(out)]) == 0


def test_unspent_claimed_back_instead(decision, tmp_path) -> None:
    maler = decision.parent / "maler"
    fill(maler / "rapport-fosen.xlsx", tmp_path / "inn" / "fosen.xlsx", 100_000, 20_000, dt.date(2026, 6, 1))
    fill(maler / "rapport-namdal.xlsx", tmp_path / "inn" / "namdal.xlsx", 4_000, 0, dt.date(2026, 6, 1))
    table = reports_table(decision, "inn", unspent="claim", unspent_threshold=5000)
    out = tmp_path / "y2"
    assert main(["run", str(year_config(tmp_path, 2026, table)), "--out", str(out)]) == 0
    m = manifest(out)
    assert sum(p["amount"] for p in m["payments"]) == sum(n["granted"] for n in m["networks"])
    y1 = manifest(decision)
    fosen = {p["role"]: p["recipient"] for p in y1["payments"] if p["network"] == "Fosen"}
    claims = [(c["network"], c["role"], c["recipient"], c["amount"]) for c in m["repayment_claims"]]
    assert claims == [("Fosen", "Eier", fosen["Eier"], 100_000), ("Fosen", "UH", fosen["UH"], 20_000)]
    notes = [f for f in m["findings"] if f["code"] == "report.unspent" and f["severity"] == "note"]
    assert [f["file"] for f in notes] == ["namdal.xlsx"]  # 4 000 kr, not above the threshold: left alone
    ws = openpyxl.load_workbook(out / "fordeling.xlsx", data_only=True)["Tilbakebetaling"]
    total = next(r for r in ws.iter_rows(values_only=True) if r[0] == "Sum krav")
    assert total[3] == 120_000
    assert main(["verify", str(out)]) == 0


def _grants(owner: int, uh: int) -> Grants:
    app = Application("s.xlsx", "Søknader", 1, values={"network": "A"})
    g = AppGrant(app, owner + uh, owner + uh, owner, uh)
    return Grants("hold_back", "report", {"A": NetworkGrant("A", owner + uh, owner + uh, owner + uh, apps=[g])}, 0)


@pytest.mark.parametrize(("paid_owner", "unspent_owner"), [(50, 100), (100, 100), (0, 7), (1_000, 1)])
def test_deduction_never_below_zero_and_the_rest_is_claimed(paid_owner, unspent_owner) -> None:
    decision = DecisionRun("V", None, "v", {"A": Granted("A", 500, 300, "Eier A", "UH A")})
    rep = Report("A", 500 - unspent_owner, 300, None, "a.xlsx", "Rapport", "B5", ("B10", "B11"))
    grants = _grants(paid_owner, 10)
    outcome = settle_unspent([rep], decision, ReportsRules(Path("m.json"), ()), grants)
    app = grants.networks["A"].apps[0]
    assert app.paid_owner == max(0, paid_owner - unspent_owner) and app.paid_uh == 10
    (u,) = outcome.unspent
    assert u.deducted_owner + u.claimed_owner == unspent_owner  # conservation, to the krone
    assert outcome.total_claimed() == max(0, unspent_owner - paid_owner)
    assert all(c.recipient == "Eier A" for c in outcome.claims)


def test_bad_reports_are_errors_naming_their_cells(decision, tmp_path) -> None:
    maler = decision.parent / "maler"
    inn = tmp_path / "inn"
    fill(maler / "rapport-fosen.xlsx", inn / "a-fosen.xlsx", 0, 0, dt.date(2026, 6, 1))
    fill(maler / "rapport-fosen.xlsx", inn / "b-fosen.xlsx", 0, 0, dt.date(2026, 6, 1))
    over = fill(maler / "rapport-namdal.xlsx", inn / "namdal.xlsx", 0, 0, None)
    wb = openpyxl.load_workbook(over)
    wb["Rapport"]["B10"] = wb["Rapport"]["B8"].value + 1
    wb.save(over)
    heads = ["Nettverk", "Brukt eier", "Brukt UH", "Levert"]
    write_xlsx(
        inn / "liste.xlsx", {"Rapporter": [heads, ["Atlantis", 1, 2, "01.06.2026"], ["Innherred", "mye", 0, "x"]]}
    )
    write_xlsx(inn / "feil.xlsx", {"Ark1": [["Nettverk", "Fosen"]]})
    with pytest.raises(InputErrors) as exc:
        run(year_config(tmp_path, 2026, reports_table(decision, "inn")))
    got = {(f.code, f.file, f.cell) for f in exc.value.findings if f.code.startswith("report.")}
    assert ("report.duplicate", "b-fosen.xlsx", "B5") in got
    assert ("report.unknown_recipient", "liste.xlsx", "A2") in got
    assert ("report.value", "liste.xlsx", "B3") in got  # «mye» is not an amount
    assert ("report.value", "liste.xlsx", "D3") in got  # «x» is not a date
    assert ("report.no_sheet", "feil.xlsx", "") in got
    assert ("report.overspent", "namdal.xlsx", "B10") in got


def test_tampered_or_unusable_decision_folder_is_refused(decision, tmp_path, capsys) -> None:
    copy = tmp_path / "y1"
    shutil.copytree(decision, copy)
    (copy / "inputs" / "tall.xlsx").write_bytes(b"not the counts")
    fill(decision.parent / "maler" / "rapport-fosen.xlsx", tmp_path / "inn" / "f.xlsx", 0, 0, None)
    with pytest.raises(InputErrors) as exc:
        run(year_config(tmp_path, 2026, reports_table(copy, "inn")))
    (f,) = [f for f in exc.value.findings if f.code == "report.run_tampered"]
    assert str(copy) in f.message and "tall.xlsx" in f.message
    assert main(["reports", str(copy), "--out", str(tmp_path / "m")]) == 1
    assert not (tmp_path / "m").exists()
    broken = tmp_path / "ødelagt"
    broken.mkdir()
    (broken / "manifest.json").write_text("{", encoding="utf-8")
    decision_run, findings = read_decision(broken / "manifest.json")
    assert decision_run is None and [f.code for f in findings] == ["report.run_unusable"]


def test_reports_on_a_manifest_missing_amounts_is_a_finding_with_a_fix(decision, tmp_path, capsys) -> None:
    """A manifest that lacks what the templates need is an input problem named with its file and
    a way to fix it (exit 1), not a bare exception name (exit 2)."""
    copy = tmp_path / "y1"
    shutil.copytree(decision, copy)
    m = manifest(copy)
    del m["applications"][0]["granted_owner"]
    (copy / "manifest.json").write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    assert main(["reports", str(copy), "--out", str(tmp_path / "m")]) == 1
    printed = capsys.readouterr()
    text = printed.out + printed.err
    assert "report.run_unusable" in text and "manifest.json" in text and "verify" in text
    assert "KeyError" not in text
    assert not (tmp_path / "m").exists()


def test_reports_configuration_is_checked(decision, tmp_path) -> None:
    text = year_config(tmp_path, 2026, reports_table(decision, "inn", unspent="keep")).read_text(encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        parse_config(text, tmp_path)
    assert [(f.code, f.cell, f.value) for f in exc.value.findings] == [
        ("config.unspent_rule", "reports.unspent", "keep")
    ]
    with pytest.raises(ConfigError) as exc:
        parse_config(text.replace('unspent = "keep"', "unspent_treshold = 5"), tmp_path)
    assert [f.code for f in exc.value.findings] == ["config.unknown_key"]


def test_reports_command_needs_grants_and_a_new_folder(decision, tmp_path, capsys) -> None:
    frames = tmp_path / "rammer"
    assert main(["run", str(ROOT / "config" / "trondelag.toml"), "--out", str(frames)]) == 0
    assert main(["reports", str(frames), "--out", str(tmp_path / "m")]) == 2
    assert "ingen tildelinger etter søknad" in capsys.readouterr().out
    assert not (tmp_path / "m").exists()
    assert main(["reports", str(decision), "--out", str(decision.parent / "maler")]) == 2  # exists already


def test_a_field_given_twice_in_one_report_is_an_error_not_the_first_row(tmp_path) -> None:
    rows = [["Nettverk", "Fosen"], ["Brukt eier", 100], ["Brukt UH", 0], ["Brukt eier", 900]]
    write_xlsx(tmp_path / "fosen.xlsx", {"Rapport": rows})
    reports, findings = read_reports([tmp_path / "fosen.xlsx"])
    assert reports == []
    assert [(f.code, f.file, f.sheet, f.cell) for f in findings] == [("report.value", "fosen.xlsx", "Rapport", "A4")]
    assert "A2" in findings[0].message and "Brukt eier" in findings[0].message


def test_an_exempt_name_that_is_no_network_is_an_error(decision, tmp_path, capsys) -> None:
    """A name in [reports] exempt that is no network of the decision (a typo) would exempt no one
    and leave the real network a «missing» warning: it is an error naming the key and the
    closest network, never silently ignored."""
    maler = decision.parent / "maler"
    fill(maler / "rapport-fosen.xlsx", tmp_path / "innsendt" / "fosen.xlsx", 0, 0, dt.date(2026, 6, 1))
    table = reports_table(decision, "innsendt", exempt=["Trøndelag fylkeskomune"])
    out = tmp_path / "y2"
    config = year_config(tmp_path, 2026, table)
    assert main(["validate", str(config), "--out", str(tmp_path / "kontroll")]) == 1
    assert main(["run", str(config), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "report.exempt_unknown" in text and "Trøndelag fylkeskomune" in text
    assert "Mente du «Trøndelag fylkeskommune»?" in text  # the closest network, as the fix
