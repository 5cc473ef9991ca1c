"""A value is read as the user sees it, or it is an error naming the cell; a row is a network only
if it is one. Unit tests build rows with CellError / PercentCell directly; the end-to-end tests
with real error cells and per-cent formats are in test_trust_cells.py."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.model.applications import KINDS
from allocation.model.config import COUNT_COLUMNS
from allocation.read.applications import _field
from allocation.read.counts import parse_count, read_counts
from allocation.read.values import excel_error, is_total_label, parse_amount, parse_percent
from allocation.read.workbooks import EXCEL_ERRORS, CellError, PercentCell, Sheet

from .conftest import HEADERS, write_xlsx

COLS = list(COUNT_COLUMNS)


# --- Excel error values ---------------------------------------------------------------------


@pytest.mark.parametrize("error", ["#REF!", "#DIV/0!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"])
def test_error_cells_are_never_a_value(error) -> None:
    for raw in (CellError(error), error, f" {error.lower()} "):  # an error cell, or its text typed/exported
        assert excel_error(raw)
        for p in (parse_amount(raw), parse_percent(raw)):
            assert p.value is None and p.problem and p.error_cell
        value, problem = parse_count(raw)
        assert value is None and problem


@pytest.mark.parametrize("text", ["#I/T", "#VERDI!", "#NAVN?", "Err:502"])
def test_norwegian_and_libreoffice_error_texts(text) -> None:
    assert parse_amount(text).error_cell == text


def test_ordinary_text_is_not_an_error_value() -> None:
    assert excel_error("#1") is None and excel_error("Fosen") is None and excel_error(3.0) is None


# --- per cent -----------------------------------------------------------------------------


def test_percent_cell_is_read_by_its_format() -> None:
    assert parse_percent(PercentCell(0.3)) == parse_percent("30 %")
    assert parse_percent(PercentCell(0.3)).read_as_fraction is False
    assert parse_percent(PercentCell(0.125)).value == Fraction(25, 2)
    assert parse_percent(PercentCell(1.0)).value == 100
    assert parse_percent(PercentCell(1.5)).problem  # 150 %: out of range, not 1.5 %
    assert parse_percent(PercentCell(0.0)).value == 0


@pytest.mark.parametrize("raw", [0.3, "0,3", "0.3", "Eier: 0,3"])
def test_plain_fraction_is_read_as_percent_and_says_so(raw) -> None:
    p = parse_percent(raw)
    assert p.value == 30 and p.read_as_fraction


@pytest.mark.parametrize("raw", [30, "30", "30 %", "0,3 %", 0, 1, "100"])
def test_no_fraction_note_when_the_rule_is_not_used(raw) -> None:
    assert parse_percent(raw).read_as_fraction is False


def test_percent_cell_is_not_an_amount_or_a_count() -> None:
    assert parse_amount(PercentCell(2.0)).problem
    assert parse_count(PercentCell(3.0))[1]


# --- amounts holding two numbers, absurd numbers -------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "30 000 (år 1) 0 (år 2)",
        "350 000 (UH) 50 000 (reise)",
        "300 000 (år 1) 300 000 (år 2)",
        "100 000 / 200 000",
        "1 000 + 500",
        "30 000 0",
        "1 0000",
        "Eier: 30 000, UH: 20 000",
        "30 000\n20 000",
    ],
)
def test_two_numbers_in_one_amount_cell_are_unreadable(raw) -> None:
    p = parse_amount(raw)
    assert p.value is None and p.problem


@pytest.mark.parametrize("raw", ["1" * 5000, "9" * 16, 1e300, float("inf"), float("-inf"), float("nan"), 10**400])
def test_absurd_numbers_are_bad_values(raw) -> None:
    assert parse_amount(raw).problem
    assert parse_count(raw)[1]
    p = parse_percent(raw)
    assert p.problem and p.value is None


@pytest.mark.parametrize("raw", ["1000 000 (anslag)", "22 400 ( eier)", "1 580 500", "(anslag) 1 000 000"])
def test_one_number_with_a_note_is_still_read(raw) -> None:
    assert parse_amount(raw).problem is None


def test_counts_with_glued_groups_are_unreadable() -> None:
    assert parse_count("1 250")[0] == 1250
    assert parse_count("12 5")[0] is None


CELL = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.from_regex(r"[ 0-9.,%()a-zA-Z:+/-]{0,30}", fullmatch=True),
    st.from_regex(r"[0-9]{14,400}", fullmatch=True),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.booleans(),
    st.builds(CellError, st.sampled_from(EXCEL_ERRORS)),
    st.builds(PercentCell, st.floats(allow_nan=True, allow_infinity=True)),
    st.dates().map(lambda d: dt.datetime(d.year, d.month, d.day)),
)


@settings(max_examples=400, deadline=None)
@given(CELL)
def test_parsers_never_raise(raw) -> None:
    for p in (parse_amount(raw), parse_percent(raw)):
        assert (p.value is None) or p.problem is None
    value, problem = parse_count(raw)
    assert value is None or problem is None
    for kind in set(KINDS.values()):
        _field(kind, raw)
    if isinstance(raw, CellError):
        assert parse_amount(raw).problem and parse_percent(raw).problem and parse_count(raw)[1]


@pytest.mark.parametrize("kind", ["date", "orgnr", "account", "yesno", "text", "amount", "share"])
def test_every_application_field_reports_an_error_cell(kind) -> None:
    field = _field(kind, CellError("#REF!"))
    value, problem = field.value, field.problem
    assert value is None and problem


# --- total rows ---------------------------------------------------------------------------

TOTALS = [
    "Sum",
    "Sum:",
    "SUM",
    "Summa",
    "Totalt",
    "Total",
    "I alt",
    "I alt:",
    "Sum kommuner",
    "Totalt fylket",
    "Sum Trøndelag",
    "Sum barnehage",
    "Delsum",
    "Total sum",
    "Sum totalt",
    " sum\u200b ",
    "Kommunene i alt",
    "Ialt",
    "Til sammen",
    "Fylket totalt",
    "**Sum**",
    "Subtotal",
]
NOT_TOTALS = ["Summit", "Fosen", "Totalentreprise", "Sumatra", "Trondheim/Malvik", "@SUM(A1)", "", "Ialtnes", "2024"]


@pytest.mark.parametrize("label", TOTALS)
def test_total_labels(label) -> None:
    assert is_total_label(label)


@pytest.mark.parametrize("label", NOT_TOTALS)
def test_not_total_labels(label) -> None:
    assert not is_total_label(label)


def read(path):
    return read_counts(path, path.name, COLS)


@pytest.mark.parametrize("label", ["Sum:", "SUM", "Summa", "I alt:", "Sum kommuner", "Totalt fylket", "Delsum"])
def test_total_row_in_any_spelling_is_left_out_of_counts(make_counts, label) -> None:
    rows = [HEADERS, ["A", None, None, 10, 20, 0], ["B", None, None, 5, 7, 1], [label, None, None, 15, 27, 1]]
    counts, findings = read(make_counts(rows=rows))
    assert counts is not None and counts.networks == ("A", "B")
    assert [(f.code, f.cell) for f in findings] == [("counts.total_row", "A4")]


def test_subtotals_and_grand_total_are_all_left_out(make_counts) -> None:
    rows = [
        HEADERS,
        ["Fosen", "Ørland kommune", None, 10, 20, 0],
        ["Fosen", "Indre Fosen kommune", None, 5, 5, 0],
        ["Fosen", "Sum Fosen", None, 15, 25, 0],
        ["Namdal", "Namsos kommune", None, 7, 8, 0],
        ["Namdal", "Grong kommune", None, 1, 1, 0],
        ["Sum Namdal", None, None, 8, 9, 0],
        ["Totalt", None, None, 23, 34, 0],
    ]
    counts, findings = read(make_counts(rows=rows))
    assert counts is not None and counts.totals["Fosen"][COLS[0]] == 15 and counts.totals["Namdal"][COLS[1]] == 9
    assert [(f.code, f.cell) for f in findings] == [
        ("counts.total_row", "B4"),
        ("counts.total_row", "A7"),
        ("counts.total_row", "A8"),
    ]


def test_total_row_that_does_not_add_up_is_a_warning(make_counts) -> None:
    rows = [HEADERS, ["A", None, None, 10, 20, 0], ["B", None, None, 5, 7, 1], ["I alt", None, None, 16, 27, 1]]
    counts, findings = read(make_counts(rows=rows))
    assert counts is not None and counts.networks == ("A", "B")
    assert [(f.code, f.cell, f.severity) for f in findings] == [("counts.total_row_mismatch", "A4", "warning")]


def test_network_named_row_equal_to_the_sum_above_stops(make_counts) -> None:
    rows = [
        HEADERS,
        ["A", None, None, 10, 20, 0],
        ["B", None, None, 5, 7, 1],
        ["Trøndelag", None, None, 15, 27, 1],
    ]
    counts, findings = read(make_counts(rows=rows))
    assert counts is None
    assert [(f.code, f.cell, f.severity) for f in findings] == [("counts.row_equals_sum_above", "A4", "error")]
    # the fix it suggests works: the same network first is not a sum of anything
    counts, findings = read(make_counts(rows=[rows[0], rows[3], rows[1], rows[2]], name="flyttet.xlsx"))
    assert counts is not None and findings == []


def test_owner_subtotal_named_as_its_network_stops(make_counts) -> None:
    rows = [
        HEADERS,
        ["Namdal", None, None, 3, 3, 3],
        ["Fosen", "Ørland kommune", None, 10, 20, 0],
        ["Fosen", "Indre Fosen kommune", None, 5, 5, 0],
        ["Fosen", None, None, 15, 25, 0],
    ]
    counts, findings = read(make_counts(rows=rows))
    assert counts is None and [(f.code, f.cell) for f in findings] == [("counts.row_equals_sum_above", "A5")]


def test_sum_of_one_row_or_of_zero_rows_is_not_a_total(make_counts) -> None:
    rows = [HEADERS, ["A", None, None, 0, 0, 0], ["B", None, None, 5, 7, 1], ["C", None, None, 5, 7, 1]]
    counts, findings = read(make_counts(rows=rows))
    assert counts is not None and counts.networks == ("A", "B", "C") and findings == []


def test_typed_error_text_in_counts_is_an_error_with_its_cell(make_counts) -> None:
    rows = [HEADERS, ["A", None, None, "#N/A", 20, 0], ["#REF!", None, None, 1, 1, 1], ["B", None, "#I/T", 1, 2, 3]]
    counts, findings = read(make_counts(rows=rows))
    assert counts is None
    assert {(f.code, f.cell) for f in findings} == {
        ("counts.excel_error", "D2"),
        ("counts.excel_error", "A3"),
        ("counts.excel_error", "C4"),
    }
    assert all(f.fix and f.value for f in findings)


def test_error_cells_in_a_counts_sheet(tmp_path) -> None:
    from allocation.read import counts as counts_module

    rows = [list(HEADERS), ["A", None, None, CellError("#REF!"), 20, 0], [CellError("#N/A"), None, None, 1, 2, 3]]
    sheet = Sheet("tall.xlsx", "Tall", rows)
    colmap = {h.casefold(): i for i, h in enumerate(HEADERS)}
    counts, findings = counts_module._parse_rows(sheet, 0, colmap, COLS)
    assert counts is None
    assert {(f.code, f.cell, f.value) for f in findings} == {
        ("counts.excel_error", "D2", "#REF!"),
        ("counts.excel_error", "A3", "#N/A"),
    }


# --- applications -------------------------------------------------------------------------

FORM_VALUES = {
    "network": "Fosen",
    "confirmed": "Ja",
    "owner": "Ørland kommune",
    "uh": "NTNU",
    "owner_y1": "300 000",
    "owner_y2": "200 000",
    "uh_y1": "100 000",
    "share_kartlegging": "0,3",
    "share_planlegging": "70 %",
}


def _form(tmp_path, values: dict, shift: dict[str, int] | None = None):
    """A form with a label per row and each value cell named; ``shift`` moves a name off its row."""
    import xlsxwriter

    from allocation.model.applications import FIELDS
    from allocation.read.applications import defined_name

    path = tmp_path / "skjema.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    ws = wb.add_worksheet("Søknad")
    for i, (fid, label, _) in enumerate(FIELDS):
        r = 2 + i
        ws.write_string(r, 0, label)
        if values.get(fid) is not None:
            ws.write(r, 1, values[fid])
        wb.define_name(defined_name(fid), f"='Søknad'!$B${r + 1 + (shift or {}).get(fid, 0)}")
    wb.close()
    return path


def test_form_reads_typed_error_text_blank_year1_and_fraction(tmp_path) -> None:
    from allocation.read.applications import read_application_file

    values = dict(FORM_VALUES, uh_y1=None, received="#N/A", owner_orgnr="#REF!")
    (app,), findings = read_application_file(_form(tmp_path, values), "skjema.xlsx")
    got = {(f.code, f.severity, f.cell) for f in findings}
    assert ("applications.excel_error", "error", "B29") in got  # Mottatt, row 29
    assert ("applications.excel_error", "error", "B9") in got  # Eier org.nr
    assert ("applications.amount_missing", "error", "B19") in got  # UH beløp år 1 is blank
    assert ("value.fraction_read_as_percent", "warning", "B22") in got  # «0,3» in Andel kartlegging
    assert not any(code == "applications.amount_missing" and cell == "B16" for code, _, cell in got)
    assert app.get("share_kartlegging") == 30


def test_typed_zero_is_a_request_for_zero(tmp_path) -> None:
    from allocation.read.applications import read_application_file

    values = dict(FORM_VALUES, uh_y1="0", share_kartlegging="30")
    (app,), findings = read_application_file(_form(tmp_path, values), "skjema.xlsx")
    assert findings == [] and app.requested(1) == 300_000


def test_defined_name_away_from_its_label_is_a_warning_naming_both_cells(tmp_path) -> None:
    from allocation.read.applications import read_application_file

    values = dict(FORM_VALUES, share_kartlegging="30")
    (app,), findings = read_application_file(_form(tmp_path, values, {"owner_y1": 1}), "skjema.xlsx")
    (f,) = findings
    assert f.code == "applications.name_away_from_label" and f.severity == "warning"
    assert f.cell == "B17" and "A16" in f.message and "B17" in f.message
    assert app.get("owner_y1") == 200_000  # the named cell is what is read, and the warning says so


def test_total_row_in_an_application_list_is_not_an_application(tmp_path) -> None:
    from allocation.model.applications import FIELDS
    from allocation.read.applications import read_application_file

    fids = [fid for fid, _, _ in FIELDS]
    one = [FORM_VALUES.get(fid) for fid in fids]
    total = [None] * len(fids)
    total[0], total[fids.index("owner_y1")] = "Sum:", 300_000
    path = write_xlsx(tmp_path / "liste.xlsx", {"Søknader": [[label for _, label, _ in FIELDS], one, total]})
    apps, findings = read_application_file(path, "liste.xlsx")
    assert len(apps) == 1
    assert ("applications.total_row", "A3") in {(f.code, f.cell) for f in findings}


# --- the parameters workbook --------------------------------------------------------------


def _params(tmp_path, ramme=(), avsetninger=(), nettverk=()):
    from allocation.read.parameters import read_parameters

    path = write_xlsx(
        tmp_path / "parametre.xlsx",
        {
            "Ramme": [["Post", "Beløp", "Vedtak"], *ramme],
            "Avsetninger": [["Navn", "Beløp", "Andel (%)", "Mottaker", "Vedtak"], *avsetninger],
            "Nettverk": [["Nettverk", "Grunntilskudd", "Koordinering", "Vedtak"], *nettverk],
        },
    )
    return read_parameters(path, "parametre.xlsx")


def test_total_rows_are_never_posts_set_asides_or_networks(tmp_path) -> None:
    params, findings = _params(
        tmp_path,
        ramme=[["Ramme 2025", 10_000_000, None], ["Tilsagn 2024", 500_000, None], ["Sum:", 10_500_000, None]],
        avsetninger=[["Møter", 400_000, None, None, None], ["PPT", 200_000, None, None, None], ["I alt", 600_000]],
        nettverk=[["Fosen", 100_000, None], ["Namdal", 100_000, None], ["SUM", 250_000, None]],
    )
    assert params.frame[0] == 10_000_000 and [c[0] for c in params.commitments] == ["Tilsagn 2024"]
    assert [s["name"] for s in params.setasides] == ["Møter", "PPT"]
    assert set(params.networks["grunntilskudd"]) == {"Fosen", "Namdal"}
    assert {(f.code, f.sheet, f.cell) for f in findings} == {
        ("parameters.total_row", "Ramme", "A4"),
        ("parameters.total_row", "Avsetninger", "A4"),
        ("parameters.total_row_mismatch", "Nettverk", "A4"),
    }


def test_error_values_in_parameters_are_errors_with_their_cell(tmp_path) -> None:
    params, findings = _params(
        tmp_path,
        ramme=[["Ramme", "#REF!", None]],
        avsetninger=[["Møter", None, "#DIV/0!", None, None], ["#N/A", 100, None, None, None]],
        nettverk=[["Fosen", "#VALUE!", None]],
    )
    assert {(f.code, f.sheet, f.cell) for f in findings if f.severity == "error"} == {
        ("parameters.excel_error", "Ramme", "B2"),
        ("parameters.excel_error", "Avsetninger", "C2"),
        ("parameters.excel_error", "Avsetninger", "A3"),
        ("parameters.excel_error", "Nettverk", "B2"),
    }
    assert params.frame is None and params.setasides == [] and params.networks == {}


def test_share_as_a_plain_fraction_in_parameters_is_a_warning(tmp_path) -> None:
    params, findings = _params(tmp_path, ramme=[["Ramme", 1000, None]], avsetninger=[["Felles", None, 0.1, None, None]])
    assert params.setasides[0]["percent"] == 10
    assert [(f.code, f.cell) for f in findings] == [("value.fraction_read_as_percent", "C2")]


def test_one_column_equal_to_the_sum_above_is_chance_not_a_total(make_counts) -> None:
    """10, 20, 30 in one column with the others 0: small round counts add up by chance."""
    rows = [HEADERS, ["A", None, None, 10, 0, 0], ["B", None, None, 20, 0, 0], ["C", None, None, 30, 0, 0]]
    counts, findings = read(make_counts(rows=rows))
    assert counts is not None and counts.networks == ("A", "B", "C") and findings == []


def test_findings_of_one_kind_are_limited_with_a_count_of_the_rest() -> None:
    from allocation.model.findings import ERROR, MAX_PER_KIND, Finding, InputErrors

    many = [Finding("counts.no_network", ERROR, "x", file="t.xlsx", sheet="Tall", cell=f"D{i}") for i in range(2, 1002)]
    other = Finding("counts.negative", ERROR, "y", file="t.xlsx", sheet="Tall", cell="E5")
    kept = InputErrors([*many, other]).findings
    assert len(kept) == MAX_PER_KIND + 2 and kept[-1] is other
    summary = kept[MAX_PER_KIND]
    assert summary.code == "counts.no_network" and summary.severity == ERROR
    assert summary.value == str(1000 - MAX_PER_KIND) and f"D{2 + MAX_PER_KIND}" in summary.message
