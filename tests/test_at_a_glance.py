"""The workbook at a glance: charts that show exactly what their titles say, «Sammendrag» on one
portrait page with the pot tree indented, and «Vedtaksoversikt» for the forum's innstilling.

Every workbook is read back from disk (openpyxl); with LibreOffice, printed in the Norwegian
locale and counted page by page."""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import range_boundaries

from allocation.cli import main
from allocation.write.summary_page import TREE_STEP

from .conftest import HEADERS, ROOT, write_xlsx
from .norwegian_print import pages_by_sheet, to_pdf
from .test_libreoffice import require_libreoffice

BUNDLED = ("nordland.toml", "trondelag.toml", "trondelag-soknader.toml")
POTS_TITLE = "Rammen fordelt på potter (øverste nivå)"
NETWORKS_TITLE = "Ramme per nettverk, fordelt på deler"


def generated_county(folder: Path, networks: int = 40) -> Path:
    """A county that is not in the repository: 40 networks, a top-level pot after a nested one,
    a named recipient, thousand-kroner rounding, and applications from all but every seventh
    network (the Trøndelag list's first row copied, amounts varied)."""
    from python_calamine import CalamineWorkbook

    folder.mkdir(parents=True)
    rows: list[list[Any]] = [list(HEADERS)]
    for i in range(networks):
        rows.append([f"Nettverk {i + 1:02d}", None, None, 150 + 37 * i, 400 + (91 * i) % 700, (13 * i) % 200])
    counts = write_xlsx(folder / "tall.xlsx", {"Tall": rows})
    listed = CalamineWorkbook.from_path(ROOT / "input_templates" / "trondelag" / "søknader.xlsx")
    head, base = listed.get_sheet_by_name("Søknader").to_python()[:2]
    apps: list[list[Any]] = [head]
    for i in range(networks):
        if i % 7 == 3:
            continue  # no application
        row = [None if v == "" else v for v in base]
        row[head.index("Nettverk")] = f"Nettverk {i + 1:02d}"
        row[head.index("Tiltak")] = f"Tiltak {i + 1}"
        row[head.index("Eier beløp år 1")] = 400_000 + 23_000 * i
        row[head.index("UH beløp år 1")] = 300_000 + 11_000 * (i % 9)
        row[head.index("Koordinator beløp")] = 50_000
        apps.append(row)
    applications = write_xlsx(folder / "søknader.xlsx", {"Søknader": apps})
    config = folder / "generert.toml"
    config.write_text(
        f"""
[run]
name = "Generert fylke 2026"
county = "Generert"
year = 2026
unit = 1_000
frame = 45_678_901
frame_note = "Tildelingsbrev 2026"

[inputs]
counts = "{counts.as_posix()}"

[keys.alle]
columns = {{ "Barn i barnehage" = 1, "Elever i grunnskolen" = 1, "Elever og lærlinger i vgs" = 1 }}

[keys.barn]
columns = {{ "Barn i barnehage" = 1 }}

[applications]
files = ["{applications.as_posix()}"]
policy = "redistribute"
redistribution_key = "alle"
fund = "report"
deadline = 2025-02-01

[[pot]]
name = "Fellestiltak"
percent = 5
recipient = "Statsforvalteren"

[[pot]]
name = "Kommunal del"
percent = 60

[[pot]]
name = "Barnehage"
parent = "Kommunal del"
percent = 40
spread = "key"
key = "barn"

[[pot]]
name = "Skole"
parent = "Kommunal del"
rest = true
spread = "key"
key = "alle"

[[pot]]
name = "Grunntilskudd"
per_network = 100_000

[[pot]]
name = "Resten"
rest = true
spread = "key"
key = "alle"
""",
        encoding="utf-8",
    )
    return config


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Path]:
    """Run folders of the bundled examples and of a generated county."""
    base = tmp_path_factory.mktemp("oversikt")
    configs = {c.removesuffix(".toml"): ROOT / "config" / c for c in BUNDLED}
    configs["generert"] = generated_county(base / "generert-inndata")
    out = {}
    for stem, config in configs.items():
        folder = base / stem
        assert main(["run", str(config), "--out", str(folder), "-q"]) == 0, stem
        out[stem] = folder
    return out


def manifest(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def cells(wb: Any, ref: str) -> list[Any]:
    """The values of a chart's range «'Sheet'!$A$1:$A$9», row by row."""
    sheet, area = ref.rsplit("!", 1)
    ws = wb[sheet.strip("'")]
    min_col, min_row, max_col, max_row = range_boundaries(area.replace("$", ""))
    return [ws.cell(r, c).value for r in range(min_row, max_row + 1) for c in range(min_col, max_col + 1)]


def chart_title(chart: Any) -> str:
    return "".join(run.t for p in chart.title.tx.rich.p for run in (p.r or []))


def charts_of(folder: Path) -> tuple[Any, list[dict[str, Any]]]:
    """The workbook (cached values) and each chart of «Diagrammer» as title, categories, series."""
    wb = openpyxl.load_workbook(folder / "fordeling.xlsx", data_only=True)
    out = []
    for chart in wb["Diagrammer"]._charts:
        series = []
        for s in chart.series:
            name = cells(wb, s.tx.strRef.f)[0]
            cats = cells(wb, s.cat.strRef.f if s.cat.strRef is not None else s.cat.numRef.f)
            series.append((name, cats, cells(wb, s.val.numRef.f), s.val.numRef.f))
        out.append({"title": chart_title(chart), "type": chart.tagname, "series": series})
    return wb, out


@pytest.mark.parametrize("stem", [*(c.removesuffix(".toml") for c in BUNDLED), "generert"])
def test_every_chart_holds_exactly_what_its_title_says(runs, stem) -> None:
    m = manifest(runs[stem])
    wb, charts = charts_of(runs[stem])
    pie, *bars = charts
    assert pie["title"] == POTS_TITLE
    assert pie["type"] == "pieChart" and len(pie["series"]) == 1
    _, categories, values, ref = pie["series"][0]
    assert ref.startswith("Diagrammer!")  # its own table, never a slice of another sheet
    top = {p["name"]: p["amount"] for p in m["pots"] if p["parent"] == "Ramme"}
    held = m["frame"] - sum(top.values())
    expected = dict(top, **({"Holdt tilbake (under én avrundingsenhet)": held} if held else {}))
    assert dict(zip(categories, values, strict=True)) == expected
    assert sum(values) == m["frame"]  # the slices add up to the frame
    parts = list(m["networks"][0]["parts"])
    names = [n["name"] for n in m["networks"]]
    by_name = {n["name"]: n for n in m["networks"]}
    shown: list[str] = []
    for bar in bars:
        assert bar["type"] == "barChart" and [name for name, *_ in bar["series"]] == parts
        nets = bar["series"][0][1]
        first, last = len(shown) + 1, len(shown) + len(nets)
        assert bar["title"] == (
            NETWORKS_TITLE if len(bars) == 1 else f"{NETWORKS_TITLE} (nettverk {first}–{last} av {len(names)})"
        )
        for name, categories, amounts, ref in bar["series"]:
            assert ref.startswith("Diagrammer!") and categories == nets
            assert amounts == [by_name[n]["parts"][name] for n in nets]
        frames = [sum(s[2][i] for s in bar["series"]) for i in range(len(nets))]
        assert frames == [by_name[n]["frame"] for n in nets]
        assert len(nets) <= 11  # every network named on its axis
        shown += nets
    assert shown == names  # every network once, in order
    assert len(bars) == (1 if len(names) <= 11 else 4)


def test_kroner_the_root_split_held_back_are_a_slice_of_the_pie() -> None:
    from allocation.model.result import Allocation, PotResult
    from allocation.write.charts import pot_block

    pots = [PotResult("A", "Ramme", "percent", 600_000, 0), PotResult("B", "Ramme", "percent", 399_000, 0)]
    result = Allocation("X", 999_999, 1_000, (), pots, {}, [], 999, root_held_back=999)
    block = pot_block(result)
    assert block.categories == ["A", "B", "Holdt tilbake (under én avrundingsenhet)"]
    assert block.series == [("Beløp", [600_000, 399_000, 999])] and block.total == 999_999


def test_the_nordland_pie_shows_the_municipal_share_of_the_frame(runs) -> None:
    """The case that was wrong: Kommunal del is 74,4 % of the frame, not 38 %."""
    wb, charts = charts_of(runs["nordland"])
    _, categories, values, _ = charts[0]["series"][0]
    assert categories == ["Eiernettverket", "UH i eiernettverket", "Kommunal del", "Fylkeskommunal del"]
    share = values[2] / sum(values)
    assert round(share * 100, 1) == 74.4 and sum(values) == 24_000_000
    ws = wb["Diagrammer"]
    row = next(r for r in ws.iter_rows() if r[0].value == "Kommunal del")
    assert round(row[2].value, 3) == 0.744 and row[2].number_format == "0.0 %"


def depth_of(pots: list[dict[str, Any]]) -> dict[str, int]:
    parent = {p["name"]: p["parent"] for p in pots}

    def depth(name: str) -> int:
        return 0 if parent[name] == "Ramme" else 1 + depth(parent[name])

    return {name: depth(name) for name in parent}


@pytest.mark.parametrize("stem", ["nordland", "trondelag-soknader", "generert"])
def test_sammendrag_at_a_glance(runs, stem) -> None:
    m = manifest(runs[stem])
    wb = openpyxl.load_workbook(runs[stem] / "fordeling.xlsx", data_only=True)
    ws = wb["Sammendrag"]
    rows = list(ws.iter_rows())
    assert ws["A3"].value == "Ramme" and ws["B3"].value == m["frame"]
    depths = depth_of(m["pots"])
    start = next(i for i, r in enumerate(rows) if r[0].value == "Pott")
    pot_rows = rows[start + 1 : start + 1 + len(m["pots"])]
    assert [r[0].value for r in pot_rows] == [p["name"] for p in m["pots"]]  # tree order
    for r, pot in zip(pot_rows, m["pots"], strict=True):
        assert r[1].value == pot["amount"]
        assert (r[0].alignment.indent or 0) == TREE_STEP * depths[pot["name"]], pot["name"]  # visibly nested
        assert r[0].alignment.horizontal == "left"  # LibreOffice shows an indent only when left-aligned
    assert stem == "trondelag-soknader" or max(depths.values()) >= 1  # a tree to show
    start = next(i for i, r in enumerate(rows) if r[0].value == "Nettverk")
    end = next(i for i, r in enumerate(rows) if i > start and r[0].value == "Sum")
    got = {r[0].value: r[1].value for r in rows[start + 1 : end]}
    key = "frame"
    if rows[start][2].value == "Nettverk":  # many networks: two to a row, each with what it gets
        got.update({r[2].value: r[3].value for r in rows[start + 1 : end] if r[2].value})
        key = "granted" if m["networks"][0]["granted"] is not None else "frame"
        assert rows[start][1].value == {"granted": "Tildelt", "frame": "Ramme"}[key]
    else:
        assert len(m["networks"]) <= 24
    assert got == {n["name"]: n[key] for n in m["networks"]}
    assert rows[end][1].value == sum(n[key] for n in m["networks"])
    values = {r[0].value: r[1].value for r in rows if r[0].value}
    assert values["Differanse (skal være 0)"] == 0
    assert values["Sum fordelt og holdt tilbake"] == m["frame"]
    assert "Holdt tilbake (under én avrundingsenhet)" in values
    assert ws.page_setup.orientation == "portrait" and str(ws.page_setup.paperSize) == "9"
    assert ws.page_setup.fitToWidth in (1, None) and ws.page_setup.fitToHeight in (1, None)
    assert ws.sheet_properties.pageSetUpPr.fitToPage


@pytest.mark.parametrize("stem", ["nordland", "trondelag-soknader", "generert"])
def test_vedtaksoversikt_lists_every_network_and_recipient(runs, stem) -> None:
    m = manifest(runs[stem])
    wb = openpyxl.load_workbook(runs[stem] / "fordeling.xlsx", data_only=True)
    assert wb.sheetnames[:2] == ["Sammendrag", "Vedtaksoversikt"]
    ws = wb["Vedtaksoversikt"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    heads = [i for i, r in enumerate(rows) if r[0] in ("Nettverk", "Mottaker")]
    assert len(heads) == 2
    nets = {r[0]: r[1] for r in rows[heads[0] + 1 : heads[0] + 1 + len(m["networks"])]}
    granted = m["networks"][0]["granted"] is not None
    assert nets == {n["name"]: n["granted"] if granted else n["frame"] for n in m["networks"]}
    recipients: Counter[str] = Counter()
    for r in rows[heads[1] + 1 :]:
        if str(r[0]).startswith("Sum"):
            break
        recipients[r[0]] += r[1]
    assert dict(recipients) == {r["name"]: r["amount"] for r in m["recipients"]}
    values = {r[0]: r[1] for r in rows if r[0]}
    assert values["Sum til nettverkene"] == sum(nets.values())
    assert values["Sum til navngitte mottakere"] == sum(recipients.values())
    assert values["Sum fordelt og holdt tilbake"] == values["Ramme"] == m["frame"]
    assert values["Differanse (skal være 0)"] == 0
    formulas = openpyxl.load_workbook(runs[stem] / "fordeling.xlsx")["Vedtaksoversikt"]
    sums = [c for r in formulas.iter_rows() for c in r if str(c.value).startswith("=SUM(")]
    assert len(sums) >= 3  # the page adds up on its own
    assert ws.page_setup.orientation == "portrait" and ws.sheet_properties.pageSetUpPr.fitToPage


def test_verify_passes_with_the_new_sheets(runs, capsys) -> None:
    assert main(["verify", str(runs["nordland"])]) == 0


# --- printed: LibreOffice in the Norwegian locale ---------------------------------------------


def print_norwegian(files: dict[str, Path], tmp: Path) -> dict[str, Path]:
    """PDFs of ``files`` printed by LibreOffice with the nb-NO locale."""
    import shutil

    require_libreoffice("pdftotext")
    staged = []
    for stem, f in files.items():
        staged.append(tmp / f"{stem}.xlsx")
        shutil.copy(f, staged[-1])
    return dict(zip(files, to_pdf(staged, tmp), strict=True))


BOX_PER_POINT = 1.30  # a word's box in pdftotext is 1.3 times its font size (measured at 100 %)


def page_words(pdf: Path, page: int) -> tuple[float, float, list[tuple[str, float]]]:
    """Page width, height and each word with its font size in points (from the word's box)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode()
    w, h = map(float, re.search(r'<page width="([\d.]+)" height="([\d.]+)"', html).groups())  # type: ignore[union-attr]
    words = [
        (word, (float(y1) - float(y0)) / BOX_PER_POINT)
        for y0, y1, word in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', html)
    ]
    return w, h, words


def test_printed_in_norwegian_one_portrait_page_each(runs, tmp_path) -> None:
    files = {stem: folder / "fordeling.xlsx" for stem, folder in runs.items() if stem != "trondelag"}
    for stem, pdf in print_norwegian(files, tmp_path).items():
        pages = pages_by_sheet(pdf)
        m = manifest(runs[stem])
        for sheet in ("Sammendrag", "Vedtaksoversikt"):
            assert len(pages[sheet]) == 1, (stem, sheet, pages)
            width, height, words = page_words(pdf, pages[sheet][0])
            assert width < height, (stem, sheet, "portrait")
            text = " ".join(w for w, _ in words)
            smallest = min(size for w, size in words if w.strip())
            assert smallest >= 8, (stem, sheet, smallest)  # readable at arm's length
            assert f"{m['frame']:,}".replace(",", "\u00a0") in text or f"{m['frame']:,}".replace(",", " ") in text
            for n in m["networks"]:
                assert n["name"].split()[0] in text, (stem, sheet, n["name"])
        # a page for the pie, and a page for each table of at most 11 networks with its bars
        charts = -(-len(m["networks"]) // 11)
        assert len(pages["Diagrammer"]) == 1 + charts, (stem, pages["Diagrammer"])
        shown = ""
        for page in pages["Diagrammer"]:
            width, height, words = page_words(pdf, page)
            assert width > height and min(size for _, size in words) >= 8, (stem, "Diagrammer", page)
            shown += " ".join(w for w, _ in words)
        if stem == "nordland":
            assert "74,4" in shown and "38,0" not in shown
