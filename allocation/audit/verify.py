"""``verify RUN_DIR``: is the folder exactly what its own inputs give?

1. ``manifest.json`` is read and checked: valid JSON, the keys and types verify relies on,
   and every path relative and inside the folder. If not, the folder cannot be used (exit 2).
2. Every file is checked against its hash, and the files on disk against the manifest's
   list: a missing or empty hash, a missing file, an extra file — each a difference.
3. The run is repeated from the copies in ``inputs/``; the stored manifest is compared whole
   with the rebuilt one (all keys but ``IGNORED``), and the stored workbook cell by cell with
   the rebuilt workbook (see ``verify_workbook``).

Every difference is a ``Finding`` naming where it is; the library never prints.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .. import __version__
from ..model.findings import ERROR, NOTE, ConfigError, Finding, InputErrors
from .earlier_check import recheck_recorded
from .letters_verify import rebuilt_letters
from .manifest import sha256_file
from .manifest_diff import MISSING, diff, json_text, label, path_text, show
from .verify_manifest import MANIFEST_NAME, Unusable, created_time, load_manifest
from .verify_workbook import compare_workbooks, quote

# Keys not compared, each with its reason:
#   created      – the run's time; the rebuilt workbook uses the stored one, so a changed
#                  time still shows as a difference in the workbook's cells;
#   command      – how the run was started (paths differ by machine); likewise in the workbook;
#   environment  – Python, platform and package versions of the machine that made the run.
IGNORED = ("created", "command", "environment")
LITTER = {".ds_store", "thumbs.db", "desktop.ini"}  # written by file browsers, never read
SHOWN = 30  # manifest differences named; the rest are counted
_HEX64 = re.compile(r"[0-9a-f]{64}")
RERUN_FIX = "Kjør fordelingen på nytt fra de opprinnelige filene i stedet for å endre kjøremappen."


@dataclass
class VerifyReport:
    """What ``verify`` found: the lines it prints, the findings (a difference is an error), and
    whether the folder could be checked at all."""

    lines: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unusable: bool = False

    @property
    def differences(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def identical(self) -> bool:
        return not self.differences and not self.unusable

    def differ(self, code: str, message: str, **where: str) -> None:
        self.findings.append(Finding(code, ERROR, message, fix=where.pop("fix", RERUN_FIX), **where))


def verify(run_dir: Path, recheck: bool = True) -> VerifyReport:
    """``recheck`` False: the earlier folders the run drew on are not verified again (one level
    deep is enough: each run's numbers come from its own copies)."""
    report = VerifyReport()
    try:
        manifest, entries = load_manifest(run_dir)
    except Unusable as exc:
        report.unusable = True
        report.findings.append(exc.finding)
        return report
    report.lines.append(
        f"Kontrollerer {run_dir} (laget med versjon {manifest['tool_version']}, kontrollert med {__version__})."
    )
    _check_files(report, run_dir, manifest, entries)
    config_path = run_dir / manifest["config"]["file"]
    if config_path.is_file() and not config_path.is_symlink():
        _rerun(report, run_dir, manifest)
    if recheck:  # commitments across years: the folders drawn on
        report.findings += recheck_recorded(manifest, lambda path: verify(path, recheck=False))
    if report.differences and manifest["tool_version"] != __version__:
        report.lines.append(
            f"Merk: kjøringen ble laget med versjon {manifest['tool_version']}; forskjeller kan komme av "
            "endringer i verktøyet. Installer den versjonen (se Revisjon-arket og uv.lock) for å gjenta "
            "kjøringen nøyaktig."
        )
    return report


# --- 2. the files ------------------------------------------------------------------------------


def _check_files(report: VerifyReport, run_dir: Path, manifest: dict[str, Any], entries: list) -> None:
    if "workbook" not in manifest:
        report.differ(
            "verify.workbook_entry_missing",
            "Manifestet nevner ingen arbeidsbok (nøkkelen «workbook» mangler); arbeidsboka kan ikke kontrolleres.",
            file=MANIFEST_NAME,
        )
    for file, sha, key in entries:
        path = run_dir / file
        if not isinstance(sha, str) or not _HEX64.fullmatch(sha):
            report.differ(
                "verify.hash_missing",
                f"Manifestet har ingen gyldig SHA-256 for {file} ({key}); filen kan ikke kontrolleres.",
                file=MANIFEST_NAME,
                value="" if sha is None else json_text(sha),
            )
        if path.is_symlink():
            report.differ("verify.unsafe_path", "Filen er en lenke, ikke en kopi.", file=file)
        elif not path.is_file():
            report.differ("verify.file_missing", f"Filen {file} mangler i kjøremappen.", file=file)
        elif isinstance(sha, str) and _HEX64.fullmatch(sha) and sha256_file(path) != sha:
            report.differ(
                "verify.file_changed", f"Filen {file} er endret (SHA-256 stemmer ikke med manifestet).", file=file
            )
    expected = {MANIFEST_NAME} | {_nfc(file) for file, _, _ in entries}
    for rel in _files_on_disk(run_dir):
        if _nfc(rel) in expected:
            continue
        name = rel.rsplit("/", 1)[-1]
        if name.startswith("~$") or name.casefold() in LITTER:
            report.findings.append(
                Finding("verify.ignored_file", NOTE, "Låsefil eller systemfil, ikke en del av kjøringen.", file=rel)
            )
        elif rel.startswith("inputs/"):
            report.differ(
                "verify.extra_input", f"{rel} ligger i inputs/, men står ikke i manifestet.", file=rel, value=rel
            )
        else:
            report.differ("verify.extra_file", f"{rel} står ikke i manifestet.", file=rel, value=rel)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _files_on_disk(run_dir: Path) -> list[str]:
    """Every file, link and empty folder in the run folder, as relative posix paths."""
    out = []
    for root, dirs, files in os.walk(run_dir, followlinks=False):
        base = Path(root).relative_to(run_dir)
        links = [d for d in dirs if (Path(root) / d).is_symlink()]
        empty = [d for d in dirs if d not in links and not any((Path(root) / d).iterdir())]
        for name in [*files, *links, *(d + "/" for d in empty)]:
            out.append((base / name).as_posix() + ("/" if name.endswith("/") else ""))
    return sorted(out)


# --- 3. the re-run -----------------------------------------------------------------------------


def _rerun(report: VerifyReport, run_dir: Path, manifest: dict[str, Any]) -> None:
    from ..allocate.trace import network_trace
    from ..pipeline import run
    from .manifest import build_manifest
    from .runfolder import RunFolderError

    overrides = _overrides(run_dir, manifest)
    try:
        prepared, result = run(run_dir / manifest["config"]["file"], overrides, manifest["scenario"])
    except (ConfigError, InputErrors) as exc:
        shown = "; ".join(f.text() for f in exc.findings[:5])
        report.differ(
            "verify.rerun_failed",
            f"Kjøringen kan ikke gjentas fra kopiene i inputs/: {shown}",
            file=manifest["config"]["file"],
        )
        return
    except RunFolderError as exc:
        report.differ("verify.rerun_failed", f"Kjøringen kan ikke gjentas: {exc}")
        return
    created = created_time(manifest["created"])
    if created is None:  # the manifest check refuses such a folder before this point
        report.differ("verify.rerun_failed", f"Tidspunktet «{manifest['created']}» i manifestet kan ikke leses.")
        return
    trace = network_trace(result)
    fresh = build_manifest(
        result, manifest["config"], manifest["inputs"], prepared.findings, created, manifest["command"], trace
    )
    with tempfile.TemporaryDirectory() as tmp:
        workbook = Path(tmp) / "fordeling.xlsx"
        _write_workbook(workbook, prepared, result, manifest, trace)
        fresh["workbook"] = manifest.get("workbook", "fordeling.xlsx")
        fresh["scenario"] = prepared.config.scenario
        if prepared.counts_sources:
            fresh["counts_sources"] = prepared.counts_sources
        fresh["workbook_sha256"] = sha256_file(workbook)
        letters, letter_findings = rebuilt_letters(run_dir, manifest, prepared, result, created)
        fresh |= letters
        _scenario_keys(report, manifest, fresh, prepared)
        _earlier_paths(manifest, fresh)
        _compare_manifests(report, manifest, fresh)
        stored = run_dir / manifest["workbook"] if "workbook" in manifest else None
        if stored is not None and stored.is_file() and not stored.is_symlink():
            report.findings += compare_workbooks(stored, workbook, manifest["workbook"])
        report.findings += letter_findings
        if "scenario_workbook" in manifest and prepared.config.scenarios and prepared.config.scenario is None:
            _compare_scenario_workbook(report, run_dir, manifest, fresh, prepared, overrides, Path(tmp))


def _compare_scenario_workbook(
    report: VerifyReport,
    run_dir: Path,
    manifest: dict[str, Any],
    fresh: dict[str, Any],
    prepared: Any,
    overrides: dict[str, Any],
    tmp: Path,
) -> None:
    """scenarier.xlsx: every alternative re-run from the copies, the side-by-side workbook rebuilt."""
    from ..pipeline import run
    from .manifest import build_manifest
    from .scenarios import write_scenarios

    stored = run_dir / manifest["scenario_workbook"]["file"]
    if not stored.is_file() or stored.is_symlink():
        return  # reported with the files
    config_path = run_dir / manifest["config"]["file"]
    alternatives = []
    for name in prepared.config.scenarios:
        try:
            _, result = run(config_path, overrides, name)
        except (ConfigError, InputErrors) as exc:
            shown = "; ".join(f.text() for f in exc.findings[:5])
            report.differ("verify.rerun_failed", f"Scenario {quote(name)} kan ikke gjentas: {shown}")
            return
        alternatives.append((name, build_manifest(result, {}, [], [], dt.datetime(2000, 1, 1), [])))
    rebuilt = tmp / "scenarier.xlsx"
    write_scenarios(rebuilt, fresh, alternatives, prepared.config.raw_text)
    report.findings += compare_workbooks(stored, rebuilt, manifest["scenario_workbook"]["file"])


def _overrides(run_dir: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """Input paths by role, from the folder's copies, with the names the original run showed."""
    overrides: dict[str, Any] = {"reports": []} if manifest.get("reports") is not None else {}  # copies only
    shown_as: dict[Path, str] = {}
    for e in manifest["inputs"]:
        path = run_dir / e["file"]
        if str(e["role"]).startswith("letter_template:"):
            overrides.setdefault("letter_templates", {})[e["role"].split(":", 1)[1]] = path
        elif e["role"] == "applications":
            overrides.setdefault("applications", []).append(path)
            shown_as[path] = e.get("shown_as") or path.name
        elif e["role"] == "reports":
            overrides.setdefault("reports", []).append(path)
        elif e["role"] == "statistics":
            overrides.setdefault("statistics", []).append(path)
        elif e["role"] == "earlier":  # commitments across years: the copies, in the order named
            overrides.setdefault("earlier", []).append(path)
        else:
            overrides[e["role"]] = path
    if "applications" in overrides:
        overrides["shown_as"] = shown_as
        used = {PurePosixPath(e["file"]).name for e in [manifest["config"], *manifest["inputs"]]}
        overrides["listing_notes"] = _listing_notes(manifest, used | set(shown_as.values()))
    return overrides


def _listing_notes(manifest: dict[str, Any], shown: set[str]) -> list[Finding]:
    """Notes about files the original run skipped in the applications folder: the skipped files
    were not copied, so these notes are carried over from the manifest, not re-derived."""
    notes = []
    stored = manifest.get("findings")
    for f in stored if isinstance(stored, list) else []:
        if (
            isinstance(f, dict)
            and all(isinstance(f.get(k), str) for k in ("code", "severity", "file", "message"))
            and f["code"].startswith("applications.")
            and f["severity"] != ERROR
            and f["file"]
            and f["file"] not in shown
            and not f.get("sheet")
        ):
            keys = ("code", "severity", "message", "file", "sheet", "cell", "value", "fix")
            notes.append(Finding(**{k: str(f.get(k) or "") for k in keys}))
    return notes


def _write_workbook(path: Path, prepared: Any, result: Any, manifest: dict[str, Any], trace: Any) -> None:
    from ..write.workbook import write_workbook

    revision = {
        "created": manifest["created"],
        "tool_version": manifest["tool_version"],
        "command": manifest["command"],
        "config": _entry(manifest["config"]),
        "inputs": [_entry(e) for e in manifest["inputs"]],
        "environment": manifest["environment"],
    }
    write_workbook(path, prepared, result, prepared.findings, revision, trace)


def _entry(e: dict[str, Any]) -> dict[str, Any]:
    """A file entry as the Revisjon sheet shows it (a missing hash is reported, and shown blank)."""
    return {**e, "sha256": e["sha256"] if isinstance(e.get("sha256"), str) else ""}


def _scenario_keys(report: VerifyReport, stored: dict[str, Any], fresh: dict[str, Any], prepared: Any) -> None:
    """A base run with scenarios lists them and holds scenarier.xlsx (checked by hash above). The
    alternatives' folder names depend on where the run was written, so only the names are compared."""
    base_with_scenarios = prepared.config.scenario is None and bool(prepared.config.scenarios)
    names = [s["name"] for s in stored.get("scenarios", [])]
    if base_with_scenarios and names != list(prepared.config.scenarios):
        report.differ(
            "verify.manifest_differs",
            f"scenarios: {quote(', '.join(names)) if names else 'mangler'} i manifestet, "
            f"{quote(', '.join(prepared.config.scenarios))} ved ny kjøring.",
            file=MANIFEST_NAME,
        )
    if base_with_scenarios and "scenario_workbook" not in stored:
        report.differ("verify.manifest_differs", "scenario_workbook mangler i manifestet.", file=MANIFEST_NAME)
    for key in ("scenarios", "scenario_workbook"):
        if key in stored:
            fresh[key] = stored[key]


def _earlier_paths(stored: dict[str, Any], fresh: dict[str, Any]) -> None:
    """Where the earlier folders were found is the original run's (the re-run reads the copies)."""
    pairs = [(stored.get("earlier_decisions"), fresh.get("earlier_decisions"))]
    pairs.append(([stored.get("second_round")], [fresh.get("second_round")]))
    for old, new in pairs:
        for a, b in zip(old if isinstance(old, list) else [], new if isinstance(new, list) else [], strict=False):
            if isinstance(a, dict) and isinstance(b, dict) and "path" in a:
                b["path"] = a["path"]


def _compare_manifests(report: VerifyReport, stored: dict[str, Any], fresh: dict[str, Any]) -> None:
    kept = [{k: v for k, v in m.items() if k not in IGNORED} for m in (stored, fresh)]
    diffs = list(diff(kept[0], kept[1], ()))
    for path, a, b in diffs[:SHOWN]:
        report.differ(
            "verify.manifest_differs",
            f"{label(stored, path)} ({path_text(path)}): {show(a)} i manifestet, {show(b)} ved ny kjøring.",
            file=MANIFEST_NAME,
            value=json_text(a) if a is not MISSING else "",
            expected=json_text(b) if b is not MISSING else "",
        )
    if len(diffs) > SHOWN:
        report.differ(
            "verify.manifest_differs", f"… og {len(diffs) - SHOWN} forskjeller til i manifestet.", file=MANIFEST_NAME
        )
