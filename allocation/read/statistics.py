"""Official statistics read as they are published: one entry point for the three formats.

``read_statistics(path)`` looks at the bytes and reads the file as one of

- ``statbank-csv``: Statistics Norway's statbank table as CSV (:mod:`.stat_statbank`);
- ``json-stat2``: the same tables as PxWebApi v2 gives them by default (:mod:`.stat_jsonstat`);
- ``udir-csv``: the Directorate for Education's statistics export (:mod:`.stat_udir`);

and returns a :class:`~allocation.model.statistics.StatTable` (None when nothing can be read)
with every finding: each names the file, where (a CSV cell as Excel shows it, or a JSON path),
the value found and how to fix it. The table keeps its source (the table's id), its periods
and, where the source states it, the count date, for the manifest and the «Kontroll» sheet.
"""

from __future__ import annotations

from pathlib import Path

from ..model.findings import ERROR, Finding
from ..model.statistics import StatTable
from .snapshot import read_bytes
from .stat_common import csv_rows, decode
from .stat_jsonstat import read_jsonstat
from .stat_statbank import read_statbank
from .stat_udir import looks_like_udir, read_udir

FORMATS = ("statbank-csv", "json-stat2", "udir-csv")
_READERS = {"statbank-csv": read_statbank, "json-stat2": read_jsonstat, "udir-csv": read_udir}


def detect_format(text: str) -> str:
    """The format of a statistics file from its content: JSON-stat starts with «{»; a CSV file
    whose header has the Directorate's columns (Verdi with Enhetsnavn, Statistikk or Periode)
    is Udir's; any other CSV is read as a statbank table."""
    if text.lstrip().startswith("{"):
        return "json-stat2"
    rows, _ = csv_rows(text[:20000])
    header = next((r for r in rows if len([c for c in r if c.strip()]) > 1), [])
    return "udir-csv" if looks_like_udir(header) else "statbank-csv"


def read_statistics(
    path: Path, *, format: str | None = None, display: str | None = None
) -> tuple[StatTable | None, list[Finding]]:
    """Read one statistics export. ``format`` (one of :data:`FORMATS`) skips the detection;
    ``display`` is the file's name as findings show it (its own name by default)."""
    name = display or Path(path).name
    try:
        data = read_bytes(path)  # through the run's snapshot: the copy in inputs/ is these bytes
    except OSError as exc:
        return None, [
            Finding(
                "statistics.unreadable",
                ERROR,
                f"Filen kan ikke åpnes: {exc.strerror or exc}.",
                file=name,
                value=str(path),
                fix="Sjekk at filen finnes og at stien i konfigurasjonen er riktig.",
            )
        ]
    return read_statistics_bytes(data, name, format=format)


def read_statistics_bytes(
    data: bytes, name: str, *, format: str | None = None
) -> tuple[StatTable | None, list[Finding]]:
    """As :func:`read_statistics`, for bytes already in memory (a download being checked)."""
    if format is not None and format not in _READERS:
        raise ValueError(f"unknown statistics format {format!r}; one of {', '.join(FORMATS)}")
    if b"\x00" in data[:4096] or data[:4] == b"PK\x03\x04":
        return None, [
            Finding(
                "statistics.unreadable",
                ERROR,
                "Filen er ikke en tekstfil (CSV eller JSON); er den en Excel-fil?",
                file=name,
                value=data[:8].hex(" "),
                fix="Last ned tabellen som CSV (semikolonseparert) eller JSON-stat, ikke som Excel.",
            )
        ]
    text = decode(data)
    fmt = format or detect_format(text)
    return _READERS[fmt](text, name)
