"""Commitments (tilsagn) across years: what a decision binds for later years, and what
earlier decisions bind this year.

A decision grants year 1 and may commit money for years 2 and 3 (``[applications]
commitments``). A later run names the earlier run folders (``[inputs] earlier_decisions``);
their commitments due that year come off the frame first, each decision's as its own pot
(«Tilsagn fra vedtak 2025 (år 2)») with one leaf per recipient. The forum may change or
cancel a commitment (parameters sheet ``Tilsagnsendringer``); the change is shown beside
the original. Types only: :mod:`allocation.allocate.commitments` makes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ROLE_NO = {"owner": "eier", "uh": "UH"}


@dataclass(frozen=True)
class Commitment:
    """One recipient's money from one decision for one year of the partnership."""

    network: str
    role: str  # "owner" or "uh"
    recipient: str  # the recipient's name as the application gave it
    orgnr: str
    year: int  # 1, 2 or 3: the year of the partnership
    payment_year: int | None  # the calendar year it is paid (decision year + year - 1)
    amount: int

    def key(self) -> tuple[str, str, str, int]:
        from .names import name_key

        return (name_key(self.network), self.role, name_key(self.recipient), self.year)


@dataclass(frozen=True)
class Decision:
    """An earlier run's decision as read from its folder (``read.earlier``)."""

    folder: str  # the folder as the configuration names it
    name: str  # the run's name
    year: int | None  # the decision year ([run] year of that run)
    second_round: bool
    commitments: tuple[Commitment, ...]
    manifest_sha256: str
    held_back: int = 0
    networks: tuple[tuple[str, int | None], ...] = ()  # network, granted in that run
    path: Path | None = field(default=None, compare=False)  # its manifest.json as read (copied to inputs/)

    def label(self) -> str:
        year = str(self.year) if self.year is not None else "uten år"
        return f"vedtak {year}" + (", 2. runde" if self.second_round else "")


@dataclass(frozen=True)
class Change:
    """A row of ``Tilsagnsendringer``: the forum changes or cancels an earlier commitment."""

    decision: str  # Vedtak: the earlier run's name or folder name
    network: str
    recipient: str
    payment_year: int
    new_amount: int
    note: str
    file: str
    sheet: str
    row: int  # 1-based row in the sheet
    cells: dict[str, str] = field(default_factory=dict)  # header -> A1


@dataclass(frozen=True)
class Drawn:
    """An earlier commitment due this year, taken off the frame (perhaps changed)."""

    decision: Decision
    commitment: Commitment
    amount: int  # what is paid this year: the original or the forum's change
    change: Change | None = None

    @property
    def original(self) -> int:
        return self.commitment.amount

    def pot(self) -> str:
        """The top-level pot of this decision and year: «Tilsagn fra vedtak 2025 (år 2)»."""
        return f"Tilsagn fra {self.decision.label()} (år {self.commitment.year})"

    def leaf(self) -> str:
        c = self.commitment
        return f"{self.pot()}: {c.network}, {ROLE_NO.get(c.role, c.role)} {c.recipient}"


@dataclass(frozen=True)
class SecondRound:
    """A second round: what the first round left, with repaid money, goes out again."""

    first: Decision
    held_back: int
    repaid: int
    repaid_note: str

    @property
    def frame(self) -> int:
        return self.held_back + self.repaid


@dataclass
class YearsInput:
    """What a run draws on from other runs: earlier decisions (each ``.path`` its manifest),
    the forum's changes, the first round of a second round, and what is due this year."""

    decisions: list[Decision]
    changes: list[Change]
    first: list[Decision]
    drawn: list[Drawn] = field(default_factory=list)
    second_round: SecondRound | None = None


@dataclass
class Record:
    """What a run records about commitments (manifest ``commitments``, sheet ``Tilsagn``)."""

    rule: str
    note: str
    decision_year: int | None
    second_round: SecondRound | None
    made: list[Commitment]
    drawn: list[Drawn]
    decisions: list[Decision]

    def as_manifest(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "note": self.note,
            "decision_year": self.decision_year,
            "second_round": self.second_round is not None,
            "made": [
                {
                    "network": c.network,
                    "role": c.role,
                    "recipient": c.recipient,
                    "orgnr": c.orgnr,
                    "year": c.year,
                    "payment_year": c.payment_year,
                    "amount": c.amount,
                }
                for c in self.made
            ],
            "drawn": [
                {
                    "pot": d.pot(),
                    "decision": d.decision.name,
                    "folder": d.decision.folder,
                    "decision_year": d.decision.year,
                    "network": d.commitment.network,
                    "role": d.commitment.role,
                    "recipient": d.commitment.recipient,
                    "year": d.commitment.year,
                    "payment_year": d.commitment.payment_year,
                    "original": d.original,
                    "amount": d.amount,
                    "change_note": d.change.note if d.change is not None else None,
                }
                for d in self.drawn
            ],
            "total_drawn": sum(d.amount for d in self.drawn),
            "by_payment_year": _by_year(self.made),
        }

    def earlier_entries(self) -> list[dict[str, object]]:
        return [
            {
                "folder": d.folder,
                "name": d.name,
                "year": d.year,
                "manifest_sha256": d.manifest_sha256,
                "path": str(d.path.parent) if d.path is not None else None,
            }
            for d in self.decisions
        ]

    def second_round_data(self) -> dict[str, object] | None:
        s = self.second_round
        if s is None:
            return None
        return {
            "first_round": s.first.folder,
            "first_round_name": s.first.name,
            "manifest_sha256": s.first.manifest_sha256,
            "path": str(s.first.path.parent) if s.first.path is not None else None,
            "held_back": s.held_back,
            "repaid": s.repaid,
            "repaid_note": s.repaid_note,
            "frame": s.frame,
            "frozen": [{"network": n, "granted": g} for n, g in s.first.networks],
        }


def _by_year(made: list[Commitment]) -> dict[str, int]:
    out: dict[str, int] = {}
    for c in made:
        key = str(c.payment_year if c.payment_year is not None else f"år {c.year}")
        out[key] = out.get(key, 0) + c.amount
    return out
