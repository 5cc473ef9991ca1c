"""The county's overview across years: run folders read (each checked by its hashes) into
``RunRecord``s, and the overview built from them.

A folder that cannot be used, was changed since it was written, or is named twice is a
finding naming it; the overview is then not written. Commitments come from the manifest's
``commitments`` key where a run recorded them (``{"made": [...], "drawn": [...]}``), else
from the applications' indicative amounts for year 2 and 3.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
from pathlib import Path
from typing import Any

from ..model.findings import ERROR, WARNING, Finding
from ..model.history import Commitment, Overview, Reported, RunRecord, YearLine
from ..model.names import name_key
from ..read.run_folder import FolderProblem, read_run_folder

FIX_FOLDER = "Pek på kjøremappen slik run laget den; kjør «verify» på den for å se hva som er endret."


def load_history(folders: list[Path]) -> tuple[list[RunRecord], list[Finding]]:
    """Every folder read and checked; findings for those that cannot be used."""
    records: list[RunRecord] = []
    findings: list[Finding] = []
    seen: dict[Path, Path] = {}
    for folder in folders:
        real = folder.resolve()
        if real in seen:
            findings.append(
                Finding(
                    "overview.duplicate",
                    ERROR,
                    f"Kjøremappen {folder} er nevnt to ganger (også som {seen[real]}).",
                    file=str(folder),
                    value=str(folder),
                    fix="Nevn hver kjøremappe bare én gang.",
                )
            )
            continue
        seen[real] = folder
        try:
            manifest = read_run_folder(folder)
        except FolderProblem as exc:
            code = "overview.tampered" if exc.kind == "tampered" else "overview.unusable"
            findings.append(Finding(code, ERROR, exc.message, file=str(folder), value=exc.file, fix=FIX_FOLDER))
            continue
        if manifest.get("scenario"):
            findings.append(
                Finding(
                    "overview.scenario_skipped",
                    WARNING,
                    f"{folder} er scenariet «{manifest['scenario']}», ikke et vedtak; det er ikke tatt med.",
                    file=str(folder),
                    value=str(manifest["scenario"]),
                    fix="Nevn bare kjøringene som ble vedtatt.",
                )
            )
            continue
        try:
            records.append(record(manifest, folder))
            records[-1].manifest_sha256 = hashlib.sha256((folder / "manifest.json").read_bytes()).hexdigest()
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            findings.append(
                Finding(
                    "overview.unusable",
                    ERROR,
                    f"Kjøremappen {folder} kan ikke brukes: manifestet mangler tall oversikten trenger "
                    f"({type(exc).__name__}: {exc}).",
                    file=str(folder),
                    fix=FIX_FOLDER,
                )
            )
    return records, findings + mixed_runs(records)


def run_year(manifest: dict[str, Any], folder: Path) -> tuple[int, str]:
    """The year of the run (``[run] year`` in its configuration copy, else the year it was made)
    and its county (``[run] county``, or blank)."""
    try:
        run = tomllib.loads((folder / manifest["config"]["file"]).read_text(encoding="utf-8")).get("run", {})
    except (OSError, ValueError, tomllib.TOMLDecodeError):
        run = {}
    year, county = run.get("year"), run.get("county")
    county = county if isinstance(county, str) else ""
    if isinstance(year, int) and not isinstance(year, bool):
        return year, county
    return dt.datetime.fromisoformat(str(manifest["created"])).year, county


def mixed_runs(records: list[RunRecord]) -> list[Finding]:
    """Warnings for runs that may not belong together: two of one year (a frames-only run and the
    decision, say: both are counted) and runs of different counties."""
    out = []
    by_year: dict[int, list[RunRecord]] = {}
    for r in records:
        by_year.setdefault(r.year, []).append(r)
    for year, these in sorted(by_year.items()):
        if len(these) > 1:
            out.append(
                Finding(
                    "overview.same_year",
                    WARNING,
                    f"{len(these)} kjøringer gjelder {year} ({', '.join(r.folder for r in these)}); "
                    "rammene og tildelingene deres er lagt sammen for året.",
                    file=these[1].folder,
                    value=str(year),
                    fix="Er den ene erstattet av den andre (f.eks. rammene fra høsten og vedtaket), "
                    "ta bare med den som ble vedtatt. En andre runde hører med.",
                )
            )
    counties = sorted({r.county for r in records if r.county})
    if len(counties) > 1:
        out.append(
            Finding(
                "overview.mixed_counties",
                WARNING,
                f"Kjøringene gjelder flere fylker ({', '.join(counties)}).",
                file=records[0].folder,
                value=", ".join(counties),
                fix="Lag én oversikt per fylke.",
            )
        )
    return out


def record(manifest: dict[str, Any], folder: Path) -> RunRecord:
    year, county = run_year(manifest, folder)
    grants = {
        str(n["name"]): int(n["granted"] if n.get("granted") is not None else n["frame"]) for n in manifest["networks"]
    }
    by_key = {name_key(n): n for n in grants}
    rec = RunRecord(
        folder=str(folder),
        name=str(manifest.get("name", folder.name)),
        year=year,
        frame=int(manifest["frame"]),
        grants=grants,
        set_asides=sum(int(r["amount"]) for r in manifest.get("recipients", [])),
        held_back=int(manifest["held_back"]),
        county=county,
    )
    commitments = manifest.get("commitments")
    if isinstance(commitments, dict):
        rec.commitment_source = "commitments"
        for c in commitments.get("drawn", []):
            who = by_key.get(name_key(str(c["recipient"])), str(c["recipient"]))
            rec.earlier[who] = rec.earlier.get(who, 0) + int(c["amount"])
            net = by_key.get(name_key(str(c.get("network") or "")), who)
            rec.earlier_networks[net] = rec.earlier_networks.get(net, 0) + int(c["amount"])
        decided = int(commitments.get("decision_year") or year)
        for c in commitments.get("made", []):
            who = str(c.get("network") or c["recipient"])  # the partnership: owner and UH together
            made = Commitment(who, int(c.get("decision_year", decided)), int(c["payment_year"]), int(c["amount"]))
            if made.payment_year > made.decision_year:
                rec.made.append(made)
        inside = sum(grants.values()) + rec.set_asides + rec.held_back == rec.frame
        rec.earlier_inside = inside
    else:
        for app in manifest.get("applications", []):
            for key, item in (app.get("indicative") or {}).items():
                later = int(str(key).removeprefix("year_")) - 1
                if item.get("commitment"):
                    rec.made.append(Commitment(str(app["network"]), year, year + later, int(item["commitment"])))
    second = manifest.get("second_round")
    if isinstance(second, dict):  # its frame is partly the first round's held-back money: counted once
        rec.reused = int(second.get("held_back") or 0)
    for line in manifest.get("payments", []):
        rec.payments[str(line["network"])] = rec.payments.get(str(line["network"]), 0) + int(line["amount"])
    for app in manifest.get("applications", []):
        d = sum(
            int(app.get(k) or 0)
            for k in ("deducted_owner", "deducted_uh", "unspent_deducted_owner", "unspent_deducted_uh")
        )
        rec.deducted[str(app["network"])] = rec.deducted.get(str(app["network"]), 0) + d
    reports = manifest.get("reports")
    rec.reported_on = next((str(e.get("sha256")) for e in manifest["inputs"] if e.get("role") == "reported_run"), "")
    if isinstance(reports, dict):
        for e in reports.get("entries", []):
            rec.reported.append(
                Reported(
                    str(e["network"]),
                    str(reports.get("decision", "")),
                    int(e["used_owner"]) + int(e["used_uh"]),
                    int(e["unspent_owner"]) + int(e["unspent_uh"]),
                    int(e["deducted"]),
                    int(e["claimed"]),
                )
            )
    return rec


def build_overview(records: list[RunRecord]) -> Overview:
    """Runs by year (in the order given within a year), each year reconciled, commitments gathered."""
    runs = sorted(records, key=lambda r: r.year)
    years = []
    for year in sorted({r.year for r in runs}):
        these = [r for r in runs if r.year == year]
        years.append(
            YearLine(
                year,
                tuple(r.name for r in these),
                sum(r.frame - r.reused for r in these),
                sum(r.earlier_total for r in these),
                sum(r.new_grants() for r in these),
                sum(r.new_set_asides() for r in these),
                sum(r.held_back - r.reused for r in these),
            )
        )
    bound: dict[tuple[str, int, int], int] = {}
    for r in runs:
        for c in r.made:
            key = (c.recipient, c.decision_year, c.payment_year)
            bound[key] = bound.get(key, 0) + c.amount
    return Overview(runs, years, bound)


def unreconciled(overview: Overview) -> list[Finding]:
    """A finding for every run and year whose reconciliation is not 0 kr."""
    out = []
    for r in overview.runs:
        if r.difference() != 0:
            out.append(
                Finding(
                    "overview.unreconciled",
                    ERROR,
                    f"«{r.name}» ({r.year}) går ikke opp: rammen minus tidligere tilsagn, nye tildelinger, "
                    f"avsetninger og holdt tilbake er {r.difference()} kr, ikke 0.",
                    file=r.folder,
                    value=str(r.difference()),
                    expected="0",
                    fix="Kjør «verify» på mappen; manifest.json kan være endret for hånd.",
                )
            )
    return out
