"""The allocation workbook for the samarbeidsforum, written with xlsxwriter.

Sheets (names fixed by the contract): Sammendrag, Vedtaksoversikt, Fordeling, Avsetninger,
Kontroll, Parametre, Revisjon. Every user text is written as a string
(never as a formula); every formula is written with its cached value equal
to the engine's number; every write's return code is checked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model.findings import SEVERITY_NO, Finding, sort_findings
from ..model.formatting import value_as_shown
from ..model.result import ROOT, Allocation
from ..pipeline import Prepared
from .book import Book, Sheet, collector_paused
from .distribution_sheet import write_fordeling
from .summary_page import pot_refs, write_sammendrag
from .summary_sheets import write_avsetninger, write_parametre
from .when import local_time


def write_workbook(
    path: Path,
    prepared: Prepared,
    result: Allocation,
    findings: list[Finding],
    revision: dict[str, Any],
    trace: dict[str, list[dict[str, Any]]] | None = None,
) -> None:
    """Write the allocation workbook to ``path`` (which must not exist). ``trace`` is
    ``trace.network_trace(result)`` when the caller has it already."""
    with collector_paused():
        _write_workbook(path, prepared, result, findings, revision, trace)


def _write_workbook(
    path: Path,
    prepared: Prepared,
    result: Allocation,
    findings: list[Finding],
    revision: dict[str, Any],
    trace: dict[str, list[dict[str, Any]]] | None,
) -> None:
    stamp = f"Kjørt {local_time(revision['created'])}"
    book = Book(path, f"Kompetanseløftet – {result.name}", stamp)
    refs: dict[str, Any] = {}
    names = [
        ("Sammendrag", "#1F3864"),
        ("Vedtaksoversikt", "#1F3864"),
        ("Diagrammer", "#1F3864"),
        ("Fordeling", "#2E75B6"),
        ("Per nettverk", "#2E75B6"),
        ("Avsetninger", "#548235"),
    ]
    if result.grants is not None:
        names += [("Søknader", "#C55A11"), ("Utbetaling", "#C55A11")]
    if result.reports is not None:
        names += [("Tilbakebetaling", "#C55A11")]
    if result.commitments is not None:  # commitments across years
        names.append(("Tilsagn", "#C55A11"))
    names += [("Sporing", "#2E75B6"), ("Kontroll", "#BF8F00"), ("Parametre", "#7F7F7F"), ("Revisjon", "#7F7F7F")]
    sheets = {name: Sheet(book, name, tab) for name, tab in names}
    refs.update(pot_refs(result))  # where write_sammendrag writes each pot's amount
    write_fordeling(sheets["Fordeling"], prepared, result, refs)
    write_avsetninger(sheets["Avsetninger"], result, refs)
    if result.grants is not None:
        from .grant_sheets import write_soknader, write_utbetaling

        write_soknader(sheets["Søknader"], result, findings)
        refs["payments_total"] = write_utbetaling(sheets["Utbetaling"], result)
    if result.commitments is not None:
        from .commitment_sheets import write_tilsagn

        write_tilsagn(sheets["Tilsagn"], result)
    from .charts import write_charts
    from .decision_overview import write_decision_overview
    from .network_sheets import write_per_network

    write_per_network(sheets["Per nettverk"], result)
    if result.reports is not None:
        from .repayment_sheet import write_tilbakebetaling

        write_tilbakebetaling(sheets["Tilbakebetaling"], result.reports)
    write_charts(book, sheets["Diagrammer"], result)
    write_decision_overview(book, sheets["Vedtaksoversikt"], result)
    _sporing(sheets["Sporing"], result, trace)
    _kontroll(sheets["Kontroll"], findings)
    write_parametre(sheets["Parametre"], prepared)
    _revisjon(sheets["Revisjon"], revision)
    write_sammendrag(book, sheets["Sammendrag"], prepared, result, refs, revision)
    for sheet in sheets.values():
        sheet.finish()
    book.wb.worksheets()[0].activate()
    book.close()


def _sporing(s: Sheet, result: Allocation, trace: dict[str, list[dict[str, Any]]] | None) -> None:
    """Per network, every part traced: the pots it came through, the split, the share, the rounding."""
    from ..allocate.trace import network_trace
    from ..model.formatting import format_kroner

    heads = [
        "Nettverk",
        "Del",
        "Vei fra rammen",
        "Fordeling",
        "Nøkkel for nettverket",
        "Sum nøkkel",
        "Eksakt andel (kr)",
        "Rundet ned",
        "Tillegg største rest",
        "Kroner",
        "Vedtak",
    ]
    s.header(0, heads)
    s.widths([24, 22, 60, 30, 14, 14, 16, 14, 11, 14, 44])
    s.ws.freeze_panes(1, 2)
    s.ws.repeat_rows(0)
    row = 0
    amounts = {ROOT: result.frame, **{p.name: p.amount for p in result.pots}}
    paths: dict[tuple[str, ...], str] = {}  # every network's part of a pot comes the same way
    for net, entries in (trace if trace is not None else network_trace(result)).items():
        for e in entries:
            row += 1
            via = tuple(e["path"])
            path = paths.get(via)
            if path is None:
                path = paths[via] = " → ".join(f"{name} {format_kroner(amounts[name])}" for name in via)
            s.text(row, 0, net)
            s.text(row, 1, e["pot"], "wrap")
            s.text(row, 2, path, "wrap")
            s.text(row, 3, e["distribution"], "wrap")
            for c, key in ((4, "weight"), (5, "total_weight"), (6, "exact")):
                if e[key] is not None:
                    s.number(row, c, float(e[key]), "num" if c < 6 else "dec")
            s.number(row, 7, e["floor"])
            s.number(row, 8, e["rounding"])
            s.number(row, 9, e["amount"])
            s.text(row, 10, e["note"], "wrap")
    s.as_table("Sporing", row, heads, total_row=False)


KONTROLL_HEADS = ["Alvorlighet", "Hva", "Fil", "Ark", "Celle", "Melding", "Verdi", "Slik retter du", "Kode"]


def _kontroll(s: Sheet, findings: list[Finding]) -> None:
    """Findings as a committee member reads them: the catalogue's Norwegian title first, the
    reason code last, in a narrow column for the office."""
    s.header(0, KONTROLL_HEADS)
    s.widths([12, 30, 22, 14, 9, 60, 18, 50, 14])
    s.ws.freeze_panes(1, 0)
    s.ws.repeat_rows(0)
    if not findings:
        s.text(1, 0, "Ingen funn: inndata er kontrollert uten feil eller advarsler.", "muted")
        return
    for i, f in enumerate(sort_findings(findings), start=1):
        fmt = {"error": "error", "warning": "warning"}.get(f.severity, "note")
        cells = [SEVERITY_NO.get(f.severity, f.severity), _title(f.code), f.file, f.sheet, f.cell, f.message]
        for c, v in enumerate([*cells, value_as_shown(f.value), f.fix, f.code]):
            s.text(i, c, v, fmt if c == 0 else "wrap")
    s.as_table("Kontroll", len(findings), KONTROLL_HEADS, total_row=False)


def _title(code: str) -> str:
    """The catalogue's Norwegian title of a reason code (the code itself for an earlier run's
    finding that the catalogue no longer lists)."""
    from ..model.catalogue import BY_CODE

    entry = BY_CODE.get(code)
    return entry.title if entry is not None else code


def _revisjon(s: Sheet, rev: dict[str, Any]) -> None:
    s.widths([30, 70, 70])
    s.text(0, 0, "Revisjonsspor", "title")
    s.text(1, 0, "Med kopiene i mappen inputs/ kan kjøringen gjentas: run_allocation.py verify MAPPE.", "muted_line")
    rows: list[tuple[str, str, str]] = [
        ("Verktøyversjon", rev["tool_version"], ""),
        ("Kjørt", local_time(rev["created"]), rev["created"]),
        ("Kommando", " ".join(rev["command"]), ""),
        ("Konfigurasjon", rev["config"]["file"], rev["config"]["sha256"]),
    ]
    rows += [("Inndata", i["file"], i["sha256"]) for i in rev["inputs"]]
    env = rev["environment"]
    rows.append(("Python", env["python"], ""))
    rows += [(f"Pakke: {k}", v or "", "") for k, v in env["dependencies"].items()]
    rows.append(("uv.lock (SHA-256)", env.get("uv_lock_sha256") or "", ""))
    s.header(3, ["Hva", "Verdi", "SHA-256"])
    for i, (a, b, c) in enumerate(rows, start=4):
        s.text(i, 0, a, "bold")
        s.text(i, 1, b, "wrap" if a == "Kommando" else None)  # a long command line wraps at its spaces
        s.text(i, 2, c, "mono")


def write_findings_workbook(path: Path, findings: list[Finding], title: str) -> None:
    """A workbook with only the Kontroll sheet, for ``validate`` and failed runs."""
    book = Book(path, title, title)
    sheet = Sheet(book, "Kontroll", "#BF8F00")
    _kontroll(sheet, findings)
    sheet.finish()
    book.close()
