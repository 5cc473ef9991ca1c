"""Shared fixtures: build count workbooks and configurations in a temp folder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"
HEADERS = ["Nettverk", "Eier", "Kommunenummer", "Barn i barnehage", "Elever i grunnskolen", "Elever og lærlinger i vgs"]


def write_xlsx(path: Path, sheets: dict[str, Sequence[Sequence[Any]]]) -> Path:
    """A workbook whose sheets hold the given rows from A1 (None = empty cell)."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    wb.set_properties({"created": dt.datetime(2000, 1, 1)})
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
    wb.close()
    return path


def counts_rows(networks: dict[str, tuple[int, int, int]]) -> list[list[Any]]:
    return [list(HEADERS)] + [[n, None, None, b, g, v] for n, (b, g, v) in networks.items()]


@pytest.fixture
def make_counts(tmp_path: Path) -> Callable[..., Path]:
    def make(
        networks: dict[str, tuple[int, int, int]] | None = None,
        rows: list[list[Any]] | None = None,
        name: str = "tall.xlsx",
        sheet: str = "Tall",
    ) -> Path:
        data = rows if rows is not None else counts_rows(networks or {})
        return write_xlsx(tmp_path / name, {sheet: data})

    return make


@pytest.fixture
def make_config(tmp_path: Path) -> Callable[..., Path]:
    def make(body: str, name: str = "modell.toml") -> Path:
        path = tmp_path / name
        path.write_text(body, encoding="utf-8")
        return path

    return make
