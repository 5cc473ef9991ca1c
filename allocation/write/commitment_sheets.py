"""The sheet ``Tilsagn``: commitments by decision year and payment year.

One row per commitment: first those from earlier decisions taken off this year's frame (the
forum's change beside the original), then what this decision grants (year 1) and commits
(years 2 and 3). Below the table: the totals per payment year, and for a second round what
its frame is made of.
"""

from __future__ import annotations

from functools import lru_cache

from ..model.commitments import ROLE_NO, Record
from ..model.formatting import format_kroner
from ..model.result import Allocation
from .book import Sheet

HEADS = [
    "Hva",
    "Vedtak",
    "Vedtaksår",
    "År i partnerskapet",
    "Utbetalingsår",
    "Nettverk",
    "Rolle",
    "Mottaker",
    "Org.nr",
    "Opprinnelig tilsagn",
    "Beløp",
    "Endring",
    "Merknad",
]
DRAWN = "Tidligere vedtak, trukket av rammen i år"
MADE = "Dette vedtaket"


def write_tilsagn(s: Sheet, result: Allocation) -> None:
    record = result.commitments
    assert record is not None
    s.widths([30, 34, 10, 10, 11, 24, 7, 34, 12, 14, 14, 12, 44])
    s.header(0, HEADS)
    s.ws.set_row(0, 30)
    s.ws.freeze_panes(1, 1)
    s.ws.repeat_rows(0)
    row = 0
    for d in record.drawn:
        row += 1
        c = d.commitment
        year = d.decision.year if d.decision.year is not None else ""
        cells = [DRAWN, d.decision.name, year, c.year, c.payment_year or "", c.network, _role(c.role)]
        _texts(s, row, [*cells, c.recipient, orgnr_text(c.orgnr)])
        s.number(row, 9, d.original)
        s.number(row, 10, d.amount)
        s.number(row, 11, d.amount - d.original)
        note = "" if d.change is None else f"Endret av forumet: {d.change.note or '(uten merknad)'}"
        if d.change is not None and d.amount == 0:
            note = f"Trukket av forumet: {d.change.note or '(uten merknad)'}"
        s.text(row, 12, note, "wrap")
    for c in record.made:
        row += 1
        year = record.decision_year if record.decision_year is not None else ""
        what = MADE + (" (2. runde)" if record.second_round is not None else "")
        cells = [what, result.name, year, c.year, c.payment_year or "", c.network, _role(c.role)]
        _texts(s, row, [*cells, c.recipient, orgnr_text(c.orgnr)])
        s.number(row, 9, c.amount)
        s.number(row, 10, c.amount)
        s.number(row, 11, 0)
        s.text(row, 12, "Tildelt i år" if c.year == 1 else _rule_text(record), "wrap")
    if row == 0:
        s.text(1, 0, "Ingen tilsagn: kjøringen har ingen søknader og bygger ikke på tidligere vedtak.", "muted")
    s.as_table("Tilsagn", row, HEADS, total_row=False)
    _summary(s, row + 2, record)


def _role(role: str) -> str:
    """``Eier`` / ``UH``, as the sheet ``Utbetaling`` writes the role."""
    text = ROLE_NO.get(role, role)
    return text[:1].upper() + text[1:]


@lru_cache(maxsize=4096)
def orgnr_text(value: str) -> str:
    """``915 000 002``, as the sheet ``Utbetaling`` and the letters write an organisation number
    (the same few numbers come again and again: each is checked once)."""
    from stdnum.no import orgnr

    return orgnr.format(value) if value and orgnr.is_valid(value) else value


def _texts(s: Sheet, row: int, values: list[object]) -> None:
    for col, v in enumerate(values):
        if isinstance(v, int):
            s.number(row, col, v, None)
        else:
            s.text(row, col, v)


def _rule_text(record: Record) -> str:
    rule = {
        "indicative": "Veiledende tilsagn, med forbehold om Stortingets budsjettvedtak",
        "requested": "Tilsagn lik søkt beløp, med forbehold om Stortingets budsjettvedtak",
    }.get(record.rule, record.rule)
    return rule + (f". {record.note}" if record.note else "")


def _summary(s: Sheet, row: int, record: Record) -> None:
    s.text(row, 0, "Sum per utbetalingsår", "bold")
    drawn = sum(d.amount for d in record.drawn)
    if record.drawn:
        row += 1
        s.text(row, 0, "Trukket av rammen i år (tidligere vedtak)")
        s.number(row, 10, drawn)
    by_year: dict[str, int] = {}
    for c in record.made:
        key = str(c.payment_year) if c.payment_year is not None else f"år {c.year}"
        by_year[key] = by_year.get(key, 0) + c.amount
    for key, amount in by_year.items():
        row += 1
        s.text(row, 0, f"Dette vedtaket, utbetales {key}")
        s.number(row, 10, amount)
    second = record.second_round
    if second is not None:
        row += 2
        s.text(row, 0, "Andre runde", "bold")
        parts = [
            (f"Holdt tilbake i første runde ({second.first.name})", second.held_back),
            (f"Tilbakebetalt{': ' + second.repaid_note if second.repaid_note else ''}", second.repaid),
            ("Ramme for andre runde", second.frame),
        ]
        for label, amount in parts:
            row += 1
            s.text(row, 0, label)
            s.number(row, 10, amount)
        row += 1
        s.text(row, 0, f"Vedtakene i første runde står fast ({format_kroner(second.first.held_back)} kr var igjen).")
