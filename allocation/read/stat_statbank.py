"""Statistics Norway's statbank tables as CSV: the file «Last ned» gives in the statbank, and
PxWebApi v2's ``outputFormat=csv`` (best with ``outputFormatParams=SeparatorSemicolon,UseCodesAndTexts``).

The layout is PC-Axis's: an optional title line (``IncludeTitle``), then one header row, quoted:
first the variables in the stub (``"region";"alder";"statistikkvariabel";"år"``), then either one
value column headed by the table's contents (``"12562: Barn i barnehager, etter …"``, the long
variant) or one column per combination of the heading variables, their texts joined by a space
(``"Barn i barnehager 2023";"Barn i barnehager 2024"``, the wide variant). Values are unquoted;
a symbol (``..``, ``.``, ``:``, ``-``) stands where no number is published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model.cells import a1
from ..model.findings import ERROR, Finding
from ..model.statistics import StatRow, StatTable
from .stat_common import SYMBOLS, Collector, code_text, csv_rows, region, split_period, table_id

REGION_NAMES = {"region", "kommune", "region/kommune", "kommunenummer", "kommunenr", "kommunekode"}
PERIOD_NAMES = {"år", "tid", "year", "time", "skoleår", "periode", "kvartal", "måned", "barnehageår"}
MEASURE_NAMES = {"statistikkvariabel", "statistikkvariabler", "contentscode", "contents"}
FORMAT = "statbank-csv"


def read_statbank(text: str, file: str) -> tuple[StatTable | None, list[Finding]]:
    out = Collector(file, FORMAT)
    rows, delim = csv_rows(text)
    full = [i for i, r in enumerate(rows) if any(c.strip() for c in r)]
    if not full:
        out.empty()
        return None, out.findings
    title, h = "", full[0]
    if len([c for c in rows[h] if c.strip()]) == 1 and len(full) > 1:
        title, h = rows[h][0].strip(), full[1]
    header = [c.strip() for c in rows[h]]
    data = [i for i in full if i > h]
    lines = text.splitlines()
    quoted = _quoting(lines, data[0], delim) if data and len(lines) == len(rows) else None
    kinds = _kinds(header, [rows[i] for i in data], quoted)
    if "region" not in kinds.values():
        out.add(
            "statistics.no_unit_column",
            ERROR,
            a1(h, 0),
            ";".join(header),
            "Finner ingen kolonne med regionene (kommunene) i overskriftsraden.",
            "Last ned tabellen med regionen som egen kolonne («region») og med koder og tekster.",
            expected="en kolonne «region»",
        )
        return None, out.findings
    values = sorted(c for c, k in kinds.items() if k == "value")
    columns = {c: _column(header[c], kinds, title, out, h, c) for c in values}
    layout = _layout(header, kinds, columns)
    for r in data:
        _row(rows[r], r, layout, out)
    if not out.rows and not any(f.severity == ERROR for f in out.findings):
        out.empty()
    source_id = table_id(title) or next((table_id(header[c]) for c in values if table_id(header[c])), "")
    source_id = source_id or _id_from_name(file)
    table = StatTable(
        source=f"SSB {source_id}" if source_id else "SSB statistikkbanken",
        file=file,
        format=FORMAT,
        count_date=None,
        rows=tuple(out.rows),
        title=title or next((header[c] for c in values if table_id(header[c])), ""),
    )
    return table, out.findings


def _id_from_name(file: str) -> str:
    m = re.search(r"(?<!\d)(\d{5})(?!\d)", file)
    return m.group(1) if m else ""


def _kinds(header: list[str], data: list[list[str]], quoted: list[bool] | None) -> dict[int, str]:
    """Each column's part: region, period, measure, value or another breakdown ("other")."""
    kinds: dict[int, str] = {}
    for c, name in enumerate(header):
        low = _names(name)
        if low & REGION_NAMES:
            kinds[c] = "region"
        elif low & PERIOD_NAMES:
            kinds[c] = "period"
        elif low & MEASURE_NAMES:
            kinds[c] = "measure"
    if "region" not in kinds.values():  # a region column under another name: its cells carry codes
        for c in range(len(header)):
            cells = [r[c].strip() for r in data if c < len(r) and r[c].strip()]
            if c not in kinds and cells and all(region(x) and not x.replace(" ", "").isdigit() for x in cells):
                kinds[c] = "region"
                break
    by_header = None  # the value columns: the last ones, after the stub, all of one kind
    for c in range(len(header) - 1, -1, -1):
        named = bool(table_id(header[c]) or split_period(header[c]))
        if quoted is not None:  # as SSB writes it: labels quoted, values not
            value = not quoted[c] if c < len(quoted) else False
        else:
            value = named or (not by_header and _numeric([r[c] for r in data if c < len(r)]))
        if c in kinds or not value or (by_header and not named):
            break
        by_header = named if by_header is None else by_header
        kinds[c] = "value"
    for c in range(len(header)):
        kinds.setdefault(c, "other")
    return kinds


def _names(header: str) -> set[str]:
    """A stub column's names as PxWebApi writes them: «region» (texts), «Region» (codes) or
    «Region - region» (codes and texts), lower-cased."""
    low = header.strip().lower()
    return {low, *(part.strip() for part in low.split(" - ", 1))}


def _quoting(lines: list[str], row: int, delim: str) -> list[bool] | None:
    """Which fields of a raw line are quoted; None when the file quotes nothing (saved by
    another program), so quoting tells nothing."""
    if row >= len(lines):
        return None
    flags: list[bool] = []
    field_start, inside = True, False
    for ch in lines[row]:
        if field_start:
            flags.append(ch == '"')
            field_start = ch == delim  # an empty field: the next one starts here
            inside = ch == '"'
        elif ch == '"':
            inside = not inside
        elif ch == delim and not inside:
            field_start = True
    if field_start:
        flags.append(False)
    return flags if any(flags) else None


def _numeric(cells: list[str]) -> bool:
    plain = [x.strip() for x in cells if x.strip()]
    numeric = [x for x in plain if x in SYMBOLS or re.fullmatch(r"[\d\s\u00a0]+(?:[.,]\d+)?", x)]
    return bool(plain) and len(numeric) * 2 >= len(plain)


def _column(
    name: str, kinds: dict[int, str], title: str, out: Collector, h: int, c: int
) -> tuple[str, str | None] | None:
    """A value column's (measure, period) as its header says; None for the part the stub gives.
    None for the whole column when the period can be found nowhere (with a finding)."""
    has_period = "period" in kinds.values()
    has_measure = "measure" in kinds.values()
    if table_id(name):
        measure = "" if has_measure else name.split(":", 1)[1].strip().rstrip(",")
        period: str | None = None
    else:
        parts = split_period(name)
        if parts and not has_period:
            measure, period = parts
        else:
            measure, period = name, None
        if has_measure and not measure:
            measure = ""
        if not measure and not has_measure:
            measure = title.split(":", 1)[-1].strip().rstrip(",") or name
    if period is None and not has_period:
        out.add(
            "statistics.no_period",
            ERROR,
            a1(h, c),
            name,
            f"Kolonnen «{name}» sier ikke hvilket år (hvilken periode) tallene gjelder, og tabellen har "
            "ingen kolonne «år».",
            "Last ned tabellen med året i overskriften eller som egen kolonne.",
            expected="f.eks. «Barn i barnehager 2024» eller en kolonne «år»",
        )
        return None
    return measure, period


@dataclass(frozen=True)
class _Layout:
    """Which column is which, worked out once for the whole file."""

    header: list[str]
    region: int
    measure: int | None
    period: int | None
    other: list[int]
    columns: dict[int, tuple[str, str | None]]  # value column -> (measure, period) from its header
    coded: bool  # «Region - region»: every variable as «code - text»


def _layout(header: list[str], kinds: dict[int, str], columns: dict[int, tuple[str, str | None] | None]) -> _Layout:
    def first(kind: str) -> int | None:
        return next((c for c, k in sorted(kinds.items()) if k == kind), None)

    region = first("region")
    assert region is not None
    return _Layout(
        header,
        region,
        first("measure"),
        first("period"),
        [c for c, k in sorted(kinds.items()) if k == "other"],
        {c: col for c, col in sorted(columns.items()) if col is not None},
        " - " in header[region],
    )


def _row(row: list[str], r: int, lay: _Layout, out: Collector) -> None:
    header = lay.header
    if len(row) != len(header) and len(header) > 1 and sum(1 for x in row if x.strip()) == 1:
        return  # a line of text (a note below the table): no number in it
    if not out.fits(row, header, r):
        return
    rc = lay.region
    label = row[rc].strip()
    where = f"linje {r + 1}"  # the row, as the model's StatRow names it; findings on a value name its cell
    unit = out.unit(label, a1(r, rc), header[rc])
    stub_measure = row[lay.measure].strip() if lay.measure is not None else ""
    stub_period = row[lay.period].strip() if lay.period is not None else ""
    other = tuple((header[c], row[c].strip()) for c in lay.other)
    municipality = unit[0] if unit is not None and len(unit[0]) == 4 else ""
    for c, (measure, period) in lay.columns.items():
        measure, text = code_text(stub_measure or measure) if lay.coded else (stub_measure or measure, "")
        period = code_text(period or stub_period)[0] if lay.coded else period or stub_period
        raw = row[c].strip()
        value: int | None
        if raw.isdigit():  # the common case, without the work of naming a cell
            ok, value = True, int(raw)
        else:
            ok, value = out.count(raw, a1(r, c), f"{label} ({measure}, {period})")
        if ok and unit is not None:
            out.keep(StatRow(unit[0], label, measure, period, value, where, other, text, municipality))
