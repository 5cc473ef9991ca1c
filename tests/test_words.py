"""Words a reader should see: the committee's workbooks speak Norwegian, an amount in a message
never breaks across lines, a finding's value shows as the user sees it, one word per meaning."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from allocation.cli import main
from allocation.model.formatting import NBSP, kroner_in_text, value_as_shown
from allocation.model.parameter_names import parameter_label, parameter_value

from .conftest import ROOT

# words of the configuration file a committee member should not meet outside the verbatim copy
CONFIG_WORDS = re.compile(r"\bflat\b|per_network|\bpots?\.|«[^»]*»\.(amount|percent|per_network|spread)|redistribute")


def _cells(path: Path) -> list[tuple[str, str, str]]:
    """(sheet, cell, text) of every text cell, the verbatim configuration on «Parametre» left out."""
    out = []
    for ws in openpyxl.load_workbook(path).worksheets:
        verbatim = False
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    verbatim = verbatim or (ws.title == "Parametre" and c.value.endswith(", ordrett"))
                    if not verbatim:
                        out.append((ws.title, c.coordinate, c.value))
    return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("words")
    config = (ROOT / "config" / "trondelag-soknader.toml").read_text(encoding="utf-8")
    config = config.replace('"../input_templates/', f'"{(ROOT / "input_templates").as_posix()}/')
    config += '\n[[scenario]]\nname = "Grunntilskudd"\npots = { "Grunntilskudd" = { per_network = 300_000 } }\n'
    (tmp / "scenario.toml").write_text(config, encoding="utf-8")
    out = {}
    for name, path in (
        ("soknader", ROOT / "config" / "trondelag-soknader.toml"),
        ("nordland", ROOT / "config" / "nordland.toml"),
        ("scenario", tmp / "scenario.toml"),
    ):
        assert main(["-q", "run", str(path), "--out", str(tmp / name)]) == 0
        out[name] = tmp / name
    assert main(["-q", "compare", str(tmp / "soknader"), str(next(tmp.glob("scenario-*"))),
                 "--out", str(tmp / "sammenligning.xlsx")]) == 0  # fmt: skip
    out["compare"] = tmp / "sammenligning.xlsx"
    return out


def test_an_amount_in_a_message_does_not_break() -> None:
    assert kroner_in_text(1_580_500) == f"1{NBSP}580{NBSP}500{NBSP}kr"
    assert kroner_in_text(0) == f"0{NBSP}kr"
    assert kroner_in_text(-2_000) == f"-2{NBSP}000{NBSP}kr"


def test_findings_about_amounts_use_non_breaking_spaces(runs: dict[str, Path]) -> None:
    import json

    findings = json.loads((runs["soknader"] / "manifest.json").read_text(encoding="utf-8"))["findings"]
    over = [f for f in findings if f["code"] == "applications.over_frame"]
    assert over
    for f in over:
        assert not re.search(r"\d \d{3}|\d kr", f["message"]), f["message"]
        assert re.search(rf"\d{NBSP}\d{{3}}{NBSP}kr", f["message"])


@pytest.mark.parametrize(
    "raw,shown",
    [
        ("1250.0", "1250"),
        ("-5.0", "-5"),
        ("0,3", "0,3"),
        ("Fosen", "Fosen"),
        ("a\nb", "a\\nb"),
        ("x" * 200, "x" * 80 + "… (200 tegn)"),
    ],
)
def test_a_findings_value_as_the_user_sees_it(raw: str, shown: str) -> None:
    assert value_as_shown(raw) == shown


def test_kontroll_shows_amounts_grouped(runs: dict[str, Path]) -> None:
    ws = openpyxl.load_workbook(runs["soknader"] / "fordeling.xlsx")["Kontroll"]
    heads = [c.value for c in ws[1]]
    col = heads.index("Verdi")
    values = [row[col].value for row in ws.iter_rows(min_row=2) if row[col].value]
    assert f"6{NBSP}000{NBSP}000" in values  # a number cell in an amount field, as an amount
    assert "6000000" not in values
    assert all(len(v) <= 100 for v in values)


def test_no_configuration_words_in_the_committee_workbooks(runs: dict[str, Path]) -> None:
    books = [runs[n] / "fordeling.xlsx" for n in ("soknader", "nordland", "scenario")]
    books += [runs["scenario"] / "scenarier.xlsx", runs["compare"]]
    for book in books:
        for sheet, cell, text in _cells(book):
            office_column = sheet == "Parametre" and cell.startswith("D") and book.name != "fordeling.xlsx"
            if sheet == "Revisjon" or office_column:
                continue  # the office's column: the path in the configuration, kept last
            assert not CONFIG_WORDS.search(text), (book.name, sheet, cell, text)


def test_a_payment_line_names_the_role_once(runs: dict[str, Path]) -> None:
    for _, _, text in _cells(runs["soknader"] / "fordeling.xlsx"):
        assert not re.search(r"\([^()]*\) \((Eier|UH)\)", text), text
    lines = [t for s, _, t in _cells(runs["soknader"] / "fordeling.xlsx") if s == "Per nettverk" and "org.nr" in t]
    assert lines and all(re.match(r"(Eier|UH): ", t) for t in lines), lines[:3]


def test_rounding_has_one_name_per_meaning(runs: dict[str, Path]) -> None:
    """«Fordeling» shows the adjustment of an exact share to whole kroner (a decimal, summing to 0);
    «Sporing» the whole units given by largest remainder. Two meanings, two names."""
    wb = openpyxl.load_workbook(runs["nordland"] / "fordeling.xlsx")
    fordeling = [c.value for c in wb["Fordeling"][1] if c.value]
    sporing = [c.value for c in wb["Sporing"][1] if c.value]
    assert any(h.endswith(": justering") for h in fordeling)
    assert "Tillegg største rest" in sporing and "Rundet ned" in sporing
    for head in fordeling + sporing:
        assert "avrunding" not in head.lower(), head


@pytest.mark.parametrize(
    "path,value,label,shown",
    [
        ("pot «Koordinering».per_network", "100 000", "Koordinering: beløp per nettverk (kr)", "100 000"),
        ("pot «Koordinering».extra.Malvik", "200 000", "Koordinering: ekstra til «Malvik» (kr)", "200 000"),
        ("pots.Grunntilskudd.per_network", "300 000", "Grunntilskudd: beløp per nettverk (kr)", "300 000"),
        ("pots.Tiltak 2.0.spread", "flat", "Tiltak 2.0: fordeles", "likt på nettverkene"),
        ("pot «Fordelingsnøkkel».rest", "true", "Fordelingsnøkkel: tar resten", "ja"),
        ("run.year", "2 025", "År", "2025"),
        ("applications.policy", "hold_back", "Ramme det ikke er søkt om", "holdes tilbake"),
        ("keys.elevtall.columns.Barn i barnehage", "1", "Nøkkel «elevtall»: vekt for «Barn i barnehage»", "1"),
        ("scenario «A».run.frame", "33 000 000", "Scenario «A»: Ramme (kr)", "33 000 000"),
        ("something.new", "x", "something.new", "x"),
    ],
)
def test_parameters_in_norwegian(path: str, value: str, label: str, shown: str) -> None:
    assert parameter_label(path) == label
    assert parameter_value(path, value) == shown
