"""A corpus of bad and hostile inputs: each ends in exit 1 or 2 with its reason code and cell,
never a traceback, and never touches an earlier run folder."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import xlsxwriter

from allocation.cli import main

from .conftest import ROOT, counts_rows, write_xlsx

GOOD = {
    "Trondheim/Malvik": (10480, 22650, 0),
    "Fosen": (1021, 2262, 0),
    "Namdal": (1868, 4029, 0),
    "Trøndelag fylkeskommune": (0, 0, 24512),
}
MODEL = (
    (ROOT / "config" / "trondelag.toml")
    .read_text(encoding="utf-8")
    .replace('extra = { "Trondheim/Malvik" = 200_000 }', 'extra = { "Trondheim/Malvik" = 200_000 }')
)


def rewrite(path: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    """Change one part of a workbook's zip, as another program might have written it."""
    data = {i.filename: (i, zipfile.ZipFile(path).read(i.filename)) for i in zipfile.ZipFile(path).infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, (_, content) in data.items():
            zout.writestr(name, change(content) if name == part else content)
    return path


def rows_with(change: Callable[[list[list]], None]) -> list[list]:
    rows = counts_rows(GOOD)
    change(rows)
    return rows


def set_cell(r: int, c: int, v):
    def f(rows):
        while len(rows[r]) <= c:
            rows[r].append(None)
        rows[r][c] = v

    return f


def counts_file(rows: list[list]) -> Callable[[Path], Path]:
    return lambda tmp: write_xlsx(tmp / "tall.xlsx", {"Tall": rows})


def raw_file(data: bytes, name: str = "tall.xlsx") -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        (tmp / name).write_bytes(data)
        return tmp / name

    return make


def xlsx_with(build: Callable[[xlsxwriter.Workbook], None]) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        wb = xlsxwriter.Workbook(str(tmp / "tall.xlsx"))
        build(wb)
        wb.close()
        return tmp / "tall.xlsx"

    return make


def _write_rows(ws, rows):
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v is not None:
                ws.write(r, c, v)


def merged(wb):
    ws = wb.add_worksheet("Tall")
    _write_rows(ws, counts_rows(GOOD))
    ws.merge_range("D2:D3", 500)


def hidden_sheet_only_data(wb):
    wb.add_worksheet("Forside").write(0, 0, "Tall på neste ark")
    ws = wb.add_worksheet("Tall")
    _write_rows(ws, counts_rows(GOOD))
    ws.hide()


def formula_without_value(tmp: Path) -> Path:
    path = write_xlsx(tmp / "tall.xlsx", {"Tall": counts_rows(GOOD)})
    return rewrite(
        path,
        "xl/worksheets/sheet1.xml",
        lambda b: b.replace(b'<c r="D3"><v>1021</v></c>', b'<c r="D3"><f>SUM(D2:D2)</f></c>'),
    )


def far_cell(tmp: Path) -> Path:
    path = write_xlsx(tmp / "tall.xlsx", {"Tall": counts_rows(GOOD)})
    return rewrite(
        path,
        "xl/worksheets/sheet1.xml",
        lambda b: b.replace(b'<dimension ref="A1:F5"/>', b"").replace(
            b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
        ),
    )


def with_dtd(tmp: Path) -> Path:
    path = write_xlsx(tmp / "tall.xlsx", {"Tall": counts_rows(GOOD)})
    return rewrite(
        path,
        "xl/workbook.xml",
        lambda b: b.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>', 1),
    )


def many_entries(tmp: Path) -> Path:
    path = write_xlsx(tmp / "tall.xlsx", {"Tall": counts_rows(GOOD)})
    with zipfile.ZipFile(path, "a") as zf:
        for i in range(2100):
            zf.writestr(f"xl/media/x{i}.bin", b"")
    return path


def truncated(tmp: Path) -> Path:
    path = write_xlsx(tmp / "tall.xlsx", {"Tall": counts_rows(GOOD)})
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def ods(tmp: Path) -> Path:
    path = tmp / "tall.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
    return path


def zip_not_xlsx(tmp: Path) -> Path:
    path = tmp / "tall.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    return path


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000
ENCRYPTED = OLE + "EncryptedPackage".encode("utf-16-le") + b"\0" * 100

COUNTS_CASES = [
    ("negative", counts_file(rows_with(set_cell(2, 4, -5))), "counts.negative", "E3"),
    ("decimal", counts_file(rows_with(set_cell(1, 3, "12,5"))), "counts.not_whole_number", "D2"),
    ("decimal number", counts_file(rows_with(set_cell(1, 3, 12.5))), "counts.not_whole_number", "D2"),
    ("text", counts_file(rows_with(set_cell(3, 5, "ukjent"))), "counts.not_whole_number", "F4"),
    ("letter O", counts_file(rows_with(set_cell(1, 4, "22 65O"))), "counts.not_whole_number", "E2"),
    ("boolean", counts_file(rows_with(set_cell(2, 3, True))), "counts.not_whole_number", "D3"),
    ("no network", counts_file(rows_with(set_cell(2, 0, None))), "counts.no_network", "A3"),
    ("municipality", counts_file(rows_with(set_cell(1, 2, "501"))), "counts.municipality", "C2"),
    ("misspelt header", counts_file(rows_with(set_cell(0, 3, "Barn i barnhage"))), "counts.missing_column", "A1:F1"),
    ("duplicate header", counts_file(rows_with(set_cell(0, 6, "Barn i barnehage"))), "counts.duplicate_header", "G1"),
    ("wrong sheet", lambda tmp: write_xlsx(tmp / "tall.xlsx", {"Ark1": counts_rows(GOOD)}), "counts.no_sheet", ""),
    ("empty sheet", lambda tmp: write_xlsx(tmp / "tall.xlsx", {"Tall": []}), "counts.no_header", "A1"),
    (
        "header missing",
        lambda tmp: write_xlsx(tmp / "tall.xlsx", {"Tall": [["Navn", "Barn"], ["A", 1]]}),
        "counts.no_header",
        "A1",
    ),
    ("merged cells", xlsx_with(merged), "sheet.merged_cells", "D2:D3"),
    ("formula without value", formula_without_value, "sheet.formula_no_value", "D3"),
    ("csv renamed", raw_file(b"Nettverk;Barn i barnehage\nFosen;12\n"), "file.csv", ""),
    ("csv latin-1", raw_file("Nettverk;Barn\nTrøndelag;1\n".encode("latin-1")), "file.csv", ""),
    (
        "html saved as xls",
        raw_file(b"<html><body><table><tr><td>Nettverk</td></tr></table></body></html>"),
        "file.html",
        "",
    ),
    (
        "xml 2003",
        raw_file(b'<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook/>'),
        "file.xml2003",
        "",
    ),
    ("old xls", raw_file(OLE), "file.xls", ""),
    ("encrypted", raw_file(ENCRYPTED), "file.encrypted", ""),
    ("ods", ods, "file.ods", ""),
    ("empty file", raw_file(b""), "file.empty", ""),
    ("binary junk", raw_file(bytes(range(256)) * 4), "file.not_xlsx", ""),
    ("zip, not xlsx", zip_not_xlsx, "file.not_xlsx", ""),
    ("truncated zip", truncated, "file.corrupt", ""),
    ("DTD entities", with_dtd, "file.dtd", ""),
    ("far cell, no dimension", far_cell, "file.range", ""),
    ("many zip entries", many_entries, "file.zip_entries", ""),
]


def run_case(tmp_path: Path, make: Callable[[Path], Path], model: str = MODEL, name: str = "modell.toml"):
    make(tmp_path)
    cfg = tmp_path / name
    cfg.write_text(
        model.replace('counts = "../input_templates/trondelag/tall.xlsx"', 'counts = "tall.xlsx"'), encoding="utf-8"
    )
    out = tmp_path / "k"
    code = main(["run", str(cfg), "--out", str(out)])
    funn = tmp_path / "k-funn" / "funn.json"
    found = json.loads(funn.read_text(encoding="utf-8"))["findings"] if funn.exists() else []
    return code, out, found


@pytest.fixture
def earlier_run(tmp_path_factory):
    """A finished run folder whose bytes must never change."""
    folder = tmp_path_factory.mktemp("tidligere") / "run"
    assert main(["run", str(ROOT / "config" / "nordland.toml"), "--out", str(folder)]) == 0
    digest = {
        p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()
    }
    yield folder
    after = {
        p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()
    }
    assert after == digest


@pytest.mark.parametrize(("label", "make", "code", "cell"), COUNTS_CASES, ids=[c[0] for c in COUNTS_CASES])
def test_bad_counts_file(tmp_path, capsys, earlier_run, label, make, code, cell) -> None:
    exit_code, out, found = run_case(tmp_path, make)
    assert exit_code == 1
    assert not out.exists()
    assert (code, cell) in {(f["code"], f["cell"]) for f in found}, found
    hit = next(f for f in found if f["code"] == code)
    assert hit["file"] == "tall.xlsx" and hit["message"] and hit["fix"]
    printed = capsys.readouterr()
    assert "Traceback" not in printed.out + printed.err
    assert "tall.xlsx" in printed.err


def test_hidden_sheet_rows_and_total_rows_are_warnings(tmp_path) -> None:
    def build(wb):
        wb.add_worksheet("Forside").write(0, 0, "Se arket Tall")
        ws = wb.add_worksheet("Tall")
        rows = counts_rows(GOOD) + [["Sum", None, None, 13369, 28941, 24512], [], ["Kilde: SSB 2025"]]
        _write_rows(ws, rows)
        ws.set_row(2, None, None, {"hidden": True})
        ws.hide()

    code, out, _ = run_case(tmp_path, xlsx_with(build))
    assert code == 0
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    got = {(f["code"], f["cell"]) for f in m["findings"]}
    assert {
        ("sheet.hidden", ""),
        ("sheet.hidden_rows", "A3"),
        ("counts.total_row", "A6"),
        ("counts.row_without_counts", "A8"),
    } <= got
    assert len(m["networks"]) == 4


def test_total_row_that_does_not_add_up_is_a_warning(tmp_path) -> None:
    rows = counts_rows(GOOD) + [["Totalt", None, None, 1, 2, 3]]
    code, out, _ = run_case(tmp_path, counts_file(rows))
    assert code == 0
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert ("counts.total_row_mismatch", "A6") in {(f["code"], f["cell"]) for f in m["findings"]}


def test_header_below_title_rows_is_read(tmp_path) -> None:
    rows = [["Tall for 2025"], ["Kilde: SSB"], [], *counts_rows(GOOD)]
    code, out, _ = run_case(tmp_path, counts_file(rows))
    assert code == 0


CONFIG_CASES = [
    ("unknown key", lambda m: m.replace("per_network = 250_000", "per_netwrk = 250_000"), "config.unknown_key"),
    (
        "percent 99.9",
        lambda m: m.replace("percent = 8", 'percent = 8\n[[pot]]\nname = "X"\nparent = "Fellestiltak"\npercent = 99.9'),
        "config.percent_sum",
    ),
    ("frame too small", lambda m: m.replace("frame = 32_000_000", "frame = 2_000_000"), "config.frame_too_small"),
    ("missing input", lambda m: m.replace('counts = "tall.xlsx"', 'counts = "mangler.xlsx"'), "config.input_missing"),
    ("wrong type", lambda m: m.replace("unit = 1 ", 'unit = "en" '), "config.type"),
    (
        "unknown network in extra",
        lambda m: m.replace('"Trondheim/Malvik" = 200_000', '"Trondheim" = 200_000'),
        "config.unknown_network",
    ),
    ("not TOML", lambda m: m + "\n[[pot]\n", "config.syntax"),
    (
        "key column not in sheet",
        lambda m: m.replace('"Elever og lærlinger i vgs" = 1 }', '"Lærere" = 1 }'),
        "config.key_column_missing",
    ),
]


@pytest.mark.parametrize(("label", "change", "code"), CONFIG_CASES, ids=[c[0] for c in CONFIG_CASES])
def test_bad_config_exits_2(tmp_path, capsys, label, change, code) -> None:
    write_xlsx(tmp_path / "tall.xlsx", {"Tall": counts_rows(GOOD)})
    cfg = tmp_path / "modell.toml"
    text = MODEL.replace('counts = "../input_templates/trondelag/tall.xlsx"', 'counts = "tall.xlsx"')
    cfg.write_text(change(text), encoding="utf-8")
    assert main(["run", str(cfg), "--out", str(tmp_path / "k")]) == 2
    err = capsys.readouterr().err
    assert code in err and "modell.toml" in err and "Traceback" not in err
    assert not (tmp_path / "k").exists()


PARAM_CASES = [
    ("unreadable frame", [["Ramme", "24 OOO OOO", None]], [], "parameters.amount", "B2"),
    (
        "amount and share",
        [["Ramme", 24_000_000, None]],
        [["Eiernettverket", 200_000, 5, None, None]],
        "parameters.amount_and_share",
        "C2",
    ),
    (
        "unreadable share",
        [["Ramme", 24_000_000, None]],
        [["Eiernettverket", None, "fem", None, None]],
        "parameters.percent",
        "C2",
    ),
    ("two frames", [["Ramme", 24_000_000, None], ["Ramme 2", 1, None]], [], "parameters.two_frames", "A3"),
    ("negative", [["Ramme", -5, None]], [], "parameters.amount", "B2"),
    (
        "blank amount",
        [["Ramme", 24_000_000, None], ["Tilsagn 2024", None, "Vedtak 2024"]],
        [],
        "parameters.missing_amount",
        "B3",
    ),
]


@pytest.mark.parametrize(
    ("label", "ramme", "avsetninger", "code", "cell"), PARAM_CASES, ids=[c[0] for c in PARAM_CASES]
)
def test_bad_parameters(tmp_path, label, ramme, avsetninger, code, cell) -> None:
    src = ROOT / "input_templates" / "nordland" / "tall.xlsx"
    (tmp_path / "tall.xlsx").write_bytes(src.read_bytes())
    write_xlsx(
        tmp_path / "parametre.xlsx",
        {
            "Ramme": [["Post", "Beløp", "Vedtak"], *ramme],
            "Avsetninger": [["Navn", "Beløp", "Andel (%)", "Mottaker", "Vedtak"], *avsetninger],
        },
    )
    model = (ROOT / "config" / "nordland.toml").read_text(encoding="utf-8").replace("../input_templates/nordland/", "")
    (tmp_path / "m.toml").write_text(model, encoding="utf-8")
    assert main(["run", str(tmp_path / "m.toml"), "--out", str(tmp_path / "k")]) == 1
    found = json.loads((tmp_path / "k-funn" / "funn.json").read_text(encoding="utf-8"))["findings"]
    assert (code, cell) in {(f["code"], f["cell"]) for f in found}


def test_interrupted_write_leaves_nothing(tmp_path, monkeypatch) -> None:
    import allocation.write.workbook

    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(allocation.write.workbook, "write_workbook", boom)
    out = tmp_path / "k"
    assert main(["run", str(ROOT / "config" / "trondelag.toml"), "--out", str(out)]) == 130
    assert list(tmp_path.iterdir()) == []


def test_user_text_is_never_a_formula(tmp_path) -> None:
    import openpyxl

    nets = {
        '=HYPERLINK("http://x","klikk")': (1, 2, 3),
        "+1+1": (4, 5, 6),
        "@SUM(A1)": (1, 1, 1),
        "-2+3": (2, 2, 2),
        "Fosen": (1, 1, 1),
    }
    model = MODEL.replace('extra = { "Trondheim/Malvik" = 200_000 }', "")
    code, out, _ = run_case(tmp_path, counts_file(counts_rows(nets)), model=model)
    assert code == 0
    wb = openpyxl.load_workbook(out / "fordeling.xlsx")
    names = [c.value for c in wb["Fordeling"]["A"][1:6]]
    assert set(names) == set(nets)
    for c in wb["Fordeling"]["A"][1:6]:
        assert c.data_type == "s"


def test_date_noise_does_not_matter(tmp_path) -> None:
    rows = counts_rows(GOOD)
    rows[1][1] = dt.datetime(2025, 1, 1)  # an Eier cell that Excel turned into a date: ignored, not an error
    code, _, _ = run_case(tmp_path, counts_file(rows))
    assert code == 0


def test_cell_far_down_inside_a_small_row(tmp_path) -> None:
    def far(tmp: Path) -> Path:
        path = write_xlsx(tmp / "tall.xlsx", {"Tall": counts_rows(GOOD)})
        return rewrite(path, "xl/worksheets/sheet1.xml", lambda b: b.replace(b'<c r="D3">', b'<c r="D4000000">'))

    code, _, found = run_case(tmp_path, far)
    assert code == 1 and found[0]["code"] == "file.range"


def test_dtd_after_a_long_comment(tmp_path) -> None:
    def dtd(tmp: Path) -> Path:
        path = write_xlsx(tmp / "tall.xlsx", {"Tall": counts_rows(GOOD)})
        return rewrite(
            path,
            "xl/workbook.xml",
            lambda b: b.replace(b"?>", b"?><!--" + b"x" * 10_000 + b'--><!DOCTYPE x [<!ENTITY a "a">]>', 1),
        )

    code, _, found = run_case(tmp_path, dtd)
    assert code == 1 and found[0]["code"] == "file.dtd"


def test_misspelt_parameters_sheet_is_named(tmp_path) -> None:
    (tmp_path / "tall.xlsx").write_bytes((ROOT / "input_templates" / "nordland" / "tall.xlsx").read_bytes())
    write_xlsx(tmp_path / "parametre.xlsx", {"Rame": [["Post", "Beløp", "Vedtak"], ["Ramme", 24_000_000, None]]})
    model = (ROOT / "config" / "nordland.toml").read_text(encoding="utf-8").replace("../input_templates/nordland/", "")
    (tmp_path / "m.toml").write_text(model, encoding="utf-8")
    assert main(["run", str(tmp_path / "m.toml"), "--out", str(tmp_path / "k")]) == 1
    found = json.loads((tmp_path / "k-funn" / "funn.json").read_text(encoding="utf-8"))["findings"]
    assert [(f["code"], f["sheet"]) for f in found] == [("parameters.sheet_name", "Rame")]
