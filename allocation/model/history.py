"""A county's runs across the years, as the overview shows them.

Types only: ``audit.history`` reads the run folders and builds them; ``write.overview``
writes the workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Commitment:
    """Money a decision binds for a payment year (tilsagn)."""

    recipient: str
    decision_year: int
    payment_year: int
    amount: int


@dataclass(frozen=True)
class Reported:
    """What a recipient reported using of a grant, as a later run read it."""

    network: str
    decision: str  # the name of the decision run reported on
    used: int
    unspent: int
    deducted: int
    claimed: int


@dataclass
class RunRecord:
    """One run folder: its numbers for the year, from its manifest."""

    folder: str
    name: str
    year: int
    frame: int
    grants: dict[str, int]  # network -> granted (or frame, when no applications were read)
    set_asides: int  # named recipients (recipients in the manifest)
    held_back: int
    earlier: dict[str, int] = field(default_factory=dict)  # commitments from earlier decisions drawn, by recipient
    earlier_networks: dict[str, int] = field(default_factory=dict)  # the same, by the network they belong to
    earlier_inside: bool = True  # drawn commitments are inside grants and set-asides (not on top)
    made: list[Commitment] = field(default_factory=list)  # commitments for later payment years
    commitment_source: str = "indicative"  # "commitments" (the manifest's key) or "indicative"
    payments: dict[str, int] = field(default_factory=dict)  # network -> paid
    deducted: dict[str, int] = field(default_factory=dict)  # network -> deducted (fund, unspent)
    reported: list[Reported] = field(default_factory=list)
    county: str = ""  # [run] county in its configuration
    manifest_sha256: str = ""  # of its manifest.json: how a later run's reports name this decision
    reported_on: str = ""  # SHA-256 of the manifest of the decision its reports are on ([reports])
    reused: int = 0  # a second round: the first round's held-back money in its frame (counted once a year)

    @property
    def earlier_total(self) -> int:
        return sum(self.earlier.values())

    def new_grants(self) -> int:
        """Grants to the networks, without the earlier commitments drawn to them."""
        drawn = sum(v for k, v in self.earlier.items() if k in self.grants) if self.earlier_inside else 0
        return sum(self.grants.values()) - drawn

    def new_set_asides(self) -> int:
        drawn = sum(v for k, v in self.earlier.items() if k not in self.grants) if self.earlier_inside else 0
        return self.set_asides - drawn

    def difference(self) -> int:
        """frame − (earlier commitments + new grants + set-asides + held back): 0 when it reconciles."""
        return self.frame - (self.earlier_total + self.new_grants() + self.new_set_asides() + self.held_back)


@dataclass(frozen=True)
class YearLine:
    """One year's reconciliation over every run of that year."""

    year: int
    runs: tuple[str, ...]
    frame: int
    earlier: int
    new_grants: int
    set_asides: int
    held_back: int

    @property
    def difference(self) -> int:
        return self.frame - (self.earlier + self.new_grants + self.set_asides + self.held_back)


@dataclass
class Overview:
    """The years at a glance: the runs read, a line per year, and the kroner bound per recipient,
    decision year and payment year."""

    runs: list[RunRecord]
    years: list[YearLine]
    bound: dict[tuple[str, int, int], int]  # (recipient, decision year, payment year) -> kroner
