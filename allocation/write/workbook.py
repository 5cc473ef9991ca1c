"""The allocation workbook for the samarbeidsforum, written with xlsxwriter.

Sheets (names fixed by the contract): Sammendrag, Fordeling, Avsetninger,
Kontroll, Parametre, Revisjon. Every user text is written as a string
(never as a formula); every formula is written with its cached value equal
to the engine's number; every write's return code is checked.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell

from ..allocate.pots import ROOT, Allocation
from ..model.findings import SEVERITY_NO, Finding, sort_findings
from ..pipeline import Prepared
from .book import Book, Sheet

POT_FIRST_ROW = 10  # Sammendrag: the first pot's row (0-based); Fordeling's formulas refer to it
SIZE_NO = {
    "amount": "fast beløp",
    "percent": "prosent",
    "ratio": "forholdstall",
    "rest": "resten",
    "per_network": "per nettverk",
    "parameters": "fra parameterarbeidsboka",
}
LEAF_NO = {
    "recipient": "navngitt mottaker",
    "key": "nettverk etter nøkkel",
    "flat": "nettverk, likt",
    "": "underpotter",
}
SOURCE_NO = {"config": "konfigurasjonen", "Avsetninger": "arket «Avsetninger»", "Ramme": "arket «Ramme»"}


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
    stamp = f"Kjørt {revision['created']}"
    book = Book(path, f"Kompetanseløftet – {result.name}", stamp)
    refs: dict[str, Any] = {}
    names = [
        ("Sammendrag", "#1F3864"),
        ("Diagrammer", "#1F3864"),
        ("Fordeling", "#2E75B6"),
        ("Per nettverk", "#2E75B6"),
        ("Avsetninger", "#548235"),
    ]
    if result.grants is not None:
        names += [("Søknader", "#C55A11"), ("Utbetaling", "#C55A11")]
    names += [("Sporing", "#2E75B6"), ("Kontroll", "#BF8F00"), ("Parametre", "#7F7F7F"), ("Revisjon", "#7F7F7F")]
    sheets = {name: Sheet(book, name, tab) for name, tab in names}
    for i, pot in enumerate(result.pots):  # where _sammendrag writes each pot's amount
        refs["pot:" + pot.name] = f"Sammendrag!$B${POT_FIRST_ROW + i + 1}"
    _fordeling(sheets["Fordeling"], prepared, result, refs)
    _avsetninger(sheets["Avsetninger"], result, refs)
    if result.grants is not None:
        from .grant_sheets import write_soknader, write_utbetaling

        write_soknader(sheets["Søknader"], result, findings)
        refs["payments_total"] = write_utbetaling(sheets["Utbetaling"], result)
    from .network_sheets import write_charts, write_per_network

    write_per_network(sheets["Per nettverk"], result)
    write_charts(book, sheets["Diagrammer"], result, refs)
    _sporing(sheets["Sporing"], result, trace)
    _kontroll(sheets["Kontroll"], findings)
    _parametre(sheets["Parametre"], prepared)
    _revisjon(sheets["Revisjon"], revision)
    _sammendrag(sheets["Sammendrag"], prepared, result, refs, revision)
    for sheet in sheets.values():
        sheet.finish()
    book.wb.worksheets()[0].activate()
    book.wb.close()


def _sammendrag(s: Sheet, prepared: Prepared, result: Allocation, refs: dict[str, Any], rev: dict[str, Any]) -> None:
    cfg = prepared.config
    s.widths([34, 16, 44, 14, 24, 44])
    s.text(0, 0, f"Fordeling av Kompetanseløftet – {result.name}", "title")
    s.text(1, 0, "Forslag til samarbeidsforum. Alle beløp i hele kroner.", "muted_line")
    facts = [
        ("Ramme", result.frame, "kr"),
        ("Avrundingsenhet", result.unit, "kr"),
        ("Antall nettverk", len(result.networks), "int"),
    ]
    for i, (label, value, fmt) in enumerate(facts):
        s.text(3 + i, 0, label, "bold")
        s.number(3 + i, 1, value, fmt)
    s.text(3, 2, cfg.frame_note, "muted")
    s.text(6, 0, "Kjørt", "bold")
    s.text(6, 1, rev["created"])
    frame_cell = "$B$4"

    row = POT_FIRST_ROW - 2
    s.text(row, 0, "Potter", "sub")
    row += 1
    s.header(row, ["Pott", "Beløp", "Grunnlag", "Holdt tilbake", "Går til", "Vedtak"])
    s.ws.repeat_rows(row)
    for pot in result.pots:
        row += 1
        s.text(row, 0, pot.name, f"indent{min(pot.depth, 5)}")
        s.number(row, 1, pot.amount)
        s.text(row, 2, pot.basis, "wrap")
        s.number(row, 3, pot.held_back)
        s.text(row, 4, pot.recipient if pot.leaf == "recipient" else LEAF_NO[pot.leaf], "wrap")
        s.text(row, 5, pot.note, "wrap")

    row += 2
    s.text(row, 0, "Avstemming", "sub")
    row += 1
    s.header(row, ["Post", "Beløp"])
    recipients = (
        "Til navngitte mottakere (arket «Avsetninger»)",
        refs["recipients_total"],
        sum(a for _, a, _ in result.recipients),
    )
    rounding = ("Holdt tilbake (under én avrundingsenhet)", None, result.held_back)
    if result.grants is None:
        lines = [
            (
                "Til nettverkene (arket «Fordeling»)",
                refs["networks_total"],
                sum(result.network_frame(n) for n in result.networks),
            ),
            recipients,
            rounding,
        ]
    else:
        g = result.grants
        lines = [
            ("Tildelt nettverkene (arket «Fordeling»)", refs["granted_total"], g.total_granted()),
            recipients,
            ("Ikke tildelt: ramme uten søknad eller ubrukt, holdes tilbake", None, g.held_back),
            rounding,
        ]
    first = row + 1
    for label, ref, value in lines:
        row += 1
        s.text(row, 0, label, "wrap")
        if ref:
            s.formula(row, 1, f"={ref}", value)
        else:
            s.number(row, 1, value)
    total = sum(v for _, _, v in lines)
    row += 1
    s.text(row, 0, "Sum fordelt og holdt tilbake", "total")
    s.formula(row, 1, f"=SUM(B{first + 1}:B{row})", total, "kr_bold")
    sum_cell = f"B{row + 1}"
    row += 1
    s.text(row, 0, "Ramme", "bold")
    s.formula(row, 1, f"={frame_cell}", result.frame, "kr")
    row += 1
    s.text(row, 0, "Differanse (skal være 0)", "total")
    s.formula(row, 1, f"=B{row}-{sum_cell}", result.frame - total, "kr_ok")
    if result.grants is not None:
        g = result.grants
        row += 2
        s.text(row, 0, "Utbetaling", "sub")
        row += 1
        s.text(row, 0, "Tildelt nettverkene", "wrap")
        s.formula(row, 1, f"={refs['granted_total']}", g.total_granted())
        row += 1
        s.text(
            row,
            0,
            "Trekk for ubenyttede midler på fond"
            + (" (trekkes fra utbetalingen)" if g.fund_rule == "deduct" else " (bare rapportert)"),
            "wrap",
        )
        s.number(row, 1, g.total_deducted())
        row += 1
        s.text(row, 0, "Utbetales (arket «Utbetaling»)", "total")
        s.formula(row, 1, f"={refs['payments_total']}", g.total_granted() - g.total_deducted(), "kr_bold")
        row += 1
        policy = "omfordelt etter nøkkelen" if g.policy == "redistribute" else "holdt tilbake"
        s.text(row, 0, f"Ubrukt ramme er {policy}.", "muted_line")
    s.ws.freeze_panes(0, 0)


def _num(value: Fraction | int) -> int | float:
    """A count key or rounding step for display: an int when whole (these are never results)."""
    f = Fraction(value)
    return int(f) if f.denominator == 1 else float(f)


def _fordeling(s: Sheet, prepared: Prepared, result: Allocation, refs: dict[str, Any]) -> None:
    """One row per network. A key-spread part is a live formula: the network's key ÷ the
    total key × the pot, plus the largest-remainder rounding shown in its own column."""
    columns = [c for c in prepared.config.count_columns() if any(c in t for t in prepared.counts.totals.values())]
    leaves = result.leaf_spread_pots()
    n = len(result.networks)
    total_row = n + 1
    heads = ["Nettverk", *columns]
    totals: dict[int, tuple[int | float, str]] = {  # column -> (cached total, format)
        1 + j: (prepared.counts.total(col), "int_bold") for j, col in enumerate(columns)
    }
    part_cols: list[int] = []
    layout: list[tuple[Any, int | None, int | None]] = []  # pot, key column, rounding column
    for pot in leaves:
        live = pot.leaf == "key" and pot.name in result.key_values and sum(result.key_values[pot.name].values()) > 0
        if live:
            heads += [f"{pot.name}: nøkkel", f"{pot.name}: avrunding"]
            layout.append((pot, len(heads) - 2, len(heads) - 1))
            totals[len(heads) - 2] = (_num(sum((x.weight for x in pot.shares), Fraction(0))), "kr_bold")
            totals[len(heads) - 1] = (_num(sum((x.amount - x.exact for x in pot.shares), Fraction(0))), "dec_bold")
        else:
            layout.append((pot, None, None))
        heads.append(pot.name)
        part_cols.append(len(heads) - 1)
        totals[len(heads) - 1] = (sum(result.parts[x][pot.name] for x in result.networks), "kr_bold")
    heads.append("Ramme for nettverket")
    frame_col = len(heads) - 1
    totals[frame_col] = (sum(result.network_frame(x) for x in result.networks), "kr_bold")
    s.header(0, heads)
    s.ws.set_row(0, 60)
    s.widths([28, *[12] * (len(heads) - 2), 15])
    for _, key_col, adj_col in layout:  # the trace columns: narrow, grouped so a reader can fold them away
        if key_col is not None and adj_col is not None:
            s.ws.set_column(key_col, adj_col, 10, None, {"level": 1})
    s.ws.freeze_panes(1, 1)
    s.ws.repeat_rows(0)
    for i, net in enumerate(result.networks):
        r = 1 + i
        s.text(r, 0, net)
        for j, col in enumerate(columns):
            s.number(r, 1 + j, prepared.counts.totals[net].get(col, 0), "int")
        for (pot, key_col, adj_col), part_col in zip(layout, part_cols, strict=True):
            amount = result.parts[net][pot.name]
            if key_col is None or adj_col is None:
                s.number(r, part_col, amount)
                continue
            share = next(x for x in pot.shares if x.name == net)
            s.number(r, key_col, _num(share.weight), "num")
            s.number(r, adj_col, _num(amount - share.exact), "dec")
            key, total = xl_rowcol_to_cell(r, key_col), xl_rowcol_to_cell(total_row, key_col, True, False)
            adj = xl_rowcol_to_cell(r, adj_col)
            s.formula(r, part_col, f"=ROUND({key}/{total}*{refs['pot:' + pot.name]}+{adj},0)", amount)
        cells = "+".join(xl_rowcol_to_cell(r, c) for c in part_cols) or "0"
        s.formula(r, frame_col, f"={cells}", result.network_frame(net))
    s.text(total_row, 0, "Sum", "total")
    for c, (value, fmt) in totals.items():
        top, bottom = xl_rowcol_to_cell(1, c), xl_rowcol_to_cell(max(n, 1), c)
        s.formula(total_row, c, f"=SUM({top}:{bottom})", value, fmt)
    refs["fordeling_parts"] = [(pot.name, col) for (pot, _, _), col in zip(layout, part_cols, strict=True)]
    refs["networks_total"] = f"Fordeling!{xl_rowcol_to_cell(total_row, frame_col, True, True)}"
    next_col = frame_col + 1
    if prepared.previous is not None:
        _previous_columns(s, prepared, result, frame_col, total_row)
        heads += ["I fjor", "Endring"]
        next_col += 2
    if result.grants is not None:
        heads += _grant_columns(s, result, next_col, total_row, refs)
    s.as_table("Fordeling", total_row, heads)


def _previous_columns(s: Sheet, prepared: Prepared, result: Allocation, frame_col: int, total_row: int) -> None:
    """«I fjor» (last year's frame, or grant) and «Endring» beside this year's frame."""
    from ..allocate.money import name_key

    assert prepared.previous is not None
    last = {name_key(k): v for k, v in prepared.previous.items()}
    s.header(0, ["I fjor", "Endring"], frame_col + 1)
    s.ws.set_column(frame_col + 1, frame_col + 2, 15)
    s.ws.write_comment(0, frame_col + 1, f"Fra kjøringen «{prepared.previous_name}».")
    for i, net in enumerate(result.networks):
        r = 1 + i
        before = last.get(name_key(net))
        if before is None:
            s.text(r, frame_col + 1, "ny", "muted_line")
            continue
        s.number(r, frame_col + 1, before)
        now, was = xl_rowcol_to_cell(r, frame_col), xl_rowcol_to_cell(r, frame_col + 1)
        s.formula(r, frame_col + 2, f"={now}-{was}", result.network_frame(net) - before)
    n = len(result.networks)
    present = [x for x in result.networks if name_key(x) in last]
    sums = [sum(last[name_key(x)] for x in present), sum(result.network_frame(x) - last[name_key(x)] for x in present)]
    for k, value in enumerate(sums):
        col = frame_col + 1 + k
        top, bottom = xl_rowcol_to_cell(1, col), xl_rowcol_to_cell(max(n, 1), col)
        s.formula(total_row, col, f"=SUM({top}:{bottom})", value, "kr_bold")


def _grant_columns(s: Sheet, result: Allocation, first: int, total_row: int, refs: dict[str, Any]) -> list[str]:
    assert result.grants is not None
    heads = ["Søkt år 1", "Tildelt innenfor rammen", "Omfordelt", "Tildelt", "Tildelt eier", "Tildelt UH"]
    s.header(0, heads, first)
    for i in range(len(heads)):
        s.ws.set_column(first + i, first + i, 15)
    n = len(result.networks)
    for i, net in enumerate(result.networks):
        g = result.grants.networks[net]
        r = 1 + i
        if g.requested is None:
            s.text(r, first, "ingen søknad", "muted_line")
        else:
            s.number(r, first, g.requested)
        s.number(r, first + 1, g.base)
        s.number(r, first + 2, g.redistributed)
        b, c = xl_rowcol_to_cell(r, first + 1), xl_rowcol_to_cell(r, first + 2)
        s.formula(r, first + 3, f"={b}+{c}", g.granted)
        s.number(r, first + 4, g.granted_owner)
        s.number(r, first + 5, g.granted_uh)
    grants = list(result.grants.networks.values())
    sums = [
        sum(g.requested or 0 for g in grants),
        sum(g.base for g in grants),
        sum(g.redistributed for g in grants),
        result.grants.total_granted(),
        sum(g.granted_owner for g in grants),
        sum(g.granted_uh for g in grants),
    ]
    for i, value in enumerate(sums):
        top, bottom = xl_rowcol_to_cell(1, first + i), xl_rowcol_to_cell(max(n, 1), first + i)
        s.formula(total_row, first + i, f"=SUM({top}:{bottom})", value, "kr_bold")
    refs["granted_total"] = f"Fordeling!{xl_rowcol_to_cell(total_row, first + 3, True, True)}"
    return heads


def _avsetninger(s: Sheet, result: Allocation, refs: dict[str, Any]) -> None:
    heads = ["Pott", "Mottaker", "Beløp", "Grunnlag", "Vedtak"]
    s.header(0, heads)
    s.widths([30, 30, 16, 40, 50])
    s.ws.freeze_panes(1, 0)
    s.ws.repeat_rows(0)
    by_pot = {p.name: p for p in result.pots}
    for i, (recipient, amount, pot) in enumerate(result.recipients, start=1):
        s.text(i, 0, pot)
        s.text(i, 1, recipient)
        s.number(i, 2, amount)
        s.text(i, 3, by_pot[pot].basis, "wrap")
        s.text(i, 4, by_pot[pot].note, "wrap")
    last = len(result.recipients) + 1
    s.text(last, 0, "Sum", "total")
    total = sum(a for _, a, _ in result.recipients)
    s.formula(last, 2, f"=SUM(C2:C{last})" if last > 1 else "=0", total, "kr_bold")
    s.as_table("Avsetninger", last, heads)
    refs["recipients_total"] = f"Avsetninger!$C${last + 1}"


def _sporing(s: Sheet, result: Allocation, trace: dict[str, list[dict[str, Any]]] | None) -> None:
    """Per network, every part traced: the pots it came through, the split, the share, the rounding."""
    from ..allocate.trace import network_trace
    from ..read.values import format_kroner

    heads = [
        "Nettverk",
        "Del",
        "Vei fra rammen",
        "Fordeling",
        "Nøkkel for nettverket",
        "Sum nøkkel",
        "Eksakt andel (kr)",
        "Rundet ned",
        "Avrunding",
        "Kroner",
        "Vedtak",
    ]
    s.header(0, heads)
    s.widths([24, 22, 60, 30, 14, 14, 16, 14, 11, 14, 44])
    s.ws.freeze_panes(1, 2)
    s.ws.repeat_rows(0)
    row = 0
    amounts = {ROOT: result.frame, **{p.name: p.amount for p in result.pots}}
    for net, entries in (trace if trace is not None else network_trace(result)).items():
        for e in entries:
            row += 1
            path = " → ".join(f"{name} {format_kroner(amounts[name])}" for name in e["path"])
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


def _kontroll(s: Sheet, findings: list[Finding]) -> None:
    s.header(0, ["Alvorlighet", "Kode", "Fil", "Ark", "Celle", "Melding", "Verdi", "Slik retter du"])
    s.widths([12, 26, 22, 14, 9, 60, 18, 50])
    s.ws.freeze_panes(1, 0)
    s.ws.repeat_rows(0)
    if not findings:
        s.text(1, 0, "Ingen funn: inndata er kontrollert uten feil eller advarsler.", "muted")
        return
    for i, f in enumerate(sort_findings(findings), start=1):
        fmt = {"error": "error", "warning": "warning"}.get(f.severity, "note")
        for c, v in enumerate(
            [SEVERITY_NO.get(f.severity, f.severity), f.code, f.file, f.sheet, f.cell, f.message, f.value, f.fix]
        ):
            s.text(i, c, v, fmt if c == 0 else "wrap")
    s.as_table(
        "Kontroll",
        len(findings),
        ["Alvorlighet", "Kode", "Fil", "Ark", "Celle", "Melding", "Verdi", "Slik retter du"],
        total_row=False,
    )


def _parametre(s: Sheet, prepared: Prepared) -> None:
    cfg = prepared.config
    s.widths([28, 22, 18, 22, 34, 50, 24])
    s.text(0, 0, "Parametre slik de ble brukt", "title")
    rows = [
        ("Navn", cfg.name),
        ("Fylke", cfg.county),
        ("År", cfg.year or ""),
        ("Avrundingsenhet (kr)", cfg.unit),
        ("Ramme (kr)", cfg.frame),
        ("Vedtak for rammen", cfg.frame_note),
    ]
    for i, (label, value) in enumerate(rows, start=2):
        s.text(i, 0, label, "bold")
        if isinstance(value, int):
            s.number(i, 1, value, "kr" if "kr" in label else None)
        else:
            s.text(i, 1, value)
    r = len(rows) + 3
    s.text(r, 0, "Potter", "sub")
    r += 1
    s.header(r, ["Pott", "Under", "Størrelse", "Verdi", "Fordeles til", "Vedtak", "Kilde"])
    for pot in cfg.pots:
        r += 1
        value = _pot_value(pot)
        leaf = pot.recipient or ("nøkkel: " + pot.key.describe() if pot.key else pot.spread or "underpotter")
        for c, v in enumerate(
            [
                pot.name,
                pot.parent or ROOT,
                SIZE_NO.get(pot.size, pot.size),
                value,
                leaf,
                pot.note,
                SOURCE_NO.get(pot.source, pot.source),
            ]
        ):
            s.text(r, c, v, "wrap")
    if cfg.keys:
        r += 2
        s.text(r, 0, "Tellenøkler", "sub")
        r += 1
        s.header(r, ["Nøkkel", "Kolonner og vekter", "", "", "", "Vedtak"])
        for key in cfg.keys.values():
            r += 1
            s.text(r, 0, key.name)
            s.text(r, 1, key.describe())
            s.text(r, 5, key.note, "wrap")
    r += 2
    s.text(r, 0, f"Konfigurasjonsfilen {cfg.path.name}, ordrett", "sub")
    for line in cfg.raw_text.splitlines():
        r += 1
        s.text(r, 0, line, "mono")


def _pot_value(pot: Any) -> str:
    from ..read.values import format_fraction, format_kroner

    if pot.size == "amount" and pot.amount is not None:
        return f"{format_kroner(pot.amount)} kr"
    if pot.size == "percent" and pot.percent is not None:
        return f"{format_fraction(pot.percent)} %"
    if pot.size == "ratio" and pot.ratio is not None:
        return pot.ratio.describe()
    if pot.size == "per_network":
        base = f"{format_kroner(pot.per_network)} kr" if pot.per_network is not None else ""
        extra = "; ".join(f"{n}: +{format_kroner(a)} kr" for n, a in pot.extra)
        sheet = "; ".join(f"{n}: {format_kroner(a)} kr" for n, a, _ in pot.network_amounts)
        return "; ".join(x for x in (base, extra, sheet) if x)
    return ""


def _revisjon(s: Sheet, rev: dict[str, Any]) -> None:
    s.widths([30, 70, 70])
    s.text(0, 0, "Revisjonsspor", "title")
    s.text(1, 0, "Med kopiene i mappen inputs/ kan kjøringen gjentas: run_allocation.py verify MAPPE.", "muted_line")
    rows: list[tuple[str, str, str]] = [
        ("Verktøyversjon", rev["tool_version"], ""),
        ("Kjørt", rev["created"], ""),
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
        s.text(i, 1, b)
        s.text(i, 2, c, "mono")


def write_findings_workbook(path: Path, findings: list[Finding], title: str) -> None:
    """A workbook with only the Kontroll sheet, for ``validate`` and failed runs."""
    book = Book(path, title, title)
    sheet = Sheet(book, "Kontroll", "#BF8F00")
    _kontroll(sheet, findings)
    sheet.finish()
    book.wb.close()
