"""A hostile corpus: each case is a small set of input files (or a tampered run folder) that a
careless or hostile user could make, run through the real command line. Each must end as its
class says: an error finding with its reason code and cell (exit 1 or 2) with nothing published
and ``validate`` agreeing with ``run``, or exit 0 with the kroner the inputs mean (checked against
the same inputs written cleanly, or against kroner worked out by hand)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from allocation.cli import main
from allocation.read.applications import FIELDS, defined_name
from allocation.write.templates import write_form

from .conftest import HEADERS, ROOT

TEMPLATES = ROOT / "input_templates" / "trondelag"
_CODE = re.compile(r"^  (FEIL|ADVARSEL|MERKNAD) (\S+) \(\d+\)$")
PLACEHOLDER = 987654321

# ------------------------------------------------------------------------------------ writing files


def book(
    path: Path,
    sheets: dict[str, list[list[Any]]],
    fmts: dict[tuple[str, str], str] | None = None,
    errors: dict[tuple[str, str], str] | None = None,
) -> Path:
    """Sheets of rows from A1. ``fmts`` gives a number format to a cell ((sheet, A1) -> code),
    ``errors`` makes a cell a real Excel error cell with a formula, as Excel stores it."""
    from xlsxwriter.utility import xl_cell_to_rowcol

    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    fmts, errors = fmts or {}, errors or {}
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    ws.write_string(r, c, value)
                else:
                    ws.write(r, c, value)
        for (sheet, ref), code in fmts.items():
            if sheet == name:
                r, c = xl_cell_to_rowcol(ref)
                ws.write_number(r, c, float(rows[r][c]), wb.add_format({"num_format": code}))
        for sheet, ref in errors:
            if sheet == name:
                ws.write_number(ref, PLACEHOLDER)
    wb.close()
    if errors:
        order = list(sheets)

        def put(xml: str, sheet: str) -> str:
            for (s, ref), error in errors.items():
                if s == sheet:
                    xml, n = re.subn(
                        rf'<c r="{ref}"([^>]*)><v>{PLACEHOLDER}</v></c>',
                        rf'<c r="{ref}"\1 t="e"><f>{ref}+#REF!</f><v>{error}</v></c>',
                        xml,
                    )
                    assert n == 1, ref
            return xml

        for i, sheet in enumerate(order, start=1):
            if any(s == sheet for s, _ in errors):
                edit_part(path, f"xl/worksheets/sheet{i}.xml", lambda xml, s=sheet: put(xml, s))
    return path


def edit_part(path: Path, member: str, change: Callable[[str], str]) -> None:
    """Rewrite one part of a zip, keeping every other part."""
    with zipfile.ZipFile(path) as z:
        parts = [(info, z.read(info.filename)) for info in z.infolist()]
    path.unlink()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        found = False
        for info, data in parts:
            if info.filename == member:
                new = change(data.decode("utf-8"))
                assert new != data.decode("utf-8"), f"nothing changed in {member}"
                data, found = new.encode("utf-8"), True
            z.writestr(info, data)
        assert found, member


def inline(value: Any) -> str:
    if isinstance(value, str):
        return f'<c t="inlineStr"><is><t>{value}</t></is></c>'
    return f"<c><v>{value}</v></c>"


def raw_sheet(path: Path, rows: str, before: str = "", index: int = 1) -> None:
    """Replace sheet ``index`` of an existing workbook with hand-written sheetData."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    xml = f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}>{before}<sheetData>{rows}</sheetData></worksheet>'
    edit_part(path, f"xl/worksheets/sheet{index}.xml", lambda _: xml)


# ------------------------------------------------------------------------------------ the models

SIMPLE = """
[run]
name = "Korpus"
{frame}
[inputs]
counts = "tall.xlsx"
{inputs}
[keys.barn]
columns = {{ "Barn i barnehage" = 1 }}

[[pot]]
name = "Koordinering"
per_network = 100_000
{extra}
[[pot]]
name = "Resten"
rest = true
spread = "key"
key = "barn"
{more}
"""
PARAM_HEADERS = {
    "Ramme": ["Post", "Beløp", "Vedtak"],
    "Avsetninger": ["Navn", "Beløp", "Andel (%)", "Mottaker", "Vedtak"],
    "Nettverk": ["Nettverk", "Grunntilskudd", "Koordinering", "Vedtak"],
}
# Fosen 100 children, Namdal 300: Koordinering 100 000 each, the rest 800 000 split 1 : 3
SIMPLE_KRONER = {"Fosen": 300_000, "Namdal": 700_000}


def counts(*rows: tuple) -> list[list[Any]]:
    return [list(HEADERS), *[[n, None, None, b, g, v] for n, b, g, v in rows]]


GOOD_COUNTS = counts(("Fosen", 100, 5, 1), ("Namdal", 300, 7, 2))


def config(tmp: Path, frame: str = "frame = 1_000_000", inputs: str = "", extra: str = "", more: str = "") -> Path:
    path = tmp / "modell.toml"
    path.write_text(SIMPLE.format(frame=frame, inputs=inputs, extra=extra, more=more), encoding="utf-8")
    return path


def with_counts(rows=None, fmts=None, errors=None, sheets=None, **cfg) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        book(tmp / "tall.xlsx", sheets or {"Tall": rows if rows is not None else GOOD_COUNTS}, fmts, errors)
        return config(tmp, **cfg)

    return build


def with_params(ramme=None, avs=None, nett=None, fmts=None, errors=None, **cfg) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        book(tmp / "tall.xlsx", {"Tall": GOOD_COUNTS})
        sheets = {
            "Ramme": [PARAM_HEADERS["Ramme"], *(ramme if ramme is not None else [["Ramme", 1_000_000, "Brev"]])],
            "Avsetninger": [PARAM_HEADERS["Avsetninger"], *(avs or [])],
            "Nettverk": [PARAM_HEADERS["Nettverk"], *(nett or [])],
        }
        book(tmp / "parametre.xlsx", sheets, fmts, errors)
        cfg.setdefault("frame", "")
        return config(tmp, inputs='parameters = "parametre.xlsx"', **cfg)

    return build


def with_toml(body: str, rows=None) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        book(tmp / "tall.xlsx", {"Tall": rows or GOOD_COUNTS})
        (tmp / "modell.toml").write_text(body, encoding="utf-8")
        return tmp / "modell.toml"

    return build


def toml(**parts: str) -> str:
    return SIMPLE.format(**{"frame": "frame = 1_000_000", "inputs": "", "extra": "", "more": "", **parts})


# --- applications: two networks, rows taken from the bundled list so org.nr and accounts are valid

APPS = '[applications]\nfiles = ["{files}"]\npolicy = "redistribute"\nredistribution_key = "barn"\n'
FIDS = [fid for fid, _, _ in FIELDS]


def _template_rows() -> list[list[Any]]:
    wb = CalamineWorkbook.from_path(str(TEMPLATES / "søknader.xlsx"))
    rows = wb.get_sheet_by_name("Søknader").to_python()
    out = []
    for row, net in zip(rows[1:3], ["Fosen", "Namdal"], strict=True):
        row = [v if isinstance(v, (str, int, float)) else str(v) for v in row]
        row[0] = net
        row[FIDS.index("owner_y1")] = 200_000  # below each network's frame: granted = asked
        row[FIDS.index("uh_y1")] = 100_000
        row[FIDS.index("coord_amount")] = "0"
        for fid, share in zip(("share_kartlegging", "share_planlegging", "share_gjennomforing", "share_koordinator"),
                              ("20 %", "30 %", "50 %", "0 %"), strict=True):  # fmt: skip
            row[FIDS.index(fid)] = share
        out.append(row)
    return out


APP_ROWS = _template_rows()


def col(fid: str) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(FIDS.index(fid))


def with_list(change: Callable[[list[list[Any]]], None] | None = None, fmts=None, errors=None, extra_rows=()):
    """The list layout; ``change`` edits the data rows (row 0 is Fosen on sheet row 2)."""

    def build(tmp: Path) -> Path:
        book(tmp / "tall.xlsx", {"Tall": GOOD_COUNTS})
        rows = [list(r) for r in APP_ROWS]
        if change:
            change(rows)
        header = [label for _, label, _ in FIELDS]
        book(tmp / "søknader.xlsx", {"Søknader": [header, *rows, *extra_rows]}, fmts, errors)
        return config(tmp, more=APPS.format(files="søknader.xlsx"))

    return build


def _form_values(row: list[Any]) -> dict[str, Any]:
    return {fid: v for fid, v in zip(FIDS, row, strict=True) if v != ""}


FORM_ROW = {fid: 4 + i for i, fid in enumerate(FIDS)}  # the 1-based sheet row of each field


def with_forms(change: Callable[[dict[str, Any]], None] | None = None, post: Callable[[Path], None] | None = None):
    """Two forms (Fosen, Namdal); ``change`` edits Fosen's values, ``post`` edits Fosen's file."""

    def build(tmp: Path) -> Path:
        book(tmp / "tall.xlsx", {"Tall": GOOD_COUNTS})
        fosen, namdal = (_form_values(r) for r in APP_ROWS)
        if change:
            change(fosen)
        write_form(tmp / "fosen.xlsx", fosen)
        write_form(tmp / "namdal.xlsx", namdal)
        if post:
            post(tmp / "fosen.xlsx")
        return config(tmp, more=APPS.format(files='fosen.xlsx", "namdal.xlsx'))

    return build


def form_error(fid: str, error: str) -> Callable[[Path], None]:
    ref = f"B{FORM_ROW[fid]}"

    def post(path: Path) -> None:
        def put(xml: str) -> str:
            m = re.search(rf'<c r="{ref}"([^>]*?)(/>|>.*?</c>)', xml)
            assert m, ref
            attrs = re.sub(r'\s*t="[^"]*"', "", m.group(1))
            return xml[: m.start()] + f'<c r="{ref}"{attrs} t="e"><f>1/0</f><v>{error}</v></c>' + xml[m.end() :]

        edit_part(path, "xl/worksheets/sheet1.xml", put)

    return post


def move_name(fid: str, to_row: int) -> Callable[[Path], None]:
    def post(path: Path) -> None:
        edit_part(
            path,
            "xl/workbook.xml",
            lambda xml: re.sub(rf'(<definedName name="{defined_name(fid)}">[^<]*\$B\$)\d+', rf"\g<1>{to_row}", xml),
        )

    return post


def set_field(fid: str, value: Any) -> Callable[[Any], None]:
    def change(target: Any) -> None:
        if isinstance(target, dict):
            if value is None:
                target.pop(fid, None)
            else:
                target[fid] = value
        else:
            target[0][FIDS.index(fid)] = "" if value is None else value

    return change


def both_changes(*changes: Callable[[Any], None]) -> Callable[[Any], None]:
    def change(target: Any) -> None:
        for c in changes:
            c(target)

    return change


# ------------------------------------------------------------------------------------ the corpus


@dataclass
class Case:
    id: str
    build: Callable[[Path], Path]
    exit: int
    code: str = ""  # a reason code that must be among the findings (any severity)
    cell: str = ""  # the cell that finding names
    clean: Callable[[Path], Path] | None = None  # exit 0: the same inputs written cleanly
    kroner: dict[str, int] = field(default_factory=dict)  # exit 0: network frames worked out by hand


ERR = "counts.excel_error"
PERR = "parameters.excel_error"
AERR = "applications.excel_error"


def _total(label: str, col: int = 0) -> list[Any]:
    row: list[Any] = [None, None, None, 400, 12, 3]
    row[col] = label
    return row


CASES: list[Case] = [
    # -- Excel error cells, counts workbook, every column that is read
    Case("counts #REF! in Barn", with_counts(errors={("Tall", "D3"): "#REF!"}), 1, ERR, "D3"),
    Case("counts #N/A in Nettverk", with_counts(errors={("Tall", "A2"): "#N/A"}), 1, ERR, "A2"),
    Case("counts #DIV/0! in vgs", with_counts(errors={("Tall", "F2"): "#DIV/0!"}), 1, ERR, "F2"),
    Case("counts #NULL! in grunnskole", with_counts(errors={("Tall", "E3"): "#NULL!"}), 1, ERR, "E3"),
    Case("counts #VALUE! in Kommunenummer", with_counts(errors={("Tall", "C3"): "#VALUE!"}), 1, ERR, "C3"),
    Case(
        "counts #NUM! in a weighted extra column",
        with_counts(
            rows=[[*HEADERS, "Lærere"], ["Fosen", None, None, 100, 5, 1, 3], ["Namdal", None, None, 300, 7, 2, 4]],
            errors={("Tall", "G3"): "#NUM!"},
            more='[keys.laerere]\ncolumns = { "Lærere" = 1 }\n[[pot]]\nname = "Lærerdel"\namount = 10_000\n'
            'spread = "key"\nkey = "laerere"',
        ),
        1,
        ERR,
        "G3",
    ),
    # -- per-cent formats on counts
    Case("counts per-cent format 0 %", with_counts(fmts={("Tall", "D2"): "0 %"}), 1, "", "D2"),
    Case("counts per-cent format 0.0%", with_counts(fmts={("Tall", "D3"): "0.0%"}), 1, "", "D3"),
    # -- huge numbers in counts
    Case(
        "counts thousands of digits",
        with_counts(counts(("Fosen", "9" * 3000, 5, 1), ("Namdal", 300, 7, 2))),
        1,
        "",
        "D2",
    ),
    Case("counts 1e300", with_counts(counts(("Fosen", 1e300, 5, 1), ("Namdal", 300, 7, 2))), 1, "", "D2"),
    # -- total rows, every spelling, where they stand
    *[
        Case(
            f"counts total row «{label}»",
            with_counts([*GOOD_COUNTS, _total(label)]),
            0,
            clean=with_counts(),
            kroner=SIMPLE_KRONER,
        )
        for label in ["Sum:", "SUMMA", "Totalt", "I alt:", "Sum kommuner", "Totalt fylket", "Sum Trøndelag", "TOTAL"]
    ],
    Case(
        "counts subtotals then a grand total",
        with_counts(
            [
                HEADERS,
                ["Fosen", "Ørland", None, 40, 2, 0],
                ["Fosen", "Indre Fosen", None, 60, 3, 1],
                ["Sum Fosen", None, None, 100, 5, 1],
                ["Namdal", None, None, 300, 7, 2],
                ["Sum kommuner", None, None, 400, 12, 3],
                ["Totalt fylket", None, None, 400, 12, 3],
            ]
        ),
        0,
        kroner=SIMPLE_KRONER,
    ),
    Case(
        "counts total row in the middle",
        with_counts(
            [
                HEADERS,
                ["Fosen", None, None, 100, 5, 1],
                ["I alt", None, None, 100, 5, 1],
                ["Namdal", None, None, 300, 7, 2],
            ]
        ),
        0,
        kroner=SIMPLE_KRONER,
    ),
    Case(
        "counts total label in the Eier column",
        with_counts([*GOOD_COUNTS, _total("Sum", col=1)]),
        0,
        kroner=SIMPLE_KRONER,
    ),
    Case(
        "counts unlabelled row equal to the sum above",
        with_counts([*GOOD_COUNTS, ["Øvrige", None, None, 400, 12, 3]]),
        1,
    ),
    # -- invisible characters and look-alikes in network names
    Case(
        "counts word joiner and soft hyphen split nothing",
        with_counts(counts(("Fosen", 60, 5, 1), ("Nam\u2060dal", 300, 7, 2), ("Fo\u00adsen", 40, 0, 0))),
        0,
        kroner=SIMPLE_KRONER,
    ),
    Case(
        "counts BOM and ideographic space",
        with_counts(counts(("\ufeffFosen\u3000", 100, 5, 1), ("Namdal", 300, 7, 2))),
        0,
        kroner=SIMPLE_KRONER,
    ),
    Case(
        "counts Greek omicron look-alike",
        with_counts(counts(("Fosen", 60, 5, 1), ("Namdal", 300, 7, 2), ("F\u03bfsen", 40, 0, 0))),
        1,
        "",
        "A4",
    ),
    Case(
        "counts Cyrillic а look-alike",
        with_counts(counts(("Namdal", 200, 5, 1), ("Fosen", 300, 7, 2), ("N\u0430mdal", 100, 0, 0))),
        1,
        "",
        "A4",
    ),
    Case(
        "counts two sheets match Tall",
        with_counts(sheets={"Tall": GOOD_COUNTS, " TALL ": GOOD_COUNTS}),
        1,
    ),
    Case(
        "counts escape sequence in a name is shown escaped",
        with_counts(counts(("Fosen\x1b[2J", 100, 5, 1), ("Namdal", 300, 7, 2))),
        0,
    ),
    # -- parameters workbook: error cells in each sheet
    Case("params #REF! in the frame", with_params(errors={("Ramme", "B2"): "#REF!"}), 1, PERR, "B2"),
    Case(
        "params #N/A in a set-aside amount",
        with_params(avs=[["Møter", 50_000, None, None, "Vedtak"]], errors={("Avsetninger", "B2"): "#N/A"}),
        1,
        PERR,
        "B2",
    ),
    Case(
        "params #DIV/0! in a set-aside share",
        with_params(avs=[["Møter", None, 5, None, "Vedtak"]], errors={("Avsetninger", "C2"): "#DIV/0!"}),
        1,
        PERR,
        "C2",
    ),
    Case(
        "params #NAME? in a network's coordination",
        with_params(
            nett=[["Fosen", None, 100_000, None]],
            errors={("Nettverk", "C2"): "#NAME?"},
            extra='column = "Koordinering"',
        ),
        1,
        PERR,
        "C2",
    ),
    # -- per-cent formats in the parameters workbook
    Case(
        "params share shown as 10,0 % read as 10 %",
        with_params(avs=[["Møter", None, 0.1, "Møtevirksomhet", None]], fmts={("Avsetninger", "C2"): "0.0%"}),
        0,
        clean=with_params(avs=[["Møter", None, 10, "Møtevirksomhet", None]]),
    ),
    Case(
        "params share shown as 150,00 % is out of range",
        with_params(avs=[["Møter", None, 1.5, None, None]], fmts={("Avsetninger", "C2"): "#,##0.00 %"}),
        1,
        "parameters.percent",
        "C2",
    ),
    Case(
        "params amount per-cent formatted",
        with_params(ramme=[["Ramme", 10, None]], fmts={("Ramme", "B2"): "0 %"}),
        1,
        "",
        "B2",
    ),
    Case(
        "params plain fraction share is read as per cent with a warning",
        with_params(avs=[["Møter", None, 0.1, None, None]]),
        0,
        "value.fraction_read_as_percent",
        "C2",
        clean=with_params(avs=[["Møter", None, 10, None, None]]),
    ),
    # -- two numbers, huge numbers, not whole kroner
    Case(
        "params two numbers in a set-aside amount",
        with_params(avs=[["Møter", "350 000 (UH) 50 000 (reise)", None, None, None]]),
        1,
        "",
        "B2",
    ),
    Case("params frame of 2000 digits", with_params(ramme=[["Ramme", "1" * 2000, None]]), 1, "", "B2"),
    Case("params frame with øre", with_params(ramme=[["Ramme", 1_000_000.5, None]]), 1, "", "B2"),
    # -- total rows in the parameters workbook
    Case(
        "params «Sum» row under set-asides",
        with_params(
            avs=[
                ["Møter", 50_000, None, None, None],
                ["Kurs", 30_000, None, None, None],
                ["Sum", 80_000, None, None, None],
            ]
        ),
        0,
        clean=with_params(avs=[["Møter", 50_000, None, None, None], ["Kurs", 30_000, None, None, None]]),
    ),
    Case(
        "params «I alt» row under networks",
        with_params(
            nett=[["Fosen", None, 50_000, None], ["Namdal", None, 70_000, None], ["I alt", None, 120_000, None]],
            extra='column = "Koordinering"',
        ),
        0,
        clean=with_params(
            nett=[["Fosen", None, 50_000, None], ["Namdal", None, 70_000, None]], extra='column = "Koordinering"'
        ),
    ),
    # -- names twice, look-alikes, invisible characters in the parameters workbook
    Case(
        "params network twice on Nettverk (zero-width)",
        with_params(
            nett=[["Fosen", None, 50_000, None], ["Fo\u200bsen", None, 60_000, None]], extra='column = "Koordinering"'
        ),
        1,
        "",
        "A3",
    ),
    Case(
        "params set-aside pasted twice",
        with_params(avs=[["Møter", 50_000, None, None, None], ["møter ", 50_000, None, None, None]]),
        1,
        "",
        "A3",
    ),
    Case(
        "params two commitments with one Post",
        with_params(
            ramme=[["Ramme", 1_000_000, None], ["Tilsagn 2024", 10_000, None], ["TILSAGN\u00a02024", 20_000, None]]
        ),
        1,
        "",
        "A4",
    ),
    Case(
        "params commitment named like a pot",
        with_params(ramme=[["Ramme", 1_000_000, None], ["koordinering", 10_000, None]]),
        2,
        "config.name_clash",
        "A3",
    ),
    Case(
        "params network with soft hyphen matches the counts",
        with_params(nett=[["Fo\u00adsen", None, 50_000, None]], extra='column = "Koordinering"'),
        0,
        clean=with_params(nett=[["Fosen", None, 50_000, None]], extra='column = "Koordinering"'),
    ),
    Case(
        "params Cyrillic network on Nettverk",
        with_params(nett=[["F\u043esen", None, 50_000, None]], extra='column = "Koordinering"'),
        2,
        "parameters.unknown_network",
        "A2",
    ),
    # -- rules hold for workbook values
    Case(
        "params set-aside shares over 100 %",
        with_params(avs=[["Møter", None, 60, None, None], ["Kurs", None, 50, None, None]]),
        2,
    ),
    Case(
        "params frame too small for the fixed pots",
        with_params(ramme=[["Ramme", 150_000, None]]),
        2,
        "config.frame_too_small",
    ),
    # -- applications list: error cells in every kind of column
    Case(
        "list #REF! in owner year 1",
        with_list(errors={("Søknader", f"{col('owner_y1')}2"): "#REF!"}),
        1,
        AERR,
        f"{col('owner_y1')}2",
    ),
    Case(
        "list #N/A in UH org.nr",
        with_list(errors={("Søknader", f"{col('uh_orgnr')}3"): "#N/A"}),
        1,
        AERR,
        f"{col('uh_orgnr')}3",
    ),
    Case(
        "list #VALUE! in owner account",
        with_list(errors={("Søknader", f"{col('owner_account')}2"): "#VALUE!"}),
        1,
        AERR,
        f"{col('owner_account')}2",
    ),
    Case(
        "list #NAME? in received date",
        with_list(errors={("Søknader", f"{col('received')}2"): "#NAME?"}),
        1,
        AERR,
        f"{col('received')}2",
    ),
    Case(
        "list #DIV/0! in a share",
        with_list(errors={("Søknader", f"{col('share_planlegging')}3"): "#DIV/0!"}),
        1,
        AERR,
        f"{col('share_planlegging')}3",
    ),
    Case(
        "list #NUM! in UH year 1",
        with_list(errors={("Søknader", f"{col('uh_y1')}3"): "#NUM!"}),
        1,
        AERR,
        f"{col('uh_y1')}3",
    ),
    Case("list #NULL! in the network", with_list(errors={("Søknader", "A3"): "#NULL!"}), 1, AERR, "A3"),
    # -- per-cent formats on shares and amounts in the list
    Case(
        "list shares formatted 0.0% are read by their format",
        with_list(
            both_changes(
                *(
                    set_field(f, v)
                    for f, v in [
                        ("share_kartlegging", 0.2),
                        ("share_planlegging", 0.3),
                        ("share_gjennomforing", 0.5),
                        ("share_koordinator", 0),
                    ]
                )
            ),
            fmts={
                ("Søknader", f"{col(f)}2"): "0.0%"
                for f in ("share_kartlegging", "share_planlegging", "share_gjennomforing", "share_koordinator")
            },
        ),
        0,
        clean=with_list(),
    ),
    Case(
        "list share 150 % is out of range",
        with_list(set_field("share_gjennomforing", 1.5), fmts={("Søknader", f"{col('share_gjennomforing')}2"): "0 %"}),
        1,
        "",
        f"{col('share_gjennomforing')}2",
    ),
    Case(
        "list amount per-cent formatted",
        with_list(set_field("owner_y1", 2.0), fmts={("Søknader", f"{col('owner_y1')}2"): "0%"}),
        1,
        "",
        f"{col('owner_y1')}2",
    ),
    # -- two numbers, huge numbers, blank year 1 in the list
    Case(
        "list two numbers in owner year 1",
        with_list(set_field("owner_y1", "200 000 (år 1) 0 (år 2)")),
        1,
        "",
        f"{col('owner_y1')}2",
    ),
    Case("list two numbers in UH year 1", with_list(set_field("uh_y1", "100 000 / 50 000")), 1, "", f"{col('uh_y1')}2"),
    Case("list 3000 digits in UH year 1", with_list(set_field("uh_y1", "1" * 3000)), 1, "", f"{col('uh_y1')}2"),
    Case(
        "list blank year-1 amounts",
        with_list(both_changes(set_field("owner_y1", None), set_field("uh_y1", None))),
        1,
        "",
        "2",
    ),
    # -- total rows and names in the list
    Case(
        "list «Sum» row at the end",
        with_list(extra_rows=[["Sum", *[""] * 12, 400_000, "", "", 200_000]]),
        0,
        clean=with_list(),
    ),
    Case(
        "list network with zero-width joiner",
        with_list(set_field("network", "Fo\u200dsen")),
        0,
        clean=with_list(),
    ),
    Case("list Cyrillic network", with_list(set_field("network", "F\u043esen")), 1, "", "A2"),
    Case("list network twice", with_list(lambda rows: rows[1].__setitem__(0, "FOSEN")), 1),
    # -- application forms
    Case(
        "form #REF! in owner year 1",
        with_forms(post=form_error("owner_y1", "#REF!")),
        1,
        AERR,
        f"B{FORM_ROW['owner_y1']}",
    ),
    Case(
        "form #N/A in UH account",
        with_forms(post=form_error("uh_account", "#N/A")),
        1,
        AERR,
        f"B{FORM_ROW['uh_account']}",
    ),
    Case(
        "form blank year-1 amounts", with_forms(both_changes(set_field("owner_y1", None), set_field("uh_y1", None))), 1
    ),
    Case(
        "form two numbers in UH year 1",
        with_forms(set_field("uh_y1", "350 000 (UH) 50 000 (reise)")),
        1,
        "",
        f"B{FORM_ROW['uh_y1']}",
    ),
    Case(
        "form defined name moved off its label",
        with_forms(post=move_name("owner_ref", FORM_ROW["owner_ref"] + 2)),
        0,
        "",
        f"B{FORM_ROW['owner_ref'] + 2}",
    ),
    # -- the TOML
    Case("toml frame nan", with_toml(toml(frame="frame = nan")), 2, "config.not_finite"),
    Case("toml unit inf", with_toml(toml(frame="frame = 1_000_000\nunit = inf")), 2),
    Case("toml per_network -inf", with_toml(toml().replace("per_network = 100_000", "per_network = -inf")), 2),
    Case("toml frame absurd", with_toml(toml(frame="frame = 9_000_000_000_000_000_000")), 2),
    Case("toml frame 1e308", with_toml(toml(frame="frame = 1e308")), 2),
    Case("toml amount with øre", with_toml(toml(more='[[pot]]\nname = "Møter"\namount = 1000.5')), 2),
    Case("toml empty pot name", with_toml(toml(more='[[pot]]\nname = "  "\namount = 1000')), 2),
    Case("toml pot named like the frame", with_toml(toml(more='[[pot]]\nname = "RAMME "\namount = 1000')), 2),
    Case(
        "toml two pots one name in two spellings",
        with_toml(toml(more='[[pot]]\nname = "koordi\u200bnering"\namount = 1000')),
        2,
    ),
    Case(
        "toml extra spelt two ways",
        with_toml(toml(extra='extra = { "Fosen" = 10_000, "FO SEN" = 20_000 }')),
        2,
    ),
    Case("toml extra with unknown network", with_toml(toml(extra='extra = { "Fosna" = 10_000 }')), 2),
    Case("toml unit larger than the frame", with_toml(toml(frame="frame = 1_000_000\nunit = 5_000_000")), 2),
    Case(
        "toml percent children over 100",
        with_toml(toml(more='[[pot]]\nname = "A"\npercent = 60\n[[pot]]\nname = "B"\npercent = 50.5')),
        2,
    ),
    Case(
        "toml tree too deep",
        with_toml(
            toml(
                more="".join(
                    f'[[pot]]\nname = "L{i}"\nparent = "{"L" + str(i - 1) if i else "Koordinering"}"\n'
                    for i in range(3000)
                )
            )
        ),
        2,
    ),
    Case("toml not TOML at all", with_toml("[run\nframe = 1"), 2),
    Case(
        "toml key column spelt twice",
        with_toml(toml().replace('"Barn i barnehage" = 1', '"Barn i barnehage" = 1, "barn i  barnehage" = 2')),
        2,
    ),
    # -- odd XML in each kind of workbook
]


def _xml_counts(rows: str, before: str = "", index: int = 1) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        book(tmp / "tall.xlsx", {"Tall": GOOD_COUNTS})
        raw_sheet(tmp / "tall.xlsx", rows, before, index)
        return config(tmp)

    return build


HEAD = "<row>" + "".join(inline(h) for h in HEADERS) + "</row>"


def _row(*values: Any) -> str:
    return "<row>" + "".join(inline(v) for v in values) + "</row>"


CASES += [
    Case(
        "xml counts without any r attribute",
        _xml_counts(HEAD + _row("Fosen", "", "", 100, 5, 1) + _row("Namdal", "", "", 300, 7, 2)),
        0,
        kroner=SIMPLE_KRONER,
    ),
    Case(
        "xml counts error cell with attributes reordered",
        _xml_counts(
            HEAD
            + _row("Fosen", "", "", 100, 5, 1)
            + '<row><c t="inlineStr"><is><t>Namdal</t></is></c><c/><c/><c s="0" t="e" r="D3"><v>#REF!</v></c></row>'
        ),
        1,
        ERR,
        "D3",
    ),
    Case(
        "xml counts duplicate cell reference",
        _xml_counts(
            HEAD
            + '<row r="2"><c r="A2" t="inlineStr"><is><t>Fosen</t></is></c>'
            + '<c r="D2"><v>100</v></c><c r="D2"><v>900</v></c></row>'
            + _row("Namdal", "", "", 300, 7, 2)
        ),
        1,
        "",
        "D2",
    ),
    Case(
        "xml counts empty value",
        _xml_counts(
            HEAD
            + _row("Fosen", "", "", 100, 5, 1)
            + '<row><c t="inlineStr"><is><t>Namdal</t></is></c><c/><c/><c><v>300</v></c><c><v/></c></row>'
        ),
        1,
        "sheet.empty_value",
        "E3",
    ),
    Case(
        "xml counts formula without a value",
        _xml_counts(
            HEAD
            + _row("Fosen", "", "", 100, 5, 1)
            + '<row><c t="inlineStr"><is><t>Namdal</t></is></c><c/><c/><c><f>100*3</f></c></row>'
        ),
        1,
        "",
        "D3",
    ),
    Case(
        "xml counts huge declared dimension, small data",
        _xml_counts(
            HEAD + _row("Fosen", "", "", 100, 5, 1) + _row("Namdal", "", "", 300, 7, 2),
            '<dimension ref="A1:XFD1048576"/>',
        ),
        0,
        kroner=SIMPLE_KRONER,
    ),
    Case(
        "xml counts one cell far away",
        _xml_counts(
            HEAD
            + _row("Fosen", "", "", 100, 5, 1)
            + _row("Namdal", "", "", 300, 7, 2)
            + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
        ),
        1,
    ),
    Case(
        "xml counts DTD",
        _xml_counts(HEAD + _row("Fosen", "", "", 100, 5, 1) + _row("Namdal", "", "", 300, 7, 2)),
        1,
    ),
]


def _dtd(build: Callable[[Path], Path]) -> Callable[[Path], Path]:
    def wrapped(tmp: Path) -> Path:
        cfg = build(tmp)
        edit_part(
            tmp / "tall.xlsx",
            "xl/worksheets/sheet1.xml",
            lambda x: x.replace("?>", '?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>', 1),
        )
        return cfg

    return wrapped


CASES[-1] = Case(CASES[-1].id, _dtd(CASES[-1].build), 1)


def _params_formula(tmp: Path) -> Path:
    cfg = with_params()(tmp)
    edit_part(
        tmp / "parametre.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda x: re.sub(r'<c r="B2"([^>]*)><v>[^<]*</v></c>', r'<c r="B2"\1><f>SUM(C1:C9)</f></c>', x),
    )
    return cfg


def _list_duplicate(tmp: Path) -> Path:
    cfg = with_list()(tmp)
    ref = f"{col('owner_y1')}2"
    edit_part(
        tmp / "søknader.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda x: re.sub(rf'(<c r="{ref}"[^>]*>.*?</c>)', r'\1<c r="' + ref + r'"><v>9000000</v></c>', x, count=1),
    )
    return cfg


def _form_no_r(tmp: Path) -> Path:
    """The form's value cells lose their r: calamine places them after the label, as Excel would."""
    cfg = with_forms()(tmp)
    edit_part(tmp / "fosen.xlsx", "xl/worksheets/sheet1.xml", lambda x: re.sub(r'<c r="[A-Z]+\d+"', "<c", x))
    return cfg


CASES += [
    Case("xml params formula without value in the frame", _params_formula, 1, "", "B2"),
    Case("xml list duplicate cell in owner year 1", _list_duplicate, 1, "", f"{col('owner_y1')}2"),
    Case("xml form cells without r", _form_no_r, 0, clean=with_forms()),
]

# -- scenarios that fail late, and folders that clash

SCEN = '\n[[scenario]]\nname = "{name}"\n{body}\n'
CASES += [
    Case(
        "scenario frame too small fails before anything is written",
        with_toml(toml(more=SCEN.format(name="Liten", body="run = { frame = 150_000 }"))),
        2,
        "config.frame_too_small",
    ),
    Case(
        "scenario unknown pot",
        with_toml(toml(more=SCEN.format(name="Feil", body='pots = { "Kordinering" = { per_network = 1 } }'))),
        2,
    ),
    Case(
        "scenario names giving one folder",
        with_toml(
            toml(
                more=SCEN.format(name="A/B", body="run = { frame = 1_100_000 }")
                + SCEN.format(name="a b", body="run = { frame = 1_200_000 }")
            )
        ),
        2,
    ),
    Case(
        "scenario unit larger than its frame",
        with_toml(toml(more=SCEN.format(name="Enhet", body="run = { unit = 9_000_000 }"))),
        2,
    ),
]

# -- applications folders with odd entries (exit 0; the finding is seen without --verbose)


def _folder(kind: str) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        cfg = with_forms()(tmp)
        folder = tmp / "søknader"
        folder.mkdir()
        for name in ("fosen.xlsx", "namdal.xlsx"):
            shutil.move(tmp / name, folder / name)
        if kind == "xlsm":
            shutil.copy(folder / "fosen.xlsx", folder / "makro.xlsm")
        elif kind == "dir":
            (folder / "gammel.xlsx").mkdir()
        elif kind == "link":
            (folder / "borte.xlsx").symlink_to(tmp / "finnes-ikke.xlsx")
        text = cfg.read_text(encoding="utf-8").replace('files = ["fosen.xlsx", "namdal.xlsx"]', 'folder = "søknader"')
        cfg.write_text(text, encoding="utf-8")
        return cfg

    return build


CASES += [
    Case("applications folder with a macro workbook", _folder("xlsm"), 1, "applications.macro_workbook"),
    Case("applications folder with a folder named .xlsx", _folder("dir"), 0),
    Case("applications folder with a dangling link", _folder("link"), 1, "applications.broken_link"),
]

# ------------------------------------------------------------------------------------ running


def cli(args: list[str]) -> tuple[int, str, dict[str, list[str]]]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(args)
    text = out.getvalue() + err.getvalue()
    found: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        m = _CODE.match(line)
        if m:
            current = found.setdefault(m.group(2), [])
        elif line.startswith("    ") and current is not None:
            current.append(line)
        else:
            current = None
    return status, text, found


def run_both(tmp: Path, cfg: Path, verbose: bool = True) -> tuple[int, str, dict[str, list[str]], Path]:
    out = tmp / "kjøring"
    flags = ["-v"] if verbose else []
    status, text, found = cli([*flags, "run", str(cfg), "--out", str(out)])
    for bad in ("Uventet feil", "Intern feil", "Traceback", "\x1b"):
        assert bad not in text, text
    v_status, v_text, v_found = cli([*flags, "validate", str(cfg), "--out", str(tmp / "kontroll")])
    assert v_status == status, f"validate {v_status}, run {status}\n{v_text}\n{text}"
    assert _errors(v_text) == _errors(text), f"validate and run found different errors\n{v_text}\n{text}"
    if status != 0:
        assert not out.exists(), "a failed run published its folder"
        assert not list(tmp.glob("kjøring-*[!n]")), "a failed run published a scenario folder"
    return status, text, found, out


def frames(folder: Path) -> dict[str, int]:
    m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return {n["name"]: n["frame"] for n in m["networks"]}


def money(folder: Path) -> dict[str, Any]:
    m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    keep = ("frame", "networks", "recipients", "held_back", "payments")
    return {k: m.get(k) for k in keep}


def _errors(text: str) -> set[str]:
    return {m.group(2) for line in text.splitlines() if (m := _CODE.match(line)) and m.group(1) == "FEIL"}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_corpus(tmp_path: Path, case: Case) -> None:
    cfg = case.build(tmp_path)
    status, text, found, out = run_both(tmp_path, cfg)
    assert status == case.exit, text
    if case.exit:
        assert _errors(text), f"exit {status} without an error finding\n{text}"
    if case.code:
        assert case.code in found, text
    if case.cell:
        lines = found[case.code] if case.code else [line for ls in found.values() for line in ls]
        assert any(f"celle {case.cell}" in line or re.search(rf"celle [A-Z]*{case.cell}\b", line) for line in lines), (
            text
        )
    if case.exit == 0:
        if case.kroner:
            assert frames(out) == case.kroner
        if case.clean:
            clean_dir = tmp_path / "ren"
            clean_dir.mkdir()
            clean_cfg = case.clean(clean_dir)
            assert main(["-q", "run", str(clean_cfg), "--out", str(clean_dir / "k")]) == 0
            assert money(out) == money(clean_dir / "k")


def test_corpus_is_large_enough() -> None:
    assert len(CASES) + len(TAMPERINGS) >= 70


# ------------------------------------------------------------------------------------ odd entries seen


@pytest.mark.parametrize("kind", ["xlsm", "dir", "link"])
def test_odd_entries_in_the_applications_folder_are_seen_without_verbose(tmp_path, kind) -> None:
    cfg = _folder(kind)(tmp_path)
    status, text, found = cli(["run", str(cfg), "--out", str(tmp_path / "k")])
    assert status in {0, 1} and found, text
    assert {"xlsm": "makro.xlsm", "dir": "gammel.xlsx", "link": "borte.xlsx"}[kind] in text, text


# ------------------------------------------------------------------------------------ verify


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("korpus-verify")
    cfg = with_list()(tmp)
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    try:
        assert main(["-q", "run", str(cfg), "--out", str(tmp / "k")]) == 0
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before
    return tmp / "k"


def _sheet_member(folder: Path, sheet: str) -> str:
    with zipfile.ZipFile(folder / "fordeling.xlsx") as z:
        book_xml = z.read("xl/workbook.xml").decode("utf-8")
        rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    rid = re.search(rf'<sheet name="{re.escape(sheet)}"[^>]*r:id="(rId\d+)"', book_xml).group(1)
    target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"', rels).group(1)
    return "xl/" + target.lstrip("/").removeprefix("xl/")


def _text_cell(sheet: str, header: str, new: str) -> Callable[[Path], None]:
    """Replace the shared string of the first data cell under ``header`` on ``sheet``."""

    def edit(folder: Path) -> None:
        from python_calamine import CalamineWorkbook

        rows = CalamineWorkbook.from_path(str(folder / "fordeling.xlsx")).get_sheet_by_name(sheet).to_python()
        for r, row in enumerate(rows):
            if header in row:
                c = row.index(header)
                value = rows[r + 1][c]
                break
        else:
            raise AssertionError(header)
        member = _sheet_member(folder, sheet)
        from xlsxwriter.utility import xl_rowcol_to_cell

        ref = xl_rowcol_to_cell(r + 1, c)

        def change(xml: str) -> str:
            pattern = re.compile(rf'<c r="{ref}"([^>]*?)(?:/>|>.*?</c>)')
            m = pattern.search(xml)
            assert m, (ref, value)
            attrs = re.sub(r'\s*t="[^"]*"', "", m.group(1))
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                cell = f'<c r="{ref}"{attrs}><v>{float(new)}</v></c>'
            else:
                cell = f'<c r="{ref}"{attrs} t="inlineStr"><is><t>{new}</t></is></c>'
            return xml[: m.start()] + cell + xml[m.end() :]

        edit_part(folder / "fordeling.xlsx", member, change)

    return edit


def _formula(folder: Path) -> None:
    member = _sheet_member(folder, "Fordeling")
    edit_part(folder / "fordeling.xlsx", member, lambda x: re.sub(r"<f>ROUND\(", "<f>ROUNDUP(", x, count=1))


def _number_format(folder: Path) -> None:
    edit_part(
        folder / "fordeling.xlsx",
        "xl/styles.xml",
        lambda x: re.sub(r'formatCode="([^"]*)"', lambda m: f'formatCode="{m.group(1)}0"', x, count=1),
    )


def _rename_sheet(folder: Path) -> None:
    edit_part(folder / "fordeling.xlsx", "xl/workbook.xml", lambda x: x.replace('name="Kontroll"', 'name="Kontroll2"'))


def _added_input(folder: Path) -> None:
    (folder / "inputs" / "notat.txt").write_text("lagt til", encoding="utf-8")


def _added_top(folder: Path) -> None:
    (folder / "ekstra.xlsx").write_bytes((folder / "fordeling.xlsx").read_bytes())


def _changed_input_with_hash(folder: Path) -> None:
    import hashlib

    target = folder / "inputs" / "tall.xlsx"
    book(target, {"Tall": counts(("Fosen", 300, 5, 1), ("Namdal", 100, 7, 2))})
    m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for entry in m["inputs"]:
        if entry["file"].endswith("tall.xlsx"):
            entry["sha256"] = hashlib.sha256(target.read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(m, ensure_ascii=False, indent=2), encoding="utf-8")


def _manifest(change: Callable[[dict], None]) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / "manifest.json"
        m = json.loads(path.read_text(encoding="utf-8"))
        change(m)
        path.write_text(json.dumps(m, ensure_ascii=False, indent=2), encoding="utf-8")

    return edit


def _pay(key: str, value: Any) -> Callable[[dict], None]:
    def change(m: dict) -> None:
        assert key in m["payments"][0], m["payments"][0]
        m["payments"][0][key] = value

    return change


TAMPERINGS: list[tuple[str, Callable[[Path], None], set[int]]] = [
    ("Utbetaling amount", _text_cell("Utbetaling", "Beløp", "123456"), {1}),
    ("Utbetaling account", _text_cell("Utbetaling", "Kontonummer", "1234.56.78903"), {1}),
    ("Utbetaling org.nr", _text_cell("Utbetaling", "Org.nr", "999 999 999"), {1}),
    ("Utbetaling reference", _text_cell("Utbetaling", "Referanse", "Annen referanse"), {1}),
    ("Fordeling network name", _text_cell("Fordeling", "Nettverk", "Fosna"), {1}),
    ("Fordeling formula", _formula, {1}),
    ("number format", _number_format, {1}),
    ("sheet renamed", _rename_sheet, {1}),
    ("file added to inputs", _added_input, {1}),
    ("file added to the folder", _added_top, {1}),
    ("input changed with its hash", _changed_input_with_hash, {1}),
    ("manifest payment amount", _manifest(_pay("amount", 1)), {1, 2}),
    ("manifest payment account", _manifest(_pay("account", "1234.56.78903")), {1, 2}),
    ("manifest config hash removed", _manifest(lambda m: m["config"].pop("sha256")), {1, 2}),
    ("manifest input hash emptied", _manifest(lambda m: m["inputs"][0].__setitem__("sha256", "")), {1, 2}),
    ("manifest frame as text", _manifest(lambda m: m.__setitem__("frame", "1 000 000")), {1, 2}),
    ("manifest networks not a list", _manifest(lambda m: m.__setitem__("networks", {"Fosen": 1})), {1, 2}),
    ("manifest unit changed", _manifest(lambda m: m.__setitem__("unit", 1000)), {1, 2}),
    ("manifest extra key", _manifest(lambda m: m.__setitem__("bonus", 1)), {1, 2}),
    ("manifest not JSON", lambda f: (f / "manifest.json").write_text("{", encoding="utf-8"), {2}),
]


@pytest.mark.parametrize(("label", "edit", "expected"), TAMPERINGS, ids=[t[0] for t in TAMPERINGS])
def test_verify_sees_tampering(stored, tmp_path, label, edit, expected) -> None:
    folder = tmp_path / "kjøring"
    shutil.copytree(stored, folder)
    status, text, _ = cli(["verify", str(folder)])
    assert status == 0, text
    edit(folder)
    status, text, _ = cli(["verify", str(folder)])
    for bad in ("Uventet feil", "Intern feil", "Traceback"):
        assert bad not in text, text
    assert status in expected, text


# ------------------------------------------------------------------------------------ time and memory

PROBE = """
import resource, subprocess, sys, time
start = time.perf_counter()
p = subprocess.run([sys.executable, "run_allocation.py", "validate", sys.argv[1], "--out", sys.argv[2]],
                   capture_output=True, text=True)
took = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
print(p.returncode, round(took, 2), peak)
print(p.stdout[-2000:], p.stderr[-2000:])
"""


def _bomb(kind: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        book(path, {"Tall": GOOD_COUNTS})
        if kind == "cells":  # a million cells without r, compressed to well under 1 MB
            rows = HEAD + "<row>" + "<c><v>1</v></c>" * 16000 + "</row>" * 1 + ("<row><c/></row>" * 150_000)
        elif kind == "rows":
            rows = HEAD + "".join(f'<row r="{i}"><c r="D{i}"><v>1</v></c></row>' for i in range(2, 140_001))
        else:  # one enormous shared string-like inline text
            rows = HEAD + '<row><c t="inlineStr"><is><t>' + "A" * 5_000_000 + "</t></is></c></row>"
        ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        xml = f'<?xml version="1.0"?><worksheet {ns}><sheetData>{rows}</sheetData></worksheet>'
        edit_part(path, "xl/worksheets/sheet1.xml", lambda _: xml)
        assert path.stat().st_size < 1_000_000

    return make


@pytest.mark.parametrize("kind", ["cells", "rows", "text"])
def test_hostile_file_within_time_and_memory(tmp_path, kind) -> None:
    cfg = config(tmp_path)
    _bomb(kind)(tmp_path / "tall.xlsx")
    p = subprocess.run(
        [sys.executable, "-c", PROBE, str(cfg), str(tmp_path / "kontroll")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    status, took, peak = p.stdout.split("\n", 1)[0].split()
    assert status in {"0", "1"}, p.stdout
    assert float(took) < 10, p.stdout
    assert int(peak) < 500, p.stdout
    print(kind, took, "s", peak, "MB")
