"""The fast path of pre-flight (allocation.read.sheetfast) against the expat pass: whenever the
fast path accepts a worksheet part, its result is exactly the expat pass's, and it spends the
same tag budget. Checked on hostile parts, on files written by xlsxwriter and openpyxl, on the
bundled inputs, on random variations, and (as a pytest plugin, see ``pytest_configure``) on
every workbook the trust tests pre-flight."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.read import preflight, sheetfast, sheetxml

from .conftest import GOLDEN, ROOT, write_xlsx

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
CHECK_ENV = "ALLOCATION_CHECK_FASTPATH"


def sheet(data: str, before: str = "", after: str = "", decl: bytes = DECL) -> bytes:
    return decl + f"<worksheet {NS}>{before}<sheetData>{data}</sheetData>{after}</worksheet>".encode()


def expat(data: bytes, percent: frozenset[str], budget: sheetxml.Budget) -> object:
    chunks = [data[i : i + sheetxml.CHUNK] for i in range(0, len(data), sheetxml.CHUNK)] or [b""]
    try:
        return dataclasses.asdict(sheetxml.scan_sheet(chunks, percent, budget))
    except XmlProblem as exc:
        return ("problem", exc.code, exc.message)


XmlProblem = sheetxml.XmlProblem
FAST = sheetfast.scan_sheet_fast  # the fast path itself, also while the plugin below wraps it


def agree(data: bytes, percent: frozenset[str] = frozenset(), tags: int = sheetxml.MAX_SHEET_TAGS) -> bool:
    """Both paths on one part; True if the fast path accepted it (and then agreed)."""
    fast_budget, slow_budget = sheetxml.Budget(tags, "arket"), sheetxml.Budget(tags, "arket")
    fast = FAST(data, percent, fast_budget)
    slow = expat(data, percent, slow_budget)
    if fast is None:
        assert fast_budget.tags == tags, "a refused part must spend nothing"
        return False
    assert dataclasses.asdict(fast) == slow
    assert fast_budget.tags == slow_budget.tags
    return True


# ------------------------------------------------------------------------------ canonical


CANONICAL = [
    '<row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>12</v></c><c r="C1" s="2"><v>0.25</v></c></row>',
    '<row r="2"><c r="A2" t="e"><v>#REF!</v></c><c r="B2" s="1" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>',
    '<row r="3" hidden="1"><c r="A3" t="e"/><c r="B3" t="e"><v/></c><c r="C3" t="e"><v> #N/A </v></c></row>',
    '<row r="4" ht="20" hidden="true" customHeight="1"><c r="D4" t="str"><f>A1&amp;"x"</f><v></v></c></row>',
    '<row r="5"><c r="A5" t="inlineStr"><is><t xml:space="preserve"> a &lt; b </t></is></c>'
    '<c r="B5" t="b"><v>1</v></c></row>',
    '<row r="6"/><row r="7" s="3" customFormat="1"><c r="A7" s="3"/><c r="B7" t="n" s="3"><v>-1.5E+10</v></c></row>',
    '<row r="8"><c r="A8" s="3"><f t="shared" ref="A8:A9" si="0">B8*2</f><v>4</v></c></row>'
    '<row r="9"><c r="A9" s="3"><f t="shared" si="0"/><v>6</v></c>'
    '<c r="AB9" t="d"><v>2025-01-01T00:00:00</v></c></row>',
    '\n  <row r="10">\n    <c r="SF10"><v>.5</v></c>\n  </row>\n',
]


@pytest.mark.parametrize("data", CANONICAL)
def test_canonical_parts_take_the_fast_path_and_agree(data: str) -> None:
    for percent in (frozenset(), frozenset({"3"}), frozenset({"1", "2", "3"})):
        assert agree(sheet(data), percent)
        assert agree(
            sheet(
                data,
                '<dimension ref="A1:C9"/><cols><col min="2" max="4" hidden="1"/></cols>',
                '<mergeCells count="1"><mergeCell ref="A1:B2"/></mergeCells>',
            ),
            percent,
        )


# -------------------------------------------------------------------------- hostile parts

ROW = '<row r="1"><c r="A1"><v>1</v></c></row>'
HOSTILE = [
    sheet('<row r="1"><c r="A1" r="B1"><v>1</v></c></row>'),  # r twice: expat refuses
    sheet('<row r="1"><c r="A1" s="1" s="2"><v>1</v></c></row>'),
    sheet('<row r="1"><c r="A1" t="s" t="e"><v>1</v></c></row>'),
    sheet('<row r="1"><c r="&#65;1"><v>1</v></c></row>'),  # an entity in the reference
    sheet('<row r="1"><c r="A1" s="1>"><v>1</v></c></row>'),
    sheet('<row r="1"><c\nr="A1"\nt="e"><v>#REF!</v></c></row>'),  # attributes over lines
    sheet('<row r="1"><c r="A1"><v>1</v></c><c r="A1"><v>2</v></c></row>'),  # duplicate
    sheet('<row r="1"><c r="B1"><v>1</v></c><c r="A1"><v>2</v></c><c r="B1"><v>3</v></c></row>'),
    sheet('<row r="1"><c><v>1</v></c><c t="e"><v>#N/A</v></c></row>'),  # no r
    sheet('<row><c r="A1"><v>1</v></c></row>'),
    sheet('<row r="3"><c r="A1"><v>1</v></c><c t="e"><v>#N/A</v></c></row>'),  # off its row
    sheet('<row r="1"><c r="a1"><v>1</v></c></row>'),
    sheet('<row r="1"><c r="A01"><v>1</v></c></row>'),
    sheet('<row r="1"><x:c xmlns:x="urn:x" r="A1" t="e"><x:v>#REF!</x:v></x:c></row>'),  # prefixed
    sheet(ROW, before='<x:c xmlns:x="urn:x" t="e"/>'),
    sheet(ROW, after='<extLst><c r="B1" t="e"><v>#N/A</v></c></extLst>'),
    sheet('<row r="1"><!-- <c r="B1" t="e"><v>#N/A</v></c> --><c r="A1"><v>1</v></c></row>'),
    sheet('<row r="1"><c r="A1" t="str"><v><![CDATA[<c r="B1" t="e">]]></v></c></row>'),
    sheet('<row r="1"><?pi <c r="B1" t="e"/>?><c r="A1"><v>1</v></c></row>'),
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "1">]>' + sheet(ROW, decl=b"")[0:],
    sheet('<row r="1"><c r="A1"><v>&#49;</v></c></row>'),
    sheet('<row r="1"><c r="A1"><v>1e999</v></c><c r="B1"><v>nan</v></c></row>'),  # not finite
    sheet('<row r="1"><c r="A1"><v> </v></c><c r="B1" t="s"><v></v></c></row>'),  # empty values
    sheet('<row r="1"><c r="A1"><f>1+1</f></c></row>'),  # a formula without value
    sheet('<row r="1"><c r="A1"><v>1</v><c r="B1"><v>2</v></c></c></row>'),  # a cell in a cell
    sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>x</t><c r="B1" t="e"/></is></c></row>'),
    sheet('<row r="1"><c r="A1" t="e"><v>#N/A\r\n</v></c></row>'),
    sheet('<row r="1"><c r="A1" t="str"><v>a\x01b</v></c></row>'),
    sheet('<row r="1"><c r="A1" t="str"><v>a]]>b</v></c></row>'),
    sheet('<row r="1"><c r="A1" t="str"><v>\xef\xbf\xbe</v></c></row>'.encode("latin-1").decode("utf-8")),
    sheet('<row r="1"><c r="A1"><v>1</v></c></row><row r="250000"><c r="A250000"><v>1</v></c></row>'),
    sheet('<row r="1"><c r="A1"><v>1</v></c><c r="ZZ1"><v>1</v></c></row>'),  # beyond the columns
    sheet('<row r="1"><c r="A1"><v>1</v></c></row>') + b"<trailing/>",
    sheet('<row r="1"><c r="A1"><v>1</v></c></row>', after='<mergeCells><mergeCell ref="x"/></mergeCells>'),
    sheet('<row r="1"><c r="A1"><v>1</v></c></row>', before='<dimension ref="A1:"/>'),
    sheet(ROW, decl=b'<?xml version="1.0" encoding="ISO-8859-1"?>'),
    sheet(ROW, decl=b"\xef\xbb\xbf" + DECL),
    sheet(ROW).decode().encode("utf-16"),
    sheet(ROW).decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16-le"),
    sheet(ROW, decl=b""),
    sheet('<row r="1"><c r="A1" t="s"><v>1</v></c>'),  # unclosed
    sheet('<row r="1"><c r="A1" t="x"><v>1</v></c></row>'),  # unknown type
    sheet(ROW) + b"\x00",
]


@pytest.mark.parametrize("data", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_parts_agree_or_fall_back(data: bytes) -> None:
    agree(data)
    agree(data, frozenset({"0", "1"}))


def test_the_tag_budget_is_spent_alike_and_a_small_budget_falls_back() -> None:
    data = sheet(CANONICAL[0] * 1)
    assert agree(data, tags=10_000)
    assert not agree(data, tags=5)


def test_what_must_fall_back_does() -> None:
    for i in (0, 6, 8, 9, 10, 13, 16, 17, 18, 19, 21, 22, 23, 24, 25, 29, 30, 31):
        assert sheetfast.scan_sheet_fast(HOSTILE[i], frozenset(), sheetxml.Budget(10**6, "x")) is None, i


# --------------------------------------------------------------------- files of the world


def _sheet_parts(path: Path) -> list[bytes]:
    with zipfile.ZipFile(path) as zf:
        return [zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]


def test_bundled_inputs_and_golden_files_agree() -> None:
    files = sorted((ROOT / "input_templates").rglob("*.xlsx")) + sorted(GOLDEN.rglob("*.xlsx"))
    assert files
    accepted = 0
    for path in files:
        for part in _sheet_parts(path):
            accepted += agree(part, frozenset({str(i) for i in range(40)}))
    assert accepted > 0


def test_xlsxwriter_files_take_the_fast_path(tmp_path: Path) -> None:
    rows = [["Nettverk", "Barn", "Andel"], *[[f"Nett {i}", i * 7, i / 3] for i in range(200)]]
    path = write_xlsx(tmp_path / "t.xlsx", {"Tall": rows})
    (part,) = _sheet_parts(path)
    assert agree(part)


def test_openpyxl_files_agree(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"], ws["C1"], ws["D1"] = "x", 1.5, "=B1*2", 0.25
    ws["D1"].number_format = "0%"
    ws.row_dimensions[2].hidden = True
    ws["A2"] = 3
    ws.merge_cells("A5:B5")
    wb.save(tmp_path / "o.xlsx")
    for part in _sheet_parts(tmp_path / "o.xlsx"):
        agree(part, frozenset({"1"}))
    del ws["C1"]
    ws["C1"] = 7
    wb.save(tmp_path / "p.xlsx")
    assert all(agree(part, frozenset({"1"})) for part in _sheet_parts(tmp_path / "p.xlsx"))


# ------------------------------------------------------------------------ random variations

_cells = st.lists(
    st.tuples(
        st.integers(0, 30),
        st.integers(0, 12),
        st.sampled_from(["", ' t="n"', ' t="s"', ' t="e"', ' t="str"', ' t="b"', ' t="x"']),
        st.sampled_from(["", ' s="0"', ' s="1"', ' s="2"']),
        st.sampled_from(
            ["", "<v>1</v>", "<v>2.5</v>", "<v>#N/A</v>", "<v/>", "<f>A1</f>", "<f>A1</f><v>3</v>", "<v>x</v>"]
        ),
        st.sampled_from(["r", "none", "lower", "twice", "order", "prefix", "comment", "spaced"]),
    ),
    max_size=25,
)


def _cell(row: int, col: int, t: str, s: str, content: str, how: str) -> str:
    ref = sheetxml.a1(row, col)
    attrs = {"r": f' r="{ref}"', "none": "", "lower": f' r="{ref.lower()}"', "twice": f' r="{ref}" r="{ref}"'}.get(
        how, f' r="{ref}"'
    )
    if how == "order":
        return f"<c{s}{t}{attrs}>{content}</c>"
    if how == "prefix":
        return f'<x:c xmlns:x="urn:x"{attrs}{t}{s}>{content}</x:c>'
    if how == "comment":
        return f"<!--c--><c{attrs}{t}{s}>{content}</c>"
    if how == "spaced":
        return f"<c{attrs}{t}{s} >{content}</c >"
    return f"<c{attrs}{t}{s}/>" if not content else f"<c{attrs}{t}{s}>{content}</c>"


@settings(max_examples=300, deadline=None)
@given(_cells, st.booleans())
def test_random_parts_agree_whenever_the_fast_path_accepts(cells, hidden: bool) -> None:
    rows: dict[int, list[str]] = {}
    for row, col, t, s, content, how in cells:
        rows.setdefault(row, []).append(_cell(row, col, t, s, content, how))
    hide = ' hidden="1"' if hidden else ""
    data = "".join(f'<row r="{r + 1}"{hide}>{"".join(cs)}</row>' for r, cs in sorted(rows.items()))
    agree(sheet(data), frozenset({"1"}))


# ------------------------------------------------------------- every workbook of the trust tests


def pytest_configure(config) -> None:
    """Loaded as a plugin (``-p tests.test_preflight_fastpath``): every worksheet part that
    pre-flight reads is also read by the expat pass, and the results must agree."""
    if not os.environ.get(CHECK_ENV):
        return
    real = FAST

    def checked(data: bytes, percent: frozenset[str], budget: sheetxml.Budget):
        tags = budget.tags
        result = real(data, percent, sheetxml.Budget(tags, budget.what))
        if result is not None:
            assert agree(data, percent, tags), "fast path and expat pass disagree"
        return real(data, percent, budget)

    preflight.sheetfast.scan_sheet_fast = checked  # type: ignore[assignment]
    preflight.FAST_FROM = 0  # every part, however small, through the fast path (and so checked)


def test_every_workbook_of_the_trust_tests_agrees() -> None:
    env = {**os.environ, CHECK_ENV: "1"}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-x",
            "-p",
            "no:cacheprovider",
            "-p",
            "tests.test_preflight_fastpath",
            "tests/test_trust_preflight.py",
            "tests/test_trust_corpus.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


def test_preflight_results_are_the_same_without_the_fast_path(tmp_path: Path, monkeypatch) -> None:
    rows = [["Nettverk", "Barn"], *[[f"Nett {i}", i] for i in range(50)]]
    data = write_xlsx(tmp_path / "t.xlsx", {"Tall": rows, "Andre": [[1, 2], ["a"]]}).read_bytes()
    monkeypatch.setattr(preflight, "FAST_FROM", 0)
    taken = []
    monkeypatch.setattr(sheetfast, "scan_sheet_fast", lambda *a: taken.append(1) or FAST(*a))
    fast = preflight.preflight_bytes(data, "t.xlsx")
    assert taken  # the fast path was taken
    monkeypatch.setattr(sheetfast, "scan_sheet_fast", lambda *a: None)
    assert preflight.preflight_bytes(data, "t.xlsx") == fast
    assert io.BytesIO(data).read(2) == b"PK"


def test_small_parts_read_straight_from_the_bytes_are_zipfiles_bytes(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "t.xlsx", {"Tall": [["Nettverk", "Barn"], ["A", 1]]})
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            assert preflight._small_part(data, info) == zf.read(info)
    stored = tmp_path / "stored.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    raw = stored.read_bytes()
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        assert all(preflight._small_part(raw, i) == zf.read(i) for i in zf.infolist())


def test_a_damaged_entry_is_left_to_zipfile_and_reported_as_before(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "t.xlsx", {"Tall": [["Nettverk", "Barn"], ["A", 1]]})
    stored = tmp_path / "stored.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    data = bytearray(stored.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("xl/workbook.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0x01  # the CRC-32 no longer matches
    damaged = bytes(data)
    assert preflight._small_part(damaged, info) is None
    findings, _ = preflight.preflight_bytes(damaged, "t.xlsx")
    assert [f.code for f in findings] == ["file.corrupt"] and "CRC" in findings[0].message


def _replace_part(data: bytes, name: str, new: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, new if info.filename == name else src.read(info))
    return out.getvalue()


def test_identical_small_parts_are_judged_once_and_a_changed_part_is_judged_again(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": dt.datetime(2000, 1, 1)})
    ws = wb.add_worksheet("Tall")
    ws.write_row(0, 0, ["Nettverk", "Andel"])
    ws.write_row(1, 0, ["A", 0.5], None)
    ws.write_number(1, 1, 0.5, wb.add_format({"num_format": "0.00"}))
    wb.close()
    data = path.read_bytes()
    first = preflight.preflight_bytes(data, "t.xlsx")
    again = preflight.preflight_bytes(_replace_part(data, "xl/worksheets/sheet1.xml", b""), "u.xlsx")
    assert [f.code for f in again[0]] == ["file.corrupt"]  # an empty sheet part is not XML
    assert preflight.preflight_bytes(data, "t.xlsx") == first  # remembered verdicts give the same result
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        theme, styles, book = (zf.read(n) for n in ("xl/theme/theme1.xml", "xl/styles.xml", "xl/workbook.xml"))
    dtd = theme.replace(b"?>", b'?><!DOCTYPE a [<!ENTITY x "y">]>', 1)
    for name, part, code in [
        ("xl/theme/theme1.xml", dtd, "file.dtd"),
        ("xl/theme/theme1.xml", theme[:-5], "file.corrupt"),
        ("xl/styles.xml", styles.replace(b"</styleSheet>", b"</styleSheet"), "file.corrupt"),
        ("xl/workbook.xml", book.replace(b"</workbook>", b"<x>"), "file.corrupt"),
    ]:
        changed = _replace_part(data, name, part)
        assert [f.code for f in preflight.preflight_bytes(changed, "v.xlsx")[0]] == [code], name
        assert [f.code for f in preflight.preflight_bytes(changed, "v.xlsx")[0]] == [code], name  # not remembered
    # A changed but clean part gives its own verdict: a per-cent format on the number's style.
    percent_styles = styles.replace(b'formatCode="0.00"', b'formatCode="0.00%"')
    assert percent_styles != styles
    _, seen = preflight.preflight_bytes(_replace_part(data, "xl/styles.xml", percent_styles), "w.xlsx")
    assert seen.sheets["Tall"].percent and not first[1].sheets["Tall"].percent
    # What pre-flight hands out is the caller's own: changing it does not change the next verdict.
    first[1].defined_names.append(("x", None, "y"))
    first[1].sheets["Tall"].merged.append((0, 0, 1, 1))
    assert preflight.preflight_bytes(data, "t.xlsx") != first


def test_fast_path_taken_once_enough_worksheet_xml_has_been_scanned(tmp_path: Path, monkeypatch) -> None:
    """A county's few small sheets go by the expat pass (the fast path's grammar costs more to
    compile than it saves there); a large sheet, or many small ones, by the fast path."""
    taken: list[int] = []
    monkeypatch.setattr(sheetfast, "scan_sheet_fast", lambda *a: taken.append(1) or FAST(*a))
    monkeypatch.setattr(preflight, "_scanned", [0])
    monkeypatch.setattr(preflight, "FAST_FROM", 10**9)
    monkeypatch.setattr(preflight, "memo", preflight._Memo(0))

    def scanned(n: int) -> tuple:
        rows = [["Nettverk", "Barn"], *[[f"Nett {i}", i] for i in range(n)]]
        return preflight.preflight_bytes(write_xlsx(tmp_path / f"t{n}.xlsx", {"Tall": rows}).read_bytes(), "t.xlsx")

    slow = scanned(40)
    assert not taken and preflight._scanned[0] > 0
    preflight._scanned[0] = preflight.FAST_FROM  # as after many forms
    monkeypatch.setattr(preflight, "memo", preflight._Memo(0))  # nothing remembered: scanned again
    again = scanned(40)
    assert taken and again == slow
