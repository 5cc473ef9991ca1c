"""An application (søknad) as read: its values, the cells they came from and the text shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from .findings import Finding

# (field id, header in the list layout = label in the form, kind)
FIELDS: list[tuple[str, str, str]] = [
    ("network", "Nettverk", "text"),
    ("tiltak", "Tiltak", "text"),
    ("contact", "Kontaktperson", "text"),
    ("email", "E-post", "text"),
    ("confirmed", "Partnerskap bekreftet", "yesno"),
    ("owner", "Eier", "text"),
    ("owner_orgnr", "Eier org.nr", "orgnr"),
    ("owner_account", "Eier kontonummer", "account"),
    ("owner_ref", "Eier referanse", "text"),
    ("uh", "UH", "text"),
    ("uh_orgnr", "UH org.nr", "orgnr"),
    ("uh_account", "UH kontonummer", "account"),
    ("uh_ref", "UH referanse", "text"),
    ("owner_y1", "Eier beløp år 1", "amount"),
    ("owner_y2", "Eier beløp år 2", "amount"),
    ("owner_y3", "Eier beløp år 3", "amount"),
    ("uh_y1", "UH beløp år 1", "amount"),
    ("uh_y2", "UH beløp år 2", "amount"),
    ("uh_y3", "UH beløp år 3", "amount"),
    ("share_kartlegging", "Andel kartlegging", "share"),
    ("share_planlegging", "Andel planlegging", "share"),
    ("share_gjennomforing", "Andel gjennomføring", "share"),
    ("share_koordinator", "Andel koordinator", "share"),
    ("coord_amount", "Koordinator beløp", "amount"),
    ("fund_owner", "Fond eier", "amount"),
    ("fund_uh", "Fond UH", "amount"),
    ("received", "Mottatt", "date"),
]


LABELS = {fid: label for fid, label, _ in FIELDS}


KINDS = {fid: kind for fid, _, kind in FIELDS}


SHARES = ("share_kartlegging", "share_planlegging", "share_gjennomforing", "share_koordinator")


@dataclass
class Application:
    """One application, with where each value came from."""

    file: str
    sheet: str
    row: int | None  # 0-based sheet row in the list layout; None for a form
    values: dict[str, Any] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # each value as the cell showed it
    cells: dict[str, str] = field(default_factory=dict)  # field id -> A1
    estimates: set[str] = field(default_factory=set)

    def get(self, fid: str) -> Any:
        return self.values.get(fid)

    def amount(self, fid: str) -> int:
        return self.values.get(fid) or 0

    @property
    def network(self) -> str:
        return " ".join(str(self.values.get("network") or "").split())

    def requested(self, year: int = 1) -> int:
        return self.amount(f"owner_y{year}") + self.amount(f"uh_y{year}")

    def label(self) -> str:
        where = f"{self.file}" + (f", rad {self.row + 1}" if self.row is not None else "")
        return f"{self.network or '(uten nettverk)'} ({where})"

    def finding(self, code: str, severity: str, fid: str, message: str, fix: str, expected: str = "") -> Finding:
        return Finding(
            code,
            severity,
            message,
            file=self.file,
            sheet=self.sheet,
            cell=self.cells.get(fid, ""),
            value=self.texts.get(fid, ""),
            expected=expected,
            fix=fix,
        )


def share_total(app: Application) -> Fraction | None:
    given = [app.get(s) for s in SHARES if app.get(s) is not None]
    return sum(given, Fraction(0)) if given else None
