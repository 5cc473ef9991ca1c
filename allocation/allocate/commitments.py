"""Commitments, pure: what a decision commits, what earlier decisions take off the top.

- :func:`made` — from the grants of this run, per partnership and recipient: the year-1
  grant and, by the rule ``[applications] commitments``, the commitments for years 2 and 3
  (``indicative``: the indicative amounts the grant sheets show; ``requested``: what was
  asked; ``none``: no later commitments). Each year's amount is split between owner and UH
  by largest remainder in proportion to their requests for that year.
- :func:`due` — the earlier commitments paid in ``year``, with the forum's changes.
- :func:`commitment_pots` — those as pots: one top-level pot per decision and year of the
  partnership («Tilsagn fra vedtak 2025 (år 2)»), one recipient leaf per commitment. They
  are fixed amounts, so they come off the frame before any new money is split.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..model.commitments import Change, Commitment, Decision, Drawn, Record, YearsInput
from ..model.config import COMMITMENT_SOURCE, Config, Pot
from ..model.formatting import format_kroner
from ..model.names import name_key
from ..model.result import AppGrant, Grants
from .money import largest_remainder


def made(grants: Grants, rule: str, year: int | None) -> list[Commitment]:
    """This decision's commitments, per network, recipient and year of the partnership."""
    totals: dict[tuple[str, str, str, int], list[Any]] = {}
    for ng in grants.networks.values():
        for g in ng.apps:
            for y, owner, uh in _years(g, rule):
                for role, amount in (("owner", owner), ("uh", uh)):
                    name = str(g.app.get(role) or "").strip() or f"({ng.network})"
                    orgnr = str(g.app.get(f"{role}_orgnr") or "")
                    k = (ng.network, role, name_key(name), y)
                    entry = totals.setdefault(k, [name, orgnr, 0])
                    entry[2] += amount
    out = []
    for (net, role, _, y), (name, orgnr, amount) in totals.items():
        if amount > 0:
            paid = year + y - 1 if year is not None else None
            out.append(Commitment(net, role, name, orgnr, y, paid, amount))
    return sorted(out, key=lambda c: (c.year, name_key(c.network), c.role, name_key(c.recipient)))


def _years(g: AppGrant, rule: str) -> list[tuple[int, int, int]]:
    """(year, owner, uh) for year 1 (the grant) and the committed later years."""
    out = [(1, g.owner, g.uh)]
    for y in (2, 3):
        requested = g.app.requested(y)
        if rule == "none" or not requested:
            continue
        amount = requested if rule == "requested" else g.indicative.get(y, (0, 0))[1]
        owner_req, uh_req = g.app.amount(f"owner_y{y}"), g.app.amount(f"uh_y{y}")
        split = largest_remainder(amount, [("owner", owner_req), ("uh", uh_req)]).amounts()
        out.append((y, split["owner"], split["uh"]))
    return out


def due(
    decisions: list[Decision], year: int | None, changes: list[Change]
) -> tuple[list[Drawn], list[Change], list[tuple[Change, Change]]]:
    """The earlier commitments paid in ``year`` (years 2 and 3 only: year 1 was paid by the
    decision itself), each with the forum's change when one matches; the changes that match
    no commitment; and (change, the first change) where one commitment has more than one
    (an error, never «the first row wins»)."""
    by_key: dict[tuple[str, str, str], list[Change]] = {}
    for ch in changes:
        by_key.setdefault((name_key(ch.network), name_key(ch.recipient), str(ch.payment_year)), []).append(ch)
    used: set[int] = set()
    twice: list[tuple[Change, Change]] = []
    out = []
    for d in decisions:
        for c in d.commitments:
            if c.year < 2 or c.payment_year is None or c.payment_year != year:
                continue
            matches = _matches(d, by_key.get((name_key(c.network), name_key(c.recipient), str(c.payment_year)), []))
            match = matches[0] if matches else None
            used.update(id(m) for m in matches)
            twice += [(m, matches[0]) for m in matches[1:]]
            out.append(Drawn(d, c, match.new_amount if match else c.amount, match))
    return out, [ch for ch in changes if id(ch) not in used], twice


def _matches(d: Decision, candidates: list[Change]) -> list[Change]:
    names = {name_key(d.name), name_key(d.folder), name_key(d.folder.rstrip("/").rsplit("/", 1)[-1])}
    return [ch for ch in candidates if name_key(ch.decision) in names]


def commitment_pots(drawn: list[Drawn]) -> list[Pot]:
    """The commitments due this year as fixed top-level pots with one recipient leaf each.
    A cancelled commitment (0 kr) gets no pot; it is shown on the sheet ``Tilsagn``."""
    groups: dict[str, list[Drawn]] = {}
    for d in drawn:
        if d.amount > 0:
            groups.setdefault(d.pot(), []).append(d)
    pots: list[Pot] = []
    for title, items in groups.items():
        note = f"Fra kjøringen «{items[0].decision.name}» ({items[0].decision.folder})"
        pots.append(
            Pot(title, None, "amount", amount=sum(d.amount for d in items), note=note, source=COMMITMENT_SOURCE)
        )
        for d in items:
            why = f"; endret: {d.change.note}" if d.change is not None and d.change.note else ""
            pots.append(
                Pot(
                    d.leaf(),
                    title,
                    "amount",
                    amount=d.amount,
                    recipient=d.commitment.recipient,
                    note=f"Opprinnelig tilsagn {format_kroner(d.original)} kr{why}",
                    source=COMMITMENT_SOURCE,
                )
            )
    return pots


NEW_MONEY = "Nye midler etter tilsagn"


def with_commitments(pots: tuple[Pot, ...], drawn: list[Drawn]) -> tuple[Pot, ...]:
    """The pot tree with earlier commitments off the top: the commitment pots first, then the
    county's own tree under one ``rest`` pot (``NEW_MONEY``), so its percentages, ratios and
    rest are shares of what is left. Commitments typed into the sheet «Ramme» stay at the top.
    Unchanged when nothing is drawn."""
    taken = commitment_pots(drawn)
    if not taken:
        return pots
    kept = tuple(p for p in pots if p.parent is None and p.source == "Ramme")
    moved = tuple(replace(p, parent=NEW_MONEY) if p.parent is None else p for p in pots if p not in kept)
    new = Pot(NEW_MONEY, None, "rest", note="Årets ramme etter tilsagn fra tidligere vedtak", source=COMMITMENT_SOURCE)
    return (*taken, *kept, new, *moved)


def frozen_frame(held_back: int, repaid: int) -> int:
    """A second round's frame: what the first round held back (rounding and frame not
    granted) and money paid back."""
    return held_back + repaid


def record(config: Config, grants: Grants | None, years: YearsInput | None) -> Record:
    """What this run commits (from its grants, by ``[applications] commitments``) and what it
    drew from earlier decisions."""
    rules = config.applications
    rule = rules.commitments if rules is not None else "none"
    commitments = made(grants, rule, config.year) if grants is not None else []
    return Record(
        rule,
        rules.commitments_note if rules is not None else "",
        config.year,
        years.second_round if years is not None else None,
        commitments,
        years.drawn if years is not None else [],
        years.decisions if years is not None else [],
    )
