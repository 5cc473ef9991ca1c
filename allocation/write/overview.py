"""The county's overview across years: one workbook for the samarbeidsforum.

Sheets: «Avstemming» (per year: frame = earlier commitments + new grants + set-asides + held
back, and the difference, which must be 0 kr), «Partnerskap» (per network and year: granted,
committed for later years, paid, deducted, reported used and unspent), «Bundet framover» (the
commitments per recipient and payment year: how much of each coming year is already bound) and
«Kjøringer» (every run folder used, with its own reconciliation).
"""

from __future__ import annotations

from pathlib import Path

from ..model.history import Overview, Reported
from .book import Book, Sheet

YEAR_HEADS = [
    "År",
    "Kjøringer",
    "Ramme",
    "Tidligere tilsagn",
    "Nye tildelinger",
    "Avsetninger",
    "Holdt tilbake",
    "Avvik",
]
NET_HEADS = [
    "Nettverk",
    "År",
    "Tildelt",
    "Herav tidligere tilsagn",
    "Tilsagn for senere år",
    "Utbetalt",
    "Trukket",
    "Rapportert brukt",
    "Rapportert ubrukt",
]
RUN_HEADS = ["Mappe", "Kjøring", "År", "Tilsagn fra", *YEAR_HEADS[2:]]


def write_overview(path: Path, overview: Overview, stamp: str) -> None:
    book = Book(path, "Kompetanseløftet – oversikt over årene", stamp)
    sheets = {
        name: Sheet(book, name, tab)
        for name, tab in (
            ("Avstemming", "#1F3864"),
            ("Partnerskap", "#2E75B6"),
            ("Bundet framover", "#C55A11"),
            ("Kjøringer", "#7F7F7F"),
        )
    }
    _years(sheets["Avstemming"], overview)
    _networks(sheets["Partnerskap"], overview)
    _bound(sheets["Bundet framover"], overview)
    _runs(sheets["Kjøringer"], overview)
    for s in sheets.values():
        s.finish()
    book.close()


def _years(s: Sheet, overview: Overview) -> None:
    s.widths([8, 50, 16, 16, 16, 16, 16, 12])
    s.header(0, YEAR_HEADS)
    s.ws.freeze_panes(1, 0)
    row = 0
    for y in overview.years:
        row += 1
        s.number(row, 0, y.year, None)
        s.text(row, 1, "; ".join(y.runs), "wrap")
        for c, v in enumerate((y.frame, y.earlier, y.new_grants, y.set_asides, y.held_back), start=2):
            s.number(row, c, v)
        r1 = row + 1
        s.formula(row, 7, f"=C{r1}-D{r1}-E{r1}-F{r1}-G{r1}", y.difference, "kr_ok")
    s.text(
        row + 2,
        0,
        "Avvik = ramme − tidligere tilsagn − nye tildelinger − avsetninger − holdt tilbake; skal være 0 kr.",
        "muted_line",
    )
    ok = all(y.difference == 0 for y in overview.years)
    s.text(row + 3, 0, "Alle årene går opp til kronen." if ok else "NB: minst ett år går ikke opp (se Avvik).", "bold")
    last = max(overview.years, key=lambda y: y.year).year if overview.years else 0
    nxt = sum(v for (_, _, pay), v in overview.bound.items() if pay == last + 1)
    s.text(row + 5, 0, f"Allerede bundet for {last + 1} (tilsagn gitt til og med {last}):", "bold")
    s.number(row + 5, 4, nxt, "kr_bold")


def _networks(s: Sheet, overview: Overview) -> None:
    s.widths([28, 8, 16, 16, 16, 16, 14, 16, 16])
    s.header(0, NET_HEADS)
    s.ws.freeze_panes(1, 1)
    reported: dict[tuple[str, int], Reported] = {}
    by_name = {r.name: r.year for r in overview.runs}
    by_hash = {r.manifest_sha256: r.year for r in overview.runs if r.manifest_sha256}
    for r in overview.runs:
        for rep in r.reported:
            year = by_hash.get(r.reported_on, by_name.get(rep.decision))
            if year is not None:
                reported[(rep.network, year)] = rep
    row = 0
    for r in overview.runs:
        made: dict[str, int] = {}
        for m in r.made:
            made[m.recipient] = made.get(m.recipient, 0) + m.amount
        for net, granted in sorted(r.grants.items()):
            row += 1
            got = reported.get((net, r.year))
            s.text(row, 0, net)
            s.number(row, 1, r.year, None)
            earlier = r.earlier_networks.get(net, 0)
            values = [granted, earlier, made.get(net, 0), r.payments.get(net, 0), r.deducted.get(net, 0)]
            for c, v in enumerate(values, start=2):
                s.number(row, c, v)
            if got is not None:
                s.number(row, 7, got.used)
                s.number(row, 8, got.unspent)
    if row:
        s.as_table("Partnerskap", row, NET_HEADS, total_row=False)


def _bound(s: Sheet, overview: Overview) -> None:
    pay_years = sorted({pay for (_, _, pay) in overview.bound})
    heads = ["Mottaker", "Vedtaksår", *(f"Utbetales {y}" for y in pay_years)]
    s.widths([30, 12, *([16] * len(pay_years))])
    s.header(0, heads)
    s.ws.freeze_panes(1, 2)
    rows = sorted({(who, dec) for (who, dec, _) in overview.bound}, key=lambda k: (k[1], k[0]))
    for i, (who, dec) in enumerate(rows, start=1):
        s.text(i, 0, who)
        s.number(i, 1, dec, None)
        for c, y in enumerate(pay_years, start=2):
            s.number(i, c, overview.bound.get((who, dec, y), 0))
    total = len(rows) + 1
    s.text(total, 0, "Sum bundet", "total")
    for c, y in enumerate(pay_years, start=2):
        col = chr(ord("A") + c)
        cached = sum(v for (_, _, pay), v in overview.bound.items() if pay == y)
        s.formula(total, c, f"=SUM({col}2:{col}{total})" if rows else "=0", cached, "kr_bold")
    if not rows:
        s.text(total + 1, 0, "Ingen tilsagn for senere år i kjøringene.", "muted_line")


def _runs(s: Sheet, overview: Overview) -> None:
    s.widths([40, 40, 8, 14, 16, 16, 16, 16, 16, 12])
    s.header(0, RUN_HEADS)
    for i, r in enumerate(overview.runs, start=1):
        s.text(i, 0, r.folder)
        s.text(i, 1, r.name, "wrap")
        s.number(i, 2, r.year, None)
        s.text(i, 3, "manifestets tilsagn" if r.commitment_source == "commitments" else "søknadenes år 2 og 3")
        values = (r.frame, r.earlier_total, r.new_grants(), r.new_set_asides(), r.held_back)
        for c, v in enumerate(values, start=4):
            s.number(i, c, v)
        s.formula(i, 9, f"=E{i + 1}-F{i + 1}-G{i + 1}-H{i + 1}-I{i + 1}", r.difference(), "kr_ok")
    s.text(len(overview.runs) + 2, 0, "Hver mappe er kontrollert mot SHA-256 i sitt manifest før bruk.", "muted_line")
