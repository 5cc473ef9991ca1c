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
        # the bundled counts are the shared ones plus a «Målform» column (the letters' written standard)
        bundled = _cells(ROOT / "input_templates" / county / "tall.xlsx", drop="Målform")
        assert bundled == _cells(SHARED / county / "tall.xlsx")
        for exp in (GOLDEN / county).glob("*.json"):
            assert exp.read_bytes() == (SHARED / county / exp.name).read_bytes()


def _cells(path, drop: str = "") -> list[tuple]:
    """Every row's values, without the column headed ``drop``."""
    import openpyxl

    rows = list(openpyxl.load_workbook(path, read_only=True)["Tall"].iter_rows(values_only=True))
    keep = [i for i, head in enumerate(rows[0]) if head != drop or not drop]
    return [tuple(row[i] if i < len(row) else None for i in keep) for row in rows]
