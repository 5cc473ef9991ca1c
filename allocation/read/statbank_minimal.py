"""A small reader of a statbank-style CSV in long format, used when the full statistics readers
(``allocation.read.statistics``) are not there: ``;``-separated, quoted headers, a region
column (``"5503 Harstad - Hárstták"`` or a bare code), a period column (``år``), optionally a
measure column (``statistikkvariabel``), and the value in the last column (``.``, ``..``,
``:`` and ``-`` mean not published)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model.findings import ERROR, Finding, InputErrors
from ..model.membership import StatisticsSource
from ..model.municipalities import split_label
from ..model.statistics import StatRow, StatTable
from .municipalities import csv_rows, decode
from .snapshot import read_bytes

NOT_PUBLISHED = {".", "..", "...", ":", "-", ""}
_REGION = ("region", "kommune", "enhet", "organisasjonsnummer", "orgnr")
_PERIOD = ("år", "tid", "periode", "skoleår", "year")
_MEASURE = ("statistikkvariabel", "contentscode", "måltall", "measure")


class Unreadable(ValueError):
    """The file is not a table this reader knows; the message is Norwegian, for the user."""


def read_statbank_csv(path: Path) -> StatTable:
    rows = csv_rows(decode(read_bytes(path)))
    if len(rows) < 2:
        raise Unreadable("filen har ingen rader under overskriften")
    head = [h.strip().strip("\ufeff") for h in rows[0]]
    low = [h.casefold() for h in head]

    def find(names: tuple[str, ...]) -> int | None:
        return next((i for i, h in enumerate(low) if any(h == n or h.startswith(n) for n in names)), None)

    c_region, c_period, c_measure = find(_REGION), find(_PERIOD), find(_MEASURE)
    if c_region is None or c_period is None:
        raise Unreadable(f"finner ikke kolonnene «region» og «år» i overskriften ({';'.join(head)})")
    c_value = len(head) - 1
    source = head[c_value].split(":", 1)[0].strip() if ":" in head[c_value] else path.stem
    out = []
    for n, row in enumerate(rows[1:], start=2):
        cells = row + [""] * (len(head) - len(row))
        label = cells[c_region].strip()
        code, _ = split_label(label)
        raw = cells[c_value].strip().replace("\u00a0", "").replace(" ", "")
        if raw in NOT_PUBLISHED:
            value: int | None = None
        else:
            try:
                value = int(raw)
            except ValueError:
                raise Unreadable(f"verdien «{cells[c_value]}» på linje {n} er ikke et helt tall") from None
        measure = cells[c_measure].strip() if c_measure is not None else head[c_value]
        out.append(StatRow(code or label, label, measure, cells[c_period].strip(), value, f"linje {n}"))
    return StatTable(f"SSB {source}" if source.isdigit() else source, path.name, "statbank-csv", None, tuple(out))


def load_table(source: StatisticsSource) -> tuple[StatTable | None, list[Finding]]:
    """The export read with the statistics readers when they are installed, else with the small
    statbank CSV reader."""
    try:
        from .statistics import read_statistics  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        read_statistics = None
    try:
        if read_statistics is not None:
            import inspect

            wants_format = "format" in inspect.signature(read_statistics).parameters
            got: Any = (
                read_statistics(source.file, format=source.format)
                if wants_format and source.format
                else (read_statistics(source.file))
            )
            if isinstance(got, tuple):
                table, findings = got
                return table, list(findings)
            return got, []
        return read_statbank_csv(source.file), []
    except InputErrors as exc:  # a reader that reports its findings this way
        return None, list(exc.findings)
    except Exception as exc:  # noqa: BLE001 - any reader's failure on a user's file is a finding, never a crash
        return None, [
            Finding(
                "statistics.unreadable",
                ERROR,
                f"Statistikkfilen kan ikke leses ({exc}).",
                file=source.file.name,
                cell=f"statistics[{source.index}].file",
                fix="Last ned tabellen på nytt som CSV (semikolonseparert, med overskrifter) eller JSON-stat 2.",
            )
        ]
