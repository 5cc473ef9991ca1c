"""Reports taken twice: ``[reports]`` on a decision whose reports an earlier run or the first
round already took (the same reported manifest among that run's inputs, by SHA-256). The
unspent money would be deducted or claimed twice."""

from __future__ import annotations

import hashlib
import json

from ..model.commitments import YearsInput
from ..model.config import Config
from ..model.findings import ERROR, Finding
from .snapshot import read_bytes


def reported_before(config: Config, years: YearsInput | None) -> list[Finding]:
    if config.reports is None or years is None:
        return []
    run = config.reports.run
    try:
        mine = hashlib.sha256(read_bytes(run / "manifest.json" if run.is_dir() else run)).hexdigest()
    except OSError:
        return []  # the reports reader names the folder
    out: list[Finding] = []
    for d in [*years.decisions, *years.first]:
        try:
            data = json.loads(read_bytes(d.path).decode("utf-8")) if d.path is not None else {}
        except (OSError, ValueError):
            continue  # the earlier reader names the folder
        inputs = data.get("inputs", []) if isinstance(data, dict) else []
        if any(isinstance(e, dict) and e.get("role") == "reported_run" and e.get("sha256") == mine for e in inputs):
            out.append(
                Finding(
                    "report.taken_before",
                    ERROR,
                    f"Rapportene på vedtaket i «{run.name}» er allerede tatt med i kjøringen «{d.name}» "
                    f"({d.folder}); ubrukte midler ville blitt trukket eller krevd tilbake to ganger.",
                    file=config.path.name,
                    cell="reports.run",
                    value=d.folder,
                    fix="Ta bort [reports] her: rapportene på et vedtak leses bare én gang, i den kjøringen "
                    "som trekker dem fra utbetalingen.",
                )
            )
    return out
