"""The two worked examples, to the krone: every network, every pot, held back."""

from __future__ import annotations

import json

import pytest

from allocation.pipeline import run

from .conftest import GOLDEN, ROOT

CASES = [
    ("trondelag.toml", "trondelag/expected-frames.json"),
    ("nordland.toml", "nordland/expected.json"),
]


@pytest.mark.parametrize(("config", "expected"), CASES)
def test_golden_example(config: str, expected: str) -> None:
    exp = json.loads((GOLDEN / expected).read_text(encoding="utf-8"))
    _, result = run(ROOT / "config" / config)
    assert result.frame == exp["frame"]
    assert list(result.networks) == sorted(exp["networks"], key=str.casefold)
    for name, want in exp["networks"].items():
        assert result.parts[name] == want["parts"], name
        assert result.network_frame(name) == want["frame"], name
    assert dict(result.recipient_totals()) == exp["recipients"]
    assert result.held_back == exp["held_back"]
    for pot, amount in exp.get("pots", {}).items():
        assert result.pot(pot).amount == amount, pot


def test_golden_files_are_the_shared_examples() -> None:
    """The copies kept in tests/golden and input_templates match shared/examples, when it is there."""
    from .conftest import SHARED

    if not SHARED.is_dir():
        pytest.skip("shared/examples is not beside this checkout")
    for county in ("trondelag", "nordland"):
        bundled = (ROOT / "input_templates" / county / "tall.xlsx").read_bytes()
        assert bundled == (SHARED / county / "tall.xlsx").read_bytes()
        for exp in (GOLDEN / county).glob("*.json"):
            assert exp.read_bytes() == (SHARED / county / exp.name).read_bytes()
