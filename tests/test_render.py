"""Tests that look: every workbook a committee member prints, rendered page by page by a
Norwegian-locale LibreOffice, and measured.

Per sheet: how many pages, in which orientation, the smallest text on them (at least 8 pt),
and, from the workbook itself, no text outside its cell (each cell's estimated text width
against its column width, each wrapped text's lines against its row height).
Skipped without LibreOffice and poppler unless ALLOCATION_REQUIRE_LIBREOFFICE=1.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
import subprocess
import zlib
from collections import defaultdict
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from allocation.cli import main
from allocation.write.book import shown
from allocation.write.textfit import line_height, longest_word, text_width, wrapped_lines

from .conftest import HEADERS, ROOT, write_xlsx
from .norwegian_print import to_pdf as print_pdf
from .test_libreoffice import require_libreoffice

SMALLEST_PT = 8.0
CONFIGS = ("trondelag.toml", "nordland.toml", "trondelag-soknader.toml", "trondelag-skjema.toml")


# --------------------------------------------------------------------------- a county of 40 networks

PLACES = [
    "Indre Østfold",
    "Hallingdal",
    "Nord-Gudbrandsdal",
    "Midt-Telemark",
    "Sunnhordland og Hardanger",
    "Lofoten",
    "Vest-Finnmark",
    "Nordre Follo",
]

COUNTY_40 = """\
[run]
name = "Prøvefylket 2026 – 40 nettverk med søknader"
county = "Prøvefylket"
year = 2026
unit = 1
frame = 96_000_000
frame_note = "Ramme fra Utdanningsdirektoratet 2026"

[inputs]
counts = "tall.xlsx"

[keys.elevtall]
columns = { "Barn i barnehage" = 1, "Elever i grunnskolen" = 1, "Elever og lærlinger i vgs" = 1 }
note = "barnetall + elevtall (lærlinger inkludert)"

[[pot]]
name = "Møtevirksomhet"
amount = 400_000
note = "fast årlig avsetning"

[[pot]]
name = "Fellestiltak"
percent = 6
note = "Samarbeidsforum"

[[pot]]
name = "Koordinering"
per_network = 100_000
extra = { "{first}" = 200_000 }
note = "100 000 per nettverk, 200 000 ekstra til {first}"

[[pot]]
name = "Grunntilskudd"
per_network = 250_000
note = "grunntilskudd som gir rimelig fordeling"

[[pot]]
name = "Fordelingsnøkkel"
rest = true
spread = "key"
key = "elevtall"
note = "resten pro rata etter barne- og elevtall"

[applications]
folder = "skjema"
policy = "redistribute"
redistribution_key = "elevtall"
fund = "report"
deadline = 2026-02-01
max_coordination_share = 20
note = "ubrukt ramme omfordeles etter samme nøkkel"

[[scenario]]
name = "Grunntilskudd 300 000"
pots = { "Grunntilskudd" = { per_network = 300_000 } }
"""


def county_40(folder: Path) -> Path:
    """A county of 40 networks (long and short names), one application form each, some
    asking for more than their frame; deterministic."""
    from allocation.write.templates import write_form

    rng = random.Random(40)
    (folder / "skjema").mkdir(parents=True)
    nets = [f"{PLACES[i % len(PLACES)]} {i + 1}" if i % 3 else f"Nett {i + 1}" for i in range(40)]
    rows: list[list[Any]] = [list(HEADERS)]
    for i, net in enumerate(nets):
        rows.append([net, f"{net} kommune", f"{3001 + i:04d}", rng.randint(200, 3000), rng.randint(300, 5000), 0])
    rows.append(["Prøvefylket fylkeskommune", "Prøvefylket fylkeskommune", "3000", 0, 0, 20_000])
    write_xlsx(folder / "tall.xlsx", {"Tall": rows})
    for i, net in enumerate(nets, start=1):
        owner, uh = rng.randrange(300, 2_500) * 1_000, rng.randrange(100, 900) * 1_000
        values = {
            "network": net,
            "tiltak": f"Inkluderende praksis i {net}",
            "contact": f"Kontakt {i}",
            "email": f"kontakt{i}@example.no",
            "confirmed": "Ja",
            "owner": f"{net} kommune",
            "owner_orgnr": "915000002",
            "owner_account": "1505 00 00009",
            "owner_ref": f"Kompetanseløftet {net}",
            "uh": "Universitetet i Sørøst-Norge" if i % 2 else "NTNU",
            "uh_orgnr": "972000000",
            "uh_account": "7692.00.00009",
            "uh_ref": f"KL {net}",
            "owner_y1": owner,
            "owner_y2": f"{owner:,} (anslag)".replace(",", " "),
            "uh_y1": uh,
            "share_kartlegging": "5 %",
            "share_planlegging": "15 %",
            "share_gjennomforing": "65 %",
            "share_koordinator": "15 %",
            "coord_amount": (owner + uh) * 15 // 100,
            "fund_owner": 0,
            "received": dt.date(2026, 1, 20),
        }
        write_form(folder / "skjema" / f"søknad-{i:02d}.xlsx", values)
    config = folder / "modell.toml"
    config.write_text(COUNTY_40.replace("{first}", nets[0]), encoding="utf-8")
    return config


# --------------------------------------------------------------------------- rendering and reading PDFs


def to_pdf(files: list[Path], work: Path) -> list[Path]:
    """Each workbook printed to PDF by LibreOffice in the Norwegian locale."""
    require_libreoffice("pdftotext")
    return print_pdf(files, work)


def pdf_pages(pdf: Path, sheets: list[str]) -> list[tuple[str, bool, float]]:
    """Per page: the sheet (named at the right of the page header), landscape, the smallest
    font size used on it (points, as printed: LibreOffice writes scaled sizes)."""
    data = pdf.read_bytes()
    starts = {int(m.group(1)): m.end() for m in re.finditer(rb"(?<![\d])(\d+) 0 obj", data)}
    objects = {}  # number -> the object's dictionary (up to its stream, if it has one)
    for number, start in starts.items():
        end = min(x for x in (data.find(b"stream", start), data.find(b"endobj", start)) if x >= 0)
        objects[number] = data[start:end]

    def stream(number: int) -> bytes:
        start = data.find(b"stream", starts[number])
        start += len(b"stream\r\n") if data[start + 6 : start + 8] == b"\r\n" else len(b"stream\n")
        if b"FlateDecode" not in objects[number]:
            return data[start : data.find(b"endstream", start)]
        return zlib.decompressobj().decompress(data[start:])  # stops at the end of the compressed data

    def kids(body: bytes) -> list[bytes]:
        found = re.search(rb"/Kids\s*\[(.*?)\]", body, re.S)
        assert found is not None
        out: list[bytes] = []
        for k in re.findall(rb"(\d+) 0 R", found.group(1)):
            child = objects[int(k)]
            out += kids(child) if re.search(rb"/Type\s*/Pages\b", child) else [child]
        return out

    root = next(b for b in objects.values() if re.search(rb"/Type\s*/Pages\b", b) and b"/Parent" not in b)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    pages = []
    for page, page_text in zip(kids(root), text.split("\f"), strict=False):
        box = re.search(rb"/MediaBox\s*\[([^\]]*)\]", page)
        contents = re.search(rb"/Contents\s*(\[[^\]]*\]|\d+ 0 R)", page)
        assert box is not None and contents is not None
        width, height = (float(x) for x in box.group(1).split()[2:4])
        content = b"".join(stream(int(n)) for n in re.findall(rb"(\d+) 0 R", contents.group(1)))
        sizes = [float(x) for x in re.findall(rb"([\d.]+) Tf", content)]
        lines = [line.strip() for line in page_text.splitlines() if line.strip()][:3]  # the header is on top
        names = sorted(sheets, key=len, reverse=True)
        sheet = next((s for line in lines for s in names if line.endswith(s)), "?")
        pages.append((sheet, width > height, min(sizes, default=99.0)))
    return pages


# --------------------------------------------------------------------------- no text outside its cell


def column_widths(ws: Any) -> tuple[dict[int, float], set[int]]:
    """Column widths as written (openpyxl keeps a run of alike columns under its first
    letter, from ``min`` to ``max``), and the hidden columns."""
    widths: dict[int, float] = {}
    hidden: set[int] = set()
    for dim in ws.column_dimensions.values():
        for col in range(dim.min or 1, (dim.max or dim.min or 1) + 1):
            if dim.width:
                widths[col] = dim.width
            if dim.hidden:
                hidden.add(col)
    return widths, hidden


def clipped(path: Path) -> list[str]:
    """Every cell whose text does not fit: wider than its column (where it cannot run on into
    empty cells, or is a number), or more wrapped lines than its row is high."""
    wb = openpyxl.load_workbook(path)
    problems = []
    for ws in wb.worksheets:
        grid = {(c.row, c.column): c for row in ws.iter_rows() for c in row if c.value not in (None, "")}
        widths, hidden = column_widths(ws)
        charts = [chart.anchor.to.col + 1 for chart in ws._charts if getattr(chart.anchor, "to", None)]
        last = max([col for _, col in grid] + list(widths) + charts, default=0)  # charts span columns
        for (r, col), cell in grid.items():
            if col in hidden:
                continue
            font = cell.font
            size, bold, mono = float(font.sz or 11), bool(font.b), font.name == "Consolas"
            indent = 1.5 * float(cell.alignment.indent or 0)
            width = widths.get(col, 8.43) - indent - 0.5
            height = ws.row_dimensions[r].height or 15.0
            if isinstance(cell.value, (int, float)):
                text, is_number = shown(cell.value, {"num_format": cell.number_format}), True
            elif isinstance(cell.value, str) and cell.value.startswith("="):
                continue  # formulas over numbers are checked by their cached value elsewhere
            else:
                text, is_number = str(cell.value), False
            where = f"{path.name} {ws.title}!{cell.coordinate} «{text[:40]}»"
            if cell.alignment.wrap_text and not is_number:
                if longest_word(text, size, bold, mono) > width + 0.3:
                    problems.append(f"{where}: a word broken (column {width:.1f} wide)")
                lines = wrapped_lines(text, width, size, bold, mono)
                if lines * line_height(size) > height + 1:
                    problems.append(f"{where}: {lines} lines in a row {height} pt high")
                continue
            need = max(text_width(x, size, bold, mono) for x in text.split("\n"))
            room = width
            k = col + 1
            while not is_number and k <= last and (r, k) not in grid:  # runs on into empty cells
                room += widths.get(k, 8.43)
                k += 1
            if need > room:
                problems.append(f"{where}: {need:.1f} wide in {room:.1f}")
    return problems


def print_widths(path: Path) -> dict[str, tuple[bool, int, int]]:
    """Per sheet: landscape, the print scale (100 when fitted), pages across (breaks + 1)."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        fitted = bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage)
        scale = 100 if fitted or not ws.page_setup.scale else int(ws.page_setup.scale)
        out[ws.title] = (ws.page_setup.orientation == "landscape", scale, len(ws.col_breaks.brk) + 1)
    return out


# --------------------------------------------------------------------------- the workbooks


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """name -> (workbook, its PDF): the bundled examples, a county of 40 networks with
    applications, its scenario workbook and a comparison of two runs."""
    require_libreoffice("pdftotext")
    base = tmp_path_factory.mktemp("render")
    books: dict[str, Path] = {}
    for config in CONFIGS:
        folder = base / config.removesuffix(".toml")
        assert main(["-q", "run", str(ROOT / "config" / config), "--out", str(folder)]) == 0
        books[config.removesuffix(".toml")] = folder / "fordeling.xlsx"
    county = county_40(base / "fylke40")
    assert main(["-q", "run", str(county), "--out", str(base / "fylke40-kjøring")]) == 0
    books["fylke40"] = base / "fylke40-kjøring" / "fordeling.xlsx"
    books["scenarier"] = base / "fylke40-kjøring" / "scenarier.xlsx"
    compare = base / "sammenligning.xlsx"
    assert main(["-q", "compare", str(base / "trondelag"), str(base / "trondelag-skjema"), "--out", str(compare)]) == 0
    books["sammenligning"] = compare
    staged = []
    for name, book in books.items():
        staged.append(base / f"{name}.xlsx")
        if book != staged[-1]:
            shutil.copy(book, staged[-1])
    pdfs = to_pdf(staged, base)
    return {name: (xlsx, pdf) for name, xlsx, pdf in zip(books, staged, pdfs, strict=True)}


# The most pages a sheet may take (beyond these the layout has gone wrong); Per nettverk is
# one page per network.
MOST_PAGES = {
    "Sammendrag": 3,
    "Diagrammer": 4,
    "Fordeling": 3,
    "Avsetninger": 1,
    "Søknader": 6,
    "Utbetaling": 3,
    "Sporing": 8,
    "Kontroll": 4,
    "Parametre": 6,
    "Revisjon": 3,  # the command line is pytest's, as long as the test files it was given
}
MOST_PAGES_40 = {
    "Sammendrag": 4,
    "Fordeling": 8,
    "Søknader": 40,
    "Utbetaling": 8,
    "Sporing": 40,
    "Kontroll": 24,
}


def test_every_sheet_prints_readably(rendered) -> None:
    for name, (xlsx, pdf) in rendered.items():
        setup = print_widths(xlsx)
        pages = pdf_pages(pdf, list(setup))
        by_sheet: dict[str, list[tuple[bool, float]]] = defaultdict(list)
        for sheet, landscape, smallest in pages:
            by_sheet[sheet].append((landscape, smallest))
        assert "?" not in by_sheet, (name, "a page without its sheet's name in the header")
        assert set(by_sheet) == set(setup), (name, sorted(by_sheet), sorted(setup))
        for sheet, found in by_sheet.items():
            landscape, scale, across = setup[sheet]
            assert all(x == landscape for x, _ in found), (name, sheet, "orientation as the sheet says")
            smallest = min(s for _, s in found)
            assert smallest >= SMALLEST_PT, (name, sheet, f"text printed at {smallest} pt")
            assert len(found) >= across, (name, sheet, len(found), across)
            if sheet == "Per nettverk":
                continue  # one page per network, below
            bound = (MOST_PAGES_40 if name in ("fylke40", "scenarier", "sammenligning") else MOST_PAGES).get(sheet, 12)
            assert len(found) <= bound, (name, sheet, len(found), bound)
        if "Per nettverk" in by_sheet:
            networks = openpyxl.load_workbook(xlsx, read_only=True)["Fordeling"].max_row - 2
            assert len(by_sheet["Per nettverk"]) == networks, (name, "one page per network")


def test_no_text_outside_its_cell(rendered) -> None:
    problems = [p for xlsx, _ in rendered.values() for p in clipped(xlsx)]
    assert not problems, "\n".join(problems[:40])


def test_wide_sheets_repeat_their_identifying_columns(rendered) -> None:
    """A sheet printed over several pages across repeats its header row and its first
    (frozen) columns on every page, at a scale that keeps 11 pt text at 8 pt or more."""
    wb = openpyxl.load_workbook(rendered["fylke40"][0])
    for title in ("Søknader", "Sporing", "Fordeling", "Kontroll"):
        ws = wb[title]
        if not ws.col_breaks.brk:
            continue
        assert ws.print_title_cols and ws.print_title_cols.startswith("$A:"), title
        assert ws.print_title_rows == "$1:$1", title
        assert int(ws.page_setup.scale or 100) >= 74, title
    assert wb["Søknader"].col_breaks.brk, "Søknader is too wide for one page at a readable scale"


def test_headers_over_numbers_are_right_aligned_and_cells_top_aligned(rendered) -> None:
    wb = openpyxl.load_workbook(rendered["trondelag-soknader"][0])
    ws = wb["Fordeling"]
    heads = {c.value: c for c in ws[1]}
    assert heads["Ramme for nettverket"].alignment.horizontal == "right"
    assert heads["Nettverk"].alignment.horizontal in (None, "general", "left")
    for row in ws.iter_rows(min_row=2, max_row=5):
        for cell in row:
            if cell.value is not None:
                assert cell.alignment.vertical == "top", cell.coordinate
    soknader = wb["Søknader"]
    assert all(c.alignment.vertical == "top" for c in soknader["A"] if c.value), "network names beside wrapped cells"
