"""The allocation result: splits, grants, every pot with its amount, each network's parts.

Types only; :mod:`allocation.allocate` makes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

from .config import Key
from .names import name_key

if TYPE_CHECKING:  # the optional parts' types: their modules are loaded only when a run has them
    from .applications import Application
    from .commitments import Record
    from .reports import ReportsOutcome


@dataclass(frozen=True)
class Share:
    """One participant's result of a split, with the figures that explain it."""

    name: str
    weight: Fraction
    exact: Fraction  # the exact (unrounded) share in kroner
    floor: int  # the share floored to the rounding unit, in kroner
    amount: int  # floor plus any unit handed out for the remainder

    @property
    def rounding(self) -> int:
        """Kroner added by the largest-remainder step (0 or one unit)."""
        return self.amount - self.floor


@dataclass(frozen=True)
class Split:
    """The outcome of splitting ``total`` over weights."""

    total: int
    unit: int
    shares: tuple[Share, ...]
    held_back: int  # below one unit, not distributed

    def amounts(self) -> dict[str, int]:
        return {s.name: s.amount for s in self.shares}


@dataclass
class AppGrant:
    """One application's grant: requested and granted in kroner, split between the owner and the
    university partner, with what was reported unspent and deducted."""

    app: Application
    requested: int
    granted: int
    owner: int
    uh: int
    fund_owner: int = 0  # unspent money on fund, as reported
    fund_uh: int = 0
    deducted_owner: int = 0  # deducted from the payout (fund = "deduct")
    deducted_uh: int = 0
    indicative: dict[int, tuple[int, int]] = field(default_factory=dict)  # year -> (requested, indicative grant)
    unspent_owner: int = 0  # deducted for unspent money reported on an earlier grant ([reports])
    unspent_uh: int = 0

    @property
    def paid_owner(self) -> int:
        return self.owner - self.deducted_owner - self.unspent_owner

    @property
    def paid_uh(self) -> int:
        return self.uh - self.deducted_uh - self.unspent_uh


@dataclass
class NetworkGrant:
    """A network's frame against what its applications requested, what was granted from it and
    what it got of the money redistributed."""

    network: str
    frame: int
    requested: int | None
    base: int  # min(requested, frame)
    redistributed: int = 0
    apps: list[AppGrant] = field(default_factory=list)

    @property
    def granted(self) -> int:
        return self.base + self.redistributed

    @property
    def granted_owner(self) -> int:
        return sum(a.owner for a in self.apps)

    @property
    def granted_uh(self) -> int:
        return sum(a.uh for a in self.apps)


@dataclass
class Grants:
    """The granting by application: per network, the frame held back, and each round of
    redistribution."""

    policy: str
    fund_rule: str
    networks: dict[str, NetworkGrant]
    held_back: int  # frame not granted, kept by the Statsforvalteren
    rounds: list[dict[str, int]] = field(default_factory=list)  # redistribution per round: network -> kroner

    def total_granted(self) -> int:
        return sum(n.granted for n in self.networks.values())

    def total_deducted(self) -> int:
        return sum(a.deducted_owner + a.deducted_uh for n in self.networks.values() for a in n.apps)

    def total_unspent_deducted(self) -> int:
        """Deducted for unspent money reported on an earlier grant ([reports], unspent = "deduct")."""
        return sum(a.unspent_owner + a.unspent_uh for n in self.networks.values() for a in n.apps)


ROOT = "Ramme"


@dataclass
class PotResult:
    """One pot as allocated, with what explains its amount."""

    name: str
    parent: str  # ROOT for top-level pots
    size: str
    amount: int
    depth: int
    note: str = ""
    source: str = "config"
    basis: str = ""  # how the amount was found, in Norwegian, e.g. "8 % av Ramme"
    weight: Fraction | None = None  # the weight this pot had in its parent's split
    leaf: str = ""  # "recipient", "key", "flat", "" for inner pots
    recipient: str | None = None
    key: Key | None = None
    shares: tuple[Share, ...] = ()  # per network, for spread leaves
    held_back: int = 0  # held back in splits made under or by this pot


@dataclass
class Allocation:
    """The result: every pot, every network's parts, recipients, held back."""

    name: str
    frame: int
    unit: int
    networks: tuple[str, ...]
    pots: list[PotResult]
    parts: dict[str, dict[str, int]]  # network -> leaf pot -> kroner
    recipients: list[tuple[str, int, str]]  # recipient, kroner, pot
    held_back: int
    root_held_back: int = 0
    key_values: dict[str, dict[str, Fraction]] = field(default_factory=dict)  # pot -> network -> weight
    grants: Grants | None = None  # when applications were read
    reports: ReportsOutcome | None = None  # when [reports] names reports on an earlier decision
    commitments: Record | None = None  # commitments made and drawn (pipeline.run)

    @property
    def total_held_back(self) -> int:
        """Held back in the pot splits plus frame not granted to applications."""
        return self.held_back + (self.grants.held_back if self.grants else 0)

    def network_frame(self, network: str) -> int:
        return sum(self.parts[network].values())

    def leaf_spread_pots(self) -> list[PotResult]:
        return [p for p in self.pots if p.leaf in ("key", "flat")]

    def recipient_totals(self) -> list[tuple[str, int]]:
        totals: dict[str, tuple[str, int]] = {}  # one recipient however its name is spelt
        for name, amount, _ in self.recipients:
            first, before = totals.get(name_key(name), (name, 0))
            totals[name_key(name)] = (first, before + amount)
        return list(totals.values())

    def pot(self, name: str) -> PotResult:
        for p in self.pots:
            if p.name == name:
                return p
        raise KeyError(name)
