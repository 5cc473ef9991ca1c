"""manifest.json: the run's numbers, inputs and provenance as data."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import platform
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import __version__
from ..allocate.trace import network_trace
from ..model.findings import Finding
from ..model.result import Allocation
from ..write.payments import payment_lines

MANIFEST_VERSION = 1
DEPENDENCIES = {  # distribution -> module
    "pandas": "pandas",
    "pandera": "pandera",
    "python-calamine": "python_calamine",
    "xlsxwriter": "xlsxwriter",
    "numpy": "numpy",
    "python-stdnum": "stdnum",
    "docxtpl": "docxtpl",  # the decision letters
    "python-docx": "docx",
}


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fingerprint(config_entry: dict[str, Any], inputs: list[dict[str, Any]]) -> str:
    """SHA-256 over the configuration's and every input's SHA-256, in the manifest's order:
    the same configuration and inputs give the same fingerprint, whatever the folder."""
    h = hashlib.sha256()
    for e in [config_entry, *inputs]:
        h.update(f"{e.get('role', 'config')}\t{e.get('sha256', '')}\n".encode())
    return h.hexdigest()


def run_timestamp() -> dt.datetime:
    """The run's time; ``SOURCE_DATE_EPOCH`` fixes it for reproducible output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)


def environment() -> dict[str, Any]:
    versions = {}
    for dist, module in DEPENDENCIES.items():
        loaded = sys.modules.get(module)
        version = getattr(loaded, "__version__", None)  # cheaper than a metadata look-up
        if version is None:
            try:
                version = metadata.version(dist)
            except metadata.PackageNotFoundError:
                version = None
        versions[dist] = version
    lock = Path(__file__).resolve().parent.parent / "uv.lock"
    return {
        "python": platform.python_version(),
        "platform": sys.platform,
        "dependencies": versions,
        "uv_lock_sha256": sha256_file(lock) if lock.is_file() else None,
    }


def build_manifest(
    result: Allocation,
    config_file: dict[str, str],
    inputs: list[dict[str, str]],
    findings: list[Finding],
    created: dt.datetime,
    command: list[str],
    trace: dict[str, list[dict[str, Any]]] | None = None,
    env: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The run's manifest; ``env`` is :func:`environment` when the caller has it already."""
    networks = []
    grants = result.grants
    for n in result.networks:
        g = grants.networks[n] if grants else None
        networks.append(
            {
                "name": n,
                "frame": result.network_frame(n),
                "parts": dict(result.parts[n]),
                "requested": g.requested if g else None,
                "granted": g.granted if g else None,
                "granted_owner": g.granted_owner if g else None,
                "granted_uh": g.granted_uh if g else None,
                **({"redistributed": g.redistributed} if g else {}),
            }
        )
    return {
        "manifest_version": MANIFEST_VERSION,
        "tool_version": __version__,
        "name": result.name,
        "created": created.isoformat(),
        "command": command,
        "config": config_file,
        "inputs": inputs,
        "unit": result.unit,
        "frame": result.frame,
        "networks": networks,
        "recipients": [{"name": name, "amount": amount} for name, amount in result.recipient_totals()],
        "held_back": result.total_held_back,
        "held_back_parts": {"pot_rounding": result.held_back, "not_granted": grants.held_back if grants else 0},
        **(_grant_data(grants, result.reports is not None) if grants else {}),
        **(report_data(result.reports) if result.reports is not None else {}),
        **(_commitment_data(result) if result.commitments is not None else {}),
        "pots": [
            {
                "name": p.name,
                "parent": p.parent,
                "amount": p.amount,
                "size": p.size,
                "basis": p.basis,
                "distribution": p.leaf or "pots",
                "recipient": p.recipient,
                "held_back": p.held_back,
                "note": p.note,
                "source": p.source,
            }
            for p in result.pots
        ],
        "trace": trace if trace is not None else network_trace(result),
        "findings": [
            {
                "severity": f.severity,
                "code": f.code,
                "file": f.file,
                "sheet": f.sheet,
                "cell": f.cell,
                "message": f.message,
                "value": f.value,
                "fix": f.fix,
            }
            for f in findings
        ],
        "environment": env if env is not None else environment(),
    }


def _grant_data(grants: Any, reported: bool = False) -> dict[str, Any]:
    """Applications, payments and indicative later years, for the manifest."""
    apps, payments = [], []
    for ng in grants.networks.values():
        for g in ng.apps:
            a = g.app
            apps.append(
                {
                    "network": ng.network,
                    "file": a.file,
                    "sheet": a.sheet,
                    "row": a.row + 1 if a.row is not None else None,
                    "tiltak": a.get("tiltak"),
                    "requested": g.requested,
                    "granted": g.granted,
                    "granted_owner": g.owner,
                    "granted_uh": g.uh,
                    "fund_owner": g.fund_owner,
                    "fund_uh": g.fund_uh,
                    "deducted_owner": g.deducted_owner,
                    "deducted_uh": g.deducted_uh,
                    "indicative": {
                        f"year_{y}": {"requested": r, "commitment": c} for y, (r, c) in g.indicative.items()
                    },
                    **(
                        {"unspent_deducted_owner": g.unspent_owner, "unspent_deducted_uh": g.unspent_uh}
                        if reported
                        else {}
                    ),
                }
            )
            payments += [p for p in payment_lines(ng.network, g)]
    return {
        "policy": grants.policy,
        "fund_rule": grants.fund_rule,
        "applications": apps,
        "payments": payments,
        "redistribution_rounds": grants.rounds,
    }


def report_data(outcome: Any) -> dict[str, Any]:
    """[reports]: each report read, what was unspent and what became of it; the repayment claims."""
    rules = outcome.rules
    unspent = {u.network: u for u in outcome.unspent}
    entries = []
    for rep in sorted(outcome.reports, key=lambda r: r.network):
        g = outcome.decision.granted[rep.network]
        u = unspent.get(rep.network)
        entries.append(
            {
                "network": rep.network,
                "file": rep.file,
                "sheet": rep.sheet,
                "submitted": rep.submitted.isoformat() if rep.submitted else None,
                "granted_owner": g.owner,
                "granted_uh": g.uh,
                "used_owner": rep.used_owner,
                "used_uh": rep.used_uh,
                "unspent_owner": u.unspent_owner if u else 0,
                "unspent_uh": u.unspent_uh if u else 0,
                "deducted": (u.deducted_owner + u.deducted_uh) if u else 0,
                "claimed": (u.claimed_owner + u.claimed_uh) if u else 0,
            }
        )
    return {
        "reports": {
            "decision": outcome.decision.name,
            "unspent": rules.unspent,
            "unspent_threshold": rules.unspent_threshold,
            "deadline": rules.deadline.isoformat() if rules.deadline else None,
            "exempt": list(rules.exempt),
            "entries": entries,
            "total_deducted": outcome.total_deducted(),
            "total_claimed": outcome.total_claimed(),
        },
        "repayment_claims": [
            {"network": c.network, "role": c.role, "recipient": c.recipient, "amount": c.amount, "reason": c.reason}
            for c in outcome.claims
        ],
    }


def _commitment_data(result: Allocation) -> dict[str, Any]:
    """Commitments across years: what this decision commits, what it drew from earlier
    decisions (``earlier_decisions``), and a second round's first round (``second_round``)."""
    record = result.commitments
    assert record is not None
    out: dict[str, Any] = {"commitments": record.as_manifest()}
    if record.decisions:
        out["earlier_decisions"] = record.earlier_entries()
    if record.second_round is not None:
        out["second_round"] = record.second_round_data()
    return out
