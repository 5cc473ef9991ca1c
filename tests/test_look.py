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


@pytest.fixture(scope="module")
def report_templates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("maler")
    assert main(["run", str(ROOT / "config" / "trondelag-soknader.toml"), "--out", str(base / "y1"), "--quiet"]) == 0
    assert main(["reports", str(base / "y1"), "--out", str(base / "maler")]) == 0
    return base / "maler"


def test_report_guide_wraps_inside_the_form(report_templates) -> None:
    from allocation.write.report_templates import GUIDE

    for name, sheet in (("rapport-fosen.xlsx", "Rapport"), ("rapporter.xlsx", "Rapporter")):
        ws = openpyxl.load_workbook(report_templates / name)[sheet]
        merged = [r for r in ws.merged_cells.ranges if str(ws.cell(r.min_row, 1).value or "").endswith(GUIDE[-40:])]
        assert len(merged) == 1, name
        r = merged[0]
        assert ws.cell(r.min_row, 1).alignment.wrap_text
        height = sum(ws.row_dimensions[i].height or 15 for i in range(r.min_row, r.max_row + 1))
        assert height >= 45, (name, height)  # room for its three lines or more


def test_report_templates_print_on_one_page_with_the_whole_guide(report_templates, tmp_path) -> None:
    import subprocess

    from .norwegian_print import to_pdf
    from .test_libreoffice import require_libreoffice

    require_libreoffice("pdftotext", "pdfinfo")
    files = [report_templates / "rapport-fosen.xlsx", report_templates / "rapporter.xlsx"]
    for f, pdf in zip(files, to_pdf(files, tmp_path), strict=True):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"Pages:\s+1\n", info), (f.name, info)
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "kreves tilbakebetalt." in " ".join(text.split()), f.name


def test_an_org_nr_or_amount_is_never_wrapped_in_a_sheet(book) -> None:
    from allocation.write.fitting import PAD
    from allocation.write.textfit import longest_word, text_width

    assert longest_word("972 000 000") >= text_width("972 000 000")  # one word, however narrow the column
    assert longest_word("Søknad på 1 300 000 kr") >= text_width("1 300 000")
    ws = book["Utbetaling"]
    head = [c.value for c in ws[1]]
    col = head.index("Org.nr")
    letter = ws.cell(1, col + 1).column_letter
    values = [r[col] for r in ws.iter_rows(min_row=2, values_only=True) if r[col]]
    assert values and ws.column_dimensions[letter].width >= max(text_width(v) for v in values) + PAD
    short = [
        i + 2
        for i, r in enumerate(ws.iter_rows(min_row=2, values_only=True))
        if r[0] in ("DMMH", "NTNU", "Nord universitet") and max(len(r[4]), len(r[5])) <= 20
    ]
    assert short and all((ws.row_dimensions[i].height or 15) <= 16 for i in short)  # one line each
