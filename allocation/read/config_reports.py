"""``[reports]``: the recipients' reports on an earlier decision, and what follows from them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model.config import REPORTS_KEYS
from .toml_values import Paths, Problems, parse_kroner, parse_text

if TYPE_CHECKING:
    from ..model.reports import ReportsRules

REPORT_SUFFIXES = (".xlsx", ".xlsm")


def reports_rules(
    p: Problems, base: Path, table: dict[str, Any], overrides: dict[str, Any], paths: Paths
) -> ReportsRules | None:
    """The ``[reports]`` table checked, every problem in ``p``; None when there is no such table."""
    if not table:
        return None
    from ..model.reports import UNSPENT_RULES, ReportsRules  # (loaded only when a run has [reports])

    p.unknown_keys(table, REPORTS_KEYS, "[reports]")
    run = _run(p, base, table, overrides, paths)
    files = _files(p, base, table, overrides, paths)
    deadline = table.get("deadline")
    if deadline is not None and not (isinstance(deadline, dt.date) and not isinstance(deadline, dt.datetime)):
        p.add(
            "config.type", "reports.deadline", "deadline må være en dato, f.eks. deadline = 2026-06-15.", "", deadline
        )
        deadline = None
    threshold = 0
    if "unspent_threshold" in table:
        threshold = parse_kroner(p, "reports.unspent_threshold", table["unspent_threshold"]) or 0
    unspent = parse_text(p, "reports.unspent", table.get("unspent")) or "deduct"
    if unspent not in UNSPENT_RULES:
        p.add(
            "config.unspent_rule",
            "reports.unspent",
            f"Ukjent regel for ubrukte midler «{unspent}».",
            'Bruk "deduct" (trekk fra årets utbetaling) eller "claim" (krev tilbakebetalt).',
            unspent,
        )
    exempt = table.get("exempt", [])
    if not isinstance(exempt, list) or not all(isinstance(x, str) for x in exempt):
        p.add(
            "config.type", "reports.exempt", "exempt må være en liste med nettverksnavn.", 'Skriv exempt = ["Fosen"].'
        )
        exempt = []
    note = parse_text(p, "reports.note", table.get("note"))
    return ReportsRules(run, tuple(files), deadline, threshold, unspent, tuple(exempt), note)


def _run(p: Problems, base: Path, table: dict[str, Any], overrides: dict[str, Any], paths: Paths) -> Path:
    """manifest.json of the decision run reported on (a run folder, or its manifest)."""
    if "reported_run" in overrides:
        return Path(overrides["reported_run"])
    text = parse_text(p, "reports.run", table.get("run"), required=True)
    candidate = paths.resolve(base / text) if text else base
    manifest = candidate / "manifest.json" if paths.is_dir(candidate) else candidate
    if text and not paths.is_file(manifest):
        p.add(
            "config.input_missing",
            "reports.run",
            f"Finner ikke kjøringen «{text}» (ingen manifest.json i {candidate}).",
            "Skriv stien til kjøremappen for vedtaket det rapporteres på, regnet fra mappen konfigurasjonen ligger i.",
            text,
        )
    return manifest


def _files(p: Problems, base: Path, table: dict[str, Any], overrides: dict[str, Any], paths: Paths) -> list[Path]:
    """The report workbooks: named one by one, or folders of them (every .xlsx inside, by name)."""
    if "reports" in overrides:
        return list(overrides["reports"])
    raw = table.get("files", [])
    raw = [raw] if isinstance(raw, str) else raw
    if not isinstance(raw, list) or not raw:
        p.add(
            "config.missing",
            "reports.files",
            "[reports] må ha files: rapportene eller mappen de ligger i.",
            'Skriv files = ["rapporter"] eller files = ["rapport-fosen.xlsx"].',
        )
        return []
    out: list[Path] = []
    for i, text in enumerate(raw, start=1):
        t = parse_text(p, f"reports.files[{i}]", text)
        if not t:
            continue
        path = paths.resolve(base / t)
        if paths.on_disk and path.is_dir():
            out += sorted(
                (f for f in path.iterdir() if f.suffix.lower() in REPORT_SUFFIXES and not f.name.startswith("~$")),
                key=lambda f: f.name,
            )
        elif paths.is_file(path):
            out.append(path)
        else:
            p.add(
                "config.input_missing",
                f"reports.files[{i}]",
                f"Finner ikke rapporten eller mappen «{t}» ({path}).",
                "Stier regnes fra mappen konfigurasjonen ligger i. Sjekk navnet og at filen finnes.",
                t,
            )
    return out
