"""What a decision letter holds: pure data, made by :mod:`allocation.write.letter_content`
and rendered by :mod:`allocation.write.letters`.

A letter is a frame notice (*rammebrev*: before applications, the network's frame and how it
was computed) or a decision (*vedtak om tilskudd*: with applications, the grant, the owner and
UH parts, the payment lines, the later years and the fund deductions).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

FRAME_NOTICE, DECISION = "rammebrev", "vedtak"
KIND_NO = {FRAME_NOTICE: "rammebrev", DECISION: "vedtak"}  # as brevliste.xlsx names the kinds
MONTHS = (
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
)  # the same words in bokmål and nynorsk

# Every field a template may use, and what it holds. A template naming another is a finding.
FIELDS: dict[str, str] = {
    "er_vedtak": "sann for vedtak (med søknader), usann for rammebrev",
    "mottaker": "den som får brevet: mottakende eier (nettverk) eller mottakeren",
    "mottaker_orgnr": "mottakerens org.nr (vedtak)",
    "er_nettverk": "sann når brevet gjelder et nettverk",
    "nettverk": "nettverkets navn",
    "uh_partner": "UH-partneren (vedtak)",
    "fylke": "fylket",
    "aar": "året",
    "kjoring": "kjøringens navn",
    "fingeravtrykk": "kjøringens fingeravtrykk (SHA-256 over konfigurasjonen og alle inndata)",
    "saksnummer": "saksnummeret",
    "vedtaksdato": "vedtaksdatoen",
    "saksbehandler": "saksbehandleren",
    "saksbehandler_tittel": "saksbehandlerens tittel",
    "beslutningstaker": "den som har fattet vedtaket",
    "beslutningstaker_tittel": "beslutningstakerens tittel",
    "rapporteringsfrist": "fristen for rapport",
    "utbetalingsdato": "når pengene utbetales",
    "klagefrist": "klagefristen (tre uker)",
    "klageadresse": "hvor klagen sendes",
    "formaal": "formålet med tilskuddet (fra [letters] purpose)",
    "belop": "brevets beløp: tilskuddet (vedtak) eller rammen (rammebrev)",
    "ramme": "nettverkets ramme",
    "tilskudd": "tilskuddet år 1 (vedtak)",
    "eier_belop": "eierens del (vedtak)",
    "uh_belop": "UH-partnerens del (vedtak)",
    "deler": "rammens deler: navn, belop, pott_belop, fordeling (nokkel, fast, likt), nokkel, verdi, sum_verdi",
    "utbetalinger": "utbetalingslinjer: rolle (eier, uh), mottaker, orgnr, konto, referanse, belop",
    "senere_aar": "år 2 og 3 som tilsagn med forbehold: aar, belop",
    "fondstrekk": "trekk for ubrukte midler på fond (tomt når ingen)",
    "rapporttrekk": "trekk for ubrukte midler som rapportene viste ([reports]; tomt når ingen)",
    "tidligere_tilsagn": (
        "tilsagn fra tidligere vedtak som utbetales i år: vedtak, nettverk, aar (år i partnerskapet), mottaker, "
        "orgnr, belop"
    ),
    "tidligere_tilsagn_sum": "summen av tidligere_tilsagn (tomt når ingen)",
}
REQUIRED_FIELDS = (
    "mottaker",
    "belop",
    "kjoring",
    "fingeravtrykk",
    "saksnummer",
    "vedtaksdato",
    "saksbehandler",
    "beslutningstaker",
    "rapporteringsfrist",
    "klagefrist",
    "klageadresse",
)


@dataclass(frozen=True)
class Letter:
    """One letter: who gets it, in which written standard, and every field its template fills."""

    kind: str  # FRAME_NOTICE or DECISION
    recipient: str  # the addressee
    network: str | None  # the network, for a network's letter
    orgnr: str
    standard: str  # written standard (bokmål, nynorsk, or a county's own)
    file: str  # relative to the run folder: brev/<name>.docx
    amount: int  # the letter's amount: the grant (decision) or the frame (frame notice)
    fields: dict[str, Any] = field(default_factory=dict)


def kroner_text(amount: int) -> str:
    """``1 094 165 kr``: the Norwegian way, as the letters write every amount, with non-breaking
    spaces between the digit groups and before ``kr`` so that no line break splits an amount."""
    sign = "-" if amount < 0 else ""
    return sign + f"{abs(amount):,}".replace(",", "\u00a0") + "\u00a0kr"


def date_text(day: dt.date | None) -> str:
    """``15. mars 2026`` (the same in bokmål and nynorsk); blank when not given."""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}" if day else ""
