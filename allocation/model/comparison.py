"""Two runs compared: rows of kroner side by side."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Row:
    """One line of a comparison of two runs: a label and its kroner in run A and run B."""

    label: str
    a: int | None
    b: int | None
    status: str = ""  # "ny", "borte" or ""

    @property
    def change(self) -> int | None:
        return None if self.a is None or self.b is None else self.b - self.a

    @property
    def percent(self) -> float | None:
        if self.a in (None, 0) or self.b is None:
            return None
        return (self.b - self.a) / self.a  # display only

    def above(self, threshold: Decimal) -> bool:
        if self.status:
            return True
        if self.a in (None, 0):
            return bool(self.b)
        return abs(Decimal(self.b - self.a) / Decimal(self.a)) > threshold / 100 if self.b is not None else True


@dataclass
class Comparison:
    """Two runs side by side: the frame, what was held back, and the networks, grants, parts,
    pots and recipients, row by row."""

    name_a: str
    name_b: str
    frame: Row
    held_back: Row
    networks: list[Row]
    granted: list[Row]
    parts: list[tuple[str, Row]]  # (network, row labelled by part)
    pots: list[Row]
    recipients: list[Row]
    parameters: list[tuple[str, str, str]]  # parameter, value in A, value in B
    threshold: Decimal = Decimal(5)
    notes: list[str] = field(default_factory=list)
