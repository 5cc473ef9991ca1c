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

from . import __version__
from .core import Allocation
from .findings import Finding

MANIFEST_VERSION = 1
DEPENDENCIES = ("pandas", "pandera", "python-calamine", "xlsxwriter", "openpyxl", "numpy")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def run_timestamp() -> dt.datetime:
    """The run's time; ``SOURCE_DATE_EPOCH`` fixes it for reproducible output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)


def environment() -> dict[str, Any]:
    versions = {}
    for dist in DEPENDENCIES:
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = None
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
) -> dict[str, Any]:
    networks = []
    for n in result.networks:
        networks.append({
            "name": n,
            "frame": result.network_frame(n),
            "parts": dict(result.parts[n]),
            "requested": None,
            "granted": None,
            "granted_owner": None,
            "granted_uh": None,
        })
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
        "held_back": result.held_back,
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
        "findings": [
            {"severity": f.severity, "code": f.code, "file": f.file, "sheet": f.sheet, "cell": f.cell,
             "message": f.message, "value": f.value, "fix": f.fix}
            for f in findings
        ],
        "environment": environment(),
    }
