"""End to end with real Excel error cells (``t="e"``) and per-cent-formatted cells.

These need pre-flight to put ``CellError`` and ``PercentCell`` into the rows that
``read_workbook_sheets`` returns; the first test asserts that it does."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

from allocation.model.applications import FIELDS
from allocation.model.config import COUNT_COLUMNS
from allocation.read.applications import read_application_file
from allocation.read.counts import read_counts
from allocation.read.parameters import read_parameters
from allocation.read.workbooks import CellError, PercentCell, read_workbook_sheets

from .conftest import HEADERS

PLACEHOLDER = 987654321


def workbook(path: Path, sheet: str, rows: list[list[Any]], errors: dict[str, str] | None = None) -> Path:
    """Rows from A1; a ``PercentCell`` value is written per-cent-formatted; ``errors`` (A1 -> ``#REF!``)
    become real error cells with a formula, as Excel stores them."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    pct = wb.add_format({"num_format": "0%"})
    ws = wb.add_worksheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, PercentCell):
                ws.write_number(r, c, float(value), pct)
            elif isinstance(value, str):
                ws.write_string(r, c, value)
            elif value is not None:
                ws.write(r, c, value)
    for ref in errors or {}:
        ws.write_number(ref, PLACEHOLDER)
    wb.close()
    if errors:
        with zipfile.ZipFile(path) as zin:
            parts = {i.filename: zin.read(i.filename) for i in zin.infolist()}
        xml = parts["xl/worksheets/sheet1.xml"].decode()
        for ref, error in errors.items():
            xml = re.sub(
                rf'<c r="{ref}"[^>]*><v>{PLACEHOLDER}</v></c>',
                f'<c r="{ref}" t="e"><f>{ref}+#REF!</f><v>{error}</v></c>',
                xml,
            )
        parts["xl/worksheets/sheet1.xml"] = xml.encode()
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
            for name, data in parts.items():
                zout.writestr(name, data)
    return path


def _overlay_present(tmp: Path) -> bool:
    path = workbook(tmp / "probe.xlsx", "Ark", [["x", PercentCell(0.5)], [1]], {"A2": "#REF!"})
    sheets, _, findings = read_workbook_sheets(path, "probe.xlsx", None)
    if findings or "Ark" not in sheets:
        return False
    return isinstance(sheets["Ark"].cell(1, 0), CellError) and isinstance(sheets["Ark"].cell(0, 1), PercentCell)


def test_error_and_percent_cells_arrive_as_their_types(tmp_path) -> None:
    assert _overlay_present(tmp_path)


@pytest.mark.parametrize("error", ["#REF!", "#DIV/0!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"])
def test_error_cell_in_a_count_is_an_error_never_zero(tmp_path, error) -> None:
    rows = [HEADERS, ["Fosen", None, None, 10, 20, 0], ["Namdal", None, None, 5, 7, 1]]
    path = workbook(tmp_path / "tall.xlsx", "Tall", rows, {"E3": error, "A2": error})
    counts, findings = read_counts(path, "tall.xlsx", list(COUNT_COLUMNS))
    assert counts is None
    assert {(f.code, f.cell, f.value) for f in findings} == {
        ("counts.excel_error", "E3", error),
        ("counts.excel_error", "A2", error),
    }


def test_percent_cells_in_parameters_are_read_by_their_format(tmp_path) -> None:
    rows = [
        ["Navn", "Beløp", "Andel (%)", "Mottaker", "Vedtak"],
        ["Felles", None, PercentCell(0.3), None, None],
        ["For mye", None, PercentCell(1.5), None, None],
        ["Møter", None, None, None, None],
    ]
    path = workbook(tmp_path / "parametre.xlsx", "Avsetninger", rows, {"B4": "#REF!"})
    params, findings = read_parameters(path, "parametre.xlsx")
    assert params.setasides[0]["percent"] == 30
    got = {(f.code, f.cell) for f in findings}
    assert got == {("parameters.percent", "C3"), ("parameters.excel_error", "B4")}
    (pct,) = [f for f in findings if f.code == "parameters.percent"]
    assert pct.value == "150 %"


def test_error_and_percent_cells_in_an_application_list(tmp_path) -> None:
    fids = [fid for fid, _, _ in FIELDS]
    row: list[Any] = [None] * len(fids)
    for fid, value in {
        "network": "Fosen",
        "confirmed": "Ja",
        "owner": "Ørland kommune",
        "uh": "NTNU",
        "owner_y1": 300_000,
        "share_kartlegging": PercentCell(0.3),
        "share_planlegging": PercentCell(0.7),
    }.items():
        row[fids.index(fid)] = value
    path = workbook(
        tmp_path / "liste.xlsx", "Søknader", [[label for _, label, _ in FIELDS], row], {"Q2": "#N/A", "F2": "#REF!"}
    )
    (app,), findings = read_application_file(path, "liste.xlsx")
    assert app.get("share_kartlegging") == 30 and app.get("share_planlegging") == 70
    assert {(f.code, f.cell) for f in findings} == {
        ("applications.excel_error", "Q2"),
        ("applications.excel_error", "F2"),
    }
