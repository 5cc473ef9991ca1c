"""Counts from the official statistics: each ``[[statistics]]`` table's values summed per
network through ``Medlemskap``, replacing sheet ``Tall`` or filling some of its columns.

Every member active in the run's year must have exactly one published value for the period;
a table without the period asked for (a table of the wrong year), a member missing from the
table, a value the source did not publish, or a table still using the numbers from before a
reform is a finding naming the file and line, or the cell in ``Medlemskap``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from ..model.counts import Counts
from ..model.findings import ERROR, NOTE, Finding
from ..model.membership import Member, Membership, StatisticsSource
from ..model.municipalities import CodeList
from ..model.names import name_key
from ..model.statistics import StatRow, StatTable


def counts_from_statistics(
    sources: list[tuple[StatisticsSource, StatTable, bytes]],
    membership: Membership,
    codes: CodeList | None,
    year: int,
    tall: Counts | None,
) -> tuple[Counts | None, list[Finding], list[dict[str, Any]]]:
    """(counts, findings, the manifest's ``counts_sources``)."""
    members = membership.in_year(year)
    findings: list[Finding] = []
    sums: dict[str, dict[str, int]] = {net: {} for net in membership.networks(year)}
    record: list[dict[str, Any]] = []
    for source, table, data in sources:
        rows, found = _rows(source, table)
        findings += found
        if rows is None:
            continue
        findings += _old_codes(source, table, rows, members, codes, year)
        for net in sums:
            sums[net][source.column] = 0
        findings += _sum_source(source, table, rows, members, membership, sums)
        entry = {
            "column": source.column,
            "file": table.file,
            "table": table.source,
            "format": table.format,
            "measure": source.measure or (table.measures()[0] if table.measures() else ""),
            "period": source.period,
            "count_date": table.count_date,
            "sha256": hashlib.sha256(data).hexdigest(),
            "note": source.note,
        }
        record.append(entry)
        when = f", telledato {entry['count_date']}" if entry["count_date"] else ""
        findings.append(
            Finding(
                "statistics.source",
                NOTE,
                f"Kolonnen «{source.column}» er summert per nettverk fra {table.source} ({table.file}), "
                f"«{entry['measure']}», periode {source.period}{when}, gjennom «Medlemskap».",
                file=table.file,
                value=str(entry["sha256"]),
            )
        )
    if any(f.severity == ERROR for f in findings):
        return None, findings, record
    counts, found = _combine(sums, [s.column for s, _, _ in sources], membership, tall)
    return counts, findings + found, record


def _sum_source(
    source: StatisticsSource,
    table: StatTable,
    rows: dict[str, StatRow],
    members: tuple[Member, ...],
    membership: Membership,
    sums: dict[str, dict[str, int]],
) -> list[Finding]:
    """Add each member's published value to its network's sum of ``source.column``."""
    findings: list[Finding] = []
    lengths = {len(u) for u in rows}
    other_kind = [m for m in members if len(m.unit) not in lengths]
    if other_kind:
        findings.append(
            Finding(
                "statistics.other_kind",
                NOTE,
                f"{table.file} har bare {'organisasjonsnumre' if 9 in lengths else 'kommunenumre'}; "
                + ", ".join(f"{m.unit} {m.name} («{m.network}»)" for m in other_kind)
                + f" er ikke med i kolonnen «{source.column}» fra denne tabellen.",
                file=table.file,
                value=", ".join(m.unit for m in other_kind),
            )
        )
    for m in members:
        if len(m.unit) not in lengths:
            continue
        row = rows.get(m.unit)
        if row is None:
            findings.append(
                Finding(
                    "statistics.unit_missing",
                    ERROR,
                    f"{m.unit} {m.name} (nettverket «{m.network}») har ingen rad for {source.period} i "
                    f"{table.file}, som fyller kolonnen «{source.column}».",
                    file=membership.file,
                    sheet=membership.sheet,
                    cell=m.unit_cell,
                    value=m.unit,
                    fix="Ta med enheten når tabellen lastes ned, eller rett nummeret i «Medlemskap». "
                    "En enhet som mangler telles aldri som 0.",
                )
            )
            continue
        if row.value is None:
            findings.append(
                Finding(
                    "statistics.no_value",
                    ERROR,
                    f"{table.file} har ikke et publisert tall for {row.label} ({source.period}), "
                    f"«{row.measure}»; tegnet betyr at tallet mangler eller er skjult.",
                    file=table.file,
                    cell=row.where,
                    value=row.label,
                    fix="Bruk en tabell der tallet er publisert, eller fyll kolonnen for hånd i arket «Tall».",
                )
            )
            continue
        sums[m.network][source.column] += row.value
    return findings


def _rows(source: StatisticsSource, table: StatTable) -> tuple[dict[str, StatRow] | None, list[Finding]]:
    """The table's rows for the measure and period asked for, by unit; None after an error."""
    where = {"file": table.file}
    measures = table.measures()
    if source.measure:
        wanted = [m for m in measures if m.casefold() == source.measure.casefold()]
        wanted = wanted or list(  # the statistic named by its text where the table gives a code (JSON-stat)
            dict.fromkeys(r.measure for r in table.rows if r.measure_text.casefold() == source.measure.casefold())
        )
        if not wanted:
            return None, [
                Finding(
                    "statistics.measure_missing",
                    ERROR,
                    f"Tabellen har ikke målet «{source.measure}» (statistics[{source.index}].measure).",
                    **where,
                    value=", ".join(measures),
                    expected=source.measure,
                    fix="Skriv målet slik tabellen har det: " + ", ".join(f"«{m}»" for m in measures) + ".",
                )
            ]
        measure = wanted[0]
    elif len(measures) > 1:
        return None, [
            Finding(
                "statistics.measure_ambiguous",
                ERROR,
                f"Tabellen har flere mål ({', '.join(measures)}); konfigurasjonen sier ikke hvilket som fyller "
                f"kolonnen «{source.column}».",
                **where,
                value=", ".join(measures),
                fix=f'Skriv measure = "{measures[0]}" (eller et av de andre) i statistics[{source.index}].',
            )
        ]
    else:
        measure = measures[0] if measures else ""
    chosen = [r for r in table.rows if r.measure == measure]
    periods = list(dict.fromkeys(r.period for r in chosen))
    chosen = [r for r in chosen if r.period == source.period]
    if not chosen:
        return None, [
            Finding(
                "statistics.wrong_period",
                ERROR,
                f"Tabellen har ingen tall for perioden {source.period} som konfigurasjonen ber om "
                f"(statistics[{source.index}].period); den har {', '.join(periods) or 'ingen perioder'}.",
                **where,
                cell=chosen[0].where if chosen else "",
                value=", ".join(periods),
                expected=source.period,
                fix="Last ned tabellen for riktig år, eller rett period i konfigurasjonen.",
            )
        ]
    out: dict[str, StatRow] = {}
    findings = []
    for r in chosen:
        unit = "".join(r.unit.split()).removeprefix("K-")  # «K-5503»: a municipality in some statbank tables
        if unit.isdigit() and len(unit) < 4:
            unit = unit.zfill(4)  # a municipality number that lost its leading zero (301 is Oslo, 0301)
        if unit in out:
            findings.append(
                Finding(
                    "statistics.unit_twice",
                    ERROR,
                    f"{r.label} står to ganger for {source.period} ({out[unit].where} og {r.where}).",
                    **where,
                    cell=r.where,
                    value=r.label,
                    fix="Last ned tabellen på nytt med hver region bare én gang.",
                )
            )
            continue
        out[unit] = r
    return (None if findings else out), findings


def _old_codes(
    source: StatisticsSource,
    table: StatTable,
    rows: dict[str, StatRow],
    members: tuple[Member, ...],
    codes: CodeList | None,
    year: int,
) -> list[Finding]:
    """Rows under a number that is no longer valid, whose successor is a member: the table was
    made with the old municipality numbers (a table from before a reform)."""
    if codes is None:
        return []
    day = dt.date(year, 1, 1)
    member_units = {m.unit for m in members}
    out = []
    for unit, row in rows.items():
        if len(unit) != 4 or unit in member_units:
            continue
        status = codes.status(unit, day)
        if status.kind in ("old", "split") and any(s.code in member_units for s in status.successors):
            parts = ", ".join(f"{s.code} {s.name}" for s in status.successors)
            out.append(
                Finding(
                    "statistics.old_code",
                    ERROR,
                    f"Tabellen bruker kommunenummeret {row.label}, som ikke gjelder i {year} "
                    f"({'delt i' if status.kind == 'split' else 'nå'} {parts}).",
                    file=table.file,
                    cell=row.where,
                    value=row.label,
                    expected=parts,
                    fix="Last ned tabellen med dagens kommuneinndeling (SSB publiserer tall etter gjeldende "
                    "kommunenummer), eller velg riktig år.",
                )
            )
    return out


def _combine(
    sums: dict[str, dict[str, int]], columns: list[str], membership: Membership, tall: Counts | None
) -> tuple[Counts, list[Finding]]:
    """Counts from the statistics alone, or sheet ``Tall`` with the statistics' columns replaced."""
    file = membership.file
    if tall is None:
        nets = sorted(sums, key=name_key)
        return Counts(file, tuple(nets), {n: dict(sums[n]) for n in nets}, sum(1 for _ in nets)), []
    findings: list[Finding] = []
    by_key = {name_key(n): n for n in tall.networks}
    totals = {n: dict(t) for n, t in tall.totals.items()}
    for net, values in sums.items():
        real = by_key.get(name_key(net))
        if real is None:
            findings.append(
                Finding(
                    "statistics.network_not_in_counts",
                    ERROR,
                    f"Nettverket «{net}» står i «Medlemskap», men ikke i arket «Tall» ({tall.file}).",
                    file=membership.file,
                    sheet=membership.sheet,
                    value=net,
                    fix="Skriv nettverket likt i begge ark, eller legg det til i «Tall».",
                )
            )
            continue
        totals[real].update(values)
    member_keys = {name_key(n) for n in sums}
    for net in tall.networks:
        if name_key(net) not in member_keys:
            findings.append(
                Finding(
                    "statistics.network_kept",
                    NOTE,
                    f"Nettverket «{net}» står ikke i «Medlemskap»; kolonnene "
                    + ", ".join(f"«{c}»" for c in columns)
                    + " er tatt fra arket «Tall» for dette nettverket.",
                    file=tall.file,
                    sheet="Tall",
                    value=net,
                    fix="Legg nettverkets enheter til i «Medlemskap» om tallene skal komme fra statistikken.",
                )
            )
    return Counts(tall.file, tall.networks, totals, tall.rows), findings
