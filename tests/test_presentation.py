"""The workbook as a committee member meets it: formats, tables, frozen headers, print set-up,
charts, and (with LibreOffice) how many landscape pages each sheet prints on."""

from __future__ import annotations

import re
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from allocation.cli import main

from .conftest import ROOT
from .test_libreoffice import convert, require_libreoffice


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("presentasjon")
    out = {}
    for config in ("nordland.toml", "trondelag-soknader.toml"):
        folder = base / config.replace(".toml", "")
        assert main(["run", str(ROOT / "config" / config), "--out", str(folder), "-q"]) == 0
        out[config] = folder / "fordeling.xlsx"
    return out


def test_sheet_order_tabs_and_frozen_headers(runs) -> None:
    wb = openpyxl.load_workbook(runs["trondelag-soknader.toml"])
    assert wb.sheetnames == [
        "Sammendrag",
        "Vedtaksoversikt",
        "Diagrammer",
        "Fordeling",
        "Per nettverk",
        "Avsetninger",
        "Søknader",
        "Utbetaling",
        "Tilsagn",
        "Sporing",
        "Kontroll",
        "Parametre",
        "Revisjon",
    ]
    assert all(ws.sheet_properties.tabColor is not None for ws in wb.worksheets)
    assert wb["Fordeling"].freeze_panes == "B2"
    for name in ("Avsetninger", "Søknader", "Utbetaling", "Sporing", "Kontroll"):
        assert wb[name].freeze_panes is not None, name


def test_lists_are_tables_with_totals(runs) -> None:
    wb = openpyxl.load_workbook(runs["trondelag-soknader.toml"])
    expected = {
        "Fordeling": True,
        "Avsetninger": True,
        "Søknader": True,
        "Utbetaling": True,
        "Sporing": False,
        "Kontroll": False,
    }
    for sheet, totals in expected.items():
        tables = list(wb[sheet].tables.values())
        assert len(tables) == 1, sheet
        assert bool(tables[0].totalsRowCount) == totals, sheet
        assert tables[0].autoFilter is not None


def test_amounts_have_thousands_format_and_shares_percent(runs) -> None:
    wb = openpyxl.load_workbook(runs["trondelag-soknader.toml"])
    ws = wb["Fordeling"]
    header = [c.value for c in ws[1]]
    frame = header.index("Ramme for nettverket") + 1
    for row in range(2, ws.max_row + 1):
        cell = ws.cell(row, frame)
        if cell.value is not None:
            assert cell.number_format == "#,##0_)", cell.coordinate  # a space after the last digit
    assert wb["Utbetaling"]["G2"].number_format == "#,##0_)"


PORTRAIT = ("Sammendrag", "Vedtaksoversikt")


def test_print_setup(runs) -> None:
    wb = openpyxl.load_workbook(runs["nordland.toml"])
    for ws in wb.worksheets:
        if ws.title in PORTRAIT:  # one portrait page each: see tests/test_at_a_glance.py
            assert ws.page_setup.orientation == "portrait" and ws.page_setup.fitToHeight in (1, None), ws.title
            continue
        assert ws.page_setup.orientation == "landscape", ws.title
        assert str(ws.page_setup.paperSize) == "9", ws.title  # A4
        fitted = ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage
        if fitted:  # fitted to the width only where that keeps 11 pt text at 8 pt or more
            assert ws.page_setup.fitToWidth in (1, None) and ws.page_setup.fitToHeight == 0, ws.title
        else:  # else printed at a readable scale, over pages across with the first columns repeated
            assert int(ws.page_setup.scale or 100) >= 74, ws.title
            if ws.col_breaks.brk:
                assert ws.print_title_cols, ws.title
        assert "&P" in ws.oddFooter.right.text and "&N" in ws.oddFooter.right.text, ws.title
        assert "Nordland 2023" in ws.oddHeader.left.text, ws.title
    assert wb["Fordeling"].print_title_rows == "$1:$1"


def test_native_charts(runs) -> None:
    with zipfile.ZipFile(runs["nordland.toml"]) as zf:
        charts = sorted(n for n in zf.namelist() if n.startswith("xl/charts/chart"))
        assert len(charts) == 2
        bar, pie = (zf.read(c).decode() for c in charts)
    pie, bar = sorted((pie, bar), key=lambda c: "<c:barChart>" in c)
    assert "<c:barChart>" in bar and '<c:grouping val="stacked"/>' in bar
    assert bar.count("<c:ser>") == 3 and "Diagrammer!$A$" in bar  # each chart reads its own table
    assert "<c:pieChart>" in pie and "Diagrammer!$B$" in pie


def test_pages_per_sheet_in_landscape(runs, tmp_path) -> None:
    require_libreoffice("pdftotext")
    pdfs = convert(list(runs.values()), tmp_path, "pdf")
    expected_networks = {"nordland": 9, "trondelag-soknader": 11}
    for pdf in pdfs:
        stem = pdf.stem.split("-", 1)[1]  # wbN-<run folder>
        data = pdf.read_bytes()
        boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
        portrait = len(PORTRAIT)  # Sammendrag and Vedtaksoversikt, the first two pages
        assert boxes and sum(float(w) < float(h) for w, h in boxes) == portrait, "the rest in landscape"
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
        pages = Counter()
        for page in text.split("\f"):
            lines = [line for line in page.splitlines() if line.strip()]
            if lines:
                pages[lines[0].split()[-1] if "Per nettverk" not in lines[0] else "Per nettverk"] += 1
        # no sheet squeezed below 8 pt onto one page (tests/test_render.py measures the text)
        for sheet in ("Sammendrag", "Vedtaksoversikt", "Avsetninger"):
            assert pages[sheet] == 1, (stem, sheet, pages)
        for sheet in ("Fordeling", "Kontroll", "Revisjon"):  # Revisjon: pytest's long command line
            assert 1 <= pages[sheet] <= 2, (stem, sheet, pages)
        assert pages["Per nettverk"] == expected_networks[stem]
        assert 1 <= pages["Diagrammer"] <= 2
        if stem == "trondelag-soknader":
            assert pages["Søknader"] <= 4 and pages["Utbetaling"] == 1


def test_a_cell_xlsxwriter_refuses_is_a_write_error_naming_it(tmp_path) -> None:
    from allocation.write.book import Book, Sheet, WriteError

    book = Book(tmp_path / "b.xlsx", "Tittel", "stempel")
    sheet = Sheet(book, "Ark")
    sheet.text(0, 0, "ok", "bold")
    sheet.number(0, 1, 1)
    for write in (
        lambda: sheet.text(1_048_576, 0, "x"),
        lambda: sheet.text(1_048_576, 0, None, "bold"),
        lambda: sheet.number(0, 16_384, 1),
        lambda: sheet.formula(1_048_576, 0, "=1", 1),
    ):
        with pytest.raises(WriteError, match="i arket «Ark»"):
            write()
    book.wb.close()
