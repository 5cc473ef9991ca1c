"""What a reader sees in the workbook: the same thing written the same way on every sheet, and no
Python value (None, True, nan) or template leftover in any cell."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from allocation.cli import main

from .conftest import ROOT

PYTHON_WORDS = re.compile(r"^(None|True|False|nan|NaN|null)$|\{\{|\{%|\bNone\b")


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    out = tmp_path_factory.mktemp("look") / "run"
    assert main(["run", str(ROOT / "config" / "trondelag-soknader.toml"), "--out", str(out), "--quiet"]) == 0
    return openpyxl.load_workbook(Path(out) / "fordeling.xlsx")


def test_tilsagn_writes_org_nr_and_role_as_utbetaling_does(book) -> None:
    pay = list(book["Utbetaling"].iter_rows(values_only=True))
    head = pay[0]
    paid = {
        (r[head.index("Mottaker")], r[head.index("Rolle")], r[head.index("Org.nr")])
        for r in pay[1:]
        if r[head.index("Org.nr")]
    }
    rows = list(book["Tilsagn"].iter_rows(values_only=True))
    made = {(r[7], r[6], r[8]) for r in rows[1:] if r[0] == "Dette vedtaket"}
    assert paid and paid <= made, sorted(paid - made)[:3]
    assert all(re.fullmatch(r"\d{3} \d{3} \d{3}", r[8]) for r in rows[1:] if r[0] == "Dette vedtaket")
    assert {r[6] for r in rows[1:] if r[0] == "Dette vedtaket"} == {"Eier", "UH"}


def test_no_python_value_or_template_leftover_in_any_cell(book) -> None:
    for ws in book.worksheets:
        if ws.title == "Revisjon":  # the configuration, quoted as written
            continue
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and not cell.value.startswith("="):
                    assert not PYTHON_WORDS.search(cell.value), (ws.title, cell.coordinate, cell.value)
