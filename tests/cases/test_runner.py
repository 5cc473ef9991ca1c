"""The case runner itself: it reports each differing krone, refuses malformed cases,
and the cases together cover every pot kind and policy."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from .runner import CASES, CaseError, Outcome, compare, load_case, parse_table

MANIFEST = {
    "frame": 1000,
    "networks": [{"name": "Nord", "frame": 600, "parts": {"Nøkkel": 600}}, {"name": "Sør", "frame": 400, "parts": {}}],
    "pots": [{"name": "Nøkkel", "amount": 1000}],
    "recipients": [],
    "held_back": 0,
    "held_back_parts": {"pot_rounding": 0, "not_granted": 0},
    "findings": [],
}


def test_every_differing_krone_is_listed() -> None:
    case = {
        "expected": {
            "held_back": 1,
            "pots": {"Nøkkel": 999},
            "networks": "| Nettverk | Nøkkel | Ramme |\n| Nord | 601 | 600 |\n| Vest | 0 | 0 |",
        }
    }
    lines = compare(case, Outcome(0, "", MANIFEST))
    assert "Nord / Nøkkel: expected 601 kr, got 600 kr" in lines
    assert "Sør: a network in the result that the case does not list" in lines
    assert "Vest: expected a network of this name, the result has none" in lines
    assert "pott Nøkkel: expected 999 kr, got 1 000 kr" in lines
    assert "holdt tilbake: expected 1 kr, got 0 kr" in lines
    assert len(lines) == 5


def test_exit_status_and_reason_codes() -> None:
    case = {"expected": {"exit": 2, "codes": ["config.percent_sum"]}}
    assert compare(case, Outcome(2, "", None, {"config.percent_sum"})) == []
    lines = compare(case, Outcome(0, "ok", MANIFEST, set()))
    assert lines[0] == "exit status: expected 2, got 0"
    assert lines[1].startswith("reason code config.percent_sum: expected, not reported")


def test_tables_read_like_a_spreadsheet() -> None:
    headers, rows = parse_table("| Nettverk | Beløp |\n|---|---|\n| Nord | 1 250 000 |\n")
    assert headers == ["Nettverk", "Beløp"] and rows == [["Nord", "1 250 000"]]
    with pytest.raises(CaseError, match="cells"):
        parse_table("| Nettverk | Beløp |\n| Nord |")


def test_a_case_needs_a_description_and_one_model(tmp_path: Path) -> None:
    path = tmp_path / "sak.toml"
    path.write_text('title = "x"\n[expected]\n', encoding="utf-8")
    with pytest.raises(CaseError, match="description"):
        load_case(path)
    path.write_text('title = "x"\ndescription = "y"\nconfig = "a.toml"\n[model.run]\n[expected]\n', encoding="utf-8")
    with pytest.raises(CaseError, match="exactly one"):
        load_case(path)


def test_the_cases_cover_every_pot_kind_and_policy() -> None:
    cases = [tomllib.loads(p.read_text(encoding="utf-8")) for p in sorted(CASES.glob("*.toml"))]
    assert len(cases) >= 13
    kinds: set[str] = set()
    for case in cases:
        for pot in case.get("model", {}).get("pot", []):
            kinds |= {k for k in ("amount", "percent", "ratio", "rest", "per_network", "extra") if k in pot}
            kinds.add(f"spread={pot['spread']}" if "spread" in pot else "recipient")
            kinds |= {"units"} if case["model"]["run"].get("unit", 1) > 1 else set()
        kinds |= {f"policy={case['model']['applications']['policy']}"} if "applications" in case else set()
        kinds |= {f"exit={case['expected'].get('exit', 0)}"}
    want = {"amount", "percent", "ratio", "rest", "per_network", "extra", "recipient", "spread=key", "spread=flat"}
    want |= {"units", "policy=redistribute", "policy=hold_back", "exit=0", "exit=1", "exit=2"}
    assert want <= kinds, want - kinds
    for case in cases:
        assert "regnet" in case["description"].casefold() or case["expected"].get("exit", 0) != 0, case["title"]
