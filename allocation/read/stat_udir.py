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
LABEL_NAMES = ("enhetsnavn", "enhetnavn", "skolenavn", "kommunenavn", "navn")
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
    cols = _columns(header, out, h)
    if cols is None:
        return None, out.findings
    for r in full[1:]:
        _row(rows[r], r, header, cols, out)
    if not out.rows and not any(f.severity == ERROR for f in out.findings):
        out.empty()
    stat = cols.get("statistikk")
    first = next((rows[r][stat].strip() for r in full[1:2] if stat is not None and stat < len(rows[r])), "")
    table = StatTable(
        source=f"Udir {first}" if first else "Udir statistikkbanken",
        file=file,
        format=FORMAT,
        count_date=None,
        rows=tuple(out.rows),
    )
    return table, out.findings


def _columns(header: list[str], out: Collector, h: int) -> dict[str, int] | None:
    """Which column is which: unit, value, period, label, municipality, statistikk (None when
    a needed one is missing, with a finding)."""
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
        return None
    cols = {"unit": unit_col, "value": value_col, "period": period_col}
    for key, names in (("label", LABEL_NAMES), ("municipality", MUNICIPALITY_NAMES), ("statistikk", ("statistikk",))):
        found = _find(low, names)
        if found is not None:
            cols[key] = found
    measures = [low.index(n) for n in MEASURE_NAMES[:2] if n in low] or [
        c for c in (_find(low, MEASURE_NAMES[2:]),) if c is not None
    ]
    for k, c in enumerate(measures):
        cols[f"measure{k}"] = c
    return cols


def _row(row: list[str], r: int, header: list[str], cols: dict[str, int], out: Collector) -> None:
    if not out.fits(row, header, r):
        return
    uc = cols["unit"]
    raw_unit = row[uc].strip()
    code = raw_unit.replace(" ", "").replace("\u00a0", "")
    label = row[cols["label"]].strip() if "label" in cols else ""
    unit = (
        (code, label)
        if code.isdigit() and len(code) in (4, 9)
        else out.unit(raw_unit, a1(r, uc), header[uc], _UNIT_FIX)
    )
    measure = " / ".join(row[c].strip() for k, c in cols.items() if k.startswith("measure") and row[c].strip())
    period = row[cols["period"]].strip()
    what = f"{raw_unit} {label} ({measure}, {period})".replace("  ", " ")
    ok, value = out.count(row[cols["value"]], a1(r, cols["value"]), what)
    if not ok or unit is None:
        return
    used = {c for k, c in cols.items() if k not in ("municipality", "statistikk")}  # the rest: breakdowns
    other = tuple((header[c], row[c].strip()) for c in range(len(header)) if c not in used)
    municipality = row[cols["municipality"]].strip() if "municipality" in cols else ""
    municipality = municipality if len(municipality) == 4 and municipality.isdigit() else ""
    out.keep(StatRow(unit[0], label or raw_unit, measure, period, value, f"linje {r + 1}", other, "", municipality))
