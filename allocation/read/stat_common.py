"""What the readers of the official statistics share: text from bytes, the published symbols,
whole counts, region codes and labels, and the findings they raise.

Every finding names the file, where in it (a line and column of a CSV file, a JSON path),
the value found and how to fix it.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from dataclasses import dataclass, field

from ..model.cells import a1
from ..model.findings import ERROR, NOTE, WARNING, Finding
from ..model.statistics import StatRow

# The symbols the sources print where they publish no number (SSB's «standardtegn i tabeller»;
# the Directorate hides small numbers with «*»). Never read as 0 — except «-», which SSB
# defines as «null»: the value is exactly 0.
ZERO = "-"
SYMBOLS = {
    ".": "tall kan ikke forekomme",
    "..": "tallgrunnlag mangler",
    "...": "tall ikke tilgjengelig ennå",
    ":": "vises ikke av hensyn til personvernet (konfidensielt)",
    "-": "null (ingenting å rapportere)",
    "*": "skjult fordi tallet er for lite (personvern)",
}
_PERIOD = re.compile(r"^\d{4}(?:[KMHU]\d{1,2}|-\d{2}(?:\d{2})?)?$")
_P = r"\d{4}(?:[KMHU]\d{1,2}|-\d{2}(?:\d{2})?)?"
_TRAILING_PERIOD = re.compile(rf"^(?:(.*?\S)\s+)??({_P})(?:\s+-\s+\S+)?$")
_CODE_TEXT = re.compile(r"^(\S+) - (.+)$")
_REGION = re.compile(r"^(?:K-)?(\d{9}|\d{4}|\d{2}|0)(?:\s*(?:-\s+|\s)\s*(.*))?$")
_TITLE_ID = re.compile(r"^(\d{5}):\s*")
_COUNT = re.compile(r"(\d+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+)(?:[.,]0)?")


def decode(data: bytes) -> str:
    """The text of a downloaded file: UTF-8 (with or without BOM), else Windows-1252/Latin-1 —
    SSB's API serves CSV as ISO-8859-1, a saved file from the web is often UTF-8."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def is_period(text: str) -> bool:
    return bool(_PERIOD.match(text.strip()))


def split_period(header: str) -> tuple[str, str] | None:
    """A heading column's statistic and period: «Barn i barnehager 2024» -> («Barn i barnehager»,
    «2024»); «2024» -> («», «2024»); with codes and texts, «BarnBhg - Barn i barnehager 2024 -
    2024» -> («BarnBhg - Barn i barnehager», «2024»)."""
    m = _TRAILING_PERIOD.match(header.strip())
    if not m:
        return None
    return (m.group(1) or "", m.group(2))


def code_text(text: str) -> tuple[str, str]:
    """«BarnBhg - Barn i barnehager» (PxWebApi's «code - text») -> («BarnBhg», «Barn i barnehager»);
    a text without a code -> (text, "")."""
    m = _CODE_TEXT.match(text.strip())
    return (m.group(1), m.group(2).strip()) if m else (text.strip(), "")


def table_id(title: str) -> str:
    """«12562: Barn i barnehager, …» -> «12562»; «» when the title does not start with one."""
    m = _TITLE_ID.match(title.strip())
    return m.group(1) if m else ""


def region(text: str) -> tuple[str, str] | None:
    """«5503 Harstad - Hárstták», «5503 - Harstad - Hárstták», «K-5503 Harstad», «5503»
    -> («5503», «Harstad - Hárstták»); None when the label carries no code."""
    m = _REGION.match(text.strip())
    if not m:
        return None
    return m.group(1), (m.group(2) or "").strip()


def csv_rows(text: str) -> tuple[list[list[str]], str]:
    """The rows of a CSV text and its delimiter (';' as SSB and the Directorate write it when
    asked; ',' and tab are read too). The delimiter is the one the first full line uses most."""
    head = itertools.islice(io.StringIO(text), 50)  # the first lines tell the separator
    bare = (_outside_quotes(ln) for ln in head if ln.strip())  # a quoted title may hold commas: not a delimiter
    sample = next((b for b in bare if b.count(";") + b.count(",") + b.count("\t") > 0), "")
    counts = {d: sample.count(d) for d in (";", "\t", ",")}
    delim = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ";"
    reader = csv.reader(io.StringIO(text), delimiter=delim, quotechar='"')
    return [row for row in reader], delim


def _outside_quotes(line: str) -> str:
    return re.sub(r'"[^"]*"', "", line)


@dataclass
class Collector:
    """The findings of one file, and the rows read so far (each key once: never «the last row
    wins»)."""

    file: str
    fmt: str
    findings: list[Finding] = field(default_factory=list)
    rows: list[StatRow] = field(default_factory=list)
    seen: dict[tuple[str, str, str, tuple[tuple[str, str], ...]], str] = field(default_factory=dict)

    def add(self, code: str, severity: str, where: str, value: str, message: str, fix: str, expected: str = "") -> None:
        self.findings.append(
            Finding(code, severity, message, file=self.file, cell=where, value=value, expected=expected, fix=fix)
        )

    def fits(self, row: list[str], header: list[str], r: int) -> bool:
        """Whether line ``r`` has as many fields as the header; if not, ``statistics.bad_row``."""
        if len(row) == len(header):
            return True
        self.add(
            "statistics.bad_row",
            ERROR,
            a1(r, 0),
            ";".join(row),
            f"Linje {r + 1} har {len(row)} felt, men overskriftsraden har {len(header)}.",
            "Last ned tabellen på nytt uten å endre den i et regneark.",
            expected=f"{len(header)} felt",
        )
        return False

    def count(self, raw: str, where: str, what: str) -> tuple[bool, int | None]:
        """A published count: (True, n) for a whole number, (True, None) for a symbol (with a
        warning saying what it means), (False, None) for anything else (an error)."""
        text = raw.strip()
        if text == ZERO:
            self.add(
                "statistics.zero",
                NOTE,
                where,
                text,
                f"«-» for {what} betyr «null» i kilden: tallet er lest som 0.",
                "Ingenting å gjøre når 0 er riktig.",
            )
            return True, 0
        if text in SYMBOLS:
            self.add(
                "statistics.no_number",
                WARNING,
                where,
                text,
                f"Kilden publiserer ikke noe tall for {what}: «{text}» betyr «{SYMBOLS[text]}».",
                "Tallet kan ikke summeres; avklar med kilden hvilket tall som gjelder, "
                "eller før det inn for hånd i arket «Tall» med en merknad.",
            )
            return True, None
        m = _COUNT.fullmatch(text)  # 1188, 1 188 (space, NBSP or thin space), 1188.0
        if m:
            return True, int(re.sub(r"\D", "", m.group(1)))
        why = "cellen er tom" if not text else f"«{text}» er ikke et helt, ikke-negativt tall"
        self.add(
            "statistics.bad_value",
            ERROR,
            where,
            text,
            f"Verdien for {what} kan ikke leses: {why}.",
            "Last ned tabellen på nytt fra kilden uten å endre den; et antall skal være et helt tall "
            "(et tegn som «..» eller «:» betyr at tallet ikke er publisert).",
            expected="et helt antall",
        )
        return False, None

    def unit(self, raw: str, where: str, column: str, fix: str = "") -> tuple[str, str] | None:
        """A region or unit: its code and name, or None (with a finding) when it has no code or
        is not a municipality or organisation (a county or the whole country is left out)."""
        parsed = region(raw)
        if parsed is None:
            self.add(
                "statistics.no_code",
                ERROR,
                where,
                raw,
                f"«{raw}» i kolonnen «{column}» har ikke noe kommunenummer eller organisasjonsnummer.",
                fix
                or "Last ned tabellen med både koder og tekster (i statistikkbanken: «kode og tekst»; "
                "i API-et: outputFormatParams=UseCodesAndTexts), så hver rad har sitt nummer.",
                expected="f.eks. «5503 Harstad - Hárstták»",
            )
            return None
        code, name = parsed
        if len(code) in (4, 9):
            return code, name
        self.add(
            "statistics.not_a_municipality",
            WARNING,
            where,
            raw,
            f"«{raw}» er et fylke eller hele landet, ikke en kommune; raden er ikke tatt med.",
            "Velg bare kommuner (eller enheter) når du laster ned tabellen, så ingenting telles to ganger.",
        )
        return None

    def keep(self, row: StatRow) -> None:
        key = (row.unit, row.measure, row.period, row.other)
        first = self.seen.get(key)
        if first is not None:
            shown = ", ".join([row.unit, row.measure, row.period, *(v for _, v in row.other)])
            self.add(
                "statistics.duplicate",
                ERROR,
                row.where,
                shown,
                f"Den samme verdien ({shown}) står to ganger: {first} og {row.where}.",
                "Last ned tabellen på nytt; hver enhet, statistikkvariabel og periode skal stå én gang.",
            )
            return
        self.seen[key] = row.where
        self.rows.append(row)

    def empty(self) -> None:
        self.add(
            "statistics.empty",
            ERROR,
            "",
            "",
            "Filen har ingen tall som kan leses.",
            "Last ned tabellen på nytt, med minst én kommune, én statistikkvariabel og én periode valgt.",
        )
