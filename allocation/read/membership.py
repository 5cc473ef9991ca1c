"""Sheet ``Medlemskap``: which municipalities and owners make each network, in which years.

Columns (matched like every header: trimmed, case-folded, NFC): ``Nettverk``, ``Enhet``
(a municipality number, four digits, or an organisation number, nine digits), ``Navn``,
``Gyldig fra``, ``Gyldig til`` (dates, or a year: «2024» from 1 January, to 31 December;
blank: open) and ``Merknad``. Every bad cell is a finding naming it; all of them in one pass.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from ..model.cells import a1
from ..model.findings import ERROR, Finding
from ..model.membership import MUNICIPALITY, ORGANISATION, Member, Membership
from .values import is_total_label
from .workbooks import (
    cell_text,
    find_header,
    header_key,
    is_blank,
    read_one_sheet,
    read_workbook_sheets,
    sheet_findings,
)

SHEET = "Medlemskap"
NETWORK, UNIT, NAME, FROM, TO, NOTE = "Nettverk", "Enhet", "Navn", "Gyldig fra", "Gyldig til", "Merknad"
COLUMNS = (NETWORK, UNIT, NAME, FROM, TO, NOTE)
UNIT_ALIASES = ("Kommunenummer", "Organisasjonsnummer", "Kommune- eller organisasjonsnummer")
_ALIASES = {UNIT: UNIT_ALIASES}


def read_membership(path: Path, display: str) -> tuple[Membership | None, list[Finding]]:
    sheet, findings = read_one_sheet(path, display, SHEET, "membership.no_sheet", "medlemskapene")
    if sheet is None:
        return None, findings
    header_row, colmap = find_header(sheet.rows, NETWORK)
    missing = [c for c in (NETWORK, UNIT) if not any(header_key(a) in colmap for a in (c, *_ALIASES.get(c, ())))]
    if header_row is None or missing:
        return None, [
            Finding(
                "membership.no_header",
                ERROR,
                f"Finner ingen overskriftsrad med «{NETWORK}» og «{UNIT}» i arket.",
                file=display,
                sheet=sheet.name,
                cell=a1(header_row or 0, 0),
                expected=", ".join(COLUMNS),
                fix="Bruk overskriftene fra malen mal-medlemskap.xlsx: " + ", ".join(COLUMNS) + ".",
            )
        ]
    findings = sheet_findings(sheet, header_row)
    col = {c: colmap.get(header_key(c)) for c in COLUMNS}
    if col[UNIT] is None:
        col[UNIT] = next((colmap[header_key(a)] for a in UNIT_ALIASES if header_key(a) in colmap), None)
    members: list[Member] = []
    for r in range(header_row + 1, len(sheet.rows)):
        member = _row(sheet, r, col, display, findings)
        if member is not None:
            members.append(member)
    if not members and not any(f.severity == ERROR for f in findings):
        findings.append(
            Finding(
                "membership.no_rows",
                ERROR,
                f"Arket «{SHEET}» har ingen rader under overskriftene.",
                file=display,
                sheet=sheet.name,
                fix="Skriv én rad per kommune eller eier: nettverk, kommunenummer eller organisasjonsnummer, navn.",
            )
        )
    if any(f.severity == ERROR for f in findings):
        return None, findings
    return Membership(display, sheet.name, tuple(members)), findings


def _row(sheet: Any, r: int, col: dict[str, int | None], display: str, findings: list[Finding]) -> Member | None:
    """One row of the sheet as a member; a problem is added to ``findings`` and gives None."""
    cells = {c: (sheet.cell(r, i) if i is not None else None) for c, i in col.items()}
    if all(is_blank(cells[c]) for c in (NETWORK, UNIT, NAME)):
        return None
    if is_total_label(cells[NETWORK]) or is_total_label(cells[UNIT]):
        return None
    where = {"file": display, "sheet": sheet.name}
    ucell, ncell = a1(r, col[UNIT] or 0), a1(r, col[NETWORK] or 0)
    network = " ".join(cell_text(cells[NETWORK]).split())
    if not network:
        findings.append(
            Finding(
                "membership.no_network",
                ERROR,
                f"Enheten «{cell_text(cells[UNIT])}» på rad {r + 1} står uten nettverk.",
                **where,
                cell=ncell,
                fix="Skriv navnet på nettverket enheten hører til i kolonnen «Nettverk».",
            )
        )
        return None
    unit, kind, problem = parse_unit(cells[UNIT])
    if problem:
        findings.append(
            Finding(
                "membership.bad_unit",
                ERROR,
                f"Enheten «{cell_text(cells[UNIT])}» i nettverket «{network}» {problem}.",
                **where,
                cell=ucell,
                value=cell_text(cells[UNIT]),
                expected="kommunenummer med fire sifre (5503) eller organisasjonsnummer med ni sifre",
                fix="Skriv kommunenummeret med fire sifre (f.eks. 0301) eller organisasjonsnummeret "
                "med ni sifre (f.eks. 817 920 632).",
            )
        )
        return None
    dates = _dates(cells, r, col, where, findings)
    if dates[0] and dates[1] and dates[0] > dates[1]:
        findings.append(
            Finding(
                "membership.bad_date",
                ERROR,
                f"«Gyldig fra» ({dates[0]:%d.%m.%Y}) er etter «Gyldig til» ({dates[1]:%d.%m.%Y}).",
                **where,
                cell=a1(r, col[TO] or 0),
                value=f"{dates[0]:%d.%m.%Y}–{dates[1]:%d.%m.%Y}",
                fix="Bytt om datoene, eller rett den som er feil.",
            )
        )
        return None
    return Member(
        network=network,
        unit=unit,
        kind=kind,
        name=" ".join(cell_text(cells[NAME]).split()),
        valid_from=dates[0],
        valid_to=dates[1],
        note=cell_text(cells[NOTE]),
        row=r + 1,
        unit_cell=ucell,
        network_cell=ncell,
        name_cell=_cell(r, col[NAME]),
    )


def _dates(
    cells: dict[str, Any], r: int, col: dict[str, int | None], where: dict[str, str], findings: list[Finding]
) -> list[dt.date | None]:
    """«Gyldig fra» and «Gyldig til» of a row; a cell that is not a date is a finding."""
    dates: list[dt.date | None] = []
    for c, end in ((FROM, False), (TO, True)):
        value, bad = parse_date(cells[c], end)
        if bad:
            findings.append(
                Finding(
                    "membership.bad_date",
                    ERROR,
                    f"«{cell_text(cells[c])}» i kolonnen «{c}» er ikke en dato.",
                    **where,
                    cell=a1(r, col[c] or 0),
                    value=cell_text(cells[c]),
                    expected="en dato (01.01.2024) eller et år (2024), eller tom",
                    fix="Skriv datoen som 01.01.2024, eller bare året.",
                )
            )
        dates.append(value)
    return dates


def _cell(row: int, col: int | None) -> str:
    return a1(row, col) if col is not None else ""


def parse_unit(value: Any) -> tuple[str, str, str]:
    """(digits, kind, problem): a number cell that lost its leading zero (301) is 0301."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        text = f"{value:04d}" if 0 < value <= 9999 else str(value)
    else:
        text = cell_text(value).strip()
        labelled = re.fullmatch(r"(\d{4}|\d{3} ?\d{3} ?\d{3})\s+(?:[-–]\s*)?(\D.*)", text)
        if labelled:  # «5503 Harstad - Hárstták», as the statistics label a unit
            text = labelled.group(1)
        text = re.sub(r"[\s\u00a0\u202f.]", "", text)
    if not text:
        return "", "", "mangler nummer"
    if not text.isdigit() or not text.isascii():
        return "", "", "er ikke et nummer"
    if len(text) == 4:
        return text, MUNICIPALITY, ""
    if len(text) == 9:
        from stdnum.no import orgnr

        if not orgnr.is_valid(text):
            return "", "", "er ikke et gyldig organisasjonsnummer (kontrollsifferet stemmer ikke)"
        return text, ORGANISATION, ""
    return "", "", f"har {len(text)} sifre"


_DATE_PATTERNS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y")


def parse_date(value: Any, end: bool) -> tuple[dt.date | None, bool]:
    """(date, bad): an Excel date, 01.01.2024, 2024-01-01, or a year (the year's first day, or
    for ``end`` its last). Blank is open (None, False)."""
    if is_blank(value):
        return None, False
    if isinstance(value, dt.datetime):
        return value.date(), False
    if isinstance(value, dt.date):
        return value, False
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        if 1900 <= value <= 2200:
            return (dt.date(value, 12, 31) if end else dt.date(value, 1, 1)), False
        return None, True
    text = cell_text(value).strip()
    if re.fullmatch(r"\d{4}", text):
        return parse_date(int(text), end)
    for pattern in _DATE_PATTERNS:
        try:
            return dt.datetime.strptime(text, pattern).date(), False
        except ValueError:
            pass
    return None, True


def read_counts_municipalities(path: Path, display: str) -> Membership | None:
    """The municipality numbers typed in sheet ``Tall`` (column ``Kommunenummer``), as members of
    their rows' networks, so they are checked against the code list like ``Medlemskap``. Cells
    that are not four digits are left to the counts reader, which reports them."""
    from .counts import MUNICIPALITY as COLUMN
    from .counts import NETWORK as NET
    from .counts import SHEET as TALL

    sheets, _, findings = read_workbook_sheets(path, display, [TALL])
    sheet = sheets.get(TALL)
    if findings or sheet is None:
        return None
    header_row, colmap = find_header(sheet.rows, NET)
    col, net_col = colmap.get(header_key(COLUMN)), colmap.get(header_key(NET))
    if header_row is None or col is None or net_col is None:
        return None
    members = []
    for r in range(header_row + 1, len(sheet.rows)):
        unit, kind, problem = parse_unit(sheet.cell(r, col))
        if problem or kind != MUNICIPALITY:
            continue
        network = " ".join(cell_text(sheet.cell(r, net_col)).split())
        members.append(Member(network, unit, kind, "", None, None, "", r + 1, a1(r, col), a1(r, net_col)))
    return Membership(display, sheet.name, tuple(members))
