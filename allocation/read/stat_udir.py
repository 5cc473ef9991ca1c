"""The Directorate for Education and Training's statistics exports (Udir's «Statistikkbanken»,
«Last ned» as CSV): long format, ``;``-separated, one header row, one value column.

The columns as the export names them, e.g.
``Enhetsnavn;Skoletype;Vurderingsområde;Statistikk;Indikator/delskår;Periode;Eierform;Trinn;Kjønn;Verdi;Måleenhet``.
What is read: the unit (``Organisasjonsnummer`` or ``Kommunenummer``/``Kommunekode``, which
must be among the columns), its name (``Enhetsnavn``, ``Skolenavn`` or ``Kommunenavn``), the
statistic (``Statistikk`` and ``Indikator/delskår``), the period (``Periode`` or ``Skoleår``,
e.g. ``2024-2025``) and ``Verdi``. Every other column (Trinn, Kjønn, Eierform, Måleenhet …)
is a breakdown kept with the row, so two rows that differ only there are not duplicates.
"""

from __future__ import annotations

from ..model.cells import a1
from ..model.findings import ERROR, Finding
from ..model.statistics import StatRow, StatTable
from .stat_common import Collector, csv_rows

FORMAT = "udir-csv"
_UNIT_FIX = (
    "Et organisasjonsnummer har 9 sifre og et kommunenummer 4; last ned eksporten på nytt fra "
    "Utdanningsdirektoratet uten å endre den i et regneark (som kan fjerne en null foran)."
)
ORG_NAMES = ("organisasjonsnummer", "orgnr", "organisasjonsnr")
MUNICIPALITY_NAMES = ("kommunenummer", "kommunenr", "kommunekode")
LABEL_NAMES = ("enhetsnavn", "skolenavn", "kommunenavn", "navn")
PERIOD_NAMES = ("periode", "skoleår", "tid", "år")
MEASURE_NAMES = ("statistikk", "indikator/delskår", "indikator")
VALUE_NAMES = ("verdi", "antall")


def looks_like_udir(header: list[str]) -> bool:
    low = {h.strip().lower() for h in header}
    return bool(low & set(VALUE_NAMES)) and bool(low & {"enhetsnavn", "statistikk", "periode", *ORG_NAMES})


def _find(low: list[str], names: tuple[str, ...]) -> int | None:
    return next((low.index(n) for n in names if n in low), None)


def read_udir(text: str, file: str) -> tuple[StatTable | None, list[Finding]]:
    out = Collector(file, FORMAT)
    rows, _ = csv_rows(text)
    full = [i for i, r in enumerate(rows) if any(c.strip() for c in r)]
    if not full:
        out.empty()
        return None, out.findings
    h = full[0]
    header = [c.strip() for c in rows[h]]
    low = [c.lower() for c in header]
    unit_col = _find(low, ORG_NAMES)
    unit_col = unit_col if unit_col is not None else _find(low, MUNICIPALITY_NAMES)
    value_col, period_col = _find(low, VALUE_NAMES), _find(low, PERIOD_NAMES)
    if unit_col is None or value_col is None or period_col is None:
        missing = (
            "organisasjonsnummer eller kommunenummer"
            if unit_col is None
            else "«Verdi»"
            if value_col is None
            else "«Periode»"
        )
        out.add(
            "statistics.no_unit_column" if unit_col is None else "statistics.udir_columns",
            ERROR,
            a1(h, 0),
            ";".join(header),
            f"Eksporten fra Utdanningsdirektoratet har ingen kolonne med {missing}.",
            "Last ned tabellen på nytt med organisasjonsnummer (for skoler og eiere) eller kommunenummer "
            "som egen kolonne; navnet alene kan ikke knyttes sikkert til et nettverk.",
            expected="Organisasjonsnummer eller Kommunenummer, Periode og Verdi",
        )
        return None, out.findings
    label_col = _find(low, LABEL_NAMES)
    muni_col = _find(low, MUNICIPALITY_NAMES)
    measure_cols = [low.index(n) for n in MEASURE_NAMES[:2] if n in low] or [
        c for c in (_find(low, MEASURE_NAMES[2:]),) if c is not None
    ]
    used = {unit_col, value_col, period_col, *measure_cols} | ({label_col} if label_col is not None else set())
    others = [c for c in range(len(header)) if c not in used]
    for r in full[1:]:
        row = rows[r]
        if len(row) != len(header):
            out.add(
                "statistics.bad_row",
                ERROR,
                a1(r, 0),
                ";".join(row),
                f"Linje {r + 1} har {len(row)} felt, men overskriftsraden har {len(header)}.",
                "Last ned tabellen på nytt uten å endre den i et regneark.",
                expected=f"{len(header)} felt",
            )
            continue
        raw_unit = row[unit_col].strip()
        code = raw_unit.replace(" ", "").replace("\u00a0", "")
        label = row[label_col].strip() if label_col is not None else ""
        if code.isdigit() and len(code) in (4, 9):
            unit: tuple[str, str] | None = (code, label)
        else:
            unit = out.unit(raw_unit, a1(r, unit_col), header[unit_col], _UNIT_FIX)
        measure = " / ".join(row[c].strip() for c in measure_cols if row[c].strip())
        period = row[period_col].strip()
        what = f"{raw_unit} {label} ({measure}, {period})".replace("  ", " ")
        ok, value = out.count(row[value_col], a1(r, value_col), what)
        if ok and unit is not None:
            other = tuple((header[c], row[c].strip()) for c in others)
            municipality = row[muni_col].strip() if muni_col is not None else ""
            municipality = municipality if len(municipality) == 4 and municipality.isdigit() else ""
            out.keep(
                StatRow(unit[0], label or raw_unit, measure, period, value, a1(r, unit_col), other, "", municipality)
            )
    if not out.rows and not any(f.severity == ERROR for f in out.findings):
        out.empty()
    stat_col = _find(low, ("statistikk",))
    first = next((rows[r][stat_col].strip() for r in full[1:2] if stat_col is not None and stat_col < len(rows[r])), "")
    table = StatTable(
        source=f"Udir {first}" if first else "Udir statistikkbanken",
        file=file,
        format=FORMAT,
        count_date=None,
        rows=tuple(out.rows),
    )
    return table, out.findings
