"""The counts workbook: sheet ``Tall``, one row per owner or network.

Cells are read as python-calamine types them, turned into text the way a
person reads them, and parsed here (pandas' own guessing would turn "0301"
into 301 and "NA" into a missing value). The parsed table is validated
lazily with a pandera model, so every bad cell is reported at once.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import COUNT_COLUMNS
from .excel import (
    a1,
    cell_text,
    find_header,
    header_key,
    is_blank,
    read_workbook_sheets,
    sheet_findings,
)
from .findings import ERROR, NOTE, WARNING, Finding
from .names import has_invisible, name_findings, name_key, shown

SHEET = "Tall"
NETWORK = "Nettverk"
OWNER = "Eier"
MUNICIPALITY = "Kommunenummer"
_SEPARATORS = re.compile(r"[\s\u00a0\u202f\u2009]")


@dataclass(frozen=True)
class Counts:
    """Counts summed per network, networks in ``name_key`` order."""

    file: str
    networks: tuple[str, ...]
    totals: dict[str, dict[str, int]]  # network -> column -> count
    rows: int  # data rows read

    def total(self, column: str) -> int:
        return sum(t.get(column, 0) for t in self.totals.values())


MAX_COUNT = 100_000_000  # more children or pupils than the country has: a typing error


def parse_count(value: Any) -> tuple[int | None, str | None]:
    """A whole number >= 0 as people type it; returns (value, problem)."""
    parsed, problem = _parse_count(value)
    if parsed is not None and abs(parsed) > MAX_COUNT:
        return None, "er urimelig stort for et antall"
    return parsed, problem


def _parse_count(value: Any) -> tuple[int | None, str | None]:
    if value is None:
        return 0, None
    if isinstance(value, bool):
        return None, "er en sannhetsverdi, ikke et antall"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not value.is_integer():
            return None, "er ikke et helt tall"
        return int(value), None
    text = _SEPARATORS.sub("", str(value))
    if text == "":
        return 0, None
    if re.fullmatch(r"-?\d+", text):
        return int(text), None
    if re.fullmatch(r"-?\d+[.,]\d+", text):
        return None, "er ikke et helt tall"
    return None, "er ikke et tall"


def read_counts(path: Path, display: str, columns: list[str]) -> tuple[Counts | None, list[Finding]]:
    """Read sheet ``Tall``; ``columns`` are the count columns the model uses."""
    sheets, names, findings = read_workbook_sheets(path, display, [SHEET])
    if findings:
        return None, findings
    sheet = sheets.get(SHEET)
    if sheet is None:
        close = difflib.get_close_matches(SHEET, names, n=1, cutoff=0.4)
        return None, [
            Finding(
                "counts.no_sheet",
                ERROR,
                f"Finner ikke arket «{SHEET}».",
                file=display,
                value=", ".join(names),
                expected=SHEET,
                fix=f"Gi arket med tallene navnet «{SHEET}»" + (f" (er det «{close[0]}»?)." if close else "."),
            )
        ]
    header_row, colmap = find_header(sheet.rows, NETWORK)
    if header_row is None:
        return None, [
            Finding(
                "counts.no_header",
                ERROR,
                f"Finner ingen overskriftsrad med «{NETWORK}» i arket.",
                file=display,
                sheet=sheet.name,
                cell="A1",
                expected=NETWORK,
                fix="Første rad i tabellen skal ha overskriftene fra malen, bl.a. «Nettverk».",
            )
        ]
    missing = [c for c in columns if header_key(c) not in colmap]
    if missing:
        found = [cell_text(v) for v in sheet.rows[header_row] if not is_blank(v)]
        out = []
        for col in missing:
            close = difflib.get_close_matches(col, found, n=1, cutoff=0.6)
            out.append(
                Finding(
                    "counts.missing_column" if col in COUNT_COLUMNS else "config.key_column_missing",
                    ERROR,
                    f"Kolonnen «{col}» mangler.",
                    file=display,
                    sheet=sheet.name,
                    cell=f"{a1(header_row, 0)}:{a1(header_row, max(len(found) - 1, 0))}",
                    value=", ".join(found),
                    expected=col,
                    fix=f"Er det «{close[0]}»? Skriv overskriften nøyaktig «{col}»."
                    if close
                    else f"Legg til kolonnen «{col}» i overskriftsraden.",
                )
            )
        return None, out
    sheet_problems = sheet_findings(sheet, header_row) + _duplicate_headers(sheet, header_row, columns)
    counts, findings = _parse_rows(sheet, header_row, colmap, columns)
    if any(f.severity == ERROR for f in sheet_problems):
        counts = None
    return counts, sheet_problems + findings


TOTAL_WORDS = {"sum", "sum totalt", "totalt", "total", "i alt", "sum alle", "samlet", "sum fylket"}


def _duplicate_headers(sheet: Any, header_row: int, columns: list[str]) -> list[Finding]:
    """Two columns with the same header among those the model reads: which one is meant?"""
    wanted = {header_key(c) for c in [NETWORK, MUNICIPALITY, *columns]}
    seen: dict[str, int] = {}
    out = []
    for c, v in enumerate(sheet.rows[header_row]):
        k = header_key(v) if isinstance(v, str) else ""
        if k in wanted and k in seen:
            out.append(
                Finding(
                    "counts.duplicate_header",
                    ERROR,
                    f"Overskriften «{cell_text(v)}» står to ganger ({a1(header_row, seen[k])} og {a1(header_row, c)}).",
                    file=sheet.file,
                    sheet=sheet.name,
                    cell=a1(header_row, c),
                    value=cell_text(v),
                    fix="Gi kolonnene ulike navn, eller slett den som ikke skal brukes.",
                )
            )
        seen.setdefault(k, c)
    return out


def _parse_rows(sheet: Any, header_row: int, colmap: dict[str, int], columns: list[str]):
    file, sname = sheet.file, sheet.name
    findings: list[Finding] = []
    net_col = colmap[header_key(NETWORK)]
    muni_col = colmap.get(header_key(MUNICIPALITY))
    used = [c for c in dict.fromkeys([*COUNT_COLUMNS, *columns]) if header_key(c) in colmap]
    records: list[dict[str, Any]] = []
    used_cols = [(c, colmap[header_key(c)]) for c in used]
    for r in range(header_row + 1, len(sheet.rows)):
        row = sheet.rows[r]
        net = row[net_col] if net_col < len(row) else None
        values = {c: (row[i] if i < len(row) else None) for c, i in used_cols}
        if is_blank(net) and all(is_blank(v) for v in values.values()):
            continue
        if header_key(cell_text(net)) in TOTAL_WORDS:
            findings.append(_total_row(sheet, r, net_col, used_cols, records))
            continue
        if not is_blank(net) and all(is_blank(v) for v in values.values()):
            findings.append(
                Finding(
                    "counts.row_without_counts",
                    WARNING,
                    f"Raden «{cell_text(net)}» har ingen tall og er ikke tatt med.",
                    file=file,
                    sheet=sname,
                    cell=a1(r, net_col),
                    value=cell_text(net),
                    fix="Er det et nettverk, skriv tallene (0 der det er null). Er det en merknad, kan den stå.",
                )
            )
            continue
        rec: dict[str, Any] = {"_row": r, "_cell": a1(r, net_col), NETWORK: cell_text(net)}
        for col, raw in values.items():
            parsed, problem = parse_count(raw)
            if problem:
                ref = a1(r, dict(used_cols)[col])
                findings.append(
                    Finding(
                        "counts.not_whole_number",
                        ERROR,
                        f"«{cell_text(raw)}» i kolonnen «{col}» {problem}.",
                        file=file,
                        sheet=sname,
                        cell=ref,
                        value=cell_text(raw),
                        expected="et helt tall, 0 eller større",
                        fix="Skriv antallet med sifre, f.eks. 1 250.",
                    )
                )
            rec[col] = parsed
        rec[MUNICIPALITY] = _municipality(sheet.cell(r, muni_col)) if muni_col is not None else None
        records.append(rec)
    findings += _validate(records, file, sname, colmap, used)
    if any(f.severity == ERROR for f in findings):
        return None, findings
    counts, spelling = _sum_by_network(records, file, used)
    if any(f.severity == ERROR for f in spelling):
        return None, findings + spelling
    return counts, findings + spelling


def _total_row(sheet: Any, r: int, net_col: int, used_cols: list[tuple[str, int]], records: list[dict]) -> Finding:
    """A total row at the bottom is left out; it is checked against the rows above."""
    wrong = []
    for col, i in used_cols:
        value, problem = parse_count(sheet.cell(r, i))
        above = sum(rec.get(col) or 0 for rec in records)
        if problem is None and value is not None and value != 0 and value != above:
            wrong.append(f"{col}: {value} i summeraden, {above} i radene over")
    where = {
        "file": sheet.file,
        "sheet": sheet.name,
        "cell": a1(r, net_col),
        "value": cell_text(sheet.cell(r, net_col)),
    }
    if wrong:
        return Finding(
            "counts.total_row_mismatch",
            WARNING,
            "Summeraden stemmer ikke med radene over ("
            + "; ".join(wrong)
            + "). Summeraden er ikke tatt med; radene over er brukt.",
            **where,
            fix="Kontroller om noen rader mangler eller er skjult.",
        )
    return Finding("counts.total_row", NOTE, "Summeraden er ikke tatt med (den stemmer med radene over).", **where)


def _municipality(value: Any) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):04d}"  # a number cell lost its leading zero
    return cell_text(value)


def _validate(records: list[dict[str, Any]], file: str, sname: str, colmap: dict[str, int], used: list[str]):
    """Validate the parsed rows with the pandera model; every failure at once."""
    from .schemas import validate_counts

    failures = validate_counts(records, used)
    findings = []
    for row, column, check, value in failures:
        ref = a1(row, colmap.get(header_key(column), 0)) if row is not None else ""
        if column == NETWORK:
            msg, fix, code = (
                "Raden har tall, men mangler nettverk.",
                "Skriv navnet på nettverket i kolonnen «Nettverk».",
                "counts.no_network",
            )
        elif column == MUNICIPALITY:
            msg = f"Kommunenummeret «{value}» har ikke fire sifre."
            fix, code = "Skriv kommunenummeret med fire sifre, f.eks. 0301.", "counts.municipality"
        else:
            msg = f"Antallet {value} i kolonnen «{column}» er negativt."
            fix, code = "Antall kan ikke være mindre enn 0.", "counts.negative"
        findings.append(
            Finding(code, ERROR, msg, file=file, sheet=sname, cell=ref, value=str(value), expected=check, fix=fix)
        )
    return findings


def _sum_by_network(records: list[dict[str, Any]], file: str, used: list[str]) -> tuple[Counts, list[Finding]]:
    """Rows of one network (owner rows) are summed; spellings that fold together (case,
    spaces, invisible characters) are one network, shown in its most used visible spelling."""
    spellings: dict[str, Counter[str]] = {}
    totals: dict[str, dict[str, int]] = {}
    for rec in records:
        k = name_key(rec[NETWORK])
        spellings.setdefault(k, Counter())[unicodedata.normalize("NFC", " ".join(rec[NETWORK].split()))] += 1
        acc = totals.setdefault(k, dict.fromkeys(used, 0))
        for col in used:
            acc[col] += rec[col] or 0
    findings = name_findings([(rec[NETWORK], rec["_cell"]) for rec in records], file, SHEET, "Nettverket")
    display: dict[str, str] = {}
    for k, counter in spellings.items():
        best = min(counter, key=lambda x: (has_invisible(x), -counter[x]))  # ties: the first row's spelling
        display[k] = best
        if len(counter) > 1:
            listed = ", ".join(f"«{shown(x)}»" for x in sorted(counter))
            findings.append(
                Finding(
                    "counts.network_spelling",
                    WARNING,
                    f"Nettverket er skrevet på flere måter ({listed}); radene er lagt sammen som «{shown(best)}».",
                    file=file,
                    sheet=SHEET,
                    value=", ".join(shown(x) for x in sorted(counter)),
                    fix="Skriv navnet likt på alle rader"
                    + (" (fjern usynlige tegn, vist som \\u…)." if any(map(has_invisible, counter)) else "."),
                )
            )
    ordered = sorted(totals, key=lambda k: (k, display[k]))
    counts = Counts(file, tuple(display[k] for k in ordered), {display[k]: totals[k] for k in ordered}, len(records))
    return counts, findings


__all__ = ["Counts", "read_counts", "parse_count"]
