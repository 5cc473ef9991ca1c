"""``verify``, first step: the manifest read and its shape checked (types, paths that stay
inside the run folder, file entries) before anything in it is trusted; raises ``Unusable``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from ..model.findings import ERROR, Finding
from .letters_verify import BadLetters, letter_files
from .manifest_diff import MISSING, json_text, value_at
from .verify_workbook import quote

MANIFEST_NAME = "manifest.json"
MAX_MANIFEST_BYTES = 50_000_000
ROLES = (
    "counts",
    "parameters",
    "applications",
    "previous",
    "membership",
    "municipalities",
    "municipality_changes",
    "statistics",
    "reported_run",
    "reports",
    "earlier",
    "first_round",
)


class Unusable(Exception):
    """A run folder that cannot be verified (no folder, no manifest, a manifest not ours), with
    its finding."""

    def __init__(self, code: str, message: str, value: str = "", fix: str = ""):
        super().__init__(message)
        self.finding = Finding(
            code,
            ERROR,
            message,
            file=MANIFEST_NAME,
            value=value,
            fix=fix or "Pek på en kjøremappe som run har laget, med manifest.json urørt.",
        )


# --- 1. the manifest ---------------------------------------------------------------------------


def load_manifest(run_dir: Path) -> tuple[dict[str, Any], list[tuple[str, Any, str]]]:
    """The manifest and its file entries as (path, sha256, what); raises ``Unusable``."""
    if not run_dir.is_dir():
        raise Unusable("verify.not_a_folder", f"Finner ikke kjøremappen {run_dir}.", str(run_dir))
    path = run_dir / MANIFEST_NAME
    if not path.is_file() or path.is_symlink():
        raise Unusable("verify.no_manifest", f"Mappen {run_dir} har ingen manifest.json.", str(run_dir))
    if path.stat().st_size > MAX_MANIFEST_BYTES:
        raise Unusable("verify.manifest_invalid", "Filen er urimelig stor.", str(path.stat().st_size))
    try:
        manifest = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise Unusable("verify.manifest_invalid", f"Filen er ikke gyldig JSON ({_why(exc)}).") from None
    if not isinstance(manifest, dict):
        raise Unusable("verify.manifest_invalid", "Filen skal være et JSON-objekt { … }.")
    _check_types(manifest)
    entries: list[tuple[str, Any, str]] = [(manifest["config"]["file"], manifest["config"].get("sha256"), "config")]
    entries += [(e["file"], e.get("sha256"), f"inputs[{i}]") for i, e in enumerate(manifest["inputs"])]
    if "workbook" in manifest:
        entries.append((manifest["workbook"], manifest.get("workbook_sha256"), "workbook"))
    if "scenario_workbook" in manifest:
        sw = manifest["scenario_workbook"]
        entries.append((sw["file"], sw.get("sha256"), "scenario_workbook"))
    try:
        entries += letter_files(manifest)
    except BadLetters as exc:
        raise Unusable("verify.manifest_invalid", f"«{exc}» er ikke et brev med {{file, sha256}}.", str(exc)) from None
    seen: set[str] = set()
    for file, _, key in entries:
        _safe_path(run_dir, file, key, top_level=key in ("workbook", "scenario_workbook"))
        if file.casefold() in seen:
            raise Unusable("verify.manifest_invalid", f"Filen «{file}» står to ganger i manifestet.", file)
        seen.add(file.casefold())
    return manifest, entries


def _check_types(m: dict[str, Any]) -> None:
    def need(ok: bool, key: str, expected: str) -> None:
        if not ok:
            found = "mangler" if value_at(m, key) is MISSING else f"er {quote(json_text(value_at(m, key)), 60)}"
            raise Unusable(
                "verify.manifest_invalid",
                f"«{key}» {found}; ventet {expected}.",
                value=key,
            )

    need(m.get("manifest_version") == 1 and type(m.get("manifest_version")) is int, "manifest_version", "1")
    for key in ("tool_version", "created"):
        need(isinstance(m.get(key), str), key, "tekst")
    need(created_time(m["created"]) is not None, "created", "et tidspunkt (ISO 8601)")
    need(_strings(m.get("command")), "command", "en liste med tekster")
    need(isinstance(m.get("config"), dict) and isinstance(m["config"].get("file"), str), "config", "{file, sha256}")
    need(isinstance(m.get("inputs"), list), "inputs", "en liste")
    for i, e in enumerate(m["inputs"]):
        need(isinstance(e, dict) and isinstance(e.get("file"), str), f"inputs[{i}]", "{file, sha256, role}")
        role_ok = e.get("role") in ROLES or str(e.get("role")).startswith("letter_template:")
        need(role_ok, f"inputs[{i}].role", " eller ".join(ROLES))
        need(isinstance(e.get("shown_as", ""), str), f"inputs[{i}].shown_as", "tekst")
    env = m.get("environment")
    need(isinstance(env, dict), "environment", "et objekt")
    env = env if isinstance(env, dict) else {}
    need(isinstance(env.get("python"), str), "environment.python", "tekst")
    deps = env.get("dependencies")
    deps_ok = isinstance(deps, dict) and all(isinstance(v, str | None) for v in deps.values())
    need(deps_ok, "environment.dependencies", "{pakke: versjon}")
    need(isinstance(env.get("uv_lock_sha256"), str | None), "environment.uv_lock_sha256", "tekst")
    need("workbook" not in m or isinstance(m["workbook"], str), "workbook", "et filnavn")
    need(isinstance(m.get("scenario"), str | None), "scenario", "tekst eller null")
    if "scenario_workbook" in m:
        sw = m["scenario_workbook"]
        need(isinstance(sw, dict) and isinstance(sw.get("file"), str), "scenario_workbook", "{file, sha256}")
    if "scenarios" in m:
        sc = m["scenarios"]
        ok = isinstance(sc, list) and all(isinstance(s, dict) and isinstance(s.get("name"), str) for s in sc)
        need(ok, "scenarios", "en liste med {name, folder}")


def _safe_path(run_dir: Path, file: str, key: str, top_level: bool) -> None:
    """A path from the manifest must be relative, plain and inside the folder."""
    parts = PurePosixPath(file).parts
    plain = (
        file
        and "\\" not in file
        and "\x00" not in file
        and not PurePosixPath(file).is_absolute()
        and not PureWindowsPath(file).drive
        and all(p not in ("..", ".", "") for p in file.split("/"))
    )
    folder = "brev" if key.startswith("letter") else "inputs"
    shape = len(parts) == 1 if top_level else (len(parts) == 2 and parts[0] == folder)
    if not plain or not shape:
        where = "en fil i kjøremappen" if top_level else f"{folder}/<filnavn>"
        raise Unusable(
            "verify.unsafe_path",
            f"«{key}» peker på {quote(file)}, utenfor kjøremappen eller på en uventet plass; ventet {where}.",
            value=file,
        )
    try:
        inside = (run_dir / file).resolve().is_relative_to(run_dir.resolve())
    except (OSError, RuntimeError):
        inside = False
    if not inside:
        raise Unusable(
            "verify.unsafe_path",
            f"«{file}» ({key}) er en lenke som peker ut av kjøremappen.",
            value=file,
        )


def _why(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"feil ved linje {exc.lineno}, kolonne {exc.colno}"
    if isinstance(exc, UnicodeDecodeError):
        return "ikke UTF-8"
    return type(exc).__name__


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def created_time(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None
