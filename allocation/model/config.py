"""The configuration model: the tree of pots, count keys, application rules.

Plain frozen dataclasses; ``read.configuration.parse_config`` builds them from TOML text.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from .formatting import format_fraction
from .names import name_key

if TYPE_CHECKING:  # the optional sections' types: their modules are loaded only when a run has them
    from .letter_settings import LetterSettings
    from .membership import StatisticsSource
    from .reports import ReportsRules

COUNT_COLUMNS = ("Barn i barnehage", "Elever i grunnskolen", "Elever og lærlinger i vgs")

TOP_KEYS = {"run", "inputs", "keys", "pot", "applications", "scenario", "reports", "statistics", "letters"}
REPORTS_KEYS = {"run", "files", "deadline", "unspent_threshold", "unspent", "exempt", "note"}
SCENARIO_KEYS = {"name", "note", "run", "pots"}
SCENARIO_RUN_KEYS = {"frame", "unit", "name"}
RUN_KEYS = {"name", "county", "year", "unit", "frame", "frame_note", "note", "repaid", "repaid_note"}
INPUT_KEYS = {
    "counts",
    "parameters",
    "previous_run",
    "membership",
    "municipalities",
    "municipality_changes",
    "earlier_decisions",
    "first_round",
}
STATISTICS_KEYS = {"file", "column", "measure", "period", "note", "format"}
STATISTICS_FORMATS = ("statbank-csv", "json-stat2", "udir-csv")
KEY_KEYS = {"columns", "note"}
POT_KEYS = {
    "name",
    "parent",
    "note",
    "amount",
    "percent",
    "ratio",
    "rest",
    "per_network",
    "extra",
    "column",
    "recipient",
    "spread",
    "key",
}
SIZE_KEYS = ("amount", "percent", "ratio", "rest", "per_network")
APP_KEYS = {
    "files",
    "folder",
    "policy",
    "redistribution_key",
    "fund",
    "deadline",
    "max_coordination_share",
    "multiple_per_network",
    "note",
    "commitments",
    "commitments_note",
}
POLICIES = ("redistribute", "hold_back")
COMMITMENT_RULES = ("indicative", "requested", "none")
COMMITMENT_SOURCE = "Tilsagn"  # a pot's source: an earlier decision's commitment
FUND_RULES = ("report", "deduct")
SPREADS = ("key", "flat")


@dataclass(frozen=True)
class Key:
    """A weighted count key, e.g. barn + elever + vgs with weights 1, 1, 1."""

    name: str
    weights: tuple[tuple[str, Fraction], ...]
    note: str = ""

    def describe(self) -> str:
        parts = []
        for col, w in self.weights:
            parts.append(col if w == 1 else f"{format_fraction(w)} × {col}")
        return " + ".join(parts)


@dataclass(frozen=True)
class Pot:
    """One node of the pot tree.

    ``size`` is how the pot gets its money from its parent: ``amount`` (fixed
    kroner), ``percent`` (of the parent), ``ratio`` (count-ratio share of what
    the parent has left after fixed and percentage pots), ``rest`` (all that
    is left) or ``per_network`` (a flat amount per network, with extras).
    A leaf goes to a named ``recipient`` or is spread over the networks
    (``spread`` = ``key`` or ``flat``).
    """

    name: str
    parent: str | None
    size: str
    amount: int | None = None
    percent: Fraction | None = None
    ratio: Key | None = None
    per_network: int | None = None
    extra: tuple[tuple[str, int], ...] = ()
    column: str | None = None
    recipient: str | None = None
    spread: str | None = None
    key: Key | None = None
    note: str = ""
    source: str = "config"  # where the amount was decided: config or parameters workbook
    network_amounts: tuple[tuple[str, int, str], ...] = ()  # from the Nettverk sheet
    cell: str = ""  # A1 cell of the amount or share when it came from the parameters workbook (sheet: source)
    name_cell: str = ""  # A1 cell of its name there


@dataclass(frozen=True)
class ApplicationRules:
    """How applications are read and granted (section [applications])."""

    files: tuple[Path, ...]
    folder: Path | None
    policy: str = "redistribute"  # unused frame: "redistribute" (omfordeling) or "hold_back"
    redistribution_key: Key | None = None
    fund: str = "report"  # unspent money on fund: "report" only, or "deduct" from the payout
    deadline: dt.date | None = None
    max_coordination_share: Fraction = Fraction(20)
    multiple_per_network: bool = False
    note: str = ""
    commitments: str = "indicative"  # how much of a year-2/3 request is committed: model.commitments
    commitments_note: str = ""


@dataclass(frozen=True)
class Config:
    """A county's model for one year, as parsed from its configuration: the run, the inputs, the
    keys and the pots, and the optional sections (applications, years, letters, statistics)."""

    path: Path
    name: str
    county: str
    year: int | None
    unit: int
    frame: int | None
    frame_note: str
    counts: Path
    parameters: Path | None
    keys: dict[str, Key]
    pots: tuple[Pot, ...]
    note: str = ""
    raw_text: str = field(default="", repr=False)
    applications: ApplicationRules | None = None
    previous_run: Path | None = None  # manifest.json of last year's run (or another run) for comparison
    frame_cell: str = ""  # A1 cell in the sheet «Ramme» when the frame came from the parameters workbook
    scenario: str | None = None  # the scenario applied, when not the base case
    scenarios: tuple[str, ...] = ()  # the scenarios the file declares
    reports: ReportsRules | None = None  # [reports]: recipients' reports on an earlier decision
    membership: Path | None = None  # the workbook with sheet «Medlemskap»
    municipalities: Path | None = None  # the municipality code list (classification 131), when it is used
    municipality_changes: Path | None = None  # its changes (mergers, splits, new numbers)
    statistics: tuple[StatisticsSource, ...] = ()  # [[statistics]]: exports that fill count columns
    counts_given: bool = True  # False: no sheet «Tall»; the counts come from the statistics alone
    # --- commitments across years (model.commitments): (text in [inputs], manifest.json) ---
    earlier_decisions: tuple[tuple[str, Path], ...] = ()
    first_round: tuple[str, Path] | None = None
    earlier_copies: bool = False  # verify: the manifests are copies; the folders' files are not at hand
    repaid: int = 0  # [run] repaid: money paid back, out again in a second round
    repaid_note: str = ""
    letters: LetterSettings | None = None  # [letters]: decision letters in the run folder

    @property
    def input_files(self) -> list[Path]:
        files = [self.counts]
        if self.parameters is not None:
            files.append(self.parameters)
        return files

    def children(self, parent: str | None) -> list[Pot]:
        """The pots under ``parent`` (None: the frame), names compared by ``name_key``."""
        k = name_key(parent) if parent else None
        return [p for p in self.pots if (name_key(p.parent) if p.parent else None) == k]

    def count_columns(self) -> list[str]:
        """Every count column a key or ratio refers to, fixed ones first."""
        cols = list(COUNT_COLUMNS)
        for pot in self.pots:
            for key in (pot.ratio, pot.key):
                for col, _ in key.weights if key else ():
                    if col not in cols:
                        cols.append(col)
        return cols

    def with_pots(self, pots: list[Pot], frame: int | None, frame_note: str, frame_cell: str = "") -> Config:
        return replace(self, pots=tuple(pots), frame=frame, frame_note=frame_note, frame_cell=frame_cell)


RESERVED_NAMES = ("Ramme",)  # the frame: the root every top-level pot hangs under


def bare_name(name: str) -> str:
    """The name as compared for emptiness and reserved words: folded, without format characters."""
    return name_key("".join(ch for ch in name if unicodedata.category(ch) != "Cf"))
