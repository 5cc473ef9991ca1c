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
    value: int | None  # None where the source publishes no number ('.', '..', ':'); SSB's '-' is 0
    where: str  # where it was read, for findings: "line 12", "value 34", "row 7"
    # the published breakdowns besides unit, measure and period, as (variable, value) pairs in
    # the source's order: (("alder", "1-5 år"),), (("Trinn", "Trinn 5"), ("Kjønn", "Begge kjønn"))
    other: tuple[tuple[str, str], ...] = ()
    measure_text: str = ""  # the measure's text where the source gives a code and a text
    # the municipality the unit lies in, where the source says so: the unit itself for a region
    # row, Udir's «Kommunenummer» for a school or an owner; "" when the source does not say
    municipality: str = ""


@dataclass(frozen=True)
class StatTable:
    """One statistics export as read."""

    source: str  # who publishes it and the table: "SSB 12562", "Udir grunnskole elevtall"
    file: str  # the file's name, for findings
    format: str  # "statbank-csv", "json-stat2", "udir-csv"
    count_date: str | None  # the count date the source states, ISO date, when it states one
    rows: tuple[StatRow, ...]
    title: str = ""  # the table's title as published: "12562: Barn i barnehager, etter region, …"
    updated: str = ""  # when the source last updated the table, as it says (JSON-stat «updated»)

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

    def breakdowns(self) -> dict[str, tuple[str, ...]]:
        """Each breakdown variable (besides unit, measure and period) with its values as read:
        {"Kjønn": ("Begge kjønn", "Jenter", "Gutter")}. A variable with more than one value must
        be chosen before summing, or «Begge kjønn» and «Jenter» are counted together."""
        seen: dict[str, dict[str, None]] = {}
        for r in self.rows:
            for name, value in r.other:
                seen.setdefault(name, {}).setdefault(value, None)
        return {name: tuple(values) for name, values in seen.items()}

    def select(self, measure: str, period: str, breakdown: dict[str, str] | None = None) -> tuple[StatRow, ...]:
        """The rows of one statistic (named by its code or its text) and one period, in the
        breakdown given (variable -> value; the variables not named are not filtered)."""
        wanted = breakdown or {}
        return tuple(
            r
            for r in self.rows
            if measure in (r.measure, r.measure_text)
            and r.period == period
            and all(dict(r.other).get(k) == v for k, v in wanted.items())
        )
