"""A statistics export read for ``[[statistics]]``: the readers of :mod:`.statistics` (statbank
CSV, JSON-stat 2, Udir exports), with any failure of theirs on a user's file turned into a
finding, never a crash. (The module once held a small stand-in CSV reader, used until those
readers were there.)"""

from __future__ import annotations

from ..model.findings import ERROR, Finding, InputErrors
from ..model.membership import StatisticsSource
from ..model.statistics import StatTable
from .statistics import read_statistics


def load_table(source: StatisticsSource) -> tuple[StatTable | None, list[Finding]]:
    """The export read in the format the configuration names, or the one its bytes show."""
    try:
        return read_statistics(source.file, format=source.format or None)
    except InputErrors as exc:  # a reader that reports its findings this way
        return None, list(exc.findings)
    except Exception as exc:  # noqa: BLE001 - any reader's failure on a user's file is a finding, never a crash
        return None, [
            Finding(
                "statistics.unreadable",
                ERROR,
                f"Statistikkfilen kan ikke leses ({exc}).",
                file=source.file.name,
                cell=f"statistics[{source.index}].file",
                fix="Last ned tabellen på nytt som CSV (semikolonseparert, med overskrifter) eller JSON-stat 2.",
            )
        ]
