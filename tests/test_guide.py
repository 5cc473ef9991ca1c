"""The user guide is enough on its own: every configuration key the code accepts, every
allowed word, every command and every option appears in docs/brukerveiledning.md.

The lists are derived from the code, not written out here: the keys are the sets the
configuration reader checks with ``unknown_keys``, the commands and options come from the
argparse parser. A key or option added later without guide text fails this test.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import json
import re
from pathlib import Path

import pytest

from allocation.cli import build_parser, main
from allocation.model import config as model_config

from .conftest import ROOT

GUIDE = (ROOT / "docs" / "brukerveiledning.md").read_text(encoding="utf-8")


def _accepted_key_sets() -> dict[str, set[str]]:
    """Every set of keys the configuration reader accepts: the second argument of each
    ``unknown_keys(table, KEYS, where)`` call under allocation/read, resolved in its module."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "allocation" / "read").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = importlib.import_module(f"allocation.read.{path.stem}")
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "unknown_keys"
                and len(node.args) >= 2
            ):
                arg = node.args[1]
                assert isinstance(arg, ast.Name), f"{path.name}: unknown_keys with an inline key set"
                found[arg.id] = set(getattr(module, arg.id))
    return found


def _allowed_words() -> set[str]:
    """The words a key may take (policy, fund, spread), as model.config lists them."""
    words: set[str] = set()
    for name in ("POLICIES", "FUND_RULES", "SPREADS"):
        words |= set(getattr(model_config, name))
    return words


def _options() -> list[tuple[str, str]]:
    """(command, option) for every option of the program and of each command."""
    parser = build_parser()
    out = [("", opt) for a in parser._actions for opt in a.option_strings]
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, p in sub.choices.items():
        out += [(name, opt) for a in p._actions for opt in a.option_strings]
    return out


def test_the_key_sets_are_found() -> None:
    sets = _accepted_key_sets()
    assert {"TOP_KEYS", "RUN_KEYS", "INPUT_KEYS", "KEY_KEYS", "POT_KEYS", "APP_KEYS", "SCENARIO_KEYS"} <= set(sets)
    assert "per_network" in sets["POT_KEYS"]


@pytest.mark.parametrize("key", sorted({k for keys in _accepted_key_sets().values() for k in keys}), ids=lambda k: k)
def test_every_configuration_key_is_in_the_guide(key: str) -> None:
    assert re.search(rf"`\[*(?:[\w.]+\.)?{re.escape(key)}\b", GUIDE), f"brukerveiledningen forklarer ikke «{key}»"


def test_every_section_is_shown_as_it_is_written() -> None:
    """Each top-level table as it is written in the file: [run], [inputs], [keys.NAVN], [[pot]] …"""
    for section in _accepted_key_sets()["TOP_KEYS"]:
        assert re.search(rf"`\[\[?{section}[\].]", GUIDE), section


@pytest.mark.parametrize("word", sorted(_allowed_words()))
def test_every_allowed_word_is_in_the_guide(word: str) -> None:
    assert f'"{word}"' in GUIDE, word


def test_every_command_has_its_own_section() -> None:
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    for name in sub.choices:
        assert re.search(rf"^### `{name}\b", GUIDE, flags=re.MULTILINE), f"ingen del «### `{name}`» i veiledningen"


@pytest.mark.parametrize("command,option", _options(), ids=lambda x: x or "(program)")
def test_every_option_is_in_the_guide(command: str, option: str) -> None:
    if command and option in {"-h", "--help", "--debug", "-q", "--quiet", "-v", "--verbose"}:
        option_text = option  # the shared options are explained once, for every command
        assert f"`{option_text}" in GUIDE or f" {option_text}" in GUIDE, option
        return
    if command:
        section = GUIDE.split(f"### `{command}", 1)[1].split("\n### ", 1)[0]
        assert option in section, f"«{command} {option}» står ikke under «{command}» i veiledningen"
    else:
        assert f"`{option}" in GUIDE or f"{option}`" in GUIDE, option


def test_the_findings_table_is_generated() -> None:
    assert "<!-- funn:start" in GUIDE and "<!-- funn:end -->" in GUIDE


def test_every_bundled_configuration_is_explained() -> None:
    for path in sorted((ROOT / "config").glob("*.toml")):
        assert f"config/{path.name}" in GUIDE, path.name
    for name in ("trondelag.toml", "nordland.toml"):
        text = (ROOT / "config" / name).read_text(encoding="utf-8")
        for line in text.splitlines():
            if "=" in line and not line.lstrip().startswith("#"):
                assert line.split("#")[0].rstrip() in GUIDE, f"{name}: «{line}» står ikke i veiledningen"


def _third_county_from_the_guide(folder: Path) -> Path:
    """The guide's third county built as an officer would from its text alone: the templates,
    the counts table of step 2 typed into «Tall», the amounts of step 3 in the parameters
    workbook, the configuration of step 4 saved as it stands."""
    import openpyxl

    part = GUIDE.split("## Et nytt fylke steg for steg", 1)[1]
    templates = folder / "input_templates" / "agder"
    assert main(["-q", "templates", "--out", str(templates)]) == 0
    (templates / "mal-tall.xlsx").rename(templates / "tall.xlsx")
    (templates / "mal-parametre.xlsx").rename(templates / "parametre.xlsx")
    table = part.split("**2. Fyll inn telleboka**", 1)[1].split("**3.", 1)[0]
    rows = [line.strip("|").split("|") for line in table.splitlines() if line.startswith("| ")][1:]
    wb = openpyxl.load_workbook(templates / "tall.xlsx")
    for cells in rows:
        name, owner, number, *counts = (c.strip() for c in cells)
        wb["Tall"].append([name, owner or None, number or None, *(int(c.replace(" ", "")) for c in counts)])
    wb.save(templates / "tall.xlsx")
    step3 = " ".join(part.split("**3. Fyll inn parameterarbeidsboka**", 1)[1].split("**4.", 1)[0].split())
    assert "*Post* «Ramme», *Beløp* 24 000 000 og *Vedtak* «Tildelingsbrev 2026»" in step3
    assert "*Nettverk* «Setesdal», *Grunntilskudd* 150 000, *Vedtak* «Samarbeidsforum 2026-02-06, sak 4»" in step3
    wb = openpyxl.load_workbook(templates / "parametre.xlsx")
    wb["Ramme"].append(["Ramme", 24_000_000, "Tildelingsbrev 2026"])
    wb["Nettverk"].append(["Setesdal", 150_000, None, "Samarbeidsforum 2026-02-06, sak 4"])
    wb.save(templates / "parametre.xlsx")
    toml = part.split("**4. Skriv konfigurasjonen.**", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    (folder / "config").mkdir()
    config = folder / "config" / "agder-2026.toml"
    config.write_text(toml, encoding="utf-8")
    return config


def test_the_third_county_of_the_guide_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Following «Et nytt fylke steg for steg» gives a model that validates and runs, with what
    the guide says it shows: Setesdal's base grant from the sheet «Nettverk»."""
    config = _third_county_from_the_guide(tmp_path)
    assert main(["validate", str(config), "--out", str(tmp_path / "kontroll")]) == 0
    assert "Kontroll: ingen funn. Inndata kan brukes." in capsys.readouterr().out
    assert main(["-q", "run", str(config), "--out", str(tmp_path / "run")]) == 0
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text(encoding="utf-8"))
    parts = {n["name"]: n["parts"] for n in manifest["networks"]}
    assert parts["Setesdal"]["Grunntilskudd"] == 150_000
    assert {p for n, p in parts.items() if n != "Setesdal" for p in [p["Grunntilskudd"]]} == {200_000}
    assert manifest["frame"] == 24_000_000
