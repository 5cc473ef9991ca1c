"""``[inputs]`` membership and code list, and the ``[[statistics]]`` tables of the configuration."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model.config import STATISTICS_FORMATS, STATISTICS_KEYS
from .toml_values import ON_DISK, Paths, Problems, input_path, parse_text

if TYPE_CHECKING:
    from ..model.membership import StatisticsSource


def membership_inputs(
    p: Problems, base: Path, inputs: dict[str, Any], overrides: dict[str, Any], paths: Paths = ON_DISK
) -> tuple[Path | None, Path | None, Path | None]:
    """(membership workbook, code list, code list changes). The code list defaults to the
    bundled export of classification 131 when membership or statistics are used."""
    out: list[Path | None] = []
    for key, role in (
        ("membership", "membership"),
        ("municipalities", "municipalities"),
        ("municipality_changes", "municipality_changes"),
    ):
        text = parse_text(p, f"inputs.{key}", inputs.get(key))
        if role in overrides:
            out.append(overrides[role])
        elif text:
            out.append(input_path(p, base, f"inputs.{key}", text, None, paths))
        else:
            out.append(None)
    return out[0], out[1], out[2]


def statistics_sources(
    p: Problems, base: Path, raw: Any, overrides: dict[str, Any], paths: Paths = ON_DISK
) -> tuple[StatisticsSource, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        p.add("config.type", "statistics", "Statistikkfiler skrives som [[statistics]]-tabeller.")
        return ()
    from ..model.membership import StatisticsSource  # (loaded only when a run has [[statistics]])

    copies = list(overrides.get("statistics", []))
    out = []
    columns: dict[str, int] = {}
    for i, table in enumerate(raw, start=1):
        where = f"statistics[{i}]"
        if not isinstance(table, dict):
            p.add("config.type", where, f"{where} skal være en tabell.")
            continue
        p.unknown_keys(table, STATISTICS_KEYS, f"[[statistics]] nr. {i}")
        file_text = parse_text(p, f"{where}.file", table.get("file"), required=True)
        column = parse_text(p, f"{where}.column", table.get("column"), required=True)
        period = table.get("period")
        period_text = str(period) if isinstance(period, int) and not isinstance(period, bool) else period
        period_text = parse_text(p, f"{where}.period", period_text, required=True)
        fmt = parse_text(p, f"{where}.format", table.get("format"))
        if fmt and fmt not in STATISTICS_FORMATS:
            p.add(
                "statistics.bad_format",
                f"{where}.format",
                f"Formatet «{fmt}» er ukjent.",
                "Skriv " + ", ".join(f'"{f}"' for f in STATISTICS_FORMATS) + ", eller la det stå tomt.",
                fmt,
            )
        if column and column.casefold() in columns:
            p.add(
                "statistics.column_twice",
                f"{where}.column",
                f"Kolonnen «{column}» fylles også av statistics[{columns[column.casefold()]}].",
                "Én statistikkfil per kolonne.",
                column,
            )
        columns.setdefault(column.casefold(), i)
        if not file_text:
            continue
        path = copies.pop(0) if copies else input_path(p, base, f"{where}.file", file_text, None, paths)
        out.append(
            StatisticsSource(
                index=i,
                file=path,
                column=column,
                period=period_text,
                measure=parse_text(p, f"{where}.measure", table.get("measure")),
                format=fmt,
                note=parse_text(p, f"{where}.note", table.get("note")),
            )
        )
    return tuple(out)
