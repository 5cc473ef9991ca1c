"""The README documents every command and configuration key, and shows both bundled configs verbatim."""

from __future__ import annotations

from allocation.cli import build_parser
from allocation.model.config import APP_KEYS, INPUT_KEYS, KEY_KEYS, POT_KEYS, RUN_KEYS, SCENARIO_KEYS

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_shows_the_two_commands() -> None:
    assert "uv run run_allocation.py" in README and "uv run pytest" in README


def test_every_config_key_documented() -> None:
    for key in sorted(RUN_KEYS | INPUT_KEYS | KEY_KEYS | POT_KEYS | APP_KEYS | SCENARIO_KEYS):
        assert f"`{key}" in README, key


def test_every_command_documented_and_has_help() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, p in sub.choices.items():
        assert f"`{name}" in README, name
        assert p.format_help()


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
