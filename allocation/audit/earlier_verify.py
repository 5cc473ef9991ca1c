"""Before a run draws on earlier run folders, each must give its own numbers again, so a
manifest whose commitments were edited by hand is refused, not only a changed file.

A folder made by this version of the tool must pass ``verify`` whole. A folder made by
another version (last year's run, before an upgrade) is re-run from its own copies and must
give the same commitments, the same amount held back and the same grants: the numbers a
later run draws on. Its files are checked against their hashes by ``read.earlier`` either way.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import __version__
from ..model.findings import ERROR, ConfigError, Finding, InputErrors
from .verify import _overrides, verify


def verify_earlier(prepared: Any) -> list[Finding]:
    """``earlier.not_verified`` for every earlier folder (or first round) that does not give its
    own numbers again."""
    years = prepared.years
    if years is None or prepared.config.earlier_copies:
        return []
    out = []
    for d in years.decisions + years.first:
        problem = _problem(d.path.parent)
        if problem is None:
            continue
        out.append(
            Finding(
                "earlier.not_verified",
                ERROR,
                f"Den tidligere kjøremappen «{d.folder}» består ikke kontrollen (verify): {problem}",
                file=prepared.config.path.name,
                cell="inputs.first_round" if d in years.first else "inputs.earlier_decisions",
                value=d.folder,
                fix="Pek på den urørte kjøremappen for vedtaket (den run laget), eller kjør det året på nytt.",
            )
        )
    return out


def _problem(folder: Path) -> str | None:
    manifest = json.loads((folder / "manifest.json").read_bytes().decode("utf-8"))
    if manifest.get("tool_version") == __version__:
        report = verify(folder, recheck=False)
        return None if report.identical else (report.differences or report.findings)[0].text()
    return _numbers_differ(folder, manifest)


def _numbers_differ(folder: Path, manifest: dict[str, Any]) -> str | None:
    """Made by another version: the numbers a later run draws on, re-run from the copies."""
    from ..pipeline import run

    try:
        _, result = run(folder / manifest["config"]["file"], _overrides(folder, manifest), manifest.get("scenario"))
    except (ConfigError, InputErrors, KeyError, TypeError) as exc:
        return f"kjøringen kan ikke gjentas fra kopiene i inputs/ ({type(exc).__name__})"
    if result.commitments is None:
        return "kjøringen gir ingen tilsagn"
    stored = manifest.get("commitments", {})
    if result.commitments.as_manifest()["made"] != stored.get("made"):
        return "tilsagnene i manifest.json er ikke de kjøringen gir fra sine egne inndata"
    if result.total_held_back != manifest.get("held_back"):
        return "beløpet som ble holdt tilbake, er ikke det kjøringen gir fra sine egne inndata"
    return None
