"""Recipients' reports (rapportering) on an earlier decision, and what follows from them.

Types only: ``read.config_reports`` makes the rules, ``read.reports`` the reports,
``check.reports`` the findings and ``allocate.unspent`` the deductions and claims.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

UNSPENT_RULES = ("deduct", "claim")
ROLES = ("Eier", "UH")


@dataclass(frozen=True)
class ReportsRules:
    """The ``[reports]`` section: which decision is reported on, where the reports are, what follows."""

    run: Path  # manifest.json of the decision run reported on
    files: tuple[Path, ...]
    deadline: dt.date | None = None
    unspent_threshold: int = 0  # unspent money above this (per network) is deducted or claimed
    unspent: str = "deduct"  # "deduct" from this year's payment, or "claim" (tilbakebetalingskrav)
    exempt: tuple[str, ...] = ()  # networks that need not report
    note: str = ""


@dataclass(frozen=True)
class Granted:
    """What the decision run granted one network, by party, and who received it."""

    network: str
    owner: int
    uh: int
    owner_name: str = ""
    uh_name: str = ""


@dataclass(frozen=True)
class Report:
    """One recipient's report as read: what it used, by party, and when it was delivered."""

    network: str
    used_owner: int
    used_uh: int
    submitted: dt.date | None
    file: str
    sheet: str
    cell: str  # where the network's name stands
    used_cells: tuple[str, str] = ("", "")  # cells of «Brukt eier» and «Brukt UH»
    comment: str = ""
    submitted_cell: str = ""  # where «Levert» stands


@dataclass(frozen=True)
class DecisionRun:
    """The decision run reported on, from its manifest."""

    name: str
    year: int | None
    folder: str
    granted: dict[str, Granted]  # network -> what it was granted


@dataclass
class Unspent:
    """One network's unspent money and what became of it (deducted now, or claimed back)."""

    network: str
    unspent_owner: int
    unspent_uh: int
    acted: bool  # above the threshold: deducted or claimed
    deducted_owner: int = 0
    deducted_uh: int = 0
    claimed_owner: int = 0
    claimed_uh: int = 0


@dataclass(frozen=True)
class Claim:
    """A repayment claim (tilbakebetalingskrav) to one party."""

    network: str
    role: str  # "Eier" or "UH"
    recipient: str
    amount: int
    reason: str


@dataclass
class ReportsOutcome:
    """The reports read against the decision run: kept on the allocation for sheets and manifest."""

    rules: ReportsRules
    decision: DecisionRun
    reports: list[Report] = field(default_factory=list)
    unspent: list[Unspent] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    def total_deducted(self) -> int:
        return sum(u.deducted_owner + u.deducted_uh for u in self.unspent)

    def total_claimed(self) -> int:
        return sum(c.amount for c in self.claims)
