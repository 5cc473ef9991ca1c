"""The comparison workbook: two runs side by side, differences in kroner and per cent."""

from __future__ import annotations

from pathlib import Path

from ..model.cells import col_letter
from ..model.comparison import Comparison, Row
from .book import KR, Book, Sheet

STATUS_NO = {"ny": "ny", "borte": "borte", "": ""}


def write_comparison(path: Path, cmp: Comparison, label_a: str, label_b: str) -> None:
    book = Book(path, f"Sammenligning: {cmp.name_a} / {cmp.name_b}", f"A: {label_a} · B: {label_b}")
    book.add_format("hl", bg_color="#FCE4D6", num_format=KR)
    book.add_format("hl_pct", bg_color="#FCE4D6", num_format="0.0 %")
    book.add_format("pct", num_format="0.0 %")
    sheets = [
        Sheet(book, name, tab)
        for name, tab in (
            ("Sammendrag", "#1F3864"),
            ("Nettverk", "#2E75B6"),
            ("Deler", "#2E75B6"),
            ("Potter", "#548235"),
            ("Parametre", "#7F7F7F"),
        )
    ]
    summary, networks, parts, pots, params = sheets
    _summary(summary, cmp, label_a, label_b)
    _table(networks, ["Nettverk"], [([r.label], r) for r in cmp.networks], cmp, "Ramme")
    if cmp.granted:
        start = len(cmp.networks) + 4
        networks.text(start - 1, 0, "Tildelt etter søknad", "sub")
        _table(networks, ["Nettverk"], [([r.label], r) for r in cmp.granted], cmp, "Tildelt", first_row=start)
    _table(parts, ["Nettverk", "Del"], [([net, r.label], r) for net, r in cmp.parts], cmp, "Kroner")
    rows = [([r.label], r) for r in cmp.pots] + [([f"{r.label} (mottaker)"], r) for r in cmp.recipients]
    _table(pots, ["Pott / mottaker"], rows, cmp, "Kroner")
    _parameters(params, cmp)
    for s in sheets:
        s.finish()
    book.close()


def _summary(s: Sheet, cmp: Comparison, label_a: str, label_b: str) -> None:
    s.widths([34, 18, 18, 16, 12])
    s.text(0, 0, "Sammenligning av to kjøringer", "title")
    s.text(2, 0, "A", "bold")
    s.text(2, 1, f"{cmp.name_a} ({label_a})", "line")
    s.text(3, 0, "B", "bold")
    s.text(3, 1, f"{cmp.name_b} ({label_b})", "line")
    s.header(5, ["", "A", "B", "Endring", "Endring %"])
    changed = [r for r in cmp.networks if r.above(cmp.threshold)]
    rows = [
        cmp.frame,
        Row("Til nettverkene", _sum(cmp.networks, "a"), _sum(cmp.networks, "b")),
        Row("Til navngitte mottakere", _sum(cmp.recipients, "a"), _sum(cmp.recipients, "b")),
        cmp.held_back,
    ]
    for i, row in enumerate(rows, start=6):
        _line(s, i, [row.label], row, cmp)
    r = 6 + len(rows) + 1
    s.text(
        r,
        0,
        f"Nettverk med endring over {cmp.threshold} % (eller nye/borte): {len(changed)} av {len(cmp.networks)}.",
        "muted_line",
    )
    s.text(r + 1, 0, f"Parametre som er ulike: {len(cmp.parameters)} (se arket «Parametre»).", "muted_line")


def _sum(rows: list[Row], side: str) -> int:
    return sum(getattr(r, side) or 0 for r in rows)


def _line(s: Sheet, r: int, labels: list[str], row: Row, cmp: Comparison) -> None:
    n = len(labels)
    for c, label in enumerate(labels):
        s.text(r, c, label)
    hl = row.above(cmp.threshold)
    for c, value in ((n, row.a), (n + 1, row.b)):
        if value is None:
            s.text(r, c, "—")
        else:
            s.number(r, c, value)
    a_cell, b_cell = f"{col_letter(n)}{r + 1}", f"{col_letter(n + 1)}{r + 1}"
    if row.change is not None:
        s.formula(r, n + 2, f"={b_cell}-{a_cell}", row.change, "hl" if hl else "kr")
        if row.percent is not None:
            s.formula(
                r, n + 3, f'=IF({a_cell}=0,"",({b_cell}-{a_cell})/{a_cell})', row.percent, "hl_pct" if hl else "pct"
            )
    if row.status:
        s.text(r, n + 4, STATUS_NO[row.status], "warning")


def _table(
    s: Sheet, labels: list[str], rows: list[tuple[list[str], Row]], cmp: Comparison, what: str, first_row: int = 0
) -> None:
    heads = [*labels, f"{what} A", f"{what} B", "Endring (kr)", "Endring (%)", "Status"]
    s.widths([30] * len(labels) + [16, 16, 16, 12, 10])
    s.header(first_row, heads)
    if first_row == 0:
        s.ws.freeze_panes(1, len(labels))
        s.ws.repeat_rows(0)
    for i, (names, row) in enumerate(rows, start=first_row + 1):
        _line(s, i, names, row, cmp)
    if rows:
        s.ws.autofilter(first_row, 0, first_row + len(rows), len(heads) - 1)


def _parameters(s: Sheet, cmp: Comparison) -> None:
    from ..model.parameter_names import parameter_label, parameter_value

    s.widths([50, 40, 40, 24])
    s.header(0, ["Parameter", "A", "B", "I konfigurasjonen"])
    s.ws.freeze_panes(1, 0)
    if not cmp.parameters:
        s.text(1, 0, "Konfigurasjonene er like.", "muted_line")
    for i, (key, a, b) in enumerate(cmp.parameters, start=1):
        s.text(i, 0, parameter_label(key), "wrap")
        s.text(i, 1, parameter_value(key, a), "wrap")
        s.text(i, 2, parameter_value(key, b), "wrap")
        s.text(i, 3, key, "wrap")
