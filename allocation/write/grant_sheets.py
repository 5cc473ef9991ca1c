"""Sheets that exist when applications were read: Søknader and Utbetaling."""

from __future__ import annotations

from ..model.findings import SEVERITY_NO, Finding
from ..model.result import Allocation, AppGrant
from .book import Sheet
from .payments import payment_lines

COMMITMENT_NOTE = "Tilsagn for år 2 og 3 er veiledende, med forbehold om Stortingets budsjettvedtak."


def app_findings(
    g: AppGrant, findings: list[Finding], by_file: dict[str, list[Finding]] | None = None
) -> list[Finding]:
    """The findings that point at this application's file and (for a list) its row. ``by_file``
    (from :func:`findings_by_file`) spares a pass over all findings per application."""
    a = g.app
    cells = set(a.cells.values())
    mine = by_file.get(a.file, []) if by_file is not None else findings
    return [f for f in mine if f.file == a.file and (a.row is None or f.cell in cells)]


def findings_by_file(findings: list[Finding]) -> dict[str, list[Finding]]:
    """The findings grouped by file, each group in the order of ``findings``."""
    out: dict[str, list[Finding]] = {}
    for f in findings:
        out.setdefault(f.file, []).append(f)
    return out


def write_soknader(s: Sheet, result: Allocation, findings: list[Finding]) -> None:
    assert result.grants is not None
    heads = [
        "Nettverk",
        "Tiltak",
        "Fil",
        "Rad",
        "Eier",
        "UH",
        "Søkt eier år 1",
        "Søkt UH år 1",
        "Søkt år 1",
        "Ramme for nettverket",
        "Tildelt",
        "Tildelt eier",
        "Tildelt UH",
        "Fond eier",
        "Fond UH",
        "Trekk for fond",
        "Søkt år 2",
        "Tilsagn år 2",
        "Søkt år 3",
        "Tilsagn år 3",
        "Funn",
    ]
    s.widths([24, 30, 22, 6, 26, 20, *[14] * 14, 60])
    s.header(0, heads)
    s.ws.freeze_panes(1, 1)
    s.ws.repeat_rows(0)
    row = 0
    by_file = findings_by_file(findings)
    sums = [0] * 14  # the amounts of columns 6 to 19
    for ng in result.grants.networks.values():
        for g in ng.apps:
            row += 1
            amounts = _application_row(s, row, ng.network, ng.frame, g)
            sums = [total + v for total, v in zip(sums, amounts, strict=True)]
            mine = app_findings(g, findings, by_file)
            notes = [f"[{SEVERITY_NO.get(f.severity, f.severity)}] {f.message}" for f in mine]
            s.text(row, 20, "\n".join(notes), "wrap")
    total = row + 1
    s.text(total, 0, "Sum", "total")
    for c in range(6, 20):
        if c == 9:
            continue
        col = chr(ord("A") + c)
        s.formula(total, c, f"=SUM({col}2:{col}{max(total, 2)})" if row else "=0", sums[c - 6], "kr_bold")
    s.text(total + 2, 0, COMMITMENT_NOTE, "muted_line")
    s.as_table("Soknader", total, heads)


def _application_row(s: Sheet, row: int, network: str, frame: int, g: AppGrant) -> list[int]:
    """Columns A to T of an application's row; returns the amounts of columns 6 to 19."""
    a = g.app
    s.text(row, 0, network)
    s.text(row, 1, a.get("tiltak") or "", "wrap")
    s.text(row, 2, a.file)
    if a.row is not None:
        s.number(row, 3, a.row + 1, "int")
    s.text(row, 4, a.get("owner") or "", "wrap")
    s.text(row, 5, a.get("uh") or "", "wrap")
    values = [
        a.amount("owner_y1"),
        a.amount("uh_y1"),
        g.requested,
        frame,
        g.granted,
        g.owner,
        g.uh,
        g.fund_owner,
        g.fund_uh,
        g.deducted_owner + g.deducted_uh,
    ]
    for year in (2, 3):
        values += g.indicative.get(year, (0, 0))
    for i, v in enumerate(values):
        s.number(row, 6 + i, v)
    return values


def write_utbetaling(s: Sheet, result: Allocation) -> str:
    """One row per payment; returns the A1 reference of the total (for Sammendrag)."""
    assert result.grants is not None
    s.header(0, ["Mottaker", "Rolle", "Org.nr", "Kontonummer", "Referanse", "Nettverk", "Beløp"])
    s.widths([34, 8, 14, 16, 36, 26, 16])
    s.ws.freeze_panes(1, 0)
    s.ws.repeat_rows(0)
    row = 0
    total = 0
    for ng in result.grants.networks.values():
        for g in ng.apps:
            for line in payment_lines(ng.network, g):
                row += 1
                for c, key in enumerate(["recipient", "role", "orgnr", "account", "reference", "network"]):
                    s.text(row, c, line[key])
                s.number(row, 6, line["amount"])
                total += line["amount"]
    last = row + 1
    s.text(last, 0, "Sum utbetalt til nettverkene", "total")
    s.formula(last, 6, f"=SUM(G2:G{max(last, 2)})" if row else "=0", total, "kr_bold")
    s.as_table("Utbetaling", last, ["Mottaker", "Rolle", "Org.nr", "Kontonummer", "Referanse", "Nettverk", "Beløp"])
    return f"Utbetaling!$G${last + 1}"
