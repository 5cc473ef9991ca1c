"""Results remembered by their exact key, within a budget.

Reading many files made from one template meets the same parts, defined names and cells again
and again; each reader that remembers a result for that uses one :class:`Bounded`. The key holds
everything the result depends on (a changed byte is another key); once the budget (bytes,
characters or entries, as the owner counts them) is spent, results are worked out afresh.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Bounded(Generic[V]):
    """Results remembered by key, within a budget the owner counts (bytes, characters or entries);
    once it is spent, nothing more is remembered."""

    def __init__(self, budget: int):
        self.budget, self.spent = budget, 0
        self.kept: dict[Hashable, V] = {}

    def get(self, key: Hashable) -> tuple[V] | None:
        """``(result,)`` if remembered (a result may itself be None), else None."""
        try:
            return (self.kept[key],)
        except KeyError:
            return None

    def keep(self, key: Hashable, result: V, cost: int = 1) -> None:
        """Remember ``result`` if ``cost`` still fits in the budget."""
        if self.spent + cost <= self.budget:
            self.kept[key] = result
            self.spent += cost
