"""Random workbooks thrown at `run`: an allocation or findings, exit 0/1/2, never a crash."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import tempfile
from pathlib import Path

import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allocation.cli import main
from allocation.model.applications import FIELDS

from .conftest import HEADERS, ROOT

MODEL = (
    (ROOT / "config" / "trondelag.toml")
    .read_text(encoding="utf-8")
    .replace('counts = "../input_templates/trondelag/tall.xlsx"', 'counts = "tall.xlsx"')
    .replace('extra = { "Trondheim/Malvik" = 200_000 }', "")
)

cell = st.one_of(
    st.none(),
    st.integers(min_value=-(10**6), max_value=10**7),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.text(max_size=12),
    st.sampled_from(["Fosen", "fosen ", "Namdal", "1 250", "12,5", "NA", "=1+1", "Sum", "Totalt", "0301", "-3"]),
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2030, 1, 1)),
)
header = st.one_of(st.sampled_from(HEADERS + ["Merknad", "barn i barnehage", " NETTVERK "]), st.text(max_size=10))
sheet_name = st.sampled_from(["Tall", "tall", "Ark1", "Tall ", "Data"])


def write_sheets(path: Path, sheets: list[tuple[str, list[str], list[list], int]]) -> None:
    """Sheets of (name, headers, rows, rows above the header), each cell written with its own type."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    date_format = wb.add_format({"num_format": "dd.mm.yyyy"})
    for name, heads, rows, offset in sheets:
        ws = wb.add_worksheet(name)
        for c, h in enumerate(heads):
            ws.write_string(offset, c, h)
        for r, row in enumerate(rows, start=offset + 1):
            for c, v in enumerate(row):
                if isinstance(v, str):
                    ws.write_string(r, c, v)
                elif isinstance(v, dt.datetime):
                    ws.write_datetime(r, c, v, date_format)
                elif v is not None:
                    ws.write(r, c, v)
    wb.close()


def run_quietly(tmp_path: Path, model: str) -> tuple[int, str]:
    """`run` on the model, its output captured; never a crash."""
    (tmp_path / "m.toml").write_text(model, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["run", str(tmp_path / "m.toml"), "--out", str(tmp_path / "k")])
    text = out.getvalue() + err.getvalue()
    assert "Uventet feil" not in text and "Traceback" not in text, text
    assert code != 3 and "Intern feil" not in text, text  # exit 3 is an error of ours
    return code, text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sheets=st.lists(
        st.tuples(
            sheet_name,
            st.lists(header, max_size=8),
            st.lists(st.lists(cell, max_size=8), max_size=12),
            st.integers(0, 3),
        ),
        min_size=1,
        max_size=3,
        unique_by=lambda s: s[0].strip().casefold(),
    )
)
def test_random_workbooks_never_crash(sheets) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        write_sheets(tmp_path / "tall.xlsx", sheets)
        code, _ = run_quietly(tmp_path, MODEL)
        assert code in (0, 1, 2)
        if code == 0:
            assert (tmp_path / "k" / "manifest.json").is_file()
        else:
            assert not (tmp_path / "k").exists()


APP_MODEL = (
    (ROOT / "config" / "trondelag-soknader.toml")
    .read_text(encoding="utf-8")
    .replace(
        "../input_templates/trondelag/tall.xlsx", (ROOT / "input_templates" / "trondelag" / "tall.xlsx").as_posix()
    )
    .replace('files = ["../input_templates/trondelag/søknader.xlsx"]', 'files = ["s.xlsx"]')
)
APP_HEADERS = [label for _, label, _ in FIELDS]
app_cell = st.one_of(
    cell,
    st.sampled_from(
        [
            "Ja",
            "Nei",
            "ja",
            "Trondheim/Malvik",
            "Fosen",
            "NTNU",
            "970000003",
            "7690.00.00002",
            "1 000 000 (anslag)",
            "Eier: 30",
            "30 %",
            "0,3",
            "15.01.2025",
            "1.500",
            "kr 500 000,-",
        ]
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.lists(app_cell, min_size=len(APP_HEADERS), max_size=len(APP_HEADERS)), max_size=6),
    headers=st.permutations(APP_HEADERS),
)
def test_random_application_lists_never_crash(rows, headers) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        write_sheets(tmp_path / "s.xlsx", [("Søknader", list(headers), rows, 0)])
        code, text = run_quietly(tmp_path, APP_MODEL)
        assert code in (0, 1), text
