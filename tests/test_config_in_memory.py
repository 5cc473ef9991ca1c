"""A configuration built from text, with no file anywhere, and allocated against counts in memory."""

from __future__ import annotations

import builtins
import os
from pathlib import Path

import pytest

from allocation.allocate.pots import allocate
from allocation.model.config import COUNT_COLUMNS
from allocation.model.counts import Counts
from allocation.model.findings import ConfigError
from allocation.read.configuration import parse_config

MODEL = """
[run]
name = "Eksempel"
frame = 1_000_000
unit = 1000
[inputs]
counts = "tall.xlsx"
previous_run = "ifjor"
[keys.barn]
columns = { "Barn i barnehage" = 1 }
[[pot]]
name = "Koordinering"
amount = 100_000
recipient = "Fylkeskommunen"
[[pot]]
name = "Nettverk"
rest = true
spread = "key"
key = "barn"
"""

BASE = Path("/finnes/ikke/fylke")


def _counts(children: dict[str, int]) -> Counts:
    totals = {n: {c: (v if c == COUNT_COLUMNS[0] else 0) for c in COUNT_COLUMNS} for n, v in children.items()}
    return Counts(file="i minnet", networks=tuple(sorted(children)), totals=totals, rows=len(children))


@pytest.fixture
def no_disk(monkeypatch):
    """Any attempt to open, stat or list a file fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"disk touched: {args!r}")

    monkeypatch.setattr(builtins, "open", refuse)
    for name in ("stat", "lstat", "listdir", "scandir"):
        monkeypatch.setattr(os, name, refuse)


def test_config_from_text_allocates_without_files(no_disk) -> None:
    cfg = parse_config(MODEL, BASE, name="modell.toml")
    assert cfg.path == BASE / "modell.toml" and cfg.name == "Eksempel"
    assert cfg.counts == BASE / "tall.xlsx"  # joined to the folder, not looked up
    assert cfg.previous_run == BASE / "ifjor" / "manifest.json"
    result = allocate(cfg, _counts({"Alta": 300, "Bodø": 100, "Narvik": 0}))
    assert result.recipients == [("Fylkeskommunen", 100_000, "Koordinering")]
    assert {n: result.network_frame(n) for n in result.networks} == {"Alta": 675_000, "Bodø": 225_000, "Narvik": 0}
    assert result.held_back == 0


def test_config_from_text_reports_every_problem(no_disk) -> None:
    text = MODEL.replace("amount = 100_000", "amount = -5").replace('key = "barn"', 'key = "bran"')
    with pytest.raises(ConfigError) as exc:
        parse_config(text, BASE)
    assert [(f.code, f.cell) for f in exc.value.findings] == [
        ("config.negative", "pot «Koordinering».amount"),
        ("config.unknown_count_key", "pot «Nettverk».key"),
    ]
    assert all(f.file == "konfigurasjon.toml" for f in exc.value.findings)


def test_missing_files_are_reported_only_when_loading(tmp_path) -> None:
    from allocation.read.configuration import load_config

    path = tmp_path / "modell.toml"
    path.write_text(MODEL, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_config(path)
    assert [(f.code, f.cell) for f in exc.value.findings] == [
        ("config.input_missing", "inputs.counts"),
        ("config.input_missing", "inputs.previous_run"),
    ]
    assert parse_config(MODEL, tmp_path, name="modell.toml").counts == tmp_path / "tall.xlsx"
