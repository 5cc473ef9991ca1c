"""Membership (sheet «Medlemskap»), municipality numbers checked against classification 131,
and counts summed per network from statistics exports (issue 14, items 1, 3 and 5)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from allocation.audit.verify import verify
from allocation.model.findings import ConfigError, InputErrors
from allocation.model.municipalities import name_forms, same_name
from allocation.pipeline import prepare
from allocation.read.counts import read_counts
from allocation.read.membership import parse_date, parse_unit
from allocation.read.municipalities import BUNDLED_CHANGES, BUNDLED_CODES, read_code_list

from .conftest import write_xlsx
from .membership_examples import COLUMNS, NORDLAND, ROOT, TRONDELAG, membership_rows, write_exports

HEAD = ["Nettverk", "Enhet", "Navn", "Gyldig fra", "Gyldig til", "Merknad"]
SOR_TROMS = [
    ["Sør-Troms", "5503", "Harstad – Hárstták", "01.01.2024", None, None],
    ["Sør-Troms", "5510", "Kvæfjord", "01.01.2024", None, None],
    ["Sør-Troms", "5512", "Tjeldsund", "01.01.2024", None, None],
    ["Sør-Troms", "5514", "Ibestad", "01.01.2024", None, None],
    ["Sør-Troms", "5516", "Gratangen - Rivtták", "01.01.2024", None, None],
    ["Sør-Troms", "1853", "Evenes", "01.01.2024", None, "Evenes ligger i Nordland"],
]
TROMS_REST = [
    ["Midt-Troms", code, "", 2024, None, None] for code in ("5518", "5520", "5522", "5524", "5526", "5528", "5530")
]
TROMS_REST += [["Nord-Troms", code, "", 2024, None, None] for code in ("5501", "5532", "5534", "5536", "5538", "5540")]
TROMS_REST += [["Nord-Troms", code, "", 2024, None, None] for code in ("5542", "5544", "5546")]


def _tall(county: str) -> dict[str, dict[str, int]]:
    counts, _ = read_counts(ROOT / "input_templates" / county / "tall.xlsx", "tall.xlsx", list(COLUMNS))
    assert counts is not None
    return counts.totals


def _config(tmp_path: Path, base: str, files: dict[str, Path], period: str, *, counts: bool = False) -> Path:
    text = (ROOT / "config" / base).read_text(encoding="utf-8")
    for rel in (
        "../input_templates/nordland/parametre.xlsx",
        "../input_templates/trondelag/tall.xlsx",
        "../input_templates/nordland/tall.xlsx",
    ):
        text = text.replace(f'"{rel}"', json.dumps(str((ROOT / "config" / rel).resolve())))
    lines = 'membership = "medlemskap.xlsx"\n'
    if not counts:
        text = "\n".join(line for line in text.splitlines() if not line.startswith("counts =")) + "\n"
    text = text.replace("[inputs]\n", "[inputs]\n" + lines, 1)
    for col, f in files.items():
        text += f'\n[[statistics]]\nfile = "{f.name}"\ncolumn = "{col}"\nperiod = "{period}"\n'
    path = tmp_path / "modell.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("county", "networks", "config", "period"),
    [("trondelag", TRONDELAG, "trondelag.toml", "2024"), ("nordland", NORDLAND, "nordland.toml", "2022")],
)
def test_counts_from_statbank_exports_equal_the_hand_made_tall_sheet(tmp_path, county, networks, config, period):
    tall = _tall(county)
    files = write_exports(tmp_path, networks, tall, period)
    write_xlsx(tmp_path / "medlemskap.xlsx", {"Medlemskap": membership_rows(networks, "01.01.2020")})
    prepared = prepare(_config(tmp_path, config, files, period))
    assert prepared.counts.totals == tall
    assert not [f for f in prepared.findings if f.severity != "note"], prepared.findings
    # each network's sum is independent of the engine: add the exported lines by hand
    lines = {}
    for col, f in files.items():
        for line in f.read_text(encoding="utf-8").splitlines()[1:]:
            region, _, _, value = line.split(";")
            lines[(col, region.strip('"').split()[0])] = int(value)
    for net, units in networks.items():
        for col in COLUMNS:
            assert prepared.counts.totals[net][col] == sum(lines.get((col, u), 0) for u, _ in units)


def test_statistics_fill_one_column_of_the_tall_sheet(tmp_path):
    tall = _tall("trondelag")
    files = write_exports(tmp_path, TRONDELAG, tall, "2024")
    write_xlsx(tmp_path / "medlemskap.xlsx", {"Medlemskap": membership_rows(TRONDELAG)})
    barn = files["Barn i barnehage"]
    barn.write_text(
        barn.read_text(encoding="utf-8").replace(
            '"5001 Trondheim";"Barn i barnehage";"2024";10480', '"5001 Trondheim";"Barn i barnehage";"2024";10481'
        ),
        encoding="utf-8",
    )
    prepared = prepare(_config(tmp_path, "trondelag.toml", {"Barn i barnehage": barn}, "2024", counts=True))
    assert prepared.counts.totals["Trondheim/Malvik"]["Barn i barnehage"] == 11241
    assert prepared.counts.totals["Trondheim/Malvik"]["Elever i grunnskolen"] == 24355  # from Tall
    assert prepared.counts_sources[0]["column"] == "Barn i barnehage"


def test_bundled_statistics_example_gives_the_worked_example_and_verifies(tmp_path):
    from allocation.audit.publish import write_run
    from allocation.pipeline import run

    base_prepared, base = run(ROOT / "config" / "trondelag.toml")
    prepared, result = run(ROOT / "config" / "trondelag-statistikk.toml")
    assert {n: result.network_frame(n) for n in result.networks} == {n: base.network_frame(n) for n in base.networks}
    folder = write_run(prepared, result, tmp_path / "kjøring", tmp_path, ["run", "trondelag-statistikk.toml"])
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    roles = sorted(e["role"] for e in manifest["inputs"])
    assert roles == ["membership", "municipalities", "municipality_changes", "statistics", "statistics", "statistics"]
    assert [s["column"] for s in manifest["counts_sources"]] == list(COLUMNS)
    assert all(
        s["period"] == "2024" and len(s["sha256"]) == 64 and s["table"].startswith("SSB ")
        for s in manifest["counts_sources"]
    )
    assert (folder / "inputs" / "kommuner-klass-131.csv").read_bytes() == BUNDLED_CODES.read_bytes()
    assert verify(folder).identical
    kontroll = [f for f in manifest["findings"] if f["code"] == "statistics.source"]
    assert len(kontroll) == 3 and "periode 2024" in kontroll[0]["message"]


# --- the code list ---------------------------------------------------------------------------------------------


def test_code_list_knows_the_2020_and_2024_reforms():
    codes, findings = read_code_list(BUNDLED_CODES, BUNDLED_CHANGES)
    assert codes is not None and not findings
    day = dt.date(2025, 1, 1)
    assert codes.status("5503", day).kind == "valid"
    harstad = codes.status("5402", day)
    assert harstad.kind == "old" and [m.code for m in harstad.successors] == ["5503"]
    assert [m.code for m in codes.status("1903", day).successors] == ["5503"]  # 1903 -> 5402 -> 5503
    assert [m.code for m in codes.status("1913", day).successors] == ["5512"]  # Skånland -> Tjeldsund
    alesund = codes.status("1507", day)
    assert alesund.kind == "split" and [m.code for m in alesund.successors] == ["1508", "1580"]
    snillfjord = codes.status("5012", day)
    assert snillfjord.kind == "split" and [m.code for m in snillfjord.successors] == ["5055", "5056", "5059"]
    assert codes.status("5503", dt.date(2023, 1, 1)).kind == "not_yet"
    assert codes.status("9999", day).kind == "unknown"
    assert codes.status("1853", day).kind == "valid"  # Evenes stayed in Nordland


def test_names_compare_with_and_without_sami_forms():
    assert same_name("Harstad", "Harstad - Hárstták")
    assert same_name("Harstad – Hárstták", "Harstad - Hárstták")
    assert same_name("Hárstták", "Harstad – Hárstták")
    assert same_name("snåsa", "Snåase - Snåsa")
    assert not same_name("Kvæfjord", "Harstad - Hárstták")
    assert same_name("Harstad kommune", "Harstad - Hárstták")
    assert name_forms("Lyngen – Ivgu – Yykeä") == {"lyngen – ivgu – yykeä", "lyngen", "ivgu", "yykeä"}


def test_units_and_dates_are_read_as_people_type_them():
    assert parse_unit(301.0)[:2] == ("0301", "kommune")
    assert parse_unit("817 920 632")[:2] == ("817920632", "organisasjon")
    assert parse_unit("817920633")[2]  # wrong check digit
    assert parse_unit("55031")[2] and parse_unit("Harstad")[2]
    assert parse_date("2024", end=True) == (dt.date(2024, 12, 31), False)
    assert parse_date("01.08.2024", end=False) == (dt.date(2024, 8, 1), False)
    assert parse_date("snart", end=False) == (None, True)


# --- bad cases: each its finding with the cell -----------------------------------------------------------------


def _troms(tmp_path: Path, rows: list[list], year: int = 2024, extra: str = "", stats: str | None = None) -> Path:
    write_xlsx(tmp_path / "medlemskap.xlsx", {"Medlemskap": [HEAD, *rows]})
    counts = {net: (10, 20, 0) for net in dict.fromkeys(r[0] for r in rows if r[0])}
    from .conftest import counts_rows

    write_xlsx(tmp_path / "tall.xlsx", {"Tall": counts_rows(counts)})
    if stats is not None:
        (tmp_path / "barn.csv").write_text(stats, encoding="utf-8")
        extra += '\n[[statistics]]\nfile = "barn.csv"\ncolumn = "Barn i barnehage"\nperiod = "2023"\n'
    text = f"""[run]
year = {year}
frame = 1_000_000

[inputs]
counts = "tall.xlsx"
membership = "medlemskap.xlsx"

[[pot]]
name = "Alt"
rest = true
spread = "flat"
{extra}"""
    path = tmp_path / "modell.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _findings(config: Path) -> dict[str, list]:
    try:
        found = prepare(config).findings
    except InputErrors as exc:
        found = exc.findings
    out: dict[str, list] = {}
    for f in found:
        out.setdefault(f.code, []).append(f)
    return out


def test_sor_troms_after_the_2024_reform_is_clean(tmp_path):
    found = _findings(_troms(tmp_path, SOR_TROMS + TROMS_REST))
    assert not {c for c, fs in found.items() if any(f.severity != "note" for f in fs)}, found


def test_old_unknown_split_and_twice_each_name_their_cell(tmp_path):
    rows = [
        *SOR_TROMS[:5],
        ["Sør-Troms", "5402", "Harstad", 2024, None, None],  # A8: old number (2020–2023)
        ["Sør-Troms", "5599", "Ukjent", 2024, None, None],  # unknown
        ["Sør-Troms", "1507", "Ålesund", 2024, None, None],  # split in 2024
        ["Midt-Troms", "5510", "Kvæfjord", 2024, None, None],  # also in Sør-Troms
        ["Sør-Troms", "5518", "Lavangen", "01.01.2020", "31.12.2023", "gikk ut"],  # not active in 2024: no finding
        ["Midt-Troms", "5518", "Salangen", 2024, None, None],  # name does not match the number
    ]
    found = _findings(_troms(tmp_path, rows))
    old = found["membership.old_municipality"][0]
    assert (old.sheet, old.cell, old.value, old.expected) == ("Medlemskap", "B7", "5402", "5503")
    assert "5503 Harstad - Hárstták" in old.message
    unknown = found["membership.unknown_municipality"][0]
    assert (unknown.cell, unknown.value) == ("B8", "5599")
    split = found["membership.split_municipality"][0]
    assert split.cell == "B9" and "1508 Ålesund" in split.message and "1580 Haram" in split.message
    twice = found["membership.unit_twice"][0]
    assert twice.cell == "B10" and "rad 3" in twice.message and "rad 10" in twice.message
    assert "Sør-Troms" in twice.message and "Midt-Troms" in twice.message
    mismatch = found["membership.name_mismatch"][0]
    assert (mismatch.cell, mismatch.value, mismatch.severity) == ("C12", "Salangen", "warning")
    gaps = {f.value for f in found["membership.gap"]}
    assert "5501" in gaps and "5503" not in gaps and "1853" not in gaps
    assert found["membership.county"][0].value == "55"


def test_a_number_valid_only_later_is_unknown_in_the_run_year(tmp_path):
    rows = [[*r[:3], 2023, None, None] for r in SOR_TROMS]
    found = _findings(_troms(tmp_path, rows, year=2023))
    cells = {f.cell for f in found["membership.unknown_municipality"]}
    assert cells == {"B2", "B3", "B4", "B5", "B6"}  # 55xx from 2024; Evenes 1853 valid
    assert "01.01.2024" in found["membership.unknown_municipality"][0].message


def test_bad_cells_in_the_membership_sheet(tmp_path):
    rows = [
        ["Sør-Troms", "55O3", "Harstad", 2024, None, None],
        [None, "5510", "Kvæfjord", 2024, None, None],
        ["Sør-Troms", "5512", "Tjeldsund", "i fjor", None, None],
        ["Sør-Troms", "5514", "Ibestad", "01.01.2025", "01.01.2024", None],
        ["Eiere", "817920633", "Privat eier", 2024, None, None],
    ]
    found = _findings(_troms(tmp_path, rows))
    assert [f.cell for f in found["membership.bad_unit"]] == ["B2", "B6"]
    assert found["membership.no_network"][0].cell == "A3"
    assert [f.cell for f in found["membership.bad_date"]] == ["D4", "E5"]


def test_membership_sheet_missing_headerless_or_empty(tmp_path):
    config = _troms(tmp_path, SOR_TROMS)
    write_xlsx(tmp_path / "medlemskap.xlsx", {"Medlemskaper": [HEAD]})
    assert "membership.no_sheet" in _findings(config)
    write_xlsx(tmp_path / "medlemskap.xlsx", {"Medlemskap": [["Kommune", "Navn"]]})
    assert "membership.no_header" in _findings(config)
    write_xlsx(tmp_path / "medlemskap.xlsx", {"Medlemskap": [HEAD]})
    assert "membership.no_rows" in _findings(config)


def test_counts_from_a_jsonstat_export_with_the_statistic_named_by_its_text(tmp_path):
    """PxWebApi v2's JSON-stat gives the statistic's code (BarnBhg) and its text; the
    configuration may name either."""
    import json

    rows = SOR_TROMS + TROMS_REST
    codes = [r[1] for r in rows]
    doc = {
        "version": "2.0",
        "class": "dataset",
        "label": "12562: Barn i barnehager",
        "id": ["Region", "ContentsCode", "Tid"],
        "size": [len(codes), 1, 1],
        "role": {"geo": ["Region"], "time": ["Tid"], "metric": ["ContentsCode"]},
        "dimension": {
            "Region": {"category": {"index": codes}},
            "ContentsCode": {"category": {"index": ["BarnBhg"], "label": {"BarnBhg": "Barn i barnehage"}}},
            "Tid": {"category": {"index": ["2023"]}},
        },
        "value": [100 + i for i in range(len(codes))],
    }
    config = _troms(tmp_path, rows, stats=json.dumps(doc))
    config.write_text(config.read_text(encoding="utf-8") + 'measure = "Barn i barnehage"\n', encoding="utf-8")
    prepared = prepare(config)
    assert prepared.counts.totals["Sør-Troms"]["Barn i barnehage"] == sum(100 + i for i in range(len(SOR_TROMS)))


def test_a_network_of_owners(tmp_path):
    rows = [*SOR_TROMS, *TROMS_REST, ["Private barnehager", "817 920 632", "Eier AS", 2024, None, None]]
    stats = '"region";"år";"Barn i barnehage"\n' + "".join(
        f'"{r[1].replace(" ", "")} x";"2023";{10 + i}\n' for i, r in enumerate(rows)
    )
    prepared = prepare(_troms(tmp_path, rows, stats=stats))
    assert prepared.counts.totals["Private barnehager"]["Barn i barnehage"] == 10 + len(rows) - 1
    assert prepared.counts.totals["Sør-Troms"]["Barn i barnehage"] == sum(range(10, 16))


def test_statistics_bad_cases(tmp_path):
    rows = SOR_TROMS + TROMS_REST
    good = "".join(f'"{r[1]} {r[2]}";"2023";{i + 1}\n' for i, r in enumerate(rows))
    head = '"region";"år";"Barn i barnehage"\n'
    # a table of the wrong year
    found = _findings(_troms(tmp_path, rows, stats=head + good.replace('"2023"', '"2022"')))
    wrong = found["statistics.wrong_period"][0]
    assert wrong.file == "barn.csv" and wrong.value == "2022" and wrong.expected == "2023"
    # a member missing from the table, a value not published, a row twice
    text = head + good.replace('"5510 Kvæfjord";"2023";2\n', "").replace(";3\n", ";..\n")
    found = _findings(_troms(tmp_path, rows, stats=text))
    assert found["statistics.unit_missing"][0].cell == "B3"
    assert found["statistics.no_value"][0].cell == "linje 3"
    found = _findings(_troms(tmp_path, rows, stats=head + good + '"5501 Tromsø";"2023";7\n'))
    assert found["statistics.duplicate"][0].cell == f"linje {len(rows) + 2}"  # the reader sees it first
    # a unit twice for the measure and period chosen: the table has a breakdown (kjønn)
    by_sex = '"region";"kjønn";"år";"Barn i barnehage"\n' + "".join(
        f'"{r[1]} {r[2]}";"{sex}";"2023";{i + 1}\n' for i, r in enumerate(rows) for sex in ("Jenter", "Gutter")
    )
    found = _findings(_troms(tmp_path, rows, stats=by_sex))
    assert found["statistics.unit_twice"][0].cell == "linje 3"
    # a table still on the old numbers (before the 2024 reform)
    old = good.replace('"5503 Harstad – Hárstták"', '"5402 Harstad - Hárstták"')
    found = _findings(_troms(tmp_path, rows, stats=head + old))
    assert found["statistics.old_code"][0].cell == "linje 2" and found["statistics.old_code"][0].expected.startswith(
        "5503"
    )
    # a table with two measures and none chosen; a measure that is not there
    two = '"region";"statistikkvariabel";"år";"x"\n' + good.replace(';"2023"', ';"Barn";"2023"')
    two += good.replace(';"2023"', ';"Ansatte";"2023"')
    assert "statistics.measure_ambiguous" in _findings(_troms(tmp_path, rows, stats=two))
    config = _troms(tmp_path, rows, stats=two)
    config.write_text(config.read_text(encoding="utf-8") + 'measure = "Plasser"\n', encoding="utf-8")
    assert "statistics.measure_missing" in _findings(config)
    # not a table at all
    found = _findings(_troms(tmp_path, rows, stats='"a";"b"\n"1";"2"\n'))
    assert {"statistics.unreadable", "statistics.no_unit_column"} & set(found)  # the readers say which part


def test_statistics_against_a_tall_sheet_with_other_networks(tmp_path):
    rows = SOR_TROMS + TROMS_REST
    stats = '"region";"år";"Barn i barnehage"\n' + "".join(f'"{r[1]}";"2023";1\n' for r in rows)
    config = _troms(tmp_path, rows, stats=stats)
    from .conftest import counts_rows

    write_xlsx(tmp_path / "tall.xlsx", {"Tall": counts_rows({"Sør-Troms": (1, 2, 0), "Fylket": (0, 0, 30)})})
    found = _findings(config)
    assert {f.value for f in found["statistics.network_not_in_counts"]} == {"Midt-Troms", "Nord-Troms"}
    assert found["statistics.network_kept"][0].value == "Fylket"


def test_configuration_errors(tmp_path):
    config = _troms(tmp_path, SOR_TROMS, stats='"region";"år";"x"\n"5503";"2023";1\n')
    text = config.read_text(encoding="utf-8")
    cases = {
        "statistics.no_membership": text.replace('membership = "medlemskap.xlsx"\n', ""),
        "statistics.bad_format": text + 'format = "excel"\n',
        "statistics.column_twice": text
        + '\n[[statistics]]\nfile = "barn.csv"\ncolumn = "Barn i barnehage"\nperiod = "2023"\n',
        "membership.no_year": text.replace("year = 2024\n", ""),
        "statistics.column_missing": text.replace('counts = "tall.xlsx"\n', "").replace(
            'spread = "flat"', 'spread = "key"\nkey = { "Elever i grunnskolen" = 1 }'
        ),
    }
    for code, body in cases.items():
        config.write_text(body, encoding="utf-8")
        with pytest.raises(ConfigError) as exc:
            prepare(config)
        assert code in {f.code for f in exc.value.findings}, (code, exc.value.findings)


def test_a_bad_code_list_is_reported(tmp_path):
    config = _troms(tmp_path, SOR_TROMS, extra="")
    (tmp_path / "koder.csv").write_text('"kode";"navn"\n"5503";"Harstad"\n', encoding="utf-8")
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            'membership = "medlemskap.xlsx"', 'membership = "medlemskap.xlsx"\nmunicipalities = "koder.csv"'
        ),
        encoding="utf-8",
    )
    assert "membership.codelist_unreadable" in _findings(config)
    shutil.copy(BUNDLED_CODES, tmp_path / "koder.csv")
    found = _findings(config)  # without the changes: an old number is only unknown
    assert "membership.codelist_unreadable" not in found


def test_the_membership_template_reads_back(tmp_path):
    from allocation.read.membership import read_membership
    from allocation.write.templates import write_templates

    written, _ = write_templates(tmp_path)
    template = tmp_path / "mal-medlemskap.xlsx"
    assert template in written
    membership, found = read_membership(template, template.name)
    assert membership is None and [f.code for f in found] == ["membership.no_rows"]  # headers found, no rows yet
    import openpyxl

    ws = openpyxl.load_workbook(template)["Medlemskap"]
    ws.append(["Sør-Troms", "5503", "Harstad – Hárstták", 2024, None, None])
    ws.parent.save(template)
    membership, found = read_membership(template, template.name)
    assert membership is not None and membership.members[0].unit == "5503"


def test_the_bundled_code_list_covers_the_whole_country_from_2020():
    codes, _ = read_code_list(BUNDLED_CODES, BUNDLED_CHANGES)
    assert codes is not None
    assert len(codes.valid_codes(dt.date(2020, 1, 1))) == 356
    assert len(codes.valid_codes(dt.date(2024, 1, 1))) == 357
    renumbered = {c.old_code for c in codes.changes if c.occurred == dt.date(2024, 1, 1)}
    assert len(renumbered) == 114  # 113 new numbers in the split counties, and Ålesund split
    day = dt.date(2025, 1, 1)
    assert [m.code for m in codes.status("3034", day).successors] == ["3228"]  # Nes (Akershus)
    assert [m.code for m in codes.status("3040", day).successors] == ["3322"]  # Nes (Buskerud) is Nesbyen
    assert [m.code for m in codes.status("5437", day).successors] == ["5610"]  # Karasjok, Finnmark
    assert codes.status("4601", day).kind == "valid" and codes.status("0301", dt.date(2019, 6, 1)).kind == "valid"
    assert same_name("Herøy", codes.valid_codes(day)["1818"].name)  # «Herøy (Nordland)»


def test_units_written_with_their_names_and_the_header_kommunenummer(tmp_path):
    rows = [
        ["Nettverk", "Kommunenummer", "Navn"],
        ["Sør-Troms", "5503 Harstad - Hárstták", None],
        ["Sør-Troms", 1853.0, "Evenes"],
    ]
    write_xlsx(tmp_path / "m.xlsx", {"Medlemskap": rows})
    from allocation.read.membership import read_membership

    membership, found = read_membership(tmp_path / "m.xlsx", "m.xlsx")
    assert membership is not None, found
    assert [m.unit for m in membership.members] == ["5503", "1853"]
    assert membership.members[0].active_in(2019) and membership.members[0].active_in(2030)


def test_membership_in_the_counts_workbook_runs_and_verifies(tmp_path):
    from allocation.audit.publish import write_run
    from allocation.pipeline import run

    from .conftest import counts_rows

    rows = SOR_TROMS + TROMS_REST
    write_xlsx(
        tmp_path / "tall.xlsx",
        {
            "Tall": counts_rows({"Sør-Troms": (5, 6, 0), "Midt-Troms": (7, 8, 0), "Nord-Troms": (9, 10, 0)}),
            "Medlemskap": [HEAD, *rows],
        },
    )
    stats = '"region";"statistikkvariabel";"år";"x"\n' + "".join(
        f'"{r[1]} {r[2]}";"Barn";"2023";{i}\n' for i, r in enumerate(rows)
    )
    (tmp_path / "barn.csv").write_text(stats, encoding="utf-8")
    config = tmp_path / "modell.toml"
    config.write_text(
        '[run]\nyear = 2024\nframe = 1_000_000\n\n[inputs]\ncounts = "tall.xlsx"\nmembership = "tall.xlsx"\n\n'
        '[keys.barn]\ncolumns = { "Barn i barnehage" = 1 }\n\n'
        '[[statistics]]\nfile = "barn.csv"\ncolumn = "Barn i barnehage"\nperiod = "2023"\nmeasure = "barn"\n\n'
        '[[pot]]\nname = "Alt"\nrest = true\nspread = "key"\nkey = "barn"\n',
        encoding="utf-8",
    )
    prepared, result = run(config)
    assert prepared.counts.totals["Sør-Troms"]["Barn i barnehage"] == sum(range(6))
    assert prepared.counts.totals["Sør-Troms"]["Elever i grunnskolen"] == 6
    assert sum(result.network_frame(n) for n in result.networks) == 1_000_000
    folder = write_run(prepared, result, tmp_path / "kjøring", tmp_path, ["run", "modell.toml"])
    assert verify(folder).identical


def test_municipality_numbers_in_the_tall_sheet_are_checked_too(tmp_path):
    config = _troms(tmp_path, SOR_TROMS + TROMS_REST)
    from .conftest import HEADERS

    write_xlsx(
        tmp_path / "tall.xlsx",
        {
            "Tall": [
                HEADERS,
                ["Sør-Troms", "Harstad kommune", "5402", 1, 2, 0],
                ["Sør-Troms", "Eier", "1507", 1, 2, 0],
                ["Midt-Troms", None, "5518", 1, 2, 0],
                ["Nord-Troms", None, None, 1, 2, 0],
            ]
        },
    )
    found = _findings(config)
    old = found["membership.old_municipality"][0]
    assert (old.file, old.sheet, old.cell, old.expected) == ("tall.xlsx", "Tall", "C2", "5503")
    assert found["membership.split_municipality"][0].cell == "C3"
    assert "membership.name_mismatch" not in found
