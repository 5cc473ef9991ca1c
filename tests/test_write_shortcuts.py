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


def _cells_xml(write_cell: object, ws: Worksheet, cells: list[tuple[int, int, object]]) -> str:
    import io

    ws.fh = io.StringIO()
    for row, col, cell in cells:
        write_cell(row, col, cell)  # type: ignore[operator]
    return ws.fh.getvalue()


@pytest.mark.parametrize("constant_memory", [False, True])
def test_cells_come_out_as_xlsxwriter_writes_them(constant_memory: bool) -> None:
    """Every kind of cell xlsxwriter keeps, with and without a format (and a row or column
    format under a cell without one), written by the shortcut and by xlsxwriter's own."""
    import io

    import xlsxwriter
    from xlsxwriter import worksheet as w

    from allocation.write.book import plain_cells

    wb = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    plain, money, wrap = wb.add_format(), wb.add_format({"num_format": "#,##0"}), wb.add_format({"text_wrap": 1})
    ws = wb.add_worksheet("Ark")
    ws.constant_memory = constant_memory
    ws.set_row(3, None, wrap)
    ws.set_column(5, 5, None, money)
    numbers = [0, 1, -1, 12_345_678_901, 0.1, 1 / 3, -2.5e-12, 1e300, float("inf"), True, 2**60 + 1]
    cells: list[tuple[int, int, object]] = []
    for fmt in (None, plain, money, wrap):
        for i, n in enumerate(numbers):
            cells.append((i, 0, w.CellNumberTuple(n, fmt)))
            cells.append((i, 5, w.CellDatetimeTuple(n, fmt)))
        for i, text in enumerate(["A & B <c>", ' "x"\n', "", "<r><t>x</t></r>"]):
            kept = text if constant_memory else i  # (a shared text's index; constant memory keeps the text)
            cells.append((3, 1_000 + i, w.CellStringTuple(kept, fmt)))
            cells.append((i, 16_383, w.CellStringTuple(kept, fmt)))
            cells.append((i, 2, w.CellRichStringTuple(kept, fmt, text)))
        cells += [
            (1_048_575, 5, w.CellBlankTuple(fmt)),
            (3, 7, w.CellBlankTuple(fmt)),
            (0, 26, w.CellFormulaTuple("SUM(A1:A3)", fmt, 6)),
            (0, 27, w.CellFormulaTuple('IF(A1>0,"a<b","")', fmt, "a<b")),
            (0, 28, w.CellBooleanTuple(True, fmt)),
            (0, 29, w.CellErrorTuple("#N/A", fmt, 1)),
            (0, 30, w.CellArrayFormulaTuple("SUM(A1:A3*B1:B3)", fmt, 6, "AE1", "static")),
        ]
    quick = plain_cells(ws)
    theirs = _cells_xml(ws._write_cell, ws, cells)
    ours = _cells_xml(quick, ws, cells)
    assert ours == theirs
    assert theirs.count("<c ") == len(cells)  # (the comparison saw every cell)


def _workbook_bytes(seed: int, shortcuts: bool) -> bytes:
    """A workbook of random sparse cells of every kind the sheets write, row heights and formats,
    comments on some sheets, with or without the shortcuts."""
    import datetime as dt
    import io
    import random

    import xlsxwriter

    from allocation.write.book import plain_cells, plain_rows

    rng = random.Random(seed)
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    wb.set_properties({"created": dt.datetime(2000, 1, 1)})
    formats = [None, wb.add_format({"bold": 1}), wb.add_format({"num_format": "#,##0"})]
    for sheet in range(3):
        ws = wb.add_worksheet(f"Ark{sheet}")
        if shortcuts:
            ws._write_cell, ws._write_rows = plain_cells(ws), plain_rows(ws)
        rows, cols = rng.choice([(1, 1), (40, 6), (300, 30), (70, 16_384)])
        base_row, base_col = rng.choice([0, 5, 17]), rng.choice([0, 3])
        for _ in range(rng.randrange(0, 400)):
            r, c, fmt = (
                base_row + rng.randrange(rows),
                base_col + rng.randrange(min(cols, 16_384 - base_col)),
                rng.choice(formats),
            )
            kind = rng.randrange(5)
            if kind == 0:
                ws.write_string(r, c, rng.choice(["a", "Nettverk & co", ' <"x">\n', "æøå"]), fmt)
            elif kind == 1:
                ws.write_number(r, c, rng.choice([0, -3, 1.5, 1e20, 123_456_789]), fmt)
            elif kind == 2:
                ws.write_blank(r, c, None, fmt or formats[1])
            elif kind == 3:
                ws.write_formula(r, c, "=SUM(A1:A2)", fmt, rng.choice([0, 3, "x"]))
            else:
                ws.write_boolean(r, c, rng.random() < 0.5, fmt)
        for _ in range(rng.randrange(0, 12)):  # rows with a height or format, with or without cells
            ws.set_row(
                base_row + rng.randrange(rows + 20),
                rng.choice([None, 30, 45.5]),
                rng.choice(formats),
                {"hidden": rng.random() < 0.2},
            )
        if sheet == 2 and rng.random() < 0.5:
            ws.write_comment(base_row, base_col, "merknad")
    wb.close()
    return out.getvalue()


@pytest.mark.parametrize("seed", range(40))
def test_rows_come_out_as_xlsxwriter_writes_them(seed: int) -> None:
    assert _workbook_bytes(seed, shortcuts=True) == _workbook_bytes(seed, shortcuts=False)
