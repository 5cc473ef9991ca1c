"""Applications: both layouts, the golden redistribution case, every check, granting properties."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.allocate.granting import grant
from allocation.cli import main
from allocation.model.applications import FIELDS, Application
from allocation.model.config import ApplicationRules
from allocation.model.findings import InputErrors
from allocation.pipeline import run
from allocation.read.applications import read_application_file
from allocation.write.templates import write_form, write_list

from .conftest import GOLDEN, ROOT, write_xlsx

EXPECTED = json.loads((GOLDEN / "trondelag" / "expected-with-applications.json").read_text(encoding="utf-8"))
KEYS = ("requested", "granted", "granted_owner", "granted_uh")


def manifest_grants(folder: Path) -> dict:
    m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    nets = {n["name"]: {"parts": n["parts"], "frame": n["frame"], **{k: n[k] for k in KEYS}} for n in m["networks"]}
    return {
        "frame": m["frame"],
        "networks": nets,
        "recipients": {r["name"]: r["amount"] for r in m["recipients"]},
        "held_back": m["held_back"],
    }


@pytest.mark.parametrize("config", ["trondelag-soknader.toml", "trondelag-skjema.toml"])
def test_golden_redistribution_in_both_layouts(tmp_path, config) -> None:
    out = tmp_path / "k"
    assert main(["run", str(ROOT / "config" / config), "--out", str(out)]) == 0
    assert manifest_grants(out) == EXPECTED
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    paid = sum(p["amount"] for p in m["payments"])
    assert paid == sum(n["granted"] for n in m["networks"])
    assert paid + sum(r["amount"] for r in m["recipients"]) + m["held_back"] == m["frame"]


def _rows_from_list() -> list[list]:
    from python_calamine import CalamineWorkbook

    rows = (
        CalamineWorkbook.from_path(ROOT / "input_templates" / "trondelag" / "søknader.xlsx")
        .get_sheet_by_name("Søknader")
        .to_python()
    )
    return [[None if v == "" else v for v in r] for r in rows]


def _config(tmp_path: Path, apps_line: str, extra: str = "") -> Path:
    text = (ROOT / "config" / "trondelag-soknader.toml").read_text(encoding="utf-8")
    text = text.replace(
        'counts = "../input_templates/trondelag/tall.xlsx"',
        f'counts = "{(ROOT / "input_templates" / "trondelag" / "tall.xlsx").as_posix()}"',
    )
    text = text.replace('files = ["../input_templates/trondelag/søknader.xlsx"]', apps_line)
    text = text.replace('policy = "redistribute"', extra or 'policy = "redistribute"')
    path = tmp_path / "modell.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_hold_back_policy(tmp_path) -> None:
    shutil.copy(ROOT / "input_templates" / "trondelag" / "søknader.xlsx", tmp_path / "s.xlsx")
    _, result = run(_config(tmp_path, 'files = ["s.xlsx"]', 'policy = "hold_back"'))
    g = result.grants
    for name, exp in EXPECTED["networks"].items():
        want = min(exp["requested"] or 0, exp["frame"])
        assert g.networks[name].granted == want
    unused = sum(n["frame"] for n in EXPECTED["networks"].values()) - g.total_granted()
    assert result.total_held_back == unused == 1_748_002


def _list_with(tmp_path: Path, change: dict[int, dict[str, object]], extra_rows: list[list] | None = None) -> Path:
    rows = _rows_from_list()
    head = rows[0]
    for r, fields in change.items():
        for label, value in fields.items():
            rows[r][head.index(label)] = value
    write_xlsx(tmp_path / "s.xlsx", {"Søknader": rows + (extra_rows or [])})
    return _config(tmp_path, 'files = ["s.xlsx"]')


def codes_cells(tmp_path: Path, change: dict, extra_rows: list[list] | None = None) -> set[tuple[str, str]]:
    with pytest.raises(InputErrors) as exc:
        run(_list_with(tmp_path, change, extra_rows))
    return {(f.code, f.cell) for f in exc.value.findings if f.severity == "error"}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({1: {"Nettverk": "Trondhjem/Malvik"}}, ("applications.unknown_network", "A2")),
        ({2: {"Partnerskap bekreftet": "Nei"}}, ("applications.not_confirmed", "E3")),
        ({3: {"UH": None}}, ("applications.no_uh", "J4")),
        ({4: {"Eier org.nr": "913000006"}}, ("applications.orgnr_invalid", "G5")),
        ({5: {"UH kontonummer": "7694 05186981"}}, ("applications.account_invalid", "L6")),
        ({6: {"Eier kontonummer": None}}, ("applications.account_missing", "H7")),
        ({7: {"Andel koordinator": "21"}}, ("applications.shares_sum", "T8")),
        ({8: {"Eier beløp år 1": "-100"}}, ("applications.negative", "N9")),
        ({9: {"UH beløp år 1": "1 0OO 000"}}, ("applications.unreadable_amount", "Q10")),
        ({1: {"Andel planlegging": "ti"}}, ("applications.unreadable_share", "U2")),
        ({1: {"Mottatt": "i går"}}, ("applications.unreadable_date", "AA2")),
    ],
)
def test_each_error_names_its_cell(tmp_path, change, expected) -> None:
    assert expected in codes_cells(tmp_path, change)


def test_two_applications_for_one_network(tmp_path) -> None:
    rows = _rows_from_list()
    found = codes_cells(tmp_path, {}, [rows[1]])
    assert ("applications.duplicate", "A12") in found


def test_all_errors_at_once(tmp_path) -> None:
    found = codes_cells(tmp_path, {2: {"Partnerskap bekreftet": "Nei"}, 5: {"UH kontonummer": "7694 05186981"}})
    assert {c for c, _ in found} == {"applications.not_confirmed", "applications.account_invalid"}


def warnings_for(tmp_path: Path, change: dict, extra: str = "") -> set[tuple[str, str]]:
    cfg = _list_with(tmp_path, change)
    if extra:
        cfg.write_text(cfg.read_text(encoding="utf-8").replace("max_coordination_share = 20", extra), encoding="utf-8")
    prepared, _ = run(cfg)
    return {(f.code, f.cell) for f in prepared.findings if f.severity == "warning"}


def test_warnings(tmp_path) -> None:
    found = warnings_for(
        tmp_path,
        {
            1: {"Eier beløp år 1": "6 000 000 (anslag)"},
            2: {"Andel koordinator": "40", "Andel gjennomføring": "40"},
            3: {"Koordinator beløp": None},
            4: {"Mottatt": dt.datetime(2025, 3, 1)},
        },
    )
    assert ("applications.estimate_year1", "N2") in found
    assert ("applications.coordination_high", "W3") in found
    assert ("applications.coordination_no_amount", "X4") in found
    assert ("applications.late", "AA5") in found
    assert ("applications.over_frame", "N2") in found
    assert any(code == "applications.no_application" for code, _ in found)


def test_coordination_limit_is_configurable(tmp_path) -> None:
    found = warnings_for(tmp_path, {}, extra="max_coordination_share = 10")
    assert ("applications.coordination_high", "W2") not in found  # Trondheim: 10 %, at the limit
    assert ("applications.coordination_high", "W3") in found  # Værnes: 20 %


def test_form_read_by_label_when_names_deleted(tmp_path) -> None:
    from python_calamine import CalamineWorkbook

    rows = (
        CalamineWorkbook.from_path(ROOT / "input_templates" / "trondelag" / "søknader.xlsx")
        .get_sheet_by_name("Søknader")
        .to_python()
    )
    values = {fid: (v if v != "" else None) for (fid, _, _), v in zip(FIELDS, rows[1], strict=True)}
    # a form without defined names, with an extra row inserted near the top
    form_rows = [["Søknad"], [], ["Merknad fra eier"]] + [[label, values[fid]] for fid, label, _ in FIELDS]
    path = write_xlsx(tmp_path / "skjema.xlsx", {"Søknad": form_rows})
    (app,), findings = read_application_file(path, "skjema.xlsx")
    assert findings == []
    assert app.network == "Trondheim/Malvik" and app.requested(1) == 9_500_000
    assert app.cells["owner_y1"] == "B17"
    named = tmp_path / "named.xlsx"
    write_form(named, values)
    (app2,), _ = read_application_file(named, "named.xlsx")
    assert app2.values == app.values


def test_folder_skips_lock_and_hidden_files(tmp_path) -> None:
    folder = tmp_path / "skjema"
    shutil.copytree(ROOT / "input_templates" / "trondelag" / "skjema", folder)
    (folder / "~$søknad-fosen.xlsx").write_bytes(b"lock")
    (folder / ".DS_Store").write_bytes(b"x")
    (folder / "notat.docx").write_bytes(b"x")
    prepared, result = run(_config(tmp_path, 'folder = "skjema"'))
    notes = {(f.code, f.file) for f in prepared.findings if f.severity == "note"}
    assert notes == {
        ("applications.lock_file", "~$søknad-fosen.xlsx"),
        ("applications.hidden_file", ".DS_Store"),
        ("applications.not_xlsx", "notat.docx"),
    }
    assert result.grants.total_granted() == sum(n["granted"] for n in EXPECTED["networks"].values())


def test_list_template_reads_back_empty(tmp_path) -> None:
    write_list(tmp_path / "l.xlsx")
    apps, findings = read_application_file(tmp_path / "l.xlsx", "l.xlsx")
    assert apps == [] and findings == []


RULES = ApplicationRules(files=(), folder=None)


def _app(net: str, owner: int, uh: int) -> Application:
    return Application("s.xlsx", "Søknader", 1, values={"network": net, "owner_y1": owner, "uh_y1": uh})


@settings(max_examples=150, deadline=None)
@given(
    data=st.data(),
    n=st.integers(min_value=1, max_value=8),
    policy=st.sampled_from(["redistribute", "hold_back"]),
    unit=st.sampled_from([1, 1000]),
)
def test_granting_properties(data, n, policy, unit) -> None:
    nets = [f"N{i}" for i in range(n)]
    frames = {x: data.draw(st.integers(min_value=0, max_value=5_000_000)) for x in nets}
    weights = {x: Fraction(data.draw(st.integers(min_value=0, max_value=1000))) for x in nets}
    apps = [
        _app(x, data.draw(st.integers(0, 4_000_000)), data.draw(st.integers(0, 2_000_000)))
        for x in nets
        if data.draw(st.booleans())
    ]
    rules = ApplicationRules(files=(), folder=None, policy=policy)
    g = grant(frames, apps, weights, rules, unit)
    assert g.total_granted() + g.held_back == sum(frames.values())
    for x, ng in g.networks.items():
        assert ng.granted >= 0
        if ng.requested is None:
            assert ng.granted == 0
            continue
        assert ng.granted <= ng.requested
        if policy == "hold_back":
            assert ng.granted == min(ng.requested, frames[x])
        assert ng.granted_owner + ng.granted_uh == ng.granted
    if policy == "redistribute":
        lacking = [x for x, ng in g.networks.items() if ng.requested and ng.granted < ng.requested and weights[x] > 0]
        assert g.held_back < unit or not lacking  # money left over only when no one with a weight lacks any


def test_fund_deducted_from_payout_or_only_reported(tmp_path) -> None:
    for rule, deducted in (("report", 0), ("deduct", 150_000 + 50_000)):
        folder = tmp_path / rule
        folder.mkdir()
        cfg = _list_with(folder, {1: {"Fond eier": "150 000", "Fond UH": 50_000}})
        cfg.write_text(cfg.read_text(encoding="utf-8").replace('fund = "report"', f'fund = "{rule}"'), encoding="utf-8")
        out = folder / "k"
        assert main(["run", str(cfg), "--out", str(out)]) == 0
        m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        granted = sum(n["granted"] for n in m["networks"])
        assert granted == sum(n["granted"] for n in EXPECTED["networks"].values())
        assert sum(p["amount"] for p in m["payments"]) == granted - deducted
        trondheim = [p for p in m["payments"] if p["network"] == "Trondheim/Malvik"]
        assert [p["amount"] for p in trondheim] == [
            6_000_000 - (150_000 if deducted else 0),
            3_500_000 - (50_000 if deducted else 0),
        ]
        assert trondheim[0]["account"] == "1500.00.00008" and trondheim[0]["orgnr"] == "910 000 004"


def test_indicative_later_years(tmp_path) -> None:
    _, result = run(_config(tmp_path, f'files = ["{(ROOT / "input_templates/trondelag/søknader.xlsx").as_posix()}"]'))
    fosen = result.grants.networks["Fosen"].apps[0]
    assert fosen.indicative[2] == (1_300_000, 1_094_165)  # capped by the frame
    namdal = result.grants.networks["Namdal"].apps[0]
    assert namdal.indicative[2] == (1_600_000, 1_600_000)
    assert 3 not in namdal.indicative
