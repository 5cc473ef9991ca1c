"""The README documents every command and configuration key, and shows both bundled configs verbatim."""

from __future__ import annotations

import argparse
import re

from allocation.cli import build_parser
from allocation.model.config import APP_KEYS, INPUT_KEYS, KEY_KEYS, POT_KEYS, RUN_KEYS, SCENARIO_KEYS

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_shows_the_two_commands() -> None:
    assert "uv run run_allocation.py" in README and "uv run pytest" in README


def test_every_config_key_documented() -> None:
    for key in sorted(RUN_KEYS | INPUT_KEYS | KEY_KEYS | POT_KEYS | APP_KEYS | SCENARIO_KEYS):
        assert f"`{key}" in README, key


COMMON_OPTIONS = {"-h", "--help", "--debug", "-q", "--quiet", "-v", "--verbose"}  # every command takes these


def _subcommands() -> tuple[argparse._SubParsersAction, dict[str, argparse.ArgumentParser]]:
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return sub, dict(sub.choices)


def _commands_section() -> str:
    return README.split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]


def _readme_row(name: str) -> str:
    """The README's command table row for ``name``: its first cell, e.g. ``run CONFIG [--out DIR]``."""
    rows = re.findall(rf"^\| `({re.escape(name)}(?: [^`]*)?)` \|", _commands_section(), flags=re.MULTILINE)
    assert len(rows) == 1, f"the README's command table has {len(rows)} rows for «{name}»"
    return rows[0]


def test_every_command_has_a_summary_in_the_overview() -> None:
    """``run_allocation.py --help`` lists every command with a non-empty Norwegian one-liner."""
    sub, commands = _subcommands()
    summaries = {a.dest: (a.help or "").strip() for a in sub._choices_actions}
    assert set(summaries) == set(commands)
    overview = build_parser().format_help()
    for name, summary in summaries.items():
        assert summary, f"«{name}» has no summary in --help"
        assert summary in " ".join(overview.split()), name


def test_every_command_help_names_its_arguments() -> None:
    _, commands = _subcommands()
    for name, parser in commands.items():
        text = parser.format_help()
        for action in parser._actions:
            if action.option_strings:
                if not set(action.option_strings) & COMMON_OPTIONS:
                    assert (action.help or "").strip(), f"{name} {action.option_strings[-1]}: no help text"
                    assert action.option_strings[-1] in text, (name, action.option_strings)
            else:
                assert action.dest in text, f"{name}: the help does not mention «{action.dest}»"


def test_readme_shows_every_command_with_its_arguments() -> None:
    """The README's command table gives each command with its positionals (upper case) and its options."""
    _, commands = _subcommands()
    for name, parser in commands.items():
        row = _readme_row(name)
        positionals = [a.dest.upper() for a in parser._actions if not a.option_strings]
        assert row.split("[")[0].split() == [name, *positionals], row
        for action in parser._actions:
            if action.option_strings and not set(action.option_strings) & COMMON_OPTIONS:
                assert action.option_strings[-1] in row, f"README: «{name}» does not show {action.option_strings[-1]}"


def test_readme_commands_match_the_parser_and_nothing_else() -> None:
    _, commands = _subcommands()
    table = re.findall(r"^\| `(\w+)(?: [^`]*)?` \|", _commands_section(), flags=re.MULTILINE)
    assert sorted(table) == sorted(commands)


def test_help_a_user_sees_is_norwegian() -> None:
    """User-facing text is Norwegian bokmål (contract): argparse's English headings should not show."""
    parser = build_parser()
    _, commands = _subcommands()
    for text in [parser.format_help(), parser.format_usage(), *(p.format_help() for p in commands.values())]:
        for english in ("usage:", "positional arguments", "options:", "show this help message"):
            assert english not in text, english
    for name, p in commands.items():
        for action in p._actions:
            assert (action.help or "").strip(), f"{name} {action.dest}: no help text"


def test_bundled_configs_shown_verbatim() -> None:
    for name in ("trondelag.toml", "nordland.toml"):
        text = (ROOT / "config" / name).read_text(encoding="utf-8").rstrip()
        assert text in README, name


def test_user_guide_pictures_exist_and_commands_are_real() -> None:
    import re

    guide = (ROOT / "docs" / "brukerveiledning.md").read_text(encoding="utf-8")
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", guide)
    assert len(pictures) >= 4
    for pic in pictures:
        assert (ROOT / "docs" / pic).is_file(), pic
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for command in re.findall(r"run_allocation\.py (\w+)", guide):
        assert command in sub.choices, command
    assert "docs/brukerveiledning.md" in README
