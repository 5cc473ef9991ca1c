"""The catalogue of findings against the source and the user guide.

Three checks keep allocation/model/catalogue.py the one list of reason codes:

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

from .conftest import ROOT

SOURCE = ROOT / "allocation"
GUIDE = ROOT / "docs" / "brukerveiledning.md"
CODE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
AREAS = {e.area for e in CATALOGUE}


def _is_toml_key(text: str) -> bool:
    """``applications.fund`` and the like: a key of the configuration, named in a finding's cell."""
    area, _, name = text.partition(".")
    return area == "applications" and name in APP_KEYS


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
    trees = {p: ast.parse(p.read_text(encoding="utf-8")) for p in sorted(SOURCE.rglob("*.py"))}
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
    assert not missing, "reason codes missing from allocation/model/catalogue.py:\n" + "\n".join(missing)


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
