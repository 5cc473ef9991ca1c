"""Blank input templates: the counts workbook and the parameters workbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from .config import COUNT_COLUMNS
from .parameters import HEADERS

COUNTS_TEMPLATE = "mal-tall.xlsx"
PARAMETERS_TEMPLATE = "mal-parametre.xlsx"

_HELP = {
    "Nettverk": "Navnet på kompetansenettverket. Flere rader for samme nettverk legges sammen.",
    "Eier": "Eier, f.eks. «Harstad kommune» (valgfritt).",
    "Kommunenummer": "Fire sifre, f.eks. 0301 (valgfritt).",
    "Barn i barnehage": "Antall barn i barnehage (helt tall, 0 eller mer).",
    "Elever i grunnskolen": "Antall elever i grunnskolen (helt tall, 0 eller mer).",
    "Elever og lærlinger i vgs": "Antall elever og lærlinger i videregående (helt tall, 0 eller mer).",
}


def _sheet(wb, name: str, headers: list[str], widths: list[int], head, whole_cols: list[int]) -> None:
    ws = wb.add_worksheet(name)
    for c, h in enumerate(headers):
        ws.write_string(0, c, h, head)
        ws.set_column(c, c, widths[c] if c < len(widths) else 16)
        if h in _HELP:
            ws.write_comment(0, c, _HELP[h])
    for c in whole_cols:
        ws.data_validation(1, c, 5000, c, {
            "validate": "integer", "criteria": ">=", "value": 0,
            "input_title": headers[c][:32], "input_message": "Helt tall, 0 eller mer.",
            "error_title": "Ugyldig tall", "error_message": "Skriv et helt tall som er 0 eller større.",
        })
    ws.freeze_panes(1, 0)


def write_templates(out: Path) -> tuple[list[Path], list[Path]]:
    """Write the blank templates into ``out``; never overwrites an existing file."""
    out.mkdir(parents=True, exist_ok=True)
    written, skipped = [], []
    specs = {
        COUNTS_TEMPLATE: [("Tall", ["Nettverk", "Eier", "Kommunenummer", *COUNT_COLUMNS], [28, 28, 16, 18, 20, 24], [3, 4, 5])],
        PARAMETERS_TEMPLATE: [(name, headers, [28, 16, 16, 28, 40], []) for name, headers in HEADERS.items()],
    }
    for filename, sheets in specs.items():
        path = out / filename
        if path.exists():
            skipped.append(path)
            continue
        tmp = path.with_name(f".{filename}.tmp")
        wb = xlsxwriter.Workbook(str(tmp))
        wb.set_properties({"created": dt.datetime(2000, 1, 1), "title": filename})
        head = wb.add_format({"bold": True, "bg_color": "#DDE5F0", "bottom": 1})
        for name, headers, widths, whole in sheets:
            _sheet(wb, name, headers, widths, head, whole)
        wb.close()
        tmp.rename(path)
        written.append(path)
    return written, skipped
