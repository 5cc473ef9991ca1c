"""Scenarios: one run per alternative declared in the configuration, and one workbook
that shows the alternatives side by side for the samarbeidsforum."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model.names import name_key
from ..model.parameter_names import parameter_label, parameter_value
from ..write.book import Book, Sheet
from .compare import flatten_data

if TYPE_CHECKING:
    pass

WORKBOOK_NAME = "scenarier.xlsx"


def scenario_changes(config_text: str, scenario: str) -> list[tuple[str, str]]:
    """What a scenario changes, as (parameter, new value)."""
    data = tomllib.loads(config_text, parse_float=Decimal)
    for sc in data.get("scenario", []):
        if name_key(str(sc.get("name", ""))) == name_key(scenario):
            body = {k: v for k, v in sc.items() if k in ("run", "pots")}
            return sorted(flatten_data(body).items())
    return []


def write_scenarios(
    path: Path, base: dict[str, Any], alternatives: list[tuple[str, dict[str, Any]]], config_text: str
) -> None:
    """Sheet «Scenarier»: one row per network, one column per alternative and its change from the
    base case; «Potter» likewise; «Parametre»: what each alternative changes."""
    book = Book(path, f"Scenarier – {base.get('name', '')}", "Scenarier")
    book.add_format("pct", num_format="0.0 %")
    nets = Sheet(book, "Scenarier", "#1F3864")
    pots = Sheet(book, "Potter", "#548235")
    params = Sheet(book, "Parametre", "#7F7F7F")
    _grid(
        nets,
        "Nettverk",
        [(n["name"], n["frame"] if n.get("granted") is None else n["granted"]) for n in base["networks"]],
        [
            (name, {n["name"]: n["frame"] if n.get("granted") is None else n["granted"] for n in m["networks"]})
            for name, m in alternatives
        ],
    )
    _grid(
        pots,
        "Pott",
        [(p["name"], p["amount"]) for p in base["pots"]],
        [(name, {p["name"]: p["amount"] for p in m["pots"]}) for name, m in alternatives],
    )
    params.widths([30, 50, 30, 24])
    params.header(0, ["Scenario", "Parameter", "Verdi i scenariet", "I konfigurasjonen"])
    row = 0
    for name, _ in alternatives:
        for key, value in scenario_changes(config_text, name):
            row += 1
            params.text(row, 0, name)
            params.text(row, 1, parameter_label(key))
            params.text(row, 2, parameter_value(key, value))
            params.text(row, 3, key)
    for s in (nets, pots, params):
        s.finish()
    book.close()


def _grid(s: Sheet, label: str, base: list[tuple[str, int]], alternatives: list[tuple[str, dict[str, int]]]) -> None:
    from xlsxwriter.utility import xl_rowcol_to_cell

    heads = [label, "Grunnlag"]
    for name, _ in alternatives:
        heads += [name, f"Endring: {name}"]
    s.header(0, heads)
    s.widths([30, 16] + [16, 14] * len(alternatives))
    s.ws.freeze_panes(1, 2)
    s.ws.repeat_rows(0)
    for r, (name, amount) in enumerate(base, start=1):
        s.text(r, 0, name)
        s.number(r, 1, amount)
        for i, (_, values) in enumerate(alternatives):
            col = 2 + 2 * i
            alt = {name_key(k): v for k, v in values.items()}.get(name_key(name))
            if alt is None:
                s.text(r, col, "—")
                continue
            s.number(r, col, alt)
            s.formula(r, col + 1, f"={xl_rowcol_to_cell(r, col)}-{xl_rowcol_to_cell(r, 1)}", alt - amount)
    n = len(base)
    s.text(n + 1, 0, "Sum", "total")
    for c in range(1, len(heads)):
        top, bottom = xl_rowcol_to_cell(1, c), xl_rowcol_to_cell(max(n, 1), c)
        if c == 1:
            value = sum(a for _, a in base)
        else:
            i = (c - 2) // 2
            vals = {name_key(k): v for k, v in alternatives[i][1].items()}
            total = sum(vals.get(name_key(nm), 0) for nm, _ in base)
            value = total if (c - 2) % 2 == 0 else total - sum(a for nm, a in base if name_key(nm) in vals)
        s.formula(n + 1, c, f"=SUM({top}:{bottom})", value, "kr_bold")
    s.ws.autofilter(0, 0, max(n, 1), len(heads) - 1)
