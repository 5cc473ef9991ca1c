"""Fetching the official statistics from Statistics Norway's open APIs into the inputs folder.

Online when the user is, offline always: a fetch writes the file exactly as the API sent it
into the inputs folder, and a run only ever reads files (so it stays reproducible and is
checked like every input). Two sources:

- a statbank table through PxWebApi v2 (``/pxwebapi/v2/tables/{id}/data``), as JSON-stat 2,
  with ``valueCodes[Region]``, ``valueCodes[Tid]`` and ``valueCodes[ContentsCode]``;
  the download is read with :func:`read_statistics_bytes` before it is written, so a file that
  cannot be read is never stored;
- a classification from KLASS (``/klass/v1/classifications/{id}/codes.csv`` or
  ``changes.csv``), by default 131, the municipalities, with their validity dates.

The base address is ``https://data.ssb.no/api``; ``--base-url`` or the environment variable
``ALLOCATION_SSB_URL`` points elsewhere (a mirror, or the local server the tests run).
Only the standard library (urllib): no new dependency.
"""

from __future__ import annotations

import hashlib
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..model.findings import ERROR, Finding, has_errors
from ..model.statistics import StatTable
from .statistics import read_statistics_bytes

DEFAULT_BASE = "https://data.ssb.no/api"
ENV_BASE = "ALLOCATION_SSB_URL"
MUNICIPALITIES = "131"  # KLASS: Standard for kommuneinndeling
TIMEOUT = 60  # seconds


class FetchError(Exception):
    """Nothing was written; the findings say why."""

    def __init__(self, findings: list[Finding]):
        super().__init__("; ".join(f.text() for f in findings))
        self.findings = findings


@dataclass(frozen=True)
class Fetched:
    """A file downloaded from an official source: where from, where to, its size and SHA-256, and
    the table as read back."""

    url: str
    path: Path
    size: int
    sha256: str
    table: StatTable | None = None  # a statbank table as read back
    findings: list[Finding] = field(default_factory=list)


def base_url(given: str | None = None) -> str:
    return (given or os.environ.get(ENV_BASE) or DEFAULT_BASE).rstrip("/")


def _codes(values: Sequence[str]) -> str:
    """Values given once each or comma-separated («5503,5510» or twice --region): one list."""
    return ",".join(v.strip() for item in values for v in item.split(",") if v.strip())


def ssb_url(
    table: str,
    regions: Sequence[str] = (),
    periods: Sequence[str] = (),
    measures: Sequence[str] = (),
    base: str | None = None,
) -> str:
    """The PxWebApi v2 address of a table's data: the regions given (all by default), the
    periods given (the latest by default), the statistics given (all by default)."""
    query = [
        ("lang", "no"),
        ("valueCodes[Region]", _codes(regions) or "*"),
        ("valueCodes[Tid]", _codes(periods) or "top(1)"),
        ("valueCodes[ContentsCode]", _codes(measures) or "*"),
        ("outputFormat", "json-stat2"),
    ]
    path = urllib.parse.quote(table.strip(), safe="")
    return f"{base_url(base)}/pxwebapi/v2/tables/{path}/data?{urllib.parse.urlencode(query, safe='*(),')}"


def klass_url(
    year_from: int,
    year_to: int,
    *,
    changes: bool = False,
    classification: str = MUNICIPALITIES,
    base: str | None = None,
) -> str:
    """The KLASS address of a classification's codes valid in the years given (or its changes
    between them), as CSV with ``;``. KLASS's «to» is the first day not included."""
    query = [
        ("from", f"{year_from}-01-01"),
        ("to", f"{year_to + 1}-01-01"),
        ("csvSeparator", ";"),
        ("language", "nb"),
    ]
    what = "changes.csv" if changes else "codes.csv"
    path = urllib.parse.quote(classification.strip(), safe="")
    return f"{base_url(base)}/klass/v1/classifications/{path}/{what}?{urllib.parse.urlencode(query)}"


def fetch_ssb(
    table: str,
    out: Path,
    *,
    name: str | None = None,
    regions: Sequence[str] = (),
    periods: Sequence[str] = (),
    measures: Sequence[str] = (),
    base: str | None = None,
) -> Fetched:
    url = ssb_url(table, regions, periods, measures, base)
    target = Path(out) / (name or f"ssb-{table.strip()}.json")
    _free(target)
    data = _get(url)
    read, findings = read_statistics_bytes(data, target.name, format="json-stat2")
    if read is None:
        raise FetchError([_failed(url, "svaret er ikke en tabell som kan leses (se funnet under)"), *findings])
    return _store(url, target, data, read, findings)


def fetch_klass(
    year_from: int,
    year_to: int,
    out: Path,
    *,
    name: str | None = None,
    changes: bool = False,
    classification: str = MUNICIPALITIES,
    base: str | None = None,
) -> Fetched:
    url = klass_url(year_from, year_to, changes=changes, classification=classification, base=base)
    kind = "endringer" if changes else "koder"
    target = Path(out) / (name or f"klass-{classification}-{kind}-{year_from}-{year_to}.csv")
    _free(target)
    data = _get(url)
    if not data.strip():
        raise FetchError([_failed(url, "svaret er tomt")])
    return _store(url, target, data, None, [])


def _free(target: Path) -> None:
    if target.exists():
        raise FetchError(
            [
                Finding(
                    "statistics.fetch_exists",
                    ERROR,
                    f"{target} finnes fra før og blir ikke overskrevet.",
                    file=target.name,
                    value=str(target),
                    fix="Gi den nye filen et annet navn med --name, eller flytt den gamle først.",
                )
            ]
        )


def _failed(url: str, why: str) -> Finding:
    return Finding(
        "statistics.fetch_failed",
        ERROR,
        f"Kunne ikke hente {url}: {why}.",
        value=url,
        fix="Sjekk nettforbindelsen, tabellnummeret og valgene, og prøv igjen; "
        "eller last ned filen i nettleseren og legg den i inndatamappen.",
    )


def _get(url: str) -> bytes:
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise FetchError([_failed(url, "adressen må begynne med http:// eller https://")])
    request = urllib.request.Request(url, headers={"User-Agent": f"allocation/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # http(s) only, checked above
            return bytes(response.read())
    except urllib.error.HTTPError as exc:
        body = exc.read()[:300].decode("utf-8", errors="replace").strip()
        raise FetchError(
            [_failed(url, f"serveren svarte {exc.code} {exc.reason}" + (f" («{body}»)" if body else ""))]
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError([_failed(url, f"ingen forbindelse ({reason})")]) from None


def _store(url: str, target: Path, data: bytes, table: StatTable | None, findings: list[Finding]) -> Fetched:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(target, "xb") as f:  # never over a file that appeared meanwhile
            f.write(data)
    except FileExistsError:
        _free(target)
    return Fetched(url, target, len(data), hashlib.sha256(data).hexdigest(), table, findings)


def fetched_ok(result: Fetched) -> bool:
    return not has_errors(result.findings)
