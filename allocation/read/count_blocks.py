"""Running sums of the rows of a counts sheet, for telling total rows from networks.

One :class:`Tally` holds the column sums of every row read so far (one pass, however many
rows); a :class:`Block` (all rows, the rows since the last total row, the rows of one network)
is read off it as the difference between now and where the block began.
"""

from __future__ import annotations

from typing import Any


class Tally:
    """Running column sums of every row read (one pass, however many rows): a block of rows
    is read off it as the difference between now and where the block began."""

    def __init__(self, used: list[str]):
        self.used = used
        self.sums = dict.fromkeys(used, 0)
        self.nonzero = 0  # rows with a count that is not zero
        self.count = 0  # rows added
        self.unowned = -1  # the last row added without an owner (its place among the rows added)
        self.rows: list[int] = []  # each added row's sheet row (0-based)

    def add(self, rec: dict[str, Any], owned: bool) -> None:
        sums = self.sums
        for col in self.used:
            value = rec[col]
            if value:
                sums[col] += value
        self.nonzero += rec["_nonzero"]
        if not owned:
            self.unowned = self.count
        self.rows.append(rec["_row"])
        self.count += 1


class Block:
    """The rows added to a tally since the block began: their column sums, how many have a count
    that is not zero, whether every one has an owner, the first and last sheet row. ``keys``
    (the rows' network keys) is kept by the caller."""

    def __init__(self, tally: Tally):
        self.tally = tally
        self.used = tally.used
        self.start = dict(tally.sums)
        self.start_nonzero = tally.nonzero
        self.begin = tally.count
        self.keys: set[str] = set()

    @property
    def nonzero(self) -> int:
        return self.tally.nonzero - self.start_nonzero

    @property
    def owned(self) -> bool:
        return self.tally.unowned < self.begin

    @property
    def rows(self) -> tuple[int, int] | None:
        tally = self.tally
        return (tally.rows[self.begin], tally.rows[-1]) if tally.count > self.begin else None

    def total(self) -> dict[str, int]:
        sums, start = self.tally.sums, self.start
        return {col: sums[col] - start[col] for col in self.used}
