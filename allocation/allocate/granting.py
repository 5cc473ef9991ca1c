"""Granting: from each network's frame and its application to what is paid.

Pure and exact. granted = min(requested year 1, frame); a network without an
application gets 0. Unused frame is either held back or redistributed
(omfordeling): split over the networks that asked for more than they got,
pro rata by the redistribution key, never above what they asked, in rounds
until the money or the demand runs out. A grant is split between owner and
UH by largest remainder in proportion to their requests.
"""

from __future__ import annotations

from fractions import Fraction
from math import lcm
from typing import TYPE_CHECKING

from ..model.config import ApplicationRules
from ..model.names import name_key
from ..model.result import AppGrant, Grants, NetworkGrant
from .money import split_amounts

if TYPE_CHECKING:  # applications' types: loaded only when a run reads applications
    from ..model.applications import Application


def grant(
    frames: dict[str, int], apps: list[Application], weights: dict[str, Fraction], rules: ApplicationRules, unit: int
) -> Grants:
    """Grant each network's application within its frame, by the configured policy."""
    groups: dict[str, list[Application]] = {}
    by_key = {name_key(n): n for n in frames}
    for app in apps:
        net = by_key.get(name_key(app.network))
        if net is not None:
            groups.setdefault(net, []).append(app)
    networks: dict[str, NetworkGrant] = {}
    for net, frame in frames.items():
        group = groups.get(net, [])
        requested = sum(a.requested(1) for a in group) if group else None
        networks[net] = NetworkGrant(net, frame, requested, min(requested or 0, frame))
    pool = sum(frames.values()) - sum(n.base for n in networks.values())
    rounds: list[dict[str, int]] = []
    if rules.policy == "redistribute":
        pool, rounds = _redistribute(networks, weights, pool, unit)
    for net, ng in networks.items():
        ng.apps = _split_apps(groups.get(net, []), ng.granted, ng.frame, rules)
    result = Grants(rules.policy, rules.fund, networks, pool, rounds)
    assert result.total_granted() + result.held_back == sum(frames.values())
    for ng in networks.values():
        assert ng.granted == ng.granted_owner + ng.granted_uh or not ng.apps
        assert ng.requested is None or ng.granted <= ng.requested
    return result


def _redistribute(
    networks: dict[str, NetworkGrant], weights: dict[str, Fraction], pool: int, unit: int
) -> tuple[int, list[dict[str, int]]]:
    """Water-filling: a network whose exact pro-rata share would reach what it still
    lacks gets exactly that and leaves; the rest is shared again among the others
    (a new round), until no one is capped. The last round is one largest-remainder
    split, so each round's money adds up and only a sub-unit rest is held back."""
    rounds: list[dict[str, int]] = []
    needy = {
        n for n, g in networks.items() if g.requested is not None and g.requested > g.granted and weights.get(n, 0) > 0
    }
    while pool > 0 and needy:
        lacking = {n: (networks[n].requested or 0) - networks[n].granted for n in needy}
        capped = _capped(pool, {n: weights[n] for n in needy}, lacking)
        if capped:
            given = {n: lacking[n] for n in sorted(capped, key=name_key)}
            needy -= capped
        else:
            split = split_amounts(pool, [(n, weights[n]) for n in sorted(needy, key=name_key)], unit)
            given = {n: a for n, a in split.items() if a > 0}
            needy = set()
        for n, add in given.items():
            networks[n].redistributed += add
        pool -= sum(given.values())
        if given:
            rounds.append(given)
    return pool, rounds


def _capped(pool: int, weights: dict[str, Fraction], lacking: dict[str, int]) -> set[str]:
    """The networks whose exact pro-rata share of ``pool`` (``pool * w / sum(w)``) reaches what
    they lack. Compared in integers: the weights scaled by their common denominator."""
    scale = lcm(*(w.denominator for w in weights.values()))
    scaled = {n: w.numerator * (scale // w.denominator) for n, w in weights.items()}
    total = sum(scaled.values())
    return {n for n, w in scaled.items() if pool * w >= lacking[n] * total}


def _split_apps(group: list[Application], granted: int, frame: int, rules: ApplicationRules) -> list[AppGrant]:
    if not group:
        return []
    first_year = [a.requested(1) for a in group]
    total_first_year = max(1, sum(first_year))
    per_app = (
        split_amounts(granted, [(str(i), r) for i, r in enumerate(first_year)]) if len(group) > 1 else {"0": granted}
    )
    out = []
    for i, app in enumerate(group):
        amount = per_app[str(i)]
        owner, uh = _owner_uh(amount, app.amount("owner_y1"), app.amount("uh_y1"))
        g = AppGrant(app, first_year[i], amount, owner, uh, app.amount("fund_owner"), app.amount("fund_uh"))
        if rules.fund == "deduct":
            g.deducted_owner = min(g.fund_owner, owner)
            g.deducted_uh = min(g.fund_uh, uh)
        share_of_frame = frame * first_year[i] // total_first_year if len(group) > 1 else frame
        for year in (2, 3):
            req = app.requested(year)
            if req:
                g.indicative[year] = (req, min(req, share_of_frame))
        out.append(g)
    return out


def _owner_uh(amount: int, owner_req: int, uh_req: int) -> tuple[int, int]:
    if owner_req + uh_req == 0:
        return amount, 0
    split = split_amounts(amount, [("eier", owner_req), ("uh", uh_req)])
    return split["eier"], split["uh"]
