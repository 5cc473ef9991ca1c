"""Shortcuts taken while reading inputs give exactly what the direct computation gives: running
block sums, remembered defined names and form cells, verdicts kept by packed bytes, and the
byte search of the sheet fast path."""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import zipfile
from pathlib import Path

import pytest

from allocation.model.applications import KINDS, Application
from allocation.model.config import COUNT_COLUMNS
from allocation.read import applications, count_blocks, counts, preflight, sheetfast, workbooks
from allocation.read.workbooks import CellError, PercentCell, Sheet

from .conftest import HEADERS, write_xlsx

COLS = list(COUNT_COLUMNS)


def test_block_sums_read_off_the_running_tally_agree_with_summing_the_rows() -> None:
    rng = random.Random(7)
    used = ["a", "b", "c"]
    tally = count_blocks.Tally(used)
    blocks: list[tuple[count_blocks.Block, int]] = [(count_blocks.Block(tally), 0)]
    added: list[tuple[dict, bool]] = []
    for r in range(400):
        if rng.random() < 0.1:
            blocks.append((count_blocks.Block(tally), len(added)))
        rec = {"_row": r + 3, **{c: rng.choice([0, 0, 1, 5, 12, None]) for c in used}}
        rec["_nonzero"] = any(rec[c] for c in used)
        owned = rng.random() < 0.8
        tally.add(rec, owned)
        added.append((rec, owned))
        for block, begin in blocks:
            rows = added[begin:]
            assert block.total() == {c: sum(rec[c] or 0 for rec, _ in rows) for c in used}
            assert block.nonzero == sum(rec["_nonzero"] for rec, _ in rows)
            assert block.owned == all(owned for _, owned in rows)
            assert block.rows == ((rows[0][0]["_row"], rows[-1][0]["_row"]) if rows else None)


def test_a_network_text_remembered_is_never_taken_for_an_error_cell_of_the_same_text() -> None:
    rows = [list(HEADERS), ["A", None, None, 1, 2, 3], [CellError("A"), None, None, 1, 2, 3]]
    rows.append(["A", None, None, 1, 1, 1])
    sheet = Sheet("tall.xlsx", "Tall", rows)
    colmap = {h.casefold(): i for i, h in enumerate(HEADERS)}
    got, findings = counts._parse_rows(sheet, 0, colmap, COLS)
    assert got is None
    assert [(f.code, f.cell) for f in findings] == [("counts.excel_error", "A3")]


def _defined_cells_directly(names):
    out = {}
    for name, _scope, text in sorted(names, key=lambda n: n[1] is not None):
        m = workbooks._DEFINED_REF.match(text.strip())
        if m is None or not name or name.casefold() in out:
            continue
        out[name.casefold()] = (
            workbooks.header_key(m.group(1).replace("''", "'")),
            int(m.group(3)) - 1,
            workbooks._col_index(m.group(2).upper()),
        )
    return out


TEXTS = [
    "'Søknad'!$B$5",
    "Søknad!B5",
    "'Ark ''1'''!$C$12 ",
    "\tTall!$AB$1234567\n",
    "Tall!A1:B2",
    "Tall!$A$12345678",
    "'Søknad'!$B$8&\"\"",
    "IF(ISNUMBER('Søknad'!$B$27),1,0)",
    "a!b!C7",
    "x!\n!C7",
    "Tall!A١٢",  # other decimal digits
    "!A1",
    "''!A1",
    "Tall!ABCD1",
    "=Tall!A1",
    "",
    "!",
]


def test_defined_names_pass_over_formulas_and_agree_with_matching_every_text() -> None:
    rng = random.Random(3)
    for _ in range(200):
        names = [(rng.choice(["n", "N", "m", "", "k"]), rng.choice([None, "0"]), rng.choice(TEXTS)) for _ in range(6)]
        want = _defined_cells_directly(names)
        assert workbooks.defined_cells(names) == want
        again = workbooks.defined_cells(names)  # remembered: the same, and the caller's own
        assert again == want and again is not workbooks.defined_cells(names)


VALUES = [
    None, "", " ", "Ja", "nei", "x", "30 %", "0,3", "Eier: 30", "1 580 500", "1.500", "1 000 000 (anslag)",
    "#REF!", CellError("#REF!"), CellError(""), 0.0, -0.0, 0.3, 1.0, 30.0, 45678.0, -5.0, float("nan"), 12, True, False,
    PercentCell(0.3), PercentCell(-0.0), dt.date(2025, 1, 20), dt.datetime(2025, 1, 20, 12, 30), "15.01.2025",
    "915 000 002", "8109.10.69555", "x" * 300,
]  # fmt: skip


@pytest.mark.parametrize("kind", sorted(set(KINDS.values())))
def test_form_cells_remembered_read_as_read_afresh(kind) -> None:
    for value in VALUES * 2:
        direct = applications._read_field(kind, value)
        got = applications._field(kind, value)
        assert repr(got) == repr(direct), (kind, value)
    assert applications._field(kind, -0.0).text == applications._read_field(kind, -0.0).text


def test_form_fields_give_the_same_findings_twice() -> None:
    raw = {fid: (VALUES[i % len(VALUES)], f"B{i + 1}") for i, fid in enumerate(KINDS)}
    results = []
    for _ in range(2):
        app = Application("a.xlsx", "Søknad", None)
        findings = applications._parse_fields(app, raw)
        results.append((findings, app.values, app.texts, app.cells, app.estimates))
    assert repr(results[0]) == repr(results[1])


def test_a_pair_of_bytes_is_found_where_bytes_find_finds_it() -> None:
    rng = random.Random(11)
    for _ in range(3000):
        data = bytes(rng.choice(b"<?!a") for _ in range(rng.randint(0, 120)))
        pair = rng.choice([b"<?", b"<!"])
        start = rng.randint(0, 5)
        assert sheetfast._find_pair(data, pair, start) == data.find(pair, start), (data, pair, start)


def test_a_part_kept_by_its_packed_bytes_is_judged_again_when_its_crc_differs(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "t.xlsx", {"Tall": [["Nettverk", "Barn"], ["A", 1]]})
    data = path.read_bytes()
    first = preflight.preflight_bytes(data, "t.xlsx")
    assert first[0] == [] and preflight.preflight_bytes(data, "t.xlsx") == first
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo("xl/styles.xml")
    # the CRC-32 of xl/styles.xml in the central directory, changed: the packed bytes are the same
    at = data.find(b"PK\x01\x02", 0)
    while at >= 0:
        name_len = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + name_len] == b"xl/styles.xml":
            break
        at = data.find(b"PK\x01\x02", at + 4)
    assert at >= 0
    crc = (info.CRC ^ 1).to_bytes(4, "little")
    changed = data[: at + 16] + crc + data[at + 20 :]
    findings, _ = preflight.preflight_bytes(changed, "u.xlsx")
    assert [f.code for f in findings] == ["file.corrupt"] and "CRC" in findings[0].message


def test_bounded_memo_keeps_within_its_budget_and_remembers_none() -> None:
    from allocation.read.memo import Bounded

    memo: Bounded[object] = Bounded(10)
    assert memo.get("a") is None
    memo.keep("a", None, 4)
    assert memo.get("a") == (None,)  # a remembered None is told from a miss
    memo.keep("b", 2, 6)
    memo.keep("c", 3, 1)  # over the budget: not kept
    assert memo.get("b") == (2,) and memo.get("c") is None and memo.spent == 10


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_snapshot_resolves_paths_as_realpath_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from allocation.read.snapshot import Snapshot

    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.xlsx").write_bytes(b"a")
    (tmp_path / "folder").symlink_to(tmp_path / "real")
    (tmp_path / "real" / "b.xlsx").symlink_to(tmp_path / "real" / "a.xlsx")
    (tmp_path / "real" / "loop.xlsx").symlink_to(tmp_path / "real" / "loop.xlsx")
    monkeypatch.chdir(tmp_path)
    names = ["a.xlsx", "b.xlsx", "gone.xlsx", "loop.xlsx", "..", ".", ""]
    paths: list[str | Path] = []
    for folder in ("real", "folder", str(tmp_path / "real"), str(tmp_path / "folder"), str(tmp_path / "nowhere")):
        paths += [os.path.join(folder, name) for name in names]
        paths += [Path(folder) / name for name in names]
    paths += ["a.xlsx", "/", str(tmp_path / "real" / "a.xlsx") + "/"]
    snapshot = Snapshot()
    for _ in range(2):  # resolved afresh, then as remembered
        for path in paths:
            assert snapshot.real_path(path) == os.path.realpath(path), path
