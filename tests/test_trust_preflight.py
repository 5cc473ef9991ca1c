"""Pre-flight that cannot be bypassed: sheet XML judged as an XML parser reads it, cells placed
as python-calamine places them, error and per-cent cells arriving as the user sees them, and
hostile files refused within time and memory."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest

from allocation.read import sheetxml
from allocation.read import workbooks as excel
from allocation.read.workbooks import CellError, PercentCell, read_workbook_sheets

from .conftest import ROOT, write_xlsx

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def sheet_xml(data: str, before: str = "", after: str = "") -> str:
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}>'
    return f"{head}{before}<sheetData>{data}</sheetData>{after}</worksheet>"


def styles_xml(formats: list[int], custom: dict[int, str] | None = None) -> str:
    fmts = "".join(f'<numFmt numFmtId="{i}" formatCode={quoteattr(code)}/>' for i, code in (custom or {}).items())
    xfs = "".join(f'<xf numFmtId="{f}" fontId="0" fillId="0" borderId="0" xfId="0"/>' for f in formats)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {NS}><numFmts count="{len(custom or {})}">{fmts}</numFmts>'
        f'<cellXfs count="{len(formats)}">{xfs}</cellXfs></styleSheet>'
    )


def workbook(
    path: Path,
    sheet: str | bytes,
    *,
    styles: str | None = None,
    strings: list[str] | None = None,
    names: str = "",
    workbook_xml: str | bytes | None = None,
    level: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """A minimal .xlsx written part by part, so that the XML can be anything."""
    wb = workbook_xml or (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook {NS} xmlns:r="{REL_NS}">'
        f'<sheets><sheet name="Tall" sheetId="1" r:id="rId1"/></sheets>{names}</workbook>'
    )
    rels = [f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>']
    if styles is not None:
        rels.append(f'<Relationship Id="rId2" Type="{REL_NS}/styles" Target="styles.xml"/>')
    if strings is not None:
        rels.append(f'<Relationship Id="rId3" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>')
    with zipfile.ZipFile(path, "w", level, compresslevel=9) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        zf.writestr(
            "_rels/.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{PKG_NS}"><Relationship Id="rId1" '
            f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        zf.writestr("xl/workbook.xml", wb)
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{PKG_NS}">{"".join(rels)}</Relationships>',
        )
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
        if styles is not None:
            zf.writestr("xl/styles.xml", styles)
        if strings is not None:
            items = "".join(f"<si><t>{s}</t></si>" for s in strings)
            zf.writestr("xl/sharedStrings.xml", f'<?xml version="1.0"?><sst {NS} count="{len(strings)}">{items}</sst>')
    return path


def read(path: Path):
    sheets, _, findings = read_workbook_sheets(path, path.name, ["Tall"])
    return sheets.get("Tall"), findings


def codes(findings) -> set[tuple[str, str]]:
    return {(f.code, f.cell) for f in findings}


# ------------------------------------------------------------------ cells placed as calamine places them


def test_error_cells_arrive_where_calamine_puts_cells_without_r(tmp_path) -> None:
    data = (
        '<row r="2"><c><v>1</v></c><c t="e"><v>#REF!</v></c></row>'  # A2, B2
        '<row><c r="C3"><v>2</v></c><c t="e"><v>#DIV/0!</v></c></row>'  # row without r: row 3; D3
        '<row r="6"><c r="B8"><v>3</v></c><c t="e"><v>#N/A</v></c></row>'  # a cell off its row: C6
        "<row><c/><c/><c t='e'><f>1/0</f><v>#VALUE!</v></c></row>"  # row 7: C7
    )
    sheet, findings = read(workbook(tmp_path / "t.xlsx", sheet_xml(data)))
    assert findings == []
    assert sheet.cell(1, 0) == 1.0 and sheet.cell(1, 1) == CellError("#REF!")
    assert sheet.cell(2, 2) == 2.0 and sheet.cell(2, 3) == CellError("#DIV/0!")
    assert sheet.cell(7, 1) == 3.0 and sheet.cell(5, 2) == CellError("#N/A")
    assert sheet.cell(6, 2) == CellError("#VALUE!")
    errors = {(r, c): v for r, row in enumerate(sheet.rows) for c, v in enumerate(row) if isinstance(v, CellError)}
    assert set(errors) == {(1, 1), (2, 3), (5, 2), (6, 2)}


@pytest.mark.parametrize(
    "cell",
    [
        '<c t="e" r="B2"><v>#NAME?</v></c>',
        "<c t='e' s='0' r='B2'><v>#NAME?</v></c>",
        '<c\n  r="B2"\n  t="e"><v>#NAME?</v></c>',
    ],
    ids=["reordered", "single quotes", "line breaks"],
)
def test_attributes_in_any_order(tmp_path, cell) -> None:
    sheet, findings = read(workbook(tmp_path / "t.xlsx", sheet_xml(f'<row r="2"><c r="A2"><v>5</v></c>{cell}</row>')))
    assert findings == []
    assert isinstance(sheet.cell(1, 1), CellError) and sheet.cell(1, 1) == "#NAME?"


def test_prefixed_namespace(tmp_path) -> None:
    xml = (
        '<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c><x:c r="B1" t="e"><x:v>#NUM!</x:v></x:c>'
        '<x:c r="C1"><x:f>A1</x:f></x:c></x:row></x:sheetData></x:worksheet>'
    )
    sheet, findings = read(workbook(tmp_path / "t.xlsx", xml))
    assert findings == [] and sheet.cell(0, 1) == CellError("#NUM!")
    assert sheet.info.formulas_without_value == ["C1"]


def test_every_excel_error_text_arrives(tmp_path) -> None:
    cells = "".join(f'<c t="e"><v>{e}</v></c>' for e in excel.EXCEL_ERRORS[:7])
    sheet, _ = read(workbook(tmp_path / "t.xlsx", sheet_xml(f"<row>{cells}</row>")))
    assert sheet.rows[0][:7] == list(excel.EXCEL_ERRORS[:7])
    assert all(type(v) is CellError for v in sheet.rows[0][:7])


# ---------------------------------------------------------------------------- cells that cannot be trusted


@pytest.mark.parametrize(
    ("data", "cell"),
    [
        ('<row r="1"><c r="A1"><v>1</v></c><c r="A1"><v>2</v></c></row>', "A1"),
        ('<row r="3"><c r="C3"><v>1</v></c><c r="C3" t="s"><v>0</v></c></row>', "C3"),
        (
            '<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="B2"><v>5</v></c></row>'
            '<row r="1"><c r="A1"><v>2</v></c></row>',
            "A1",
        ),  # a row written twice
        ('<row r="4"><c r="B4"><v>1</v></c><c><v>2</v></c><c r="C4"><v>3</v></c></row>', "C4"),  # C4 by position
        ('<row r="2"><c r="D2"><v>1</v></c><c r="B2"><v>2</v></c><c r="D2"><v>3</v></c></row>', "D2"),
    ],
    ids=["adjacent", "other type", "row twice", "without r", "out of order"],
)
def test_duplicate_cell_is_an_error_naming_it(tmp_path, data, cell) -> None:
    sheet, findings = read(workbook(tmp_path / "t.xlsx", sheet_xml(data)))
    assert sheet is None
    assert ("sheet.duplicate_cell", cell) in codes(findings)
    hit = next(f for f in findings if f.code == "sheet.duplicate_cell")
    assert hit.sheet == "Tall" and hit.file == "t.xlsx" and hit.fix


def test_empty_value_is_an_error_but_an_empty_text_result_is_not(tmp_path) -> None:
    data = (
        '<row r="1"><c r="A1"><v/></c><c r="B1" t="s"><v></v></c>'
        '<c r="C1" t="str"><f>""</f><v></v></c><c r="D1" s="0"/></row>'
    )
    sheet, findings = read(workbook(tmp_path / "t.xlsx", sheet_xml(data)))
    assert codes(findings) == {("sheet.empty_value", "A1"), ("sheet.empty_value", "B1")}


def test_formula_without_value_found_without_r(tmp_path) -> None:
    data = '<row r="2"><c><v>1</v></c><c><f>A2*2</f></c><c><f>A2</f><v></v></c><c><f>A2</f><v>1</v></c></row>'
    path = workbook(tmp_path / "t.xlsx", sheet_xml(data))
    sheet, findings = read(path)
    assert findings == []
    assert sheet.info.formulas_without_value == ["B2", "C2"]
    assert {f.cell for f in excel.sheet_findings(sheet, 0) if f.code == "sheet.formula_no_value"} == {"B2", "C2"}


@pytest.mark.parametrize("text", ["9" * 5000, "1e400", "-1E999", "NaN", "inf", "12abc"])
def test_number_no_spreadsheet_can_show(tmp_path, text) -> None:
    data = f'<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>{text}</v></c></row>'
    sheet, findings = read(workbook(tmp_path / "t.xlsx", sheet_xml(data)))
    assert sheet is None and ("sheet.bad_number", "B1") in codes(findings)
    assert len(next(f for f in findings if f.code == "sheet.bad_number").value) <= 41


@pytest.mark.parametrize(
    "ref",
    ["$B$1", "B0", "1B", "B1:B2", "", "ABCD1", "B99999999"],
)
def test_unreadable_reference_is_refused_before_calamine(tmp_path, ref) -> None:
    sheet, findings = read(workbook(tmp_path / "t.xlsx", sheet_xml(f'<row r="1"><c r="{ref}"><v>1</v></c></row>')))
    assert sheet is None and findings and findings[0].code in ("file.corrupt", "file.range")
    assert "Traceback" not in findings[0].message


# ---------------------------------------------------------------------------------------- per cent


def test_percent_formatted_numbers_arrive_as_percent_cells(tmp_path) -> None:
    styles = styles_xml(
        [0, 9, 10, 164, 165, 166, 167, 168],
        {164: "0.0%", 165: '0.0"%"', 166: "0\\%", 167: "[Red]0.00%;[Blue]-0.00%", 168: "#,##0_%"},
    )
    cells = "".join(f'<c r="{chr(65 + i)}2" s="{i}"><v>1.5</v></c>' for i in range(8))
    data = f'<row r="2">{cells}<c r="I2" s="1" t="s"><v>0</v></c><c r="J2" s="1" t="e"><v>#REF!</v></c></row>'
    sheet, findings = read(workbook(tmp_path / "t.xlsx", sheet_xml(data), styles=styles, strings=["Andel"]))
    assert findings == []
    row = sheet.rows[1]
    assert [type(v) is PercentCell for v in row[:8]] == [False, True, True, True, False, False, True, False]
    assert row[1] == 1.5 and row[8] == "Andel" and type(row[8]) is str and type(row[9]) is CellError


def test_percent_cells_without_r(tmp_path) -> None:
    styles = styles_xml([0, 9])
    data = '<row><c><v>1</v></c><c s="1"><v>0.25</v></c></row><row><c s="1"><v>1.5</v></c></row>'
    sheet, _ = read(workbook(tmp_path / "t.xlsx", sheet_xml(data), styles=styles))
    assert type(sheet.cell(0, 1)) is PercentCell and type(sheet.cell(1, 0)) is PercentCell
    assert type(sheet.cell(0, 0)) is float


def test_percent_from_xlsxwriter(tmp_path) -> None:
    import xlsxwriter

    path = tmp_path / "p.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Tall")
    ws.write(0, 0, "Andel (%)")
    ws.write(1, 0, 1.5, wb.add_format({"num_format": "0%"}))
    ws.write(2, 0, 0.3, wb.add_format({"num_format": "0.00 %"}))
    ws.write(3, 0, 30, wb.add_format({"num_format": "#,##0"}))
    wb.close()
    sheet, _ = read(path)
    assert [type(sheet.cell(r, 0)) for r in (1, 2, 3)] == [PercentCell, PercentCell, float]


@pytest.mark.parametrize(
    ("code", "percent"),
    [
        ("0%", True),
        ("0.00%", True),
        ('"%"0', False),
        ("0\\%", False),
        ("[$%-414]0", False),
        ("0;0%", True),
        ("0;0;0;@%", False),
        ("0_%", False),
        ("General", False),
        ("0 %", True),
    ],
)
def test_percent_format_codes(code, percent) -> None:
    assert sheetxml.is_percent_format(code) is percent


# -------------------------------------------------------------------------------------- DTD and range


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE x [<!ENTITY a "aaaa">]>',
        '<!DOCTYPE\n\tworksheet\n[<!ENTITY a "a">]>',
        "<!DOCTYPE worksheet SYSTEM 'x.dtd'>",
    ],
)
def test_dtd_refused_by_the_parser_in_any_spelling(tmp_path, doctype) -> None:
    xml = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>').replace("?>", "?>" + doctype, 1)
    _, findings = read(workbook(tmp_path / "t.xlsx", xml))
    assert [f.code for f in findings] == ["file.dtd"]


def test_dtd_in_utf16_is_refused(tmp_path) -> None:
    wb = (
        f'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "a">]><workbook {NS} xmlns:r="{REL_NS}">'
        '<sheets><sheet name="Tall" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ).encode("utf-16")
    _, findings = read(workbook(tmp_path / "t.xlsx", sheet_xml(""), workbook_xml=wb))
    assert [f.code for f in findings] == ["file.dtd"]


@pytest.mark.parametrize(
    "sheet",
    [
        sheet_xml('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'),  # no dimension
        sheet_xml('<row r="1"><c r="A1"><v>1</v></c><c r="ZZ1"><v>1</v></c></row>', before='<dimension ref="A1"/>'),
        sheet_xml("<row><c/></row>" * 200_001),  # rows without r
        sheet_xml("<row>" + "<c/>" * 501 + "</row>"),  # cells without r
        sheet_xml('<row r="1"><c r="A1"/></row><row r="250000"/>'),
    ],
    ids=["far cell", "dimension lies", "rows without r", "cells without r", "far row"],
)
def test_used_range_from_the_cells(tmp_path, sheet) -> None:
    _, findings = read(workbook(tmp_path / "t.xlsx", sheet))
    assert [f.code for f in findings] == ["file.range"]
    assert findings[0].sheet == "Tall" and "Tall" in findings[0].message


def test_a_huge_declared_dimension_over_a_small_table_is_read(tmp_path) -> None:
    sheet = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>', before='<dimension ref="A1:XFD1048576"/>')
    table, findings = read(workbook(tmp_path / "t.xlsx", sheet))
    assert findings == [] and table.cell(0, 0) == 1


def test_sheet_part_with_another_extension_is_still_judged(tmp_path) -> None:
    path = workbook(tmp_path / "t.xlsx", sheet_xml('<row r="1"><c r="XFD1048576"><v>1</v></c></row>'))
    data = {i.filename: zipfile.ZipFile(path).read(i) for i in zipfile.ZipFile(path).infolist()}
    data["xl/worksheets/sheet1.dat"] = data.pop("xl/worksheets/sheet1.xml")
    rels = data["xl/_rels/workbook.xml.rels"].replace(b"sheet1.xml", b"sheet1.dat")
    data["xl/_rels/workbook.xml.rels"] = rels
    with zipfile.ZipFile(path, "w") as zf:
        for name, content in data.items():
            zf.writestr(name, content)
    _, findings = read(path)
    assert [f.code for f in findings] == ["file.range"]


def test_part_twice_in_the_zip_is_refused(tmp_path) -> None:
    path = workbook(tmp_path / "t.xlsx", sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'))
    with pytest.warns(UserWarning), zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/worksheets/sheet1.xml", sheet_xml('<row r="1"><c r="A1"><v>2</v></c></row>'))
    _, findings = read(path)
    assert [f.code for f in findings] == ["file.corrupt"]


def test_long_shared_string_is_read(tmp_path) -> None:
    data = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    sheet, findings = read(workbook(tmp_path / "t.xlsx", sheet_xml(data), strings=["x" * 1_000_000]))
    assert findings == [] and len(sheet.cell(0, 0)) == 1_000_000


# ------------------------------------------------------------------------- one read, defined names


def test_bytes_are_read_once_and_calamine_reads_those_bytes(tmp_path, monkeypatch) -> None:
    path = write_xlsx(tmp_path / "t.xlsx", {"Tall": [["Nettverk", "Tall"], ["Fosen", 3]]})
    content = path.read_bytes()
    path.write_bytes(b"changed on disk: what is read must be what was judged")
    reads = []
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self) or content)
    monkeypatch.setattr(Path, "open", lambda *a, **k: pytest.fail("the file was opened a second time"))
    from python_calamine import CalamineWorkbook

    monkeypatch.setattr(CalamineWorkbook, "from_path", lambda *a: pytest.fail("calamine opened the file itself"))
    sheets, _, findings = read_workbook_sheets(path, "t.xlsx", ["Tall"])
    assert findings == [] and reads == [path] and sheets["Tall"].cell(1, 1) == 3.0


def test_defined_names_come_from_the_same_pass(tmp_path) -> None:
    names = (
        "<definedNames><definedName name=\"Nettverk\">'Søknad'!$B$3</definedName>"
        '<definedName name="Lokal" localSheetId="0">Tall!$C$9</definedName>'
        '<definedName name="Lokal">Tall!$D$2</definedName>'
        '<definedName name="Omraade">Tall!$A$1:$B$2</definedName></definedNames>'
    )
    sheet, findings = read(workbook(tmp_path / "t.xlsx", sheet_xml(""), names=names))
    assert findings == []
    assert sheet.defined_names == {"nettverk": ("søknad", 2, 1), "lokal": ("tall", 1, 3)}


# -------------------------------------------------------------------------------- time and memory

LIMIT_SCRIPT = textwrap.dedent(
    """
    import json, resource, sys, time
    from pathlib import Path
    t = time.perf_counter()
    from allocation.read.counts import read_counts
    counts, findings = read_counts(Path(sys.argv[1]), "t.xlsx", ["Barn i barnehage"])
    seconds = time.perf_counter() - t
    try:  # this process's own peak (ru_maxrss may carry the parent's from before exec)
        status = Path("/proc/self/status").read_text()
        peak = int(next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1]) / 1024
    except (OSError, StopIteration):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"codes": [f.code for f in findings], "seconds": seconds, "rss_mb": peak}))
    """
)


def _zip_sheet(path: Path, sheet: bytes) -> Path:
    """The sheet part compressed as hard as deflate can: a small file that expands enormously."""
    workbook(path, b"")
    data = {i.filename: zipfile.ZipFile(path).read(i) for i in zipfile.ZipFile(path).infolist()}
    data["xl/worksheets/sheet1.xml"] = sheet
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, content in data.items():
            zf.writestr(name, content)
    return path


END = b"</sheetData></worksheet>"


def _head(rows: str) -> bytes:
    return (f'<?xml version="1.0"?><worksheet {NS}><sheetData>' + rows).encode()


HOSTILE = {
    # cells without r in rows of 400: the range check ends it, not the expanded size
    "tiny cells without r": lambda: _head("") + (b"<row>" + b"<c/>" * 400 + b"</row>") * 80_000 + END,
    "one row of tiny cells": lambda: _head("<row>") + b"<c/>" * 30_000_000 + b"</row>" + END,
    "the same cell again and again": lambda: _head('<row r="1">') + b'<c r="A1"/>' * 12_000_000 + b"</row>" + END,
    "cells in any order": lambda: (
        _head('<row r="1">')
        + b"".join(b'<c r="%s1"/>' % sheetxml.a1(0, c)[:-1].encode() for c in range(7, -1, -1))
        + b"</row>"
        + b"".join(b'<row r="%d"><c r="B%d"/><c r="A%d"/></row>' % (r, r, r) for r in range(2, 100_000))
        + END
    ),
    # as many numbers as the tag limit lets through, for python-calamine to read
    "dense numbers under the limits": lambda: (
        _head("") + (b"<row>" + b"<c><v>7</v></c>" * 49 + b"</row>") * 5_000 + END
    ),
    "many rows without cells": lambda: _head("") + b"<row/>" * 25_000_000 + END,
    "many other elements": lambda: (
        _head('<row r="1"><c r="A1"><v>1</v></c></row></sheetData><cols>')
        + b"<col/>" * 25_000_000
        + b"</cols></worksheet>"
    ),
    "long number": lambda: _head('<row r="1"><c r="A1"><v>') + b"9" * 9_000_000 + b"</v></c></row>" + END,
    "long text": lambda: (
        _head('<row r="1"><c r="A1" t="inlineStr"><is><t>') + b"x" * 9_000_000 + b"</t></is></c></row>" + END
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_file_under_1mb_stays_within_time_and_memory(tmp_path, name) -> None:
    path = _zip_sheet(tmp_path / "t.xlsx", HOSTILE[name]())
    assert path.stat().st_size < 1024 * 1024
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", LIMIT_SCRIPT, str(path)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    wall = time.perf_counter() - start
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    print(name, path.stat().st_size, result, f"wall {wall:.2f}s")
    assert result["rss_mb"] < 500 and wall < 10
    assert result["codes"], result  # refused (file.range, file.zip_bomb, sheet.duplicate_cell) or read


def test_preflight_reads_each_part_in_chunks() -> None:
    # no whole part in memory: a sheet is fed to the parser a chunk at a time
    assert sheetxml.CHUNK <= 1 << 20
    stream = io.BytesIO(sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>').encode())
    scan = sheetxml.scan_sheet(iter(lambda: stream.read(7), b""))
    assert (scan.rows, scan.cols, scan.cells) == (1, 1, 1)


def test_corrupted_deflate_stream_is_a_finding_not_a_crash(tmp_path) -> None:
    """Damaged compressed bytes inside a part: file.corrupt, never an internal error."""
    import xlsxwriter

    from allocation.read.workbooks import read_workbook_sheets

    path = tmp_path / "skadet.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Tall")
    for r in range(200):
        ws.write_row(r, 0, [f"Nettverk {r}", r, r * 2, r * 3])
    wb.close()
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 10, start + min(info.compress_size, 60)):
        data[i] ^= 0xFF  # garble the deflate stream, keep the zip's directory intact
    path.write_bytes(bytes(data))
    sheets, _, findings = read_workbook_sheets(path, "skadet.xlsx", ["Tall"])
    assert sheets == {} and [f.code for f in findings] == ["file.corrupt"]
