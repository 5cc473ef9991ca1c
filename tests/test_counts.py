"""Reading sheet Tall: header matching, summing, every bad cell named at once."""

from __future__ import annotations

from allocation.model.config import COUNT_COLUMNS
from allocation.read.counts import parse_count, read_counts

from .conftest import HEADERS

COLS = list(COUNT_COLUMNS)


def read(path):
    return read_counts(path, path.name, COLS)


def test_rows_summed_per_network_and_headers_matched_loosely(make_counts) -> None:
    headers = [
        "  NETTVERK ",
        "eier",
        "Kommunenummer",
        "barn i  barnehage",
        "Elever i grunnskolen",
        "ELEVER OG LÆRLINGER I VGS",
        "Merknad",
    ]  # extra column kept and ignored
    path = make_counts(
        rows=[
            ["Tellinger 2025"],
            [],
            headers,
            ["Trondheim/Malvik", "Trondheim kommune", "5001", 10480, 22650, 0, "x"],
            ["Trondheim/Malvik", "Malvik kommune", "5031", "760", "1 705", None, None],
            [None, None, None, None, None, None, None],
            ["Fosen", None, 301, 1021, 2262, 0, None],
            ["A\u030asen", None, None, 1, 0, 0, None],
            ["\u00c5sen", None, None, 2, 0, 0, None],
        ]
    )
    counts, findings = read(path)
    assert findings == []  # NFD and NFC spellings of Åsen are the same name, no warning
    assert counts.networks == ("Fosen", "Trondheim/Malvik", "\u00c5sen")
    assert counts.totals["\u00c5sen"][COLS[0]] == 3
    assert counts.totals["Trondheim/Malvik"] == {COLS[0]: 11240, COLS[1]: 24355, COLS[2]: 0}
    assert counts.rows == 5


def test_every_bad_cell_reported_with_its_a1_reference(make_counts) -> None:
    path = make_counts(
        rows=[
            HEADERS,
            ["A", None, "0301", "12,5", 10, 0],
            ["B", None, "123", 5, "mange", -3],
            [None, None, None, 4, 0, 0],
            ["C", None, None, 1.5, True, 0],
        ]
    )
    counts, findings = read(path)
    assert counts is None
    got = {(f.code, f.cell) for f in findings}
    assert got == {
        ("counts.not_whole_number", "D2"),
        ("counts.not_whole_number", "E3"),
        ("counts.negative", "F3"),
        ("counts.municipality", "C3"),
        ("counts.no_network", "A4"),
        ("counts.not_whole_number", "D5"),
        ("counts.not_whole_number", "E5"),
    }
    for f in findings:
        assert f.file == "tall.xlsx" and f.sheet == "Tall" and f.fix


def test_network_spelt_two_ways_is_summed_with_a_warning(make_counts) -> None:
    path = make_counts(
        rows=[HEADERS, ["Fosen", None, None, 1, 1, 0], ["fosen ", None, None, 2, 2, 0], ["Fosen", None, None, 3, 3, 0]]
    )
    counts, findings = read(path)
    assert counts.networks == ("Fosen",)
    assert counts.totals["Fosen"][COLS[0]] == 6
    assert [f.code for f in findings] == ["counts.network_spelling"]


def test_missing_column_suggests_closest_header(make_counts) -> None:
    path = make_counts(rows=[["Nettverk", "Barn i barnhage", "Elever i grunnskolen", "Elever og lærlinger i vgs"]])
    counts, findings = read(path)
    assert counts is None
    (f,) = findings
    assert f.code == "counts.missing_column" and "Barn i barnhage" in f.fix


def test_wrong_sheet_name(make_counts) -> None:
    counts, findings = read(make_counts({"A": (1, 1, 1)}, sheet="Tal"))
    assert counts is None and findings[0].code == "counts.no_sheet" and "Tal" in findings[0].fix


def test_not_an_xlsx_and_old_xls(tmp_path) -> None:
    csv = tmp_path / "tall.xlsx"
    csv.write_text("Nettverk;Barn\nA;1\n", encoding="utf-8")
    assert read(csv)[1][0].code == "file.csv"
    ole = tmp_path / "gammel.xlsx"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert read(ole)[1][0].code == "file.xls"


def test_absurd_declared_range_alone_is_not_refused(tmp_path) -> None:
    """The used range is judged from the cells; a declared A1:XFD1048576 over two rows is read."""
    import zipfile

    from .conftest import write_xlsx

    good = write_xlsx(tmp_path / "ok.xlsx", {"Tall": [HEADERS, ["A", None, None, 1, 1, 1]]})
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:F2"/>', b'<dimension ref="A1:XFD1048576"/>')
            zout.writestr(item, data)
    counts, findings = read(bad)
    assert counts is not None and counts.networks == ("A",) and findings == []


def test_parse_count_table() -> None:
    assert parse_count(None) == (0, None)
    assert parse_count(12.0) == (12, None)
    assert parse_count("1 250") == (1250, None)
    assert parse_count("1\u00a0250") == (1250, None)
    assert parse_count("-4") == (-4, None)  # negative is caught by the schema, with its cell
    assert parse_count("12,5")[0] is None
    assert parse_count("NA")[0] is None
    assert parse_count(True)[0] is None
    assert parse_count(9.223372036854776e18)[0] is None  # found by the fuzz test: would overflow int64
