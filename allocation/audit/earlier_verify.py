"""Before a run draws on earlier run folders, each must pass ``verify`` whole (its own re-run),
so a manifest whose commitments were edited by hand is refused, not only a changed file."""

from __future__ import annotations

from typing import Any

from ..model.findings import ERROR, Finding
from .verify import verify


def verify_earlier(prepared: Any) -> list[Finding]:
    """``earlier.not_verified`` for every earlier folder (or first round) that fails ``verify``."""

    years = prepared.years
    if years is None or prepared.config.earlier_copies:
        return []
    out = []
    for d in years.decisions + years.first:
        report = verify(d.path.parent, recheck=False)
        if report.identical:
            continue
        first = (report.differences or report.findings)[0]
        out.append(
            Finding(
                "earlier.not_verified",
                ERROR,
                f"Den tidligere kjøremappen «{d.folder}» består ikke kontrollen (verify): {first.text()}",
                file=prepared.config.path.name,
                cell="inputs.first_round" if d in years.first else "inputs.earlier_decisions",
                value=d.folder,
                fix="Pek på den urørte kjøremappen for vedtaket (den run laget), eller kjør det året på nytt.",
            )
        )
    return out
