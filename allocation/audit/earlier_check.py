"""The earlier run folders a run draws on, checked whole with ``verify``.

``read.earlier`` checks each earlier folder's files against the hashes in its manifest;
``earlier_verify`` re-runs each before a run draws on it. ``verify`` of a later run
re-checks the folders it drew on with :func:`recheck_recorded`: each is verified again where
the run found it (``earlier_decisions[].path``, ``second_round.path``); its manifest must
still be the one copied into ``inputs/``. A folder no longer there is a note: the later run
was re-checked from the copy.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..model.findings import ERROR, NOTE, Finding


def recorded(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """The earlier folders a run recorded: earlier decisions and the first round."""
    out = [e for e in manifest.get("earlier_decisions", []) if isinstance(e, dict)]
    second = manifest.get("second_round")
    if isinstance(second, dict):
        out.append({"folder": second.get("first_round"), **second})
    return out


def recheck_recorded(manifest: dict[str, Any], verify: Callable[[Path], Any]) -> list[Finding]:
    """Each earlier folder the run drew on, verified again (``verify``) where the run found it."""
    out = []
    for e in recorded(manifest):
        path = Path(str(e.get("path") or ""))
        where = f"«{e.get('folder')}» ({path})"
        if not e.get("path") or not (path / "manifest.json").is_file():
            out.append(
                Finding(
                    "verify.earlier_not_found",
                    NOTE,
                    f"Den tidligere kjøremappen {where} finnes ikke der kjøringen fant den; kontrollert fra "
                    "kopien i inputs/.",
                    file="manifest.json",
                    value=str(e.get("folder")),
                    fix="Legg mappen tilbake der den var for å kontrollere den også.",
                )
            )
            continue
        problems = []
        if hashlib.sha256((path / "manifest.json").read_bytes()).hexdigest() != e.get("manifest_sha256"):
            problems.append("manifest.json er ikke den kjøringen bygde på (SHA-256 stemmer ikke med kopien)")
        problems += _folder_problems(path, verify)
        out += [
            Finding(
                "verify.earlier_differs",
                ERROR,
                f"Den tidligere kjøremappen {where}: {problem}.",
                file="manifest.json",
                value=str(e.get("folder")),
                fix="Pek på den urørte kjøremappen for vedtaket (den run laget), eller kjør det året på nytt.",
            )
            for problem in problems
        ]
    return out


def _folder_problems(path: Path, verify: Callable[[Path], Any]) -> list[str]:
    """Made by this version: ``verify`` whole. By another version: its files against their hashes
    (a re-run by this version may differ for reasons of the version; the later run's numbers
    come from the copy of the manifest, checked above)."""
    from .. import __version__
    from ..read.earlier import changed_files

    data = json.loads((path / "manifest.json").read_bytes().decode("utf-8"))
    if isinstance(data, dict) and data.get("tool_version") != __version__:
        return [f"laget med versjon {data.get('tool_version')}: {c}" for c in changed_files(path, data)]
    return [f.text() for f in verify(path).differences[:3]]
