"""Counts summed per network: what the allocation divides by."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Counts:
    """Counts summed per network, networks in ``name_key`` order."""

    file: str
    networks: tuple[str, ...]
    totals: dict[str, dict[str, int]]  # network -> column -> count
    rows: int  # data rows read

    def total(self, column: str) -> int:
        return sum(t.get(column, 0) for t in self.totals.values())
