"""The letters of a run, as data: one per network and one per named recipient outside the
Statsforvalteren, every amount exactly as in the manifest."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import Any

from ..model.commitments import Drawn
from ..model.letter_settings import LetterSettings
from ..model.letters import DECISION, FRAME_NOTICE, Letter, date_text, kroner_text
from ..model.names import name_key, slug
from ..model.result import Allocation, NetworkGrant
from ..pipeline import Prepared
from .payments import payment_lines

LETTER_DIR = "brev"


def decision_metadata(settings: LetterSettings) -> dict[str, dict[str, str]]:
    """The decision's metadata as the letters use it, each value with its decision note."""
    notes = dict(settings.notes)
    values = {
        "language": settings.language,
        "decision_date": settings.decision_date.isoformat() if settings.decision_date else "",
        "case_number": settings.case_number,
        "saksbehandler": settings.saksbehandler,
        "saksbehandler_title": settings.saksbehandler_title,
        "beslutningstaker": settings.beslutningstaker,
        "beslutningstaker_title": settings.beslutningstaker_title,
        "reporting_deadline": settings.reporting_deadline.isoformat() if settings.reporting_deadline else "",
        "payment_date": settings.payment_date.isoformat() if settings.payment_date else "",
        "appeal_deadline": appeal.isoformat() if (appeal := settings.appeal_until()) else "",
        "appeal_address": settings.appeal_address,
    }
    return {k: {"value": v, "note": notes.get(k, "")} for k, v in values.items()}


def build_letters(prepared: Prepared, result: Allocation, print_: str) -> list[Letter]:
    """Every letter of the run (none without ``[letters]``), networks first, then recipients."""
    settings = prepared.config.letters
    if settings is None:
        return []
    kind = DECISION if result.grants is not None else FRAME_NOTICE
    common = _common(prepared, settings, print_, kind)
    used: set[str] = set()
    drawn = [d for d in (prepared.years.drawn if prepared.years is not None else []) if d.amount]
    networks = list(result.networks)
    if prepared.years is not None and prepared.years.second_round is not None:  # the first round's stand
        networks = [n for n in networks if result.grants is not None and _applied(result.grants.networks.get(n))]
    letters = [_network_letter(prepared, result, settings, n, kind, common, used) for n in networks]
    for letter in letters:  # earlier commitments paid this year are the network's: in its letter
        mine = name_key(letter.network or "")
        letter.fields.update(_earlier(d for d in drawn if name_key(d.commitment.network) == mine))
    for name, amount in result.recipient_totals():
        if settings.is_internal(name):
            continue
        earlier = [d for d in drawn if name_key(d.commitment.recipient) == name_key(name)]
        standard = _recipient_standard(prepared, settings.language, name, earlier)
        orgnrs = {_orgnr(d.commitment.orgnr) for d in earlier}
        orgnr = orgnrs.pop() if len(orgnrs) == 1 and sum(d.amount for d in earlier) == amount else ""
        fields = {**common, "mottaker": name, "mottaker_orgnr": orgnr, "er_nettverk": False, "nettverk": ""}
        fields |= {"belop": kroner_text(amount), "ramme": kroner_text(amount), "tilskudd": kroner_text(amount)}
        fields |= _earlier(earlier)  # the commitments paid to it, each with its network
        file = _file_name(f"mottaker-{slug(name)}", used)
        letters.append(Letter(kind, name, None, orgnr, standard, file, amount, fields))
    return letters


def _common(prepared: Prepared, s: LetterSettings, print_: str, kind: str) -> dict[str, Any]:
    config = prepared.config
    return {
        "er_vedtak": kind == DECISION,
        "fylke": config.county,
        "aar": str(config.year or ""),
        "kjoring": config.name,
        "fingeravtrykk": print_,
        "saksnummer": s.case_number,
        "vedtaksdato": date_text(s.decision_date),
        "saksbehandler": s.saksbehandler,
        "saksbehandler_tittel": s.saksbehandler_title,
        "beslutningstaker": s.beslutningstaker,
        "beslutningstaker_tittel": s.beslutningstaker_title,
        "rapporteringsfrist": date_text(s.reporting_deadline),
        "utbetalingsdato": date_text(s.payment_date),
        "klagefrist": date_text(s.appeal_until()),
        "klageadresse": s.appeal_address,
        "formaal": s.purpose,
        "uh_partner": "",
        "eier_belop": "",
        "uh_belop": "",
        "utbetalinger": [],
        "senere_aar": [],
        "fondstrekk": "",
        "rapporttrekk": "",
        "deler": [],
        "tidligere_tilsagn": [],
        "tidligere_tilsagn_sum": "",
    }


def _network_letter(
    prepared: Prepared,
    result: Allocation,
    s: LetterSettings,
    network: str,
    kind: str,
    common: dict[str, Any],
    used: set[str],
) -> Letter:
    frame = result.network_frame(network)
    standard = prepared.languages.network(network, s.language) if prepared.languages else s.language
    fields = {**common, "er_nettverk": True, "nettverk": network, "ramme": kroner_text(frame)}
    fields["deler"] = _parts(result, network, lambda text: s.label(standard, text))
    grant = result.grants.networks.get(network) if result.grants is not None else None
    recipient, orgnr, amount = f"Nettverket {network}", "", frame
    if grant is not None:
        fields |= _decision(grant, prepared.config.year)
        amount = grant.granted
        if grant.apps:
            first = payment_lines(network, grant.apps[0])[0]
            recipient, orgnr = first["recipient"] or recipient, first["orgnr"]
    fields |= {"mottaker": recipient, "mottaker_orgnr": orgnr, "belop": kroner_text(amount)}
    fields.setdefault("tilskudd", "")
    file = _file_name(slug(network), used)
    return Letter(kind, recipient, network, orgnr, standard, file, amount, fields)


def _parts(result: Allocation, network: str, label: Callable[[str], str]) -> list[dict[str, str]]:
    """The network's frame, part by part: the pot, its size, and how the network's share was found."""
    out = []
    for pot in result.leaf_spread_pots():
        amount = result.parts[network].get(pot.name)
        if amount is None:
            continue
        weights = result.key_values.get(pot.name, {})
        total = sum(weights.values(), Fraction(0))
        how = "nokkel" if pot.leaf == "key" else ("fast" if pot.size == "per_network" else "likt")
        out.append(
            {
                "navn": label(pot.name),
                "belop": kroner_text(amount),
                "pott_belop": kroner_text(pot.amount),
                "fordeling": how,
                "nokkel": " + ".join(_weighted(label(col), w) for col, w in pot.key.weights) if pot.key else "",
                "verdi": _number(weights.get(network, Fraction(0))),
                "sum_verdi": _number(total),
            }
        )
    return out


def _decision(grant: NetworkGrant, year: int | None) -> dict[str, Any]:
    lines = [line for g in grant.apps for line in payment_lines(grant.network, g)]
    later: dict[int, int] = {}
    for g in grant.apps:
        for y, (_, commitment) in g.indicative.items():
            later[y] = later.get(y, 0) + commitment
    deducted = sum(g.deducted_owner + g.deducted_uh for g in grant.apps)
    unspent = sum(g.unspent_owner + g.unspent_uh for g in grant.apps)  # [reports]: what was not used
    uh = next((str(g.app.get("uh") or "") for g in grant.apps if g.app.get("uh")), "")
    return {
        "tilskudd": kroner_text(grant.granted),
        "eier_belop": kroner_text(grant.granted_owner),
        "uh_belop": kroner_text(grant.granted_uh),
        "uh_partner": uh,
        "utbetalinger": [
            {
                "rolle": "eier" if line["role"] == "Eier" else "uh",
                "mottaker": line["recipient"],
                "orgnr": line["orgnr"],
                "konto": line["account"],
                "referanse": line["reference"],
                "belop": kroner_text(line["amount"]),
            }
            for line in lines
        ],
        "senere_aar": [
            {"aar": str(year + y - 1) if year else f"år {y}", "belop": kroner_text(c)} for y, c in sorted(later.items())
        ],
        "fondstrekk": kroner_text(deducted) if deducted else "",
        "rapporttrekk": kroner_text(unspent) if unspent else "",
    }


def _recipient_standard(prepared: Prepared, default: str, name: str, earlier: list[Drawn]) -> str:
    """A named recipient's own written standard; else, for an owner paid only earlier commitments,
    the standard of the networks it owns (its receiving-owner row in «Tall»)."""
    languages = prepared.languages
    if languages is None:
        return default
    if name_key(name) in languages.recipients or not earlier or any(d.commitment.role != "owner" for d in earlier):
        return languages.recipient(name, default)
    chosen = {languages.network(d.commitment.network, default) for d in earlier}
    return chosen.pop() if len(chosen) == 1 else default


def _orgnr(number: str) -> str:
    from stdnum.no import orgnr

    return orgnr.format(number) if number and orgnr.is_valid(number) else number


def _applied(grant: NetworkGrant | None) -> bool:
    return grant is not None and bool(grant.apps)


def _earlier(drawn: Iterable[Drawn]) -> dict[str, Any]:
    """The commitments from earlier decisions paid to a network this year, as its letter lists them."""
    mine = list(drawn)
    rows = [
        {
            "vedtak": d.decision.name,
            "nettverk": d.commitment.network,
            "aar": str(d.commitment.year),
            "mottaker": d.commitment.recipient,
            "orgnr": _orgnr(d.commitment.orgnr),
            "belop": kroner_text(d.amount),
        }
        for d in mine
    ]
    total = sum(d.amount for d in mine)
    return {"tidligere_tilsagn": rows, "tidligere_tilsagn_sum": kroner_text(total) if rows else ""}


def _weighted(column: str, weight: Fraction) -> str:
    return column if weight == 1 else f"{_number(weight)} × {column}"


def _number(value: Fraction) -> str:
    if value.denominator == 1:
        return f"{value.numerator:,}".replace(",", "\u00a0")
    return f"{float(value):,.2f}".replace(",", "\u00a0").replace(".", ",")


def _file_name(stem: str, used: set[str]) -> str:
    name, n = stem, 2
    while name_key(name) in used:
        name, n = f"{stem}-{n}", n + 1
    used.add(name_key(name))
    return f"{LETTER_DIR}/{name}.docx"
