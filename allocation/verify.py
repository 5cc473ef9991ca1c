"""``verify RUN_DIR``: check every hash, re-run from the folder's own copies,
compare every number with the manifest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .findings import ConfigError, InputErrors
from .manifest import sha256_file
from .values import format_kroner


@dataclass
class VerifyReport:
    lines: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    unusable: bool = False

    @property
    def identical(self) -> bool:
        return not self.differences and not self.unusable

    def differ(self, text: str) -> None:
        self.differences.append(text)
        self.lines.append(f"  ULIKT: {text}")


def numbers(manifest: dict[str, Any]) -> dict[str, int | None]:
    """Every number of a manifest as a flat {label: kroner} map."""
    out: dict[str, int | None] = {"ramme": manifest.get("frame"), "holdt tilbake": manifest.get("held_back")}
    for net in manifest.get("networks", []):
        out[f"nettverk «{net['name']}»: ramme"] = net.get("frame")
        for part, amount in net.get("parts", {}).items():
            out[f"nettverk «{net['name']}», del «{part}»"] = amount
        for key in ("requested", "granted", "granted_owner", "granted_uh"):
            if net.get(key) is not None:
                out[f"nettverk «{net['name']}»: {key}"] = net[key]
    for rec in manifest.get("recipients", []):
        out[f"mottaker «{rec['name']}»"] = rec.get("amount")
    for pot in manifest.get("pots", []):
        out[f"pott «{pot['name']}»"] = pot.get("amount")
    return out


def verify(run_dir: Path) -> VerifyReport:
    report = VerifyReport()
    try:
        manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
        config_entry = manifest["config"]
        inputs = manifest["inputs"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        report.unusable = True
        report.lines.append(f"Kan ikke bruke {run_dir}: manifest.json mangler eller er ugyldig ({exc}).")
        return report
    report.lines.append(
        f"Kontrollerer {run_dir} (laget med versjon {manifest.get('tool_version')}, kontrollert med {__version__})."
    )
    entries = [config_entry, *inputs]
    if manifest.get("workbook"):
        entries.append({"file": manifest["workbook"], "sha256": manifest.get("workbook_sha256")})
    if isinstance(manifest.get("scenario_workbook"), dict):
        entries.append(manifest["scenario_workbook"])
    for entry in entries:
        path = run_dir / entry["file"]
        if not path.is_file():
            report.differ(f"filen {entry['file']} mangler")
        elif entry.get("sha256") and sha256_file(path) != entry["sha256"]:
            report.differ(f"filen {entry['file']} er endret (SHA-256 stemmer ikke med manifestet)")
    if not (run_dir / config_entry["file"]).is_file():
        return report
    from .pipeline import run

    overrides: dict[str, Any] = {}
    for e in inputs:
        path = run_dir / e["file"]
        if e.get("role") == "applications":
            overrides.setdefault("applications", []).append(path)
        elif e.get("role"):
            overrides[e["role"]] = path  # counts, parameters, previous
    try:
        prepared, result = run(run_dir / config_entry["file"], overrides, manifest.get("scenario"))
    except (ConfigError, InputErrors) as exc:
        report.differ("kjøringen kan ikke gjentas fra kopiene: " + "; ".join(f.text() for f in exc.findings[:5]))
        return report
    from .manifest import build_manifest

    fresh = build_manifest(result, config_entry, inputs, [], _created(manifest), manifest.get("command", []))
    old, new = numbers(manifest), numbers(fresh)
    for label in sorted(set(old) | set(new)):
        a, b = old.get(label), new.get(label)
        if a != b:
            report.differ(f"{label}: {_kr(a)} i manifestet, {_kr(b)} ved ny kjøring")
    workbook = manifest.get("workbook")
    if workbook and (run_dir / workbook).is_file():
        _compare_workbook(report, run_dir / workbook, prepared, result, manifest)
    if report.differences and manifest.get("tool_version") != __version__:
        report.lines.append(
            f"  Merk: kjøringen ble laget med versjon {manifest.get('tool_version')}; "
            f"forskjeller kan komme av endringer i verktøyet. Installer den versjonen "
            "(se Revisjon-arket og uv.lock) for å gjenta kjøringen nøyaktig."
        )
    return report


def _compare_workbook(report: VerifyReport, stored: Path, prepared: Any, result: Any, manifest: dict) -> None:
    """Every number in every sheet of the stored workbook against a workbook made by the re-run."""
    import tempfile

    from .excel import read_workbook_sheets
    from .workbook import write_workbook

    revision = {
        "created": manifest.get("created", ""),
        "tool_version": manifest.get("tool_version", ""),
        "command": manifest.get("command", []),
        "config": manifest["config"],
        "inputs": manifest["inputs"],
        "environment": manifest.get("environment", {"python": "", "dependencies": {}}),
    }
    with tempfile.TemporaryDirectory() as tmp:
        fresh_path = Path(tmp) / "fordeling.xlsx"
        write_workbook(fresh_path, prepared, result, prepared.findings, revision)
        fresh, fresh_names, _ = read_workbook_sheets(fresh_path, "ny", None)
    old, names, problems = read_workbook_sheets(stored, stored.name, fresh_names)
    if problems:
        report.differ(f"arbeidsboka {stored.name} kan ikke leses: {problems[0].message}")
        return
    for name in fresh_names:
        if name == "Revisjon":
            continue  # versions and the machine: compared through the manifest's hashes instead
        if name not in old:
            report.differ(f"{stored.name}: arket «{name}» mangler")
            continue
        _compare_sheet(report, stored.name, name, old[name].rows, fresh[name].rows)


def _compare_sheet(report: VerifyReport, file: str, sheet: str, old: list[list], new: list[list]) -> None:
    from .excel import a1

    shown = 0
    for r in range(max(len(old), len(new))):
        a_row = old[r] if r < len(old) else []
        b_row = new[r] if r < len(new) else []
        for c in range(max(len(a_row), len(b_row))):
            a = a_row[c] if c < len(a_row) else None
            b = b_row[c] if c < len(b_row) else None
            numeric = isinstance(a, (int, float)) or isinstance(b, (int, float))
            if numeric and not (isinstance(a, (int, float)) and isinstance(b, (int, float)) and abs(a - b) < 1e-6):
                if shown < 20:
                    report.differ(
                        f"{file}, ark «{sheet}», celle {a1(r, c)}: {_cell(a)} i arbeidsboka, {_cell(b)} ved ny kjøring"
                    )
                shown += 1
    if shown > 20:
        report.differ(f"{file}, ark «{sheet}»: {shown - 20} flere celler er ulike")


def _cell(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return f"{format_kroner(int(value))}"
    return "tom" if value in (None, "") else str(value)


def _kr(value: int | None) -> str:
    return "—" if value is None else f"{format_kroner(value)} kr"


def _created(manifest: dict[str, Any]):
    import datetime as dt

    try:
        return dt.datetime.fromisoformat(manifest["created"])
    except (KeyError, ValueError):
        return dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
