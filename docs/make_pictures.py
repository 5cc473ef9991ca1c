"""Renders the user guide's pictures (docs/bilder/*.png) the way a Norwegian reader sees them.

Runs the bundled examples, prints the workbooks and the form template to PDF with a
LibreOffice whose locale is nb-NO (so amounts show as «32 000 000»), and turns the first
page of each sheet shown in the guide into a PNG. Needs LibreOffice and poppler
(pdftotext, pdftoppm). Run from the project folder: ``uv run python docs/make_pictures.py``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from allocation.cli import main  # noqa: E402
from tests.norwegian_print import to_pdf as print_pdf  # noqa: E402

# picture -> (configuration whose workbook is shown, or None for the form template; sheet name)
PICTURES = {
    "sammendrag": ("nordland.toml", "Sammendrag"),
    "vedtaksoversikt": ("trondelag-soknader.toml", "Vedtaksoversikt"),
    "diagrammer": ("nordland.toml", "Diagrammer"),
    "fordeling": ("trondelag.toml", "Fordeling"),
    "per-nettverk": ("trondelag-soknader.toml", "Per nettverk"),
    "soknadsskjema": (None, "Søknad"),
}


def to_pdf(xlsx: Path, work: Path) -> Path:
    return print_pdf([xlsx], work)[0]


def first_page_of(pdf: Path, sheet: str) -> int:
    """The first page whose header (top line, right) names ``sheet``; 1 for a one-sheet file."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for number, page in enumerate(text.split("\f"), start=1):
        lines = [line for line in page.splitlines() if line.strip()]
        if lines and lines[0].rstrip().endswith(sheet):
            return number
    return 1


def main_pictures() -> None:
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1764000000")  # 24.11.2025: the same pictures every time
    target = ROOT / "docs" / "bilder"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pdfs: dict[str | None, Path] = {}
        for config, _sheet in PICTURES.values():
            if config in pdfs:
                continue
            if config is None:
                assert main(["-q", "templates", "--out", str(work / "maler")]) == 0
                xlsx = work / "maler" / "mal-søknadsskjema.xlsx"
            else:
                run = work / config.removesuffix(".toml")
                assert main(["-q", "run", str(ROOT / "config" / config), "--out", str(run)]) == 0
                xlsx = run / "fordeling.xlsx"
            copy = work / f"{config or 'skjema'}.xlsx".replace(".toml", "")
            shutil.copy(xlsx, copy)
            pdfs[config] = to_pdf(copy, work)
        for name, (config, sheet) in PICTURES.items():
            pdf = pdfs[config]
            page = first_page_of(pdf, sheet)
            stem = work / name
            subprocess.run(
                ["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(stem)],
                check=True,
            )
            shutil.copy(stem.with_suffix(".png"), target / f"{name}.png")
            print(f"{name}.png: {config or 'mal'}, side {page}")


if __name__ == "__main__":
    main_pictures()
