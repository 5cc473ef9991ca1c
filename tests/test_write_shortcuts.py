"""Shortcuts the workbook writer takes past xlsxwriter's own work must give what xlsxwriter gives."""

from __future__ import annotations

import inspect
import re

import pytest
from xlsxwriter.worksheet import Worksheet

from allocation.write.book import _DYNAMIC, plain_formulas

FORMULAS = [
    "=ROUND(G2/G$1002*Sammendrag!$B$15+H2,0)",
    "=E2+F2+I2",
    "=SUM(B2:B9)",
    "='Per nettverk'!$C$4-Fordeling!N1002",
    '=IF(A1>0,"FILTER(x)","")',
    "{=SUM(A1:A3*B1:B3)}",
    "=FILTER(A1:A9,B1:B9>0)",
    "=_xlfn.XLOOKUP(A1,B:B,C:C)",
    "=SORTBY(A1:A3,B1:B3)",
    "=ASINGLE(A1)",
    "=SINGLE(A1)",
    "=LET(x,1,x)",
    "=CONCAT(A1,B1)",
    "=STDEV.S(A1:A9)",
    "SUM(A1:A2)",
    "=",
]


def _own_patterns() -> list[str]:
    """The patterns of xlsxwriter's substitutions made whatever the worksheet's settings."""
    source = inspect.getsource(Worksheet._prepare_formula)
    always = source.split("if not self.use_future_functions")[0]
    return re.findall(r're\.sub\(r"([^"]+)"', always)


def test_every_dynamic_function_xlsxwriter_expands_is_looked_for() -> None:
    patterns = _own_patterns()
    assert len(patterns) >= 29
    for pattern in patterns:
        shape = re.fullmatch(r"\\(b|S)([A-Z.]+)\\\(", pattern)
        assert shape is not None, pattern  # another kind of pattern: the shortcut must be looked at again
        literal = ("x" if shape[1] == "S" else "") + shape[2] + "("
        assert _DYNAMIC.search(literal), pattern


@pytest.mark.parametrize("future", [False, True])
def test_formulas_come_out_as_xlsxwriter_makes_them(future: bool) -> None:
    ws = Worksheet()
    ws.use_future_functions = future
    quick = plain_formulas(ws)
    for formula in FORMULAS:
        for expand in (False, True):
            assert quick(formula, expand) == Worksheet._prepare_formula(ws, formula, expand), formula


def test_a_text_counted_as_one_line_without_laying_it_out_is_one_line_laid_out() -> None:
    import random

    from allocation.write.textfit import laid_out_lines, text_width, wrapped_lines

    rng = random.Random(11)
    pieces = ["a", "Wm", "Nettverk", "1\u00a0234", " ", "  ", "\t", " \t ", "æøå", "—", "iiiiiiii", "WWWWW", "\u202f"]
    for _ in range(4000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 30)))
        size, bold, mono = rng.choice([10.0, 11.0, 16.0]), rng.random() < 0.3, rng.random() < 0.1
        whole = text_width(text, size, bold, mono)
        for width in (whole, whole + 1e-7, whole + 2e-6, whole - 1e-9, whole * rng.random(), whole + rng.random()):
            direct = laid_out_lines(text, width, size, bold, mono)
            assert wrapped_lines.__wrapped__(text, width, size, bold, mono) == direct, (text, width)
