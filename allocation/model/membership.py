"""Membership as data: which municipalities and owners make each network, in which years.

Sheet ``Medlemskap`` (columns Nettverk, Enhet, Navn, Gyldig fra, Gyldig til, Merknad): one row
per unit and period. A unit is a municipality number (four digits) or an organisation number
(nine digits: a private owner, a county authority), so a network of owners is as much a
network as one of municipalities. Pure data: no reading, no writing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

MUNICIPALITY = "kommune"
ORGANISATION = "organisasjon"


@dataclass(frozen=True)
class Member:
    """One row of ``Medlemskap``."""

    network: str
    unit: str  # "5503" or "817920632", digits only
    kind: str  # MUNICIPALITY or ORGANISATION
    name: str
    valid_from: dt.date | None  # None: from always
    valid_to: dt.date | None  # None: still valid (inclusive date)
    note: str
    row: int  # sheet row, 1-based
    unit_cell: str  # A1 cell of Enhet
    network_cell: str  # A1 cell of Nettverk
    name_cell: str = ""  # A1 cell of Navn

    def active_in(self, year: int) -> bool:
        """Whether the row covers any day of ``year``."""
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        return (self.valid_from is None or self.valid_from <= last) and (
            self.valid_to is None or self.valid_to >= first
        )


@dataclass(frozen=True)
class Membership:
    """The sheet as read."""

    file: str
    sheet: str
    members: tuple[Member, ...]

    def in_year(self, year: int) -> tuple[Member, ...]:
        return tuple(m for m in self.members if m.active_in(year))

    def networks(self, year: int) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for m in self.in_year(year):
            seen.setdefault(m.network, None)
        return tuple(seen)


@dataclass(frozen=True)
class StatisticsSource:
    """One ``[[statistics]]`` entry: a statistics export that fills one count column."""

    index: int  # 1-based, for the key ``statistics[i]`` in findings
    file: Path
    column: str  # the count column it fills, e.g. "Barn i barnehage"
    period: str  # the period the run needs, as published: "2024", "2024-2025"
    measure: str = ""  # which measure of the table, when it holds more than one
    format: str = ""  # "statbank-csv", "json-stat2", "udir-csv"; blank: recognised from the file
    note: str = ""
