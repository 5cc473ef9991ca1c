"""Blank input templates: counts, parameters, one application form, a list of applications.

The form (sheet ``Søknad``) has one labelled field a row in the order of the
real form, each value cell with an Excel defined name (so rows may be
inserted), data validation with Norwegian input messages, labels locked and
value cells open. The list (sheet ``Søknader``) is an Excel table with the
contract's headers and the same validation.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from ..model.config import COUNT_COLUMNS
from ..model.typed_entries import Names, excel_rule
from ..read.parameters import HEADERS

COUNTS_TEMPLATE = "mal-tall.xlsx"
PARAMETERS_TEMPLATE = "mal-parametre.xlsx"
FORM_TEMPLATE = "mal-søknadsskjema.xlsx"
LIST_TEMPLATE = "mal-søknader.xlsx"
MEMBERSHIP_TEMPLATE = "mal-medlemskap.xlsx"
LIST_ROWS = 200

FORM_HELP = {
    "Enhet": "Kommunenummer (fire sifre, f.eks. 5503) eller organisasjonsnummer (ni sifre) for private eiere "
    "og fylkeskommunen.",
    "Gyldig fra": "Første dag enheten hører til nettverket (01.01.2024, eller bare året). Tom: fra før.",
    "Gyldig til": "Siste dag enheten hører til nettverket. Tom: fortsatt.",
    "network": "Nettverket slik det heter i telleboka.",
    "tiltak": "Navnet på partnerskapets arbeid.",
    "confirmed": "Ja når eier(e) og UH har laget behovsmeldingen sammen.",
    "owner": "Eieren som tar imot midlene.",
    "owner_orgnr": "9 sifre.",
    "owner_account": "11 sifre, f.eks. 8109.10.69555.",
    "owner_ref": "Teksten som skal stå på utbetalingen.",
    "uh": "Universitetet eller høgskolen som er partner.",
    "uh_orgnr": "9 sifre.",
    "uh_account": "11 sifre.",
    "owner_y1": "Hele kroner, f.eks. 1 580 500 eller 450 000,-. År 2 og 3 kan merkes som anslag: 1 000 000 (anslag).",
    "uh_y1": "Hele kroner.",
    "share_kartlegging": "Andel av år 1 i prosent, f.eks. 30, 30 % eller Eier: 30; de fire andelene skal bli 100 %.",
    "share_koordinator": "Koordinering skal være av begrenset omfang og begrunnes.",
    "coord_amount": "Kroner til koordinering i år 1.",
    "fund_owner": "Ubenyttede midler fra tidligere tildelinger som står på fond.",
    "received": "Datoen søknaden kom inn (dd.mm.åååå).",
}

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
        ws.data_validation(
            1,
            c,
            5000,
            c,
            {
                "validate": "integer",
                "criteria": ">=",
                "value": 0,
                "input_title": headers[c][:32],
                "input_message": "Helt tall, 0 eller mer.",
                "error_title": "Ugyldig tall",
                "error_message": "Skriv et helt tall som er 0 eller større.",
            },
        )
    ws.freeze_panes(1, 0)
    _print_on_a4(ws, len(headers))


def _print_on_a4(ws, columns: int, first_col_repeats: bool = False) -> None:
    """A4 landscape, one page wide when the columns fit at a readable size; otherwise page after
    page to the right, with the header row (and the name column) repeated on each."""
    ws.set_paper(9)
    ws.set_landscape()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.repeat_rows(0)
    if first_col_repeats:
        ws.repeat_columns(0)
    else:
        ws.fit_to_pages(1, 0)
    ws.print_area(0, 0, 0, columns - 1)  # a blank template: the headers, not empty pages of rows


_MESSAGES = {  # kind -> (input message, error title, error message)
    "amount": (
        "Hele kroner, f.eks. 1 580 500, 450 000,- eller 1 000 000 (anslag).",
        "Beløp",
        "Programmet kan ikke lese dette som et beløp i hele kroner. "
        "Skriv f.eks. 1 580 500, 450 000,- eller 1 000 000 (anslag).",
    ),
    "share": (
        "Andel i prosent, 0–100, f.eks. 30, 30 % eller Eier: 30.",
        "Andel",
        "Programmet kan ikke lese dette som en andel mellom 0 og 100 %. Skriv f.eks. 30, 30 % eller Eier: 30.",
    ),
    "yesno": ("Skriv Ja eller Nei.", "Ja eller Nei", "Skriv Ja eller Nei."),
    "date": ("Dato, dd.mm.åååå.", "Dato", "Programmet kan ikke lese dette som en dato. Skriv f.eks. 15.01.2026."),
}


def _validation(kind: str, label: str, rule: str | None) -> dict | None:
    """Data validation for a field: the help text always; with ``rule`` (the name of a formula
    built from the reader's own patterns, see model.typed_entries) a warning for what the
    reader will not accept. A warning, not a stop: the reader has the last word."""
    if kind not in _MESSAGES:
        return None
    message, error_title, error_message = _MESSAGES[kind]
    common = {"input_title": label[:32], "input_message": message}
    if rule is None:
        return {"validate": "any", **common}
    return {
        "validate": "custom",
        "value": f"={rule}",
        "error_type": "warning",
        "error_title": error_title,
        "error_message": error_message,
        **common,
    }


def write_form(path: Path, values: dict | None = None) -> None:
    """One application form; ``values`` (field id -> value) fills it in."""
    from ..model.applications import FIELDS
    from ..read.applications import defined_name

    wb = xlsxwriter.Workbook(
        str(path), {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    wb.set_properties({"created": dt.datetime(2000, 1, 1), "title": "Søknad – Kompetanseløftet"})
    title = wb.add_format({"bold": True, "font_size": 14})
    label = wb.add_format({"bold": True, "locked": True, "valign": "top"})
    open_cell = wb.add_format({"locked": False, "bg_color": "#FFF9E5", "border": 1})
    date_cell = wb.add_format({"locked": False, "bg_color": "#FFF9E5", "border": 1, "num_format": "dd.mm.yyyy"})
    help_fmt = wb.add_format({"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "top"})
    ws = wb.add_worksheet("Søknad")
    ws.set_column(0, 0, 28)
    ws.set_column(1, 1, 40)
    ws.set_column(2, 2, 60)
    ws.write_string(0, 0, "Behovsmelding / beslutningsgrunnlag – Kompetanseløftet", title)
    ws.write_string(1, 0, "Fyll inn de gule cellene. Ikke endre ledetekstene i kolonne A.", help_fmt)
    values = values or {}
    for i, (fid, text, kind) in enumerate(FIELDS):
        r = 3 + i
        ws.write_string(r, 0, text, label)
        value = values.get(fid)
        fmt = date_cell if kind == "date" else open_cell
        if value is None:
            ws.write_blank(r, 1, None, fmt)
        elif isinstance(value, str):
            ws.write_string(r, 1, value, fmt)
        elif isinstance(value, (dt.date, dt.datetime)):
            ws.write_datetime(r, 1, value, fmt)
        else:
            ws.write(r, 1, value, fmt)
        wb.define_name(defined_name(fid), f"='Søknad'!$B${r + 1}")
        names = Names(f"_kontroll_{defined_name(fid)}")
        verdict = excel_rule(kind, f"'Søknad'!$B${r + 1}", names)
        for name, formula in names.defs.items():
            wb.define_name(name, f"={formula}")
        rule = _validation(kind, text, verdict)
        if rule:
            ws.data_validation(r, 1, r, 1, rule)
        if fid in FORM_HELP:
            ws.write_string(r, 2, FORM_HELP[fid], help_fmt)
    ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True, "format_columns": True})
    ws.set_paper(9)  # A4 landscape, the whole form with its help texts on one page
    ws.set_landscape()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.fit_to_pages(1, 1)
    ws.print_area(0, 0, 3 + len(FIELDS) - 1, 2)
    wb.close()


def write_list(path: Path, rows: list[list] | None = None) -> None:
    """The many-applications sheet as an Excel table with validation."""
    from ..model.applications import FIELDS

    wb = xlsxwriter.Workbook(
        str(path), {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    wb.set_properties({"created": dt.datetime(2000, 1, 1), "title": "Søknader – Kompetanseløftet"})
    ws = wb.add_worksheet("Søknader")
    date_fmt = wb.add_format({"num_format": "dd.mm.yyyy"})
    rows = rows or []
    n = max(len(rows), LIST_ROWS)
    ws.add_table(
        0,
        0,
        n,
        len(FIELDS) - 1,
        {
            "name": "Soknader",
            "style": "Table Style Light 9",
            "columns": [{"header": text} for _, text, _ in FIELDS],
        },
    )
    for c, (_fid, text, kind) in enumerate(FIELDS):
        ws.set_column(c, c, max(12, min(len(text) + 4, 30)), date_fmt if kind == "date" else None)
        rule = _validation(kind, text, None)  # the help text; a pasted list is checked by the reader
        if rule:
            ws.data_validation(1, c, n, c, rule)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                ws.write_string(r, c, value)
            elif isinstance(value, (dt.date, dt.datetime)):
                ws.write_datetime(r, c, value, date_fmt)
            else:
                ws.write(r, c, value)
    ws.freeze_panes(1, 1)
    _print_on_a4(ws, len(FIELDS), first_col_repeats=True)
    if rows:
        ws.print_area(0, 0, len(rows), len(FIELDS) - 1)
    wb.close()


def _write_headers_only(sheets: list[tuple[str, list[str], list[int], list[int]]]):
    """A writer for a workbook of header rows (name, headers, widths, whole-number columns)."""

    def write(path: Path) -> None:
        wb = xlsxwriter.Workbook(str(path))
        wb.set_properties({"created": dt.datetime(2000, 1, 1), "title": path.name})
        head = wb.add_format({"bold": True, "bg_color": "#DDE5F0", "bottom": 1})
        for name, headers, widths, whole in sheets:
            _sheet(wb, name, headers, widths, head, whole)
        wb.close()

    return write


def write_templates(out: Path) -> tuple[list[Path], list[Path]]:
    """Write the blank templates into ``out``; never overwrites an existing file."""
    out.mkdir(parents=True, exist_ok=True)
    writers = {
        COUNTS_TEMPLATE: _write_headers_only(
            [("Tall", ["Nettverk", "Eier", "Kommunenummer", *COUNT_COLUMNS], [28, 28, 16, 18, 20, 24], [3, 4, 5])]
        ),
        PARAMETERS_TEMPLATE: _write_headers_only(
            [(name, headers, [28, 16, 16, 28, 40], []) for name, headers in HEADERS.items()]
        ),
        MEMBERSHIP_TEMPLATE: _write_headers_only(
            [
                (
                    "Medlemskap",
                    ["Nettverk", "Enhet", "Navn", "Gyldig fra", "Gyldig til", "Merknad"],
                    [28, 14, 28, 14, 14, 40],
                    [],
                )
            ]
        ),
        FORM_TEMPLATE: write_form,
        LIST_TEMPLATE: write_list,
    }
    written, skipped = [], []
    for filename, writer in writers.items():
        path = out / filename
        if path.exists():
            skipped.append(path)
            continue
        tmp = path.with_name(f".{filename}.tmp")
        try:
            writer(tmp)
            tmp.rename(path)
        finally:
            tmp.unlink(missing_ok=True)
        written.append(path)
    return written, skipped
