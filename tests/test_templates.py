"""The form template agrees with the reader: its data validation warns exactly about the entries
the reader will not accept (as LibreOffice computes the validation formula), and every template
prints on A4 without blank pages."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path
from typing import Any

import openpyxl

from allocation.model.applications import FIELDS
from allocation.model.typed_entries import Names, excel_rule
from allocation.read.applications import _date, defined_name
from allocation.read.values import parse_amount, parse_percent
from allocation.write.templates import write_form, write_templates

from .test_libreoffice import convert, require_libreoffice

# (kind, what a person types or Excel stores): the form's own help text first, then what real
# forms hold (domain.md), then what must be refused
ENTRIES: dict[str, list[Any]] = {
    "amount": [
        "1 000 000 (anslag)",
        "450 000,-",
        "1 580 500",
        "1000 000 (anslag)",
        "918 100",
        "145 767,-",
        "22 400 ( eier)",
        "kr 1 580 500",
        "1 580 500 kr",
        "1\u00a0580\u00a0500",
        "1\u202f580\u202f500",
        "1.500.000",
        "1 500,00",
        "0",
        "Eier: 450 000",
        "(anslag) 200 000",
        1_580_500,
        0,
        1_000_000_000_000,
        # refused by the reader, so warned about by the form
        "1.500",
        "1 0OO 000",
        "30 000 (år 1) 0 (år 2)",
        "350 000 (UH) 50 000 (reise)",
        "30 000 0",
        "abc",
        "-5",
        "12,5",
        "1 580 500 kroner og litt",
        "(anslag)",
        12.5,
        -400,
        10**13,
        "1 000 000 (anslag",
    ],
    "share": [
        "30",
        "30 %",
        "30%",
        "Eier: 30",
        "UH: 20 %",
        "0,3",
        "12,5",
        "12.5",
        "100",
        "0",
        30,
        0.3,
        100,
        "150",
        "150 %",
        "-5",
        "abc",
        "30 40",
        "12.5.3",
        "12,",
        101,
        -1,
    ],
    "yesno": ["Ja", "ja", "JA", "Nei", "nei", " Ja ", "x", "j", "n", "Yes", "kanskje", "Jaa", "0"],
    "date": [
        "15.01.2026",
        "15.01.26",
        "2026-01-15",
        "15/01/2026",
        dt.date(2026, 1, 15),
        "1.2.2026",
        "32.01.2026",
        "15.13.2026",
        "29.02.2025",
        "i går",
        "15-01-2026",
        "2026/01/15",
    ],
}


# Refused by the reader, let through by the form: finer checks a spreadsheet formula of
# reasonable size does not repeat (see model.typed_entries). The reader names the cell.
ONLY_THE_READER: dict[str, tuple[Any, ...]] = {
    "amount": ("30 000 0",),  # spaces that do not group thousands: two numbers
    "date": ("32.01.2026", "15.13.2026", "29.02.2025"),  # no such day
}


def reader_accepts(kind: str, value: Any) -> bool:
    if kind == "amount":
        p = parse_amount(value)
        return p.problem is None and p.value is not None and p.value >= 0
    if kind == "share":
        p = parse_percent(value)
        return p.problem is None and p.value is not None
    if kind == "yesno":
        from allocation.model.typed_entries import NO_WORDS, YES_WORDS
        from allocation.read.workbooks import header_key

        return header_key(str(value)) in YES_WORDS + NO_WORDS
    parsed, problem, _ = _date(value)
    return problem is None and parsed is not None


def _fields(kind: str) -> list[tuple[int, str]]:
    """(row of the value cell, field id) of every field of ``kind`` in the form."""
    return [(4 + i, fid) for i, (fid, _, k) in enumerate(FIELDS) if k == kind]


def _verdict_name(kind: str, row: int, fid: str) -> str:
    names = Names(f"_kontroll_{defined_name(fid)}")
    rule = excel_rule(kind, f"'Søknad'!$B${row}", names)
    assert rule is not None
    return rule


def _forms(tmp: Path) -> list[tuple[Path, list[tuple[str, Any, str]]]]:
    """Filled-in forms, each field of a kind holding one entry; beside each, in column D, a
    formula that asks for the field's own validation formula (as the template defines it)."""
    jobs: list[tuple[str, Any]] = [(k, v) for k, values in ENTRIES.items() for v in values]
    forms = []
    while jobs:
        values: dict[str, Any] = {}
        placed: list[tuple[str, Any, str]] = []  # (kind, entry, cell of the verdict)
        for kind in ENTRIES:
            for row, fid in _fields(kind):
                index = next((i for i, (k, _) in enumerate(jobs) if k == kind), None)
                if index is None:
                    break
                _, entry = jobs.pop(index)
                values[fid] = entry
                placed.append((kind, entry, f"D{row}|{_verdict_name(kind, row, fid)}"))
        path = tmp / f"skjema-{len(forms)}.xlsx"
        write_form(path, values)
        wb = openpyxl.load_workbook(path)
        for _, _, spec in placed:
            cell, name = spec.split("|")
            wb["Søknad"][cell] = f"={name}"
        wb.save(path)
        forms.append((path, [(k, e, s.split("|")[0]) for k, e, s in placed]))
    return forms


def test_the_forms_validation_and_the_reader_agree(tmp_path: Path) -> None:
    require_libreoffice()
    forms = _forms(tmp_path)
    converted = convert([f for f, _ in forms], tmp_path, "xlsx:Calc MS Excel 2007 XML")
    fights, missed = [], []
    checked = 0
    for (_, placed), done in zip(forms, converted, strict=True):
        ws = openpyxl.load_workbook(done, data_only=True)["Søknad"]
        for kind, entry, cell in placed:
            verdict = ws[cell].value
            assert isinstance(verdict, bool), (kind, entry, cell, verdict)
            checked += 1
            accepted = reader_accepts(kind, entry)
            if accepted and not verdict:
                fights.append((kind, entry))  # the form warns about what the reader reads
            elif verdict and not accepted and entry not in ONLY_THE_READER.get(kind, ()):
                missed.append((kind, entry))
            elif verdict == accepted and entry in ONLY_THE_READER.get(kind, ()):
                missed.append((kind, entry, "står i ONLY_THE_READER, men skjemaet fanger den"))
    assert checked == sum(len(v) for v in ENTRIES.values())
    assert not fights, fights
    assert not missed, missed


def test_the_entries_cover_both_verdicts() -> None:
    for kind, values in ENTRIES.items():
        verdicts = {reader_accepts(kind, v) for v in values}
        assert verdicts == {True, False}, kind
    for entry in ("1 000 000 (anslag)", "450 000,-"):
        assert reader_accepts("amount", entry)
    assert reader_accepts("share", "Eier: 30")


def test_the_help_text_recommends_only_what_the_reader_accepts(tmp_path: Path) -> None:
    """Every amount and share the form's help texts and validation messages give as an example
    is read by the reader: «1 000 000 (anslag)», «450 000,-», «Eier: 30» …"""
    write_templates(tmp_path)
    ws = openpyxl.load_workbook(tmp_path / "mal-søknadsskjema.xlsx")["Søknad"]
    kinds = {4 + i: kind for i, (_, _, kind) in enumerate(FIELDS)}
    texts: dict[str, list[str]] = {"amount": [], "share": []}
    for row, kind in kinds.items():
        if kind in texts and isinstance(ws.cell(row, 3).value, str):
            texts[kind].append(ws.cell(row, 3).value)
    for dv in ws.data_validations.dataValidation:
        kind = kinds[int(str(dv.sqref).lstrip("B"))]
        if kind in texts:
            texts[kind] += [dv.prompt or "", dv.error or ""]
    patterns = {"amount": r"\d[\d ]*\d(?:,-)?(?: \(anslag\))?", "share": r"(?:Eier: )?\d+(?: ?%)?"}
    seen = {kind: {m for t in found for m in re.findall(patterns[kind], t)} for kind, found in texts.items()}
    assert {"1 000 000 (anslag)", "450 000,-"} <= seen["amount"] and {"Eier: 30", "30 %"} <= seen["share"], seen
    for kind, examples in seen.items():
        for example in examples:
            assert reader_accepts(kind, example), (kind, example)


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def test_templates_print_on_a4_without_blank_pages(tmp_path: Path) -> None:
    require_libreoffice("pdftotext", "pdfinfo")
    write_templates(tmp_path / "maler")
    files = sorted((tmp_path / "maler").glob("*.xlsx"))
    pdfs = convert(files, tmp_path, "pdf")
    for source, pdf in zip(files, pdfs, strict=True):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
        assert size, info
        w, h = sorted(float(x) for x in size.groups())
        assert abs(w - 595) < 3 and abs(h - 842) < 3, (source.name, size.group(0))  # A4
        pages = _pages(pdf)
        blank = [i + 1 for i, page in enumerate(pages) if not page.strip()]
        assert not blank, (source.name, f"tomme sider: {blank} av {len(pages)}")
        limit = {"mal-søknadsskjema.xlsx": 1, "mal-tall.xlsx": 1, "mal-parametre.xlsx": 3}.get(source.name, 6)
        assert len(pages) <= limit, (source.name, len(pages))
        assert _smallest_word_height(pdf) >= 9.2, source.name  # about 8 pt: a word's box is ~1.2 × its size


def _smallest_word_height(pdf: Path) -> float:
    """The height of the smallest word box on any page (pdftotext -bbox)."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    boxes = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', xml)
    assert boxes, pdf.name
    return min(float(b) - float(a) for a, b in boxes)
