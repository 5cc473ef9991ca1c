"""The finishing step counts a sheet's cells once (``fitting.Tally``) and updates that count as it
wraps texts and aligns headers. It must size every column and row, and wrap every text, exactly
as the direct computation below does: three passes over every cell, kept here as the reference."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from allocation.write.book import Book, Sheet
from allocation.write.fitting import (
    MAX_LINES,
    MAX_WIDTH,
    OVERFLOW,
    PAD,
    Tally,
    _run_on,
    column_width,
    explicit_heights,
    font,
    set_width,
)
from allocation.write.printing import narrow_to_fit, page_setup
from allocation.write.textfit import line_height, longest_word, text_width, wrapped_lines


def _looks(s: Sheet) -> dict[str | None, tuple[float, bool, bool, bool, float]]:
    out = {}
    for fmt in {fmt for _, fmt, _ in s.cells.values()}:
        p = s.book.props.get(fmt, {})
        out[fmt] = (*font(p), bool(p.get("text_wrap")), 1.5 * int(p.get("indent", 0)))
    return out


def _align_headers(s: Sheet) -> None:
    for (r, c), (text, fmt, _) in list(s.cells.items()):
        if fmt != "head":
            continue
        below = [s.cells[(r + k, c)] for k in range(1, 6) if (r + k, c) in s.cells and s.cells[(r + k, c)][0]]
        if below and sum(1 for _, _, is_number in below if is_number) * 2 > len(below):
            s.text(r, c, text, "head_num")


def _measure(s: Sheet) -> tuple[dict[int, float], dict[int, float], dict[int, float], dict[int, float], list]:
    looks = _looks(s)
    need: dict[int, float] = {}
    words: dict[int, float] = {}
    numbers: dict[int, float] = {}
    wrapped: dict[int, float] = {}
    overflow: list[tuple[int, int, float]] = []
    for (r, c), (text, fmt, is_number) in s.cells.items():
        if not text:
            continue
        size, bold, mono, wraps, indent = looks[fmt]
        if wraps:
            words[c] = max(words.get(c, 0.0), longest_word(text, size, bold, mono) + indent + PAD)
            line = max(text_width(x, size, bold, mono) for x in text.split("\n"))
            wrapped[c] = max(wrapped.get(c, 0.0), line + indent + PAD)
            continue
        width = max(text_width(x, size, bold, mono) for x in text.split("\n")) + indent + PAD
        right = s.cells.get((r, c + 1))
        if not is_number and fmt in OVERFLOW and not (right and right[0]):
            overflow.append((r, c, width))
            continue
        need[c] = max(need.get(c, 0.0), width)
        if is_number:
            numbers[c] = max(numbers.get(c, 0.0), width)
        else:
            words[c] = max(words.get(c, 0.0), longest_word(text, size, bold, mono) + indent + PAD)
    return need, words, numbers, wrapped, overflow


def _fit_columns(s: Sheet, widest: dict[int, float]) -> dict[int, float]:
    cols = sorted({c for _, c in s.cells})
    if not cols:
        return {}
    need, words, numbers, wrapped, overflow = _measure(s)
    widths: dict[int, float] = {}
    for c in cols:
        now = column_width(s, c)
        if c in wrapped:
            w = max(min(now, max(wrapped[c], need.get(c, 0.0))), words[c], need.get(c, 0.0))
        else:
            w = need.get(c, now)
        widths[c] = min(max(w, 3.0), MAX_WIDTH)
    pinned = _run_on(s, widths, overflow, max(cols))  # (no pass over the cells: shared with the run)
    for c, w in widths.items():
        set_width(s, c, w)
    widest.update({c: w for c, w in wrapped.items() if c not in pinned})
    return {c: max(words.get(c, 0.0), numbers.get(c, 0.0)) for c in cols if c in words and c not in pinned}


def _fit_rows(s: Sheet, explicit: dict[int, float]) -> None:
    looks = _looks(s)
    widths = {c: column_width(s, c) for c in {c for _, c in s.cells}}
    for (r, c), (text, fmt, is_number) in list(s.cells.items()):
        size, bold, mono, wraps, indent = looks[fmt]
        if is_number or not text or wraps or fmt in OVERFLOW:
            continue
        if max(text_width(x, size, bold, mono) for x in text.split("\n")) + indent + PAD > widths[c] + 0.01:
            s.text(r, c, text, s.book.wrapped(fmt))
    looks = _looks(s)
    rows: dict[int, float] = {}
    for (r, c), (text, fmt, _) in s.cells.items():
        size, bold, mono, wraps, indent = looks[fmt]
        if not text:
            lines = 1
        elif wraps:
            lines = wrapped_lines(text, widths[c] - PAD - indent, size, bold, mono)
        else:
            lines = text.count("\n") + 1
        rows[r] = max(rows.get(r, 0.0), min(lines, MAX_LINES) * line_height(size) + (6 if size >= 14 else 2))
    for r, height in sorted(rows.items()):
        info = s.ws.row_info.get(r)
        height = max(height, explicit.get(r, 0.0))
        if height > 16 or (info is not None and r not in explicit):
            options = {"level": info.level, "hidden": info.hidden} if info else None
            s.ws.set_row(r, max(15.0, round(height * 4) / 4), info.row_format if info else None, options)


def direct_finish(s: Sheet) -> None:
    """The finishing step as three passes over every cell (the page set-up is shared)."""
    explicit = explicit_heights(s)
    _align_headers(s)
    widest: dict[int, float] = {}
    narrowest = _fit_columns(s, widest)
    narrow_to_fit(s, Tally(s), narrowest)
    _fit_rows(s, explicit)
    if page_setup(s, Tally(s), widest):
        _fit_rows(s, explicit)


WORDS = ["Nettverk", "barnehage", "Fosen", "kompetanse", "1 300 000", "org.nr", "Trøndelag", "å", "WWWWWW", "i"]
TEXT_FORMATS = [None, "wrap", "muted", "muted_line", "line", "title", "sub", "mono", "bold", "head", "indent2", "note"]
NUMBER_FORMATS = ["kr", "int", "num", "dec", "kr_bold", "head", None]


def _text(rng: random.Random) -> Any:
    kind = rng.random()
    if kind < 0.1:
        return None if rng.random() < 0.5 else ""
    words = [rng.choice(WORDS) for _ in range(rng.choice([1, 1, 2, 3, 8, 30]))]
    joiners = [" "] * 8 + ["\n"]
    return "".join(w + rng.choice(joiners) for w in words).strip(" ")


def _fill(s: Sheet, seed: int, rows: int, cols: int) -> None:
    rng = random.Random(seed)
    if rng.random() < 0.7:
        s.widths([rng.choice([6, 9, 14, 30, 60]) for _ in range(cols)])
    s.header(0, [_text(rng) or "Kolonne" for _ in range(cols)])
    for _ in range(rows * cols):
        r, c = rng.randrange(1, rows), rng.randrange(cols)
        if rng.random() < 0.45:
            s.number(r, c, rng.choice([0, 7, -1234, 98765432, 0.5, 12.25]), rng.choice(NUMBER_FORMATS))
        else:
            s.text(r, c, _text(rng), rng.choice(TEXT_FORMATS))
    if rng.random() < 0.3:
        s.ws.set_row(rng.randrange(rows), rng.choice([10, 40]))
    if rng.random() < 0.5:
        s.ws.freeze_panes(1, rng.choice([0, 1, 2]))
        s.ws.repeat_rows(0)
    if rng.random() < 0.2:
        s.header(0, [_text(rng) or "Annen" for _ in range(cols)])  # written over, as a table does


def _book(path: Path, seed: int, finish) -> bytes:
    book = Book(path, "Prøve", "stempel")
    for k, (rows, cols) in enumerate([(3, 2), (12, 5), (40, 14), (6, 1)]):
        sheet = Sheet(book, f"Ark{k}")
        _fill(sheet, seed * 10 + k, rows, cols)
        if k == 3 and seed % 3 == 0:
            chart = book.wb.add_chart({"type": "pie"})
            chart.add_series({"values": [sheet.name, 1, 0, 2, 0]})
            sheet.ws.insert_chart(1, 2, chart)
        finish(sheet)
    book.wb.close()
    return path.read_bytes()


@pytest.mark.parametrize("seed", range(40))
def test_the_tally_fits_as_the_direct_passes_do(tmp_path, seed) -> None:
    expected = _book(tmp_path / "direct.xlsx", seed, direct_finish)
    assert _book(tmp_path / "tally.xlsx", seed, Sheet.finish) == expected


def _wrapped_in_order(path: Path, finish) -> bytes:
    """Texts too wide for any column, in three formats, the later-written ones further left, and a
    number written as a header."""
    book = Book(path, "Prøve", "stempel")
    sheet = Sheet(book, "Ark")
    long = " ".join(WORDS * 4)
    sheet.text(0, 0, "kort")
    sheet.text(1, 1, long, "bold")
    sheet.text(2, 0, long, "indent2")
    sheet.text(3, 0, long)
    sheet.number(4, 0, 5, "head")
    finish(sheet)
    book.wb.close()
    return path.read_bytes()


def test_texts_too_wide_for_any_column_wrap_as_the_direct_passes_wrap_them(tmp_path) -> None:
    expected = _wrapped_in_order(tmp_path / "direct.xlsx", direct_finish)
    assert _wrapped_in_order(tmp_path / "tally.xlsx", Sheet.finish) == expected
