"""Writing a run folder: workbook, manifest.json and byte copies of the inputs."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import __version__
from ..allocate.trace import network_trace
from ..model.findings import Finding
from ..model.names import slug
from ..model.result import Allocation
from ..pipeline import Prepared
from .jsontext import dumps_indented
from .manifest import build_manifest, environment, fingerprint, run_timestamp, sha256_file
from .runfolder import Staged, claim, copy_inputs, publishing, write_new

WORKBOOK_NAME = "fordeling.xlsx"
MANIFEST_NAME = "manifest.json"


def to_json(data: Any) -> bytes:
    """``json.dumps(data, ensure_ascii=False, indent=2)`` and a line break, in UTF-8."""
    return (dumps_indented(data) + "\n").encode("utf-8")


def write_run(
    prepared: Prepared,
    result: Allocation,
    out: Path | None,
    base: Path,
    command: list[str],
    extra: Callable[[Path, dict[str, Any]], None] | None = None,
    into: Staged | None = None,
) -> Path:
    """Write the run folder atomically and return its path. ``extra(folder, manifest)`` may add
    files (e.g. the scenario workbook) before the folder is published. With ``into`` (a folder
    the caller publishes, with others), write there and leave publishing to the caller."""
    staged = into if into is not None else claim(out, base, slug(prepared.config.path.stem))
    created = run_timestamp()
    with publishing([staged] if into is None else []):
        tmp = staged.path
        shown = dict(zip(prepared.application_files, prepared.application_names, strict=False))
        files_used = [("config", prepared.config.path), *prepared.input_files()]
        copies = copy_inputs(files_used, tmp / "inputs", prepared.snapshot)
        folder = prepared.config.path.parent.resolve()
        files = [
            {
                "file": f"inputs/{name}",
                "sha256": digest,
                "role": role,
                "original": _relative(prepared.snapshot.real_path(src), folder),
                **({"shown_as": shown[src]} if shown.get(src, name) != name else {}),
            }
            for role, src, name, digest in copies
        ]
        config_file, inputs = files[0], files[1:]
        trace = network_trace(result)
        from ..write.workbook import write_workbook

        env = environment()
        revision = {
            "created": created.isoformat(),
            "tool_version": __version__,
            "command": command,
            "config": config_file,
            "inputs": inputs,
            "environment": env,
        }
        # The workbook first, the manifest after: the two are not held in memory at once.
        write_workbook(tmp / WORKBOOK_NAME, prepared, result, prepared.findings, revision, trace)
        manifest = build_manifest(result, config_file, inputs, prepared.findings, created, command, trace, env)
        manifest["workbook"] = WORKBOOK_NAME
        manifest["scenario"] = prepared.config.scenario
        if prepared.counts_sources:
            manifest["counts_sources"] = prepared.counts_sources
        manifest["workbook_sha256"] = sha256_file(tmp / WORKBOOK_NAME)
        manifest |= letters_part(tmp, prepared, result, config_file, inputs, created)
        if extra is not None:
            extra(tmp, manifest)
        write_new(tmp / MANIFEST_NAME, to_json(manifest))
    return staged.final


def letters_part(
    folder: Path,
    prepared: Prepared,
    result: Allocation,
    config_file: dict[str, Any],
    inputs: list[dict[str, Any]],
    created: Any,
) -> dict[str, Any]:
    """The run's ``fingerprint`` and, with ``[letters]``, the letters written into ``brev/``."""
    print_ = fingerprint(config_file, inputs)
    if prepared.config.letters is None:  # no [letters]: their modules are not even loaded
        return {"fingerprint": print_}
    from ..write.letters import letters_wanted, write_letters

    if not letters_wanted(prepared):
        return {"fingerprint": print_}

    return {"fingerprint": print_, **write_letters(folder, prepared, result, print_, created)}


def _relative(real: str, folder: Path) -> str:
    """How the configuration names a file (``real``: its real path, as the run's snapshot read
    it): relative to its folder (resolved), with forward slashes."""
    try:
        return Path(os.path.relpath(real, folder)).as_posix()
    except ValueError:  # another drive on Windows
        return os.path.basename(real)


def write_findings(findings: list[Finding], stem: str, out: Path | None, base: Path) -> Path:
    """A folder with the findings as JSON and as a workbook (sheet Kontroll)."""
    staged = claim(out, base, slug(stem) + "-kontroll")
    with publishing([staged]):
        tmp = staged.path
        data = {
            "created": run_timestamp().isoformat(),
            "environment": environment(),
            "findings": [f.to_dict() for f in findings],
        }
        write_new(tmp / "funn.json", to_json(data))
        from ..write.workbook import write_findings_workbook

        write_findings_workbook(tmp / "funn.xlsx", findings, f"Kontroll – {stem}")
    return staged.final
