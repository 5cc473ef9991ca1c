"""The catalogue of findings against the source and the user guide.

Three checks keep allocation/model/catalogue/ the one list of reason codes:

- here, statically: every code literal in allocation/ (and every code an f-string builds) is
  in the catalogue, and every catalogue code occurs in the source;
- in tests/conftest.py, while the whole suite runs: every code raised is listed (with its
  severity), and every listed code is raised by some test;
- here: the user guide's table of findings is the one the catalogue makes. To rewrite it:
  ``UPDATE_GUIDE=1 uv run pytest tests/test_catalogue.py``.
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from allocation.model.catalogue import BY_CODE, CATALOGUE, GUIDE_END, GUIDE_START, entry, with_guide_table
from allocation.model.config import APP_KEYS
from allocation.model.findings import SEVERITY_NO
from allocation.model.letter_settings import LETTER_KEYS

from .conftest import ROOT

SOURCE = ROOT / "allocation"
GUIDE = ROOT / "docs" / "brukerveiledning.md"
CODE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
AREAS = {e.area for e in CATALOGUE}


def _is_toml_key(text: str) -> bool:
    """``applications.fund`` and the like: a key of the configuration, named in a finding's cell."""
    area, _, name = text.partition(".")
    return (area == "applications" and name in APP_KEYS) or (area == "letters" and name in LETTER_KEYS)


def _code_params(trees: dict[Path, ast.Module]) -> dict[str, set[int]]:
    """Functions of allocation/ that take a reason code: name -> positions of the code argument
    (as called; ``self`` not counted). ``Finding`` itself takes it first."""
    out: dict[str, set[int]] = {"Finding": {0}}
    for tree in trees.values():
        owners = {id(f): c.name for c in ast.walk(tree) if isinstance(c, ast.ClassDef) for f in c.body}
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names = [a.arg for a in node.args.posonlyargs + node.args.args]
                if names and names[0] in ("self", "cls"):
                    names = names[1:]
                key = owners.get(id(node), node.name) if node.name == "__init__" else node.name
                for i, name in enumerate(names):
                    if name == "code" or name.endswith("_code"):
                        out.setdefault(key, set()).add(i)
    return out


def _source_codes() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Codes in the source (code -> places) and code prefixes f-strings build (prefix -> places)."""
    # the catalogue itself lists every code: it is not where a code is raised
    files = [p for p in sorted(SOURCE.rglob("*.py")) if "catalogue" not in p.relative_to(SOURCE).parts]
    trees = {p: ast.parse(p.read_text(encoding="utf-8")) for p in files}
    params = _code_params(trees)
    codes: dict[str, list[str]] = {}
    prefixes: dict[str, list[str]] = {}
    for path, tree in trees.items():
        where = path.relative_to(ROOT).as_posix()
        in_fstring = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
        for node in ast.walk(tree):
            # 1. any literal that looks like a code of a known area
            literal = isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in in_fstring
            if literal and CODE.match(node.value):
                if node.value.split(".")[0] in AREAS and not _is_toml_key(node.value):
                    codes.setdefault(node.value, []).append(f"{where}:{node.lineno}")
            # 2. any literal passed where a function takes a code, whatever its area
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                positions = params.get(name, set())
                args = [node.args[i] for i in positions if i < len(node.args)]
                args += [k.value for k in node.keywords if k.arg == "code" or (k.arg or "").endswith("_code")]
                for arg in args:
                    for leaf in (arg.body, arg.orelse) if isinstance(arg, ast.IfExp) else (arg,):
                        if isinstance(leaf, ast.Constant) and isinstance(leaf.value, str):
                            codes.setdefault(leaf.value, []).append(f"{where}:{node.lineno}")
            # 3. f-strings that build a code: f"applications.unreadable_{kind}"
            if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                head = str(node.values[0].value)
                if re.fullmatch(r"[a-z][a-z0-9_]*\.[a-z0-9_]*", head) and head.split(".")[0] in AREAS:
                    prefixes.setdefault(head, []).append(f"{where}:{node.lineno}")
    return codes, prefixes


def test_every_code_in_the_source_is_in_the_catalogue() -> None:
    codes, prefixes = _source_codes()
    missing = [
        f"{code} (raised at {', '.join(places)})" for code, places in sorted(codes.items()) if code not in BY_CODE
    ]
    missing += [
        f"codes built as {prefix}… (at {', '.join(places)}): no catalogue code starts so"
        for prefix, places in sorted(prefixes.items())
        if not any(c.startswith(prefix) for c in BY_CODE)
    ]
    assert not missing, "reason codes missing from allocation/model/catalogue/:\n" + "\n".join(missing)


def test_every_catalogue_code_occurs_in_the_source() -> None:
    codes, prefixes = _source_codes()
    stale = [c for c in BY_CODE if c not in codes and not any(c.startswith(p) for p in prefixes)]
    assert not stale, f"catalogue codes the program never raises: {stale}"


def test_the_scan_finds_codes_however_they_are_passed() -> None:
    """A sample of the ways codes reach a Finding: directly, through wrappers (p.add, bad,
    XmlProblem, report.differ, _skipped), in a table of formats, an f-string, a conditional."""
    codes, prefixes = _source_codes()
    for code in (
        "counts.no_sheet",
        "config.unknown_key",
        "file.empty",
        "file.dtd",
        "verify.file_missing",
        "applications.lock_file",
        "file.xml2003",
        "applications.excel_error",
    ):
        assert code in codes, code
    assert "applications.unreadable_" in prefixes
    assert "applications.fund" not in codes  # a configuration key, not a code


def test_entries_are_complete_and_norwegian() -> None:
    assert len(CATALOGUE) == len(BY_CODE) >= 150
    for e in CATALOGUE:
        assert CODE.match(e.code), e.code
        assert e.severities and set(e.severities) <= set(SEVERITY_NO), e.code
        assert e.title and e.message, e.code
        assert e.title[0].isupper() and not e.title.endswith("."), e.code
        assert len(e.title) <= 60, e.code
        assert re.search(r"[a-zæøå]", e.message), e.code
        if "error" in e.severities:
            assert e.fix, f"{e.code}: an error must say how to fix it"
    assert entry("counts.excel_error").title == "Feilverdi fra Excel i en celle"


def test_entry_names_an_unknown_code() -> None:
    with pytest.raises(KeyError, match="counts.no_such_thing"):
        entry("counts.no_such_thing")
    with pytest.raises(FrozenInstanceError):
        entry("file.empty").title = "x"  # type: ignore[misc]


def test_the_guide_table_is_generated_from_the_catalogue() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    assert GUIDE_START in text and GUIDE_END in text, "docs/brukerveiledning.md has no table of findings"
    expected = with_guide_table(text)
    if expected != text and os.environ.get("UPDATE_GUIDE"):
        GUIDE.write_text(expected, encoding="utf-8")
        text = expected
    assert text == expected, (
        "docs/brukerveiledning.md's table of findings is out of date; "
        "run UPDATE_GUIDE=1 uv run pytest tests/test_catalogue.py"
    )
    section = text.split(GUIDE_START, 1)[1].split(GUIDE_END, 1)[0]
    for e in CATALOGUE:
        assert f"`{e.code}`" in section, e.code


def test_a_stale_guide_is_caught() -> None:
    text = f"før\n{GUIDE_START}\n| gammel tabell |\n{GUIDE_END}\netter\n"
    fresh = with_guide_table(text)
    assert fresh != text and fresh.startswith("før\n") and fresh.endswith("\netter\n")
    assert with_guide_table(fresh) == fresh
    with pytest.raises(ValueError):
        with_guide_table("ingen markører")


# --- codes no other test raised: the smallest input that raises each ----------------------------

HEAD_TOML = """
[run]
frame = 1_000_000
[inputs]
counts = "tall.xlsx"
"""
KEY_POT = '[[pot]]\nname = "A"\nrest = true\nspread = "key"\nkey = { "Barn i barnehage" = 1 }\n'


def _config_codes(tmp_path: Path, body: str, scenario: str | None = None) -> set[str]:
    from allocation.model.findings import ConfigError
    from allocation.read.configuration import load_config

    (tmp_path / "tall.xlsx").write_bytes(b"")
    path = tmp_path / "m.toml"
    path.write_text(HEAD_TOML + body, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_config(path, scenario=scenario)
    return {f.code for f in exc.value.findings}


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("[keys.k]\ncolumns = {}\n" + KEY_POT, "config.empty_key"),
        ('[keys.k]\ncolumns = { "Barn i barnehage" = 0 }\n' + KEY_POT, "config.zero_key"),
        ('[applications]\nfiles = ["tall.xlsx"]\npolicy = "alt"\n' + KEY_POT, "config.policy"),
        ('[applications]\nfiles = ["tall.xlsx"]\nfund = "alt"\n' + KEY_POT, "config.fund"),
        ('[[pot]]\nname = "A"\nper_network = 10\nspread = "key"\n', "config.flat_leaf"),
        ('[[pot]]\nname = "A"\nrest = true\nrecipient = "X"\nspread = "flat"\n', "config.leaf_conflict"),
        ('[[pot]]\nname = "A"\nrest = true\nrecipient = "X"\nkey = "k"\n', "config.key_without_spread"),
        (
            '[[pot]]\nname = "A"\nrest = true\nrecipient = "X"\n'
            '[[pot]]\nname = "B"\nratio = { "Barn i barnehage" = 1 }\nrecipient = "Y"\n',
            "config.rest_and_ratio",
        ),
    ],
)
def test_configuration_codes(tmp_path, body, code) -> None:
    assert code in _config_codes(tmp_path, body)


def test_unknown_scenario(tmp_path) -> None:
    body = KEY_POT + '[[scenario]]\nname = "Høy"\n'
    assert _config_codes(tmp_path, body, scenario="Lav") == {"config.unknown_scenario"}


def test_configuration_not_utf8(tmp_path) -> None:
    from allocation.model.findings import ConfigError
    from allocation.read.configuration import load_config

    path = tmp_path / "m.toml"
    path.write_bytes(HEAD_TOML.encode("utf-16"))
    with pytest.raises(ConfigError) as exc:
        load_config(path)
    assert [f.code for f in exc.value.findings] == ["config.unreadable"]


def test_file_too_large_and_unreadable(tmp_path, monkeypatch) -> None:
    from allocation.read import preflight as pf
    from allocation.read.workbooks import preflight

    monkeypatch.setattr(pf, "MAX_FILE_BYTES", 100)
    found, _ = pf.preflight_bytes(b"x" * 101, "tall.xlsx")
    assert [f.code for f in found] == ["file.too_large"]
    found, _ = preflight(tmp_path / "finnes-ikke.xlsx", "finnes-ikke.xlsx")
    assert [f.code for f in found] == ["file.unreadable"]


def test_zip_bomb() -> None:
    import io
    import zipfile

    from allocation.read.preflight import preflight_bytes

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", b"<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * 20_000_000)  # 20 MB that packs to about 20 kB
    found, _ = preflight_bytes(buffer.getvalue(), "tall.xlsx")
    assert [f.code for f in found] == ["file.zip_bomb"]


def _read_counts(path: Path) -> set[str]:
    from allocation.read.counts import read_counts

    _, found = read_counts(path, path.name, ["Barn i barnehage"])
    return {f.code for f in found}


def test_counts_without_rows_and_hidden_columns(tmp_path) -> None:
    import xlsxwriter

    from .conftest import HEADERS, write_xlsx

    assert _read_counts(write_xlsx(tmp_path / "tom.xlsx", {"Tall": [HEADERS]})) == {"counts.no_rows"}
    path = tmp_path / "skjult.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Tall")
    for c, head in enumerate(HEADERS):
        ws.write_string(0, c, head)
    ws.write_string(1, 0, "Alfa")
    ws.write_number(1, 3, 10)
    ws.set_column(1, 1, None, None, {"hidden": True})
    wb.close()
    assert "sheet.hidden_columns" in _read_counts(path)


def _parameter_codes(tmp_path: Path, sheets: dict[str, list[list[object]]]) -> set[str]:
    from allocation.read.parameters import read_parameters

    from .conftest import write_xlsx

    path = write_xlsx(tmp_path / "parametre.xlsx", sheets)
    _, found = read_parameters(path, path.name)
    return {f.code for f in found}


def test_parameter_codes(tmp_path) -> None:
    assert _parameter_codes(tmp_path, {"Ark1": [["x"]]}) == {"parameters.no_sheets"}
    assert _parameter_codes(tmp_path, {"Ramme": [["Beløp"], ["1 000"]]}) == {"parameters.no_header"}
    ramme = [["Post", "Beløp", "Vedtak"], ["Ramme", "1 000 000", ""], [None, "5 000", ""]]
    assert _parameter_codes(tmp_path, {"Ramme": ramme}) == {"parameters.no_post"}
    avsetninger = [["Navn", "Beløp", "Andel (%)", "Mottaker", "Vedtak"], [None, "5 000", None, "X", ""]]
    assert "parameters.no_name" in _parameter_codes(tmp_path, {"Ramme": ramme[:2], "Avsetninger": avsetninger})


def test_application_folder_codes(tmp_path, monkeypatch) -> None:
    import os

    from allocation.read.application_files import list_application_files

    folder = tmp_path / "søknader"
    folder.mkdir()
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "rør.xlsx")
        _, found = list_application_files([], folder)
        assert [f.code for f in found] == ["applications.not_a_file"]

    def refuse(self: Path):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "iterdir", refuse)
    _, found = list_application_files([], folder)
    assert [f.code for f in found] == ["applications.folder_unreadable"]


def _application_codes(path: Path) -> set[str]:
    from allocation.read.applications import read_application_file

    _, found = read_application_file(path, path.name)
    return {f.code for f in found}


def test_application_sheet_codes(tmp_path) -> None:
    from .conftest import write_xlsx

    assert _application_codes(write_xlsx(tmp_path / "a.xlsx", {"Ark1": [["x"]]})) == {"applications.no_sheet"}
    assert _application_codes(write_xlsx(tmp_path / "b.xlsx", {"Søknader": [["Tiltak"], ["x"]]})) == {
        "applications.no_header"
    }
    rows = [["Nettverk", "Eier beløp år 1", "UH beløp år 1"], ["Alfa", 100, 100]]
    assert _application_codes(write_xlsx(tmp_path / "c.xlsx", {"Søknader": rows})) == {"applications.missing_column"}
    form = [["Nettverk", "Alfa"], ["Eier beløp år 1", 100], ["UH beløp år 1", 100]]
    assert "applications.missing_field" in _application_codes(write_xlsx(tmp_path / "d.xlsx", {"Søknad": form}))


def test_previous_run_unreadable(tmp_path) -> None:
    from allocation.pipeline import read_previous

    path = tmp_path / "manifest.json"
    path.write_text("{ikke json", encoding="utf-8")
    _, _, found = read_previous(path)
    assert [f.code for f in found] == ["previous.unreadable"]


def test_verify_sheet_order_and_workbook_outside_cells(tmp_path) -> None:
    import datetime as dt

    import xlsxwriter

    from allocation.audit.verify_workbook import compare_workbooks

    def book(name: str, sheets: list[str], title: str) -> Path:
        path = tmp_path / name
        wb = xlsxwriter.Workbook(str(path))
        wb.set_properties({"title": title, "created": dt.datetime(2000, 1, 1)})
        for sheet in sheets:
            wb.add_worksheet(sheet).write_number(0, 0, 1)
        wb.close()
        return path

    fresh = book("ny.xlsx", ["A", "B"], "Fordeling")
    swapped = compare_workbooks(book("byttet.xlsx", ["B", "A"], "Fordeling"), fresh, "fordeling.xlsx")
    assert "verify.sheet_order" in {f.code for f in swapped}
    retitled = compare_workbooks(book("tittel.xlsx", ["A", "B"], "Endret"), fresh, "fordeling.xlsx")
    assert [f.code for f in retitled] == ["verify.workbook_differs"]


def test_pandera_check_names_do_not_reach_users(tmp_path) -> None:
    """pandera's checks are named in English for programmers (``greater_than_or_equal_to(0)``,
    ``str_matches('^\\d{4}$')``); the finding says in Norwegian what was expected."""
    from allocation.read.counts import read_counts

    from .conftest import HEADERS, write_xlsx

    rows = [HEADERS, ["Alfa", None, "301", -5, 1, 1]]
    path = write_xlsx(tmp_path / "tall.xlsx", {"Tall": rows})
    _, found = read_counts(path, path.name, ["Barn i barnehage"])
    by_code = {f.code: f for f in found}
    assert by_code["counts.negative"].expected == "et helt tall, 0 eller større"
    assert by_code["counts.municipality"].expected == "fire sifre, f.eks. 0301"
    for f in found:
        assert not re.search(r"[a-z]+_[a-z_]+\(|str_|greater|than", f.expected + f.message), f
