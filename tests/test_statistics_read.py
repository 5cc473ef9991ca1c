"""Official statistics read as published: SSB statbank CSV (long and wide), JSON-stat 2 and
Udir's exports, from files laid out as the sources write them; every bad case has its finding."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from allocation.model.findings import ERROR, WARNING
from allocation.read.statistics import detect_format, read_statistics

from .conftest import ROOT

FILES = ROOT / "tests" / "statistics_files"
SOR_TROMS = {"5503", "5510", "5512", "5514", "5516"}
KIDS_2023 = {"5503": 1188, "5510": 131, "5512": 152, "5514": 58, "5516": 38}
KIDS_2024 = {"5503": 1164, "5510": 127, "5512": 149, "5514": 61, "5516": None}


def _by_unit(table, period: str) -> dict[str, int | None]:
    return {r.unit: r.value for r in table.rows if r.period == period}


def _codes(findings) -> list[str]:
    return [f.code for f in findings]


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# --- each format from a realistic file ------------------------------------------------------------


def test_statbank_long_csv_latin1_with_title() -> None:
    """PxWebApi v2 csv with SeparatorSemicolon,UseCodesAndTexts,IncludeTitle: ISO-8859-1, a title
    line, all variables in the stub and one value column headed by the table's contents."""
    table, findings = read_statistics(FILES / "ssb-12562-lang.csv")
    assert table is not None and table.format == "statbank-csv"
    assert table.source == "SSB 12562"
    assert table.title.startswith("12562: Barn i barnehager")
    assert _by_unit(table, "2023") == KIDS_2023
    assert _by_unit(table, "2024") == KIDS_2024
    harstad = next(r for r in table.rows if r.unit == "5503")
    assert harstad.label == "5503 Harstad - Hárstták"  # Sami form read from Latin-1
    assert harstad.measure == "Barn i barnehager" and harstad.other == (("alder", "1-5 år"),)
    assert harstad.municipality == "5503" and harstad.where == "linje 4"
    assert table.periods() == ("2023", "2024") and table.measures() == ("Barn i barnehager",)
    # «..» is no number: None and a warning naming the cell, never 0
    assert _codes(findings) == ["statistics.no_number"]
    assert findings[0].severity == WARNING and findings[0].cell == "E13" and findings[0].value == ".."
    assert findings[0].file == "ssb-12562-lang.csv"


def test_statbank_wide_csv_utf8_bom() -> None:
    """The statbank's own download: UTF-8 with BOM, the heading variables (statistic and year)
    joined in the column headers."""
    table, findings = read_statistics(FILES / "ssb-12562-bred.csv")
    assert table is not None and table.source == "SSB 12562"  # the table's id from the file name
    assert _by_unit(table, "2023") == KIDS_2023 and _by_unit(table, "2024") == KIDS_2024
    assert {r.measure for r in table.rows} == {"Barn i barnehager"}
    assert table.periods() == ("2023", "2024")
    assert _codes(findings) == ["statistics.no_number"] and findings[0].cell == "D6"


def test_jsonstat2_as_pxwebapi_v2_gives_it() -> None:
    table, findings = read_statistics(FILES / "ssb-12562.json")
    assert table is not None and table.format == "json-stat2"
    assert table.source == "SSB 12562" and table.updated == "2025-03-14T07:00:00Z"
    assert table.count_date == "2024-12-15"  # refperiod 15.12 in the latest year read
    assert _by_unit(table, "2023") == KIDS_2023 and _by_unit(table, "2024") == KIDS_2024
    row = next(r for r in table.rows if r.unit == "5512" and r.period == "2024")
    assert (row.label, row.measure, row.measure_text) == ("Tjeldsund - Dielddanuorri", "BarnBhg", "Barn i barnehager")
    assert row.where == "value[5]" and row.other == (("Alder", "F01-05"),)
    assert _codes(findings) == ["statistics.no_number"] and findings[0].cell == "value[9]"


def test_jsonstat2_value_as_object_and_index_as_list(tmp_path: Path) -> None:
    doc = json.loads((FILES / "ssb-12562.json").read_text(encoding="utf-8"))
    doc["value"] = {str(i): v for i, v in enumerate(doc["value"]) if v is not None}
    region = doc["dimension"]["Region"]["category"]
    region["index"] = sorted(region["index"], key=region["index"].get)
    table, findings = read_statistics(_write(tmp_path, "uttrekk.json", json.dumps(doc)))
    assert table is not None and _by_unit(table, "2023") == KIDS_2023
    assert _by_unit(table, "2024") == KIDS_2024


def test_udir_export_long_one_value_column() -> None:
    table, findings = read_statistics(FILES / "udir-elevtall-grunnskole.csv")
    assert table is not None and table.format == "udir-csv" and table.source == "Udir Elevtall"
    assert {r.unit: r.value for r in table.rows} == {
        "974568098": 312,
        "974568101": 245,
        "974568128": 198,
        "974568136": 140,
        "874568144": None,  # «*»: hidden, not 0
    }
    row = table.rows[0]
    assert row.label == "Kanebogen skole" and row.period == "2024-2025"
    assert row.measure == "Elevtall / Antall elever" and row.municipality == "5503"
    assert ("Trinn", "Alle trinn") in row.other and ("Eierform", "Offentlig") in row.other
    assert _codes(findings) == ["statistics.no_number"] and findings[0].cell == "M6"


def test_breakdowns_and_select(tmp_path: Path) -> None:
    text = (
        "Organisasjonsnummer;Enhetsnavn;Statistikk;Periode;Kjønn;Verdi\n"
        "974568098;Kanebogen skole;Elevtall;2024-2025;Begge kjønn;312\n"
        "974568098;Kanebogen skole;Elevtall;2024-2025;Jenter;150\n"
        "974568098;Kanebogen skole;Elevtall;2023-2024;Begge kjønn;300\n"
    )
    table, _ = read_statistics(_write(tmp_path, "k.csv", text))
    assert table is not None and table.breakdowns() == {"Kjønn": ("Begge kjønn", "Jenter")}
    rows = table.select("Elevtall", "2024-2025", {"Kjønn": "Begge kjønn"})
    assert [r.value for r in rows] == [312]
    assert len(table.select("Elevtall", "2024-2025")) == 2
    json_table, _ = read_statistics(FILES / "ssb-12562.json")
    assert json_table is not None and len(json_table.select("Barn i barnehager", "2023")) == 5
    assert len(json_table.select("BarnBhg", "2023")) == 5


def test_udir_by_municipality_number(tmp_path: Path) -> None:
    text = (
        "Kommunenummer;Kommunenavn;Statistikk;Periode;Verdi\n"
        "5503;Harstad - Hárstták;Elevtall;2024-2025;2841\n"
        "5510;Kvæfjord;Elevtall;2024-2025;304\n"
    )
    table, findings = read_statistics(_write(tmp_path, "udir.csv", text))
    assert table is not None and table.format == "udir-csv" and not findings
    assert {r.unit: r.value for r in table.rows} == {"5503": 2841, "5510": 304}


def test_comma_separated_codes_and_texts_with_dashes(tmp_path: Path) -> None:
    """The API's default separator (comma) and its «code - text» labels."""
    text = (
        '"region","statistikkvariabel","år","11980: Elever i grunnskolen,"\n'
        '"5503 - Harstad - Hárstták","Elever","2024",2841\n'
        '"5516 - Gratangen - Rivtták","Elever","2024",101\n'
    )
    table, findings = read_statistics(_write(tmp_path, "elever.csv", text))
    assert table is not None and not findings and table.source == "SSB 11980"
    assert {r.unit: r.value for r in table.rows} == {"5503": 2841, "5516": 101}


MUNIS = [
    ("5503", "Harstad - Hárstták"),
    ("5510", "Kvæfjord"),
    ("5512", "Tjeldsund - Dielddanuorri"),
    ("5514", "Ibestad"),
    ("5516", "Gratangen - Rivtták"),
]


def _pxwebapi_csv(labels: str, sep: str) -> str:
    """A table as PxWebApi v2's CSV serializer writes it, with the table's own placement
    (Region and Alder in the stub, ContentsCode and Tid in the heading): each label as the code
    (the default), the text (UseTexts) or «code - text» (UseCodesAndTexts), heading values joined
    by a space, every label quoted, values not."""

    def lab(code: str, text: str) -> str:
        return {"codes": code, "texts": text, "both": f"{code} - {text}"}[labels]

    head = [lab("Region", "region"), lab("Alder", "alder")]
    head += [f"{lab('BarnBhg', 'Barn i barnehager')} {lab(y, y)}" for y in ("2023", "2024")]
    lines = [sep.join(f'"{h}"' for h in head)]
    for code, name in MUNIS:
        v24 = KIDS_2024[code]
        values = [str(KIDS_2023[code]), ".." if v24 is None else str(v24)]
        lines.append(sep.join([f'"{lab(code, name)}"', f'"{lab("F01-05", "1-5 år")}"', *values]))
    return "\r\n".join(lines) + "\r\n"


def test_pxwebapi_csv_with_codes_only_comma_separated(tmp_path: Path) -> None:
    """No outputFormatParams: codes, comma."""
    table, findings = read_statistics(_write(tmp_path, "12562.csv", _pxwebapi_csv("codes", ","), "latin-1"))
    assert table is not None and _codes(findings) == ["statistics.no_number"]
    assert _by_unit(table, "2023") == KIDS_2023 and _by_unit(table, "2024") == KIDS_2024
    assert {r.measure for r in table.rows} == {"BarnBhg"} and table.source == "SSB 12562"


def test_pxwebapi_csv_with_codes_and_texts(tmp_path: Path) -> None:
    """SeparatorSemicolon,UseCodesAndTexts: «Region - region», «5503 - Harstad - Hárstták» and
    «BarnBhg - Barn i barnehager 2024 - 2024»."""
    table, findings = read_statistics(_write(tmp_path, "b.csv", _pxwebapi_csv("both", ";"), "latin-1"))
    assert table is not None and _codes(findings) == ["statistics.no_number"]
    assert _by_unit(table, "2023") == KIDS_2023 and _by_unit(table, "2024") == KIDS_2024
    row = table.rows[0]
    assert (row.measure, row.measure_text, row.period) == ("BarnBhg", "Barn i barnehager", "2023")
    assert row.label == "5503 - Harstad - Hárstták" and row.other == (("Alder - alder", "F01-05 - 1-5 år"),)


def test_pxwebapi_csv_long_with_codes_and_texts(tmp_path: Path) -> None:
    text = (
        '"Region - region";"ContentsCode - statistikkvariabel";"Tid - år";"11980: Elever i grunnskolen,"\r\n'
        '"5503 - Harstad - Hárstták";"Elever - Elever";"2024 - 2024";2841\r\n'
        '"1853 - Evenes - Evenášši";"Elever - Elever";"2024 - 2024";154\r\n'
    )
    table, findings = read_statistics(_write(tmp_path, "11980.csv", text))
    assert table is not None and not findings and table.source == "SSB 11980"
    assert [(r.unit, r.measure, r.period, r.value) for r in table.rows] == [
        ("5503", "Elever", "2024", 2841),
        ("1853", "Elever", "2024", 154),
    ]


def test_school_years_as_periods(tmp_path: Path) -> None:
    text = '"region";"skoleår";"Elever"\n"5503 Harstad - Hárstták";"2024-2025";2841\n'
    table, findings = read_statistics(_write(tmp_path, "s.csv", text))
    assert table is not None and not findings and table.rows[0].period == "2024-2025"


def test_pxwebapi_csv_with_texts_only_names_every_row_without_a_number(tmp_path: Path) -> None:
    """UseTexts: the regions carry no numbers; each row is an error saying how to download."""
    table, findings = read_statistics(_write(tmp_path, "t.csv", _pxwebapi_csv("texts", ";")))
    assert table is not None and table.rows == ()
    no_code = [f for f in findings if f.code == "statistics.no_code"]
    assert [f.cell for f in no_code] == ["A2", "A3", "A4", "A5", "A6"]
    assert no_code[0].value == "Harstad - Hárstták" and "UseCodesAndTexts" in no_code[0].fix


def test_comma_separated_with_a_title_holding_commas(tmp_path: Path) -> None:
    text = (
        '"11980: Elever i grunnskolen, etter region, statistikkvariabel og år"\r\n'
        '"region","statistikkvariabel","år","11980: Elever i grunnskolen,"\r\n'
        '"5503 Harstad - Hárstták","Elever","2024",2841\r\n'
    )
    table, findings = read_statistics(_write(tmp_path, "e.csv", text, "cp1252"))
    assert table is not None and not findings and [r.value for r in table.rows] == [2841]
    assert table.title.startswith("11980: Elever i grunnskolen, etter")


@pytest.mark.parametrize("quote", ['"', ""])
def test_a_stub_with_numeric_codes_is_not_taken_for_values(tmp_path: Path, quote: str) -> None:
    """Codes only, wide: «Kjonn» has the codes 1 and 2. Quoted as SSB writes labels, or with no
    quotes at all (saved again by a spreadsheet): either way a label column, not counts."""
    q = quote
    text = (
        f"{q}Region{q};{q}Kjonn{q};{q}Elever 2023{q};{q}Elever 2024{q}\n"
        f"{q}5503{q};{q}1{q};1400;1390\n"
        f"{q}5503{q};{q}2{q};1450;1451\n"
    )
    table, findings = read_statistics(_write(tmp_path, "k.csv", text))
    assert table is not None and not findings
    assert [(r.other, r.period, r.value) for r in table.rows] == [
        ((("Kjonn", "1"),), "2023", 1400),
        ((("Kjonn", "1"),), "2024", 1390),
        ((("Kjonn", "2"),), "2023", 1450),
        ((("Kjonn", "2"),), "2024", 1451),
    ]


def test_detect_and_explicit_format(tmp_path: Path) -> None:
    assert detect_format('{"class": "dataset"}') == "json-stat2"
    assert detect_format("Organisasjonsnummer;Enhetsnavn;Periode;Verdi\n") == "udir-csv"
    assert detect_format('"region";"år";"12562: Barn"\n') == "statbank-csv"
    table, findings = read_statistics(FILES / "ssb-12562-lang.csv", format="statbank-csv", display="inndata/b.csv")
    assert table is not None and len(table.rows) == 10
    assert table.file == "inndata/b.csv" and findings[0].file == "inndata/b.csv"
    with pytest.raises(ValueError):
        read_statistics(FILES / "ssb-12562-lang.csv", format="px")


# --- bad cases: each with its finding, naming the file, the place and the value ---------------------

LONG_HEAD = '"region";"statistikkvariabel";"år";"12562: Barn i barnehager,"\n'
H = LONG_HEAD + '"5503 Harstad - Hárstták";"Barn";"2024";'


@pytest.mark.parametrize(
    "name,text,code,cell,value",
    [
        ("tekst.csv", LONG_HEAD + '"Harstad - Hárstták";"Barn";"2024";1164\n', "statistics.no_code", "A2", None),
        (
            "fylke.csv",
            LONG_HEAD + '"55 Troms - Romsa - Tromssa";"Barn";"2024";9000\n',
            "statistics.not_a_municipality",
            "A2",
            None,
        ),
        (
            "desimal.csv",
            H + "12.5\n",
            "statistics.bad_value",
            "D2",
            "12.5",
        ),
        ("tom.csv", H + "\n", "statistics.bad_value", "D2", ""),
        ("negativ.csv", H + "-3\n", "statistics.bad_value", "D2", "-3"),
        ("konf.csv", H + ":\n", "statistics.no_number", "D2", ":"),
        (
            "dobbel.csv",
            LONG_HEAD + '"5503 Harstad - Hárstták";"Barn";"2024";1\n"5503 Harstad - Hárstták";"Barn";"2024";2\n',
            "statistics.duplicate",
            "linje 3",
            None,
        ),
        ("kort.csv", LONG_HEAD + '"5503 Harstad - Hárstták";"2024";1\n', "statistics.bad_row", "A2", None),
        ("tomfil.csv", LONG_HEAD, "statistics.empty", "", None),
        ("ingenregion.csv", '"alder";"år";"12562: Barn"\n"1-5 år";"2024";5\n', "statistics.no_unit_column", "A1", None),
        ("ingenperiode.csv", '"region";"Barn i barnehager"\n"5503 Harstad";5\n', "statistics.no_period", "B1", None),
    ],
)
def test_statbank_bad_cases(tmp_path: Path, name: str, text: str, code: str, cell: str, value: str | None) -> None:
    table, findings = read_statistics(_write(tmp_path, name, text))
    hits = [f for f in findings if f.code == code]
    assert hits, (code, [f.text() for f in findings])
    assert hits[0].file == name and hits[0].cell == cell and hits[0].fix
    if value is not None:
        assert hits[0].value == value
    if code == "statistics.duplicate":
        assert table is not None and [r.value for r in table.rows] == [1]  # the first kept, and an error
        assert "linje 2" in hits[0].message and "linje 3" in hits[0].message


@pytest.mark.parametrize("raw,value", [("1188", 1188), ("1 188", 1188), ("1\u00a0188", 1188), ("1188.0", 1188)])
def test_counts_as_written(tmp_path: Path, raw: str, value: int) -> None:
    table, findings = read_statistics(_write(tmp_path, "c.csv", H + raw + "\n"))
    assert table is not None and not findings and table.rows[0].value == value


@pytest.mark.parametrize("raw", ["12 5", "1.188", "1,000", "1,5", "1e3", "0x10"])
def test_counts_that_are_not_whole_numbers(tmp_path: Path, raw: str) -> None:
    _, findings = read_statistics(_write(tmp_path, "c.csv", H + raw + "\n"))
    assert [(f.code, f.value) for f in findings] == [("statistics.bad_value", raw)]


def test_a_bad_value_never_becomes_zero(tmp_path: Path) -> None:
    text = LONG_HEAD + '"5503 Harstad";"Barn";"2024";abc\n"5510 Kvæfjord";"Barn";"2024";131\n'
    table, findings = read_statistics(_write(tmp_path, "x.csv", text))
    assert table is not None and {r.unit: r.value for r in table.rows} == {"5510": 131}
    assert [f.severity for f in findings] == [ERROR] and "abc" in findings[0].message


@pytest.mark.parametrize(
    "change,where",
    [
        (lambda d: d.update(size=[5, 1, 1, 3]), "dimension.Tid.category.index"),
        (lambda d: d.update(value=d["value"][:-1]), "value"),
        (lambda d: d.update(id="Region"), "id"),
        (lambda d: d["dimension"].pop("Tid"), "dimension.Tid"),
        (lambda d: d.update({"class": "collection"}), "class"),
    ],
)
def test_jsonstat_broken_structure(tmp_path: Path, change, where: str) -> None:
    doc = json.loads((FILES / "ssb-12562.json").read_text(encoding="utf-8"))
    change(doc)
    table, findings = read_statistics(_write(tmp_path, "b.json", json.dumps(doc)))
    assert table is None and _codes(findings) == ["statistics.bad_json"] and findings[0].cell == where


def test_jsonstat_not_json_and_bad_values(tmp_path: Path) -> None:
    _, findings = read_statistics(_write(tmp_path, "a.json", '{"class": "dataset", '))
    assert _codes(findings) == ["statistics.bad_json"] and findings[0].cell.startswith("linje 1")
    doc = json.loads((FILES / "ssb-12562.json").read_text(encoding="utf-8"))
    doc["value"][0] = 12.5
    doc["value"][2] = "mange"
    doc["dimension"]["Region"]["category"]["index"] = {"5503": 0, "5510": 1, "55": 2, "5514": 3, "0": 4}
    table, findings = read_statistics(_write(tmp_path, "c.json", json.dumps(doc)))
    assert table is not None
    assert [(f.code, f.cell) for f in findings if f.severity == ERROR] == [
        ("statistics.bad_value", "value[0]"),
        ("statistics.bad_value", "value[2]"),
    ]
    # a county and the whole country: one warning each, at their first value
    assert [f.cell for f in findings if f.code == "statistics.not_a_municipality"] == ["value[4]", "value[8]"]


def test_jsonstat_without_region(tmp_path: Path) -> None:
    doc = json.loads((FILES / "ssb-12562.json").read_text(encoding="utf-8"))
    doc["role"].pop("geo")
    doc["id"][0] = "Omraade"
    doc["dimension"]["Omraade"] = doc["dimension"].pop("Region")
    _, findings = read_statistics(_write(tmp_path, "d.json", json.dumps(doc)))
    assert _codes(findings) == ["statistics.no_unit_column"]


def test_udir_bad_cases(tmp_path: Path) -> None:
    # only the school's name: it cannot be tied to a network
    _, findings = read_statistics(
        _write(tmp_path, "navn.csv", "Enhetsnavn;Statistikk;Periode;Verdi\nA skole;Elevtall;2024-2025;5\n")
    )
    assert _codes(findings) == ["statistics.no_unit_column"] and findings[0].cell == "A1"
    _, findings = read_statistics(
        _write(tmp_path, "per.csv", "Organisasjonsnummer;Enhetsnavn;Statistikk;Verdi\n974568098;A;Elevtall;5\n")
    )
    assert _codes(findings) == ["statistics.udir_columns"]
    text = "Organisasjonsnummer;Enhetsnavn;Statistikk;Periode;Verdi\n97456809;A skole;Elevtall;2024-2025;3,5\n"
    _, findings = read_statistics(_write(tmp_path, "verdi.csv", text))
    assert [(f.code, f.cell, f.value) for f in findings] == [
        ("statistics.no_code", "A2", "97456809"),  # a digit lost: named, with the value as found
        ("statistics.bad_value", "E2", "3,5"),  # and the value too, in the same pass
    ]
    assert "9 sifre" in findings[0].fix


def test_unreadable_files(tmp_path: Path) -> None:
    _, findings = read_statistics(tmp_path / "finnes-ikke.csv")
    assert _codes(findings) == ["statistics.unreadable"] and findings[0].file == "finnes-ikke.csv"
    xlsx = tmp_path / "tabell.csv"
    xlsx.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    _, findings = read_statistics(xlsx)
    assert _codes(findings) == ["statistics.unreadable"] and "Excel" in findings[0].fix


def test_ssb_dash_means_exactly_zero(tmp_path) -> None:
    """SSB's «-» is «null»: the value is exactly 0 (unlike «..» or «:», which publish no number).
    It is read as 0, as a reader of the table sees it, with a note naming the cell."""
    path = tmp_path / "null.csv"
    path.write_text(H + "-\n", encoding="utf-8")
    table, findings = read_statistics(path)
    assert table is not None
    assert [r.value for r in table.rows] == [0]
    assert _codes(findings) == ["statistics.zero"]
    assert findings[0].severity == "note" and findings[0].cell == "D2" and findings[0].value == "-"
