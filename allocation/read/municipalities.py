"""The municipality code list: Statistics Norway's classification 131 as its CSV export.

Two files, as KLASS exports them (``;``-separated, quoted): the codes with their validity
(``code``, ``name``, ``validFrom``, ``validTo`` — or ``validFromInRequestedRange`` and
``validToInRequestedRange`` from a range query) and the changes (``oldCode``, ``oldName``,
``newCode``, ``newName``, ``changeOccurred``). The bundled export lives in
``input_templates/kodelister/``; ``[inputs] municipalities`` and ``municipality_changes``
name others. Read through the run's snapshot, so the copy in ``inputs/`` is what was read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from ..model.findings import ERROR, Finding
from ..model.municipalities import Change, CodeList, Municipality
from .snapshot import read_bytes

BUNDLED_DIR = Path(__file__).resolve().parents[2] / "input_templates" / "kodelister"
BUNDLED_CODES = BUNDLED_DIR / "kommuner-klass-131.csv"
BUNDLED_CHANGES = BUNDLED_DIR / "kommuneendringer-klass-131.csv"

_FIX = (
    "Last ned klassifikasjon 131 (Standard for kommuneinndeling) som CSV fra SSBs KLASS, "
    "eller bruk filen som følger med."
)


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) as KLASS and the statbank write it; Windows-1252 as Excel saves it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def csv_rows(text: str) -> list[list[str]]:
    dialect = ";" if text.split("\n", 1)[0].count(";") >= text.split("\n", 1)[0].count(",") else ","
    return [r for r in csv.reader(io.StringIO(text), delimiter=dialect) if any(c.strip() for c in r)]


def read_code_list(codes: Path, changes: Path | None) -> tuple[CodeList | None, list[Finding]]:
    findings: list[Finding] = []
    municipalities = _read_codes(codes, findings)
    change_rows = _read_changes(changes, findings) if changes is not None else ()
    if municipalities is None or any(f.severity == ERROR for f in findings):
        return None, findings
    return CodeList(codes.name, municipalities, change_rows, changes.name if changes else ""), findings


def _table(
    path: Path, needed: list[tuple[str, ...]], findings: list[Finding]
) -> tuple[list[list[str]], list[int]] | None:
    try:
        rows = csv_rows(decode(read_bytes(path)))
    except OSError as exc:
        findings.append(
            Finding(
                "membership.codelist_unreadable", ERROR, f"Kodelisten kan ikke leses ({exc}).", file=path.name, fix=_FIX
            )
        )
        return None
    head = [h.strip().strip("\ufeff") for h in rows[0]] if rows else []
    cols = []
    for names in needed:
        col = next((head.index(n) for n in names if n in head), None)
        if col is None:
            findings.append(
                Finding(
                    "membership.codelist_unreadable",
                    ERROR,
                    f"Kodelisten mangler kolonnen «{names[0]}».",
                    file=path.name,
                    cell="linje 1",
                    value=";".join(head),
                    expected=names[0],
                    fix=_FIX,
                )
            )
            return None
        cols.append(col)
    return rows[1:], cols


def _date(text: str, path: Path, line: int, findings: list[Finding], blank_ok: bool) -> dt.date | None:
    text = text.strip()
    if not text and blank_ok:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        findings.append(
            Finding(
                "membership.codelist_unreadable",
                ERROR,
                f"Datoen «{text}» på linje {line} kan ikke leses.",
                file=path.name,
                cell=f"linje {line}",
                value=text,
                expected="ÅÅÅÅ-MM-DD",
                fix=_FIX,
            )
        )
        return None


def _read_codes(path: Path, findings: list[Finding]) -> tuple[Municipality, ...] | None:
    table = _table(
        path,
        [("code",), ("name",), ("validFrom", "validFromInRequestedRange"), ("validTo", "validToInRequestedRange")],
        findings,
    )
    if table is None:
        return None
    rows, (c_code, c_name, c_from, c_to) = table
    out = []
    for i, row in enumerate(rows, start=2):
        cell = row + [""] * 9
        start = _date(cell[c_from], path, i, findings, blank_ok=False)
        end = _date(cell[c_to], path, i, findings, blank_ok=True)
        if start is not None:
            out.append(Municipality(cell[c_code].strip(), " ".join(cell[c_name].split()), start, end))
    return tuple(out)


def _read_changes(path: Path, findings: list[Finding]) -> tuple[Change, ...]:
    table = _table(path, [("oldCode",), ("oldName",), ("newCode",), ("newName",), ("changeOccurred",)], findings)
    if table is None:
        return ()
    rows, (c_old, c_oname, c_new, c_nname, c_when) = table
    out = []
    for i, row in enumerate(rows, start=2):
        cell = row + [""] * 7
        when = _date(cell[c_when], path, i, findings, blank_ok=False)
        if when is not None:
            out.append(
                Change(cell[c_old].strip(), cell[c_oname].strip(), cell[c_new].strip(), cell[c_nname].strip(), when)
            )
    return tuple(out)
