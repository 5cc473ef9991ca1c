"""Report templates (rapportering): one workbook per recipient, pre-filled with what the decision
granted, and one list of every recipient for counties that collect the figures themselves.

``read.reports`` reads both back; the labels (column A, or the list's headers) are the contract
between the two.
"""

from __future__ import annotations

from pathlib import Path

from ..model.names import slug
from ..model.reports import DecisionRun
from ..read.reports import (
    LABEL_COMMENT,
    LABEL_NETWORK,
    LABEL_SUBMITTED,
    LABEL_USED_OWNER,
    LABEL_USED_UH,
    SHEET_LIST,
    SHEET_ONE,
)
from .book import Book, Sheet

LIST_NAME = "rapporter.xlsx"
GUIDE = (
    "Fyll inn de gule feltene: hvor mye eier og UH har brukt av tilskuddet (hele kroner, 0 hvis ingenting), "
    "datoen rapporten leveres og eventuelle merknader. Ubrukte midler trekkes fra neste utbetaling eller "
    "kreves tilbakebetalt."
)


def template_name(network: str) -> str:
    return f"rapport-{slug(network)}.xlsx"


def write_report_templates(folder: Path, decision: DecisionRun) -> list[Path]:
    """Every template into ``folder`` (which exists and is empty); returns the files written."""
    written = []
    for g in decision.granted.values():
        path = folder / template_name(g.network)
        _one(path, decision, g.network)
        written.append(path)
    path = folder / LIST_NAME
    _list(path, decision)
    written.append(path)
    return written


def _input_format(book: Book):  # type: ignore[no-untyped-def]
    return book.wb.add_format({"font_name": "Calibri", "bg_color": "#FFF2CC", "border": 1, "num_format": "#,##0"})


def _one(path: Path, decision: DecisionRun, network: str) -> None:
    g = decision.granted[network]
    book = Book(path, f"Rapport – {network}", f"Vedtak: {decision.name}")
    s = Sheet(book, SHEET_ONE, "#C55A11")
    fill = _input_format(book)
    date_fill = book.wb.add_format(
        {"font_name": "Calibri", "bg_color": "#FFF2CC", "border": 1, "num_format": "dd.mm.yyyy"}
    )
    s.widths([30, 40])
    s.text(0, 0, "Rapport på tilskudd – Kompetanseløftet for spesialpedagogikk", "title")
    rows: list[tuple[str, str | int]] = [
        ("Vedtak", decision.name),
        (LABEL_NETWORK, network),
        ("Mottaker eier", g.owner_name),
        ("Mottaker UH", g.uh_name),
        ("Tildelt eier", g.owner),
        ("Tildelt UH", g.uh),
    ]
    for i, (label, value) in enumerate(rows, start=3):
        s.text(i, 0, label, "bold")
        if isinstance(value, int):
            s.number(i, 1, value)
        else:
            s.text(i, 1, value)
    s.text(9, 0, LABEL_USED_OWNER, "bold")
    s.ws.write_blank(9, 1, None, fill)
    s.text(10, 0, LABEL_USED_UH, "bold")
    s.ws.write_blank(10, 1, None, fill)
    s.text(11, 0, "Ubrukt eier", "bold")
    s.formula(11, 1, "=MAX(0,B8-B10)", g.owner)
    s.text(12, 0, "Ubrukt UH", "bold")
    s.formula(12, 1, "=MAX(0,B9-B11)", g.uh)
    s.text(13, 0, LABEL_SUBMITTED, "bold")
    s.ws.write_blank(13, 1, None, date_fill)
    s.text(14, 0, LABEL_COMMENT, "bold")
    s.ws.write_blank(14, 1, None, book.wb.add_format({"bg_color": "#FFF2CC", "border": 1, "text_wrap": True}))
    s.finish()
    _guide(s, 1, 2, 1, GUIDE)
    book.close()


LIST_HEADS = [
    LABEL_NETWORK,
    "Mottaker eier",
    "Mottaker UH",
    "Tildelt eier",
    "Tildelt UH",
    LABEL_USED_OWNER,
    LABEL_USED_UH,
    LABEL_SUBMITTED,
    LABEL_COMMENT,
]


def _list(path: Path, decision: DecisionRun) -> None:
    book = Book(path, "Rapporter – Kompetanseløftet", f"Vedtak: {decision.name}")
    s = Sheet(book, SHEET_LIST, "#C55A11")
    s.widths([28, 28, 28, 14, 14, 14, 14, 12, 40])
    s.header(0, LIST_HEADS)
    s.ws.freeze_panes(1, 1)
    for row, g in enumerate(decision.granted.values(), start=1):
        s.text(row, 0, g.network)
        s.text(row, 1, g.owner_name)
        s.text(row, 2, g.uh_name)
        s.number(row, 3, g.owner)
        s.number(row, 4, g.uh)
    s.finish()
    guide = GUIDE.replace("Fyll inn de gule feltene", "Fyll inn kolonnene Brukt eier, Brukt UH, Levert og Kommentar")
    _guide(s, len(decision.granted) + 2, 3, 2, guide)
    book.close()


def _guide(s: Sheet, row: int, rows: int, last_col: int, text: str) -> None:
    """The guide over columns A to ``last_col`` of ``rows`` rows, wrapped at words inside them: a
    long line running on to the right would be printed on a page of its own, cut mid-word."""
    from .fitting import PAD, column_width
    from .textfit import line_height, wrapped_lines

    width = sum(column_width(s, c) for c in range(last_col + 1))
    lines = wrapped_lines(text, width - PAD)
    height = (lines * line_height() + 8) / rows
    for r in range(row, row + rows):
        s.ws.set_row(r, max(height, 15.0))
    s.ws.merge_range(row, 0, row + rows - 1, last_col, text, s.f["muted"])
