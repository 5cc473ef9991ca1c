"""An earlier run folder used as an input: its manifest read, and its files checked by their hashes.

A run that draws on an earlier decision (the reports on it, the county's overview) first makes
sure the folder is what the run wrote: every file the manifest lists is there with the SHA-256
the manifest gives. The full re-run is ``verify``'s job; this is the check every use makes.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path, PurePosixPath
from typing import Any

from .snapshot import read_bytes

MANIFEST = "manifest.json"


class FolderProblem(Exception):
    """The folder cannot be used: ``kind`` is ``unusable`` (no manifest, not JSON) or ``tampered``."""

    def __init__(self, kind: str, message: str, file: str):
        super().__init__(message)
        self.kind, self.message, self.file = kind, message, file


def listed_files(manifest: dict[str, Any]) -> list[tuple[str, Any]]:
    """(relative path, sha256) of every file the manifest lists."""
    entries = [manifest["config"], *manifest.get("inputs", [])]
    out = [(e["file"], e.get("sha256")) for e in entries]
    if isinstance(manifest.get("workbook"), str):
        out.append((manifest["workbook"], manifest.get("workbook_sha256")))
    for key in ("scenario_workbook",):
        if isinstance(manifest.get(key), dict):
            out.append((manifest[key]["file"], manifest[key].get("sha256")))
    return out


def file_problems(folder: Path, files: list[tuple[str, Any]]) -> list[tuple[str, str]]:
    """(path, "missing" | "changed") for every listed file that is not inside ``folder`` as a
    plain file, or whose SHA-256 differs; empty when the folder is as the run wrote it."""
    out = []
    for rel, sha in files:
        target = folder / str(rel)
        ok = isinstance(rel, str) and ".." not in PurePosixPath(rel).parts and not PurePosixPath(rel).is_absolute()
        if not ok or not target.is_file() or target.is_symlink():
            out.append((str(rel), "missing"))
        elif not isinstance(sha, str) or hashlib.sha256(target.read_bytes()).hexdigest() != sha:
            out.append((str(rel), "changed"))
    return out


def read_run_folder(path: Path) -> dict[str, Any]:
    """The manifest of the run folder ``path`` (or of the folder of the manifest ``path``), after
    checking every listed file against its hash. Raises ``FolderProblem`` naming the folder."""
    manifest_path = path if path.name == MANIFEST else path / MANIFEST
    folder = manifest_path.parent
    try:
        manifest = json.loads(read_bytes(manifest_path).decode("utf-8"))
        files = listed_files(manifest)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise FolderProblem(
            "unusable",
            f"Kjøremappen {folder} kan ikke brukes: manifest.json mangler eller er ugyldig ({type(exc).__name__}).",
            str(folder),
        ) from None
    for rel, problem in file_problems(folder, files):
        if problem == "missing":
            raise FolderProblem("tampered", f"Kjøremappen {folder} er endret: filen {rel} mangler.", str(folder))
        raise FolderProblem(
            "tampered",
            f"Kjøremappen {folder} er endret: {rel} stemmer ikke med SHA-256 i manifestet.",
            str(folder),
        )
    return manifest
