"""Counts as published by the official statistics, before they are summed per network.

A statistics export (Statistics Norway's statbank as CSV or JSON-stat 2, the Directorate for
Education's statistics as a long `;`-separated file) is read into one :class:`StatTable` of
:class:`StatRow` s: one published value per unit (a municipality number or an organisation
number), measure and period, with the place it was read from. Summing them per network goes
through the membership sheet (`Medlemskap`). Pure data: no reading, no writing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StatRow:
    """One published value."""

    unit: str  # the region or unit code as published: "5503", "0301", an organisation number
    label: str  # the label as published: "5503 Harstad - Hárstták" or "Harstad - Hárstták"
    measure: str  # the statistic: its content code or text, e.g. "BarnBhg", "Elever i grunnskolen"
    period: str  # the period as published: "2025", "2025-2026", "2025K4"
    value: int | None  # None where the source publishes no number ('.', '..', ':', '-')
    where: str  # where it was read, for findings: "line 12", "value 34", "row 7"


@dataclass(frozen=True)
class StatTable:
    """One statistics export as read."""

    source: str  # who publishes it and the table: "SSB 12562", "Udir grunnskole elevtall"
    file: str  # the file's name, for findings
    format: str  # "statbank-csv", "json-stat2", "udir-csv"
    count_date: str | None  # the count date the source states, ISO date, when it states one
    rows: tuple[StatRow, ...]

    def measures(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for r in self.rows:
            seen.setdefault(r.measure, None)
        return tuple(seen)

    def periods(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for r in self.rows:
            seen.setdefault(r.period, None)
        return tuple(seen)
