"""Unspent money reported back: deducted from this year's payment, or claimed back.

Pure and exact. Per network, unspent = granted − used for each party (owner, UH), never
below 0. Above the threshold (the network's total unspent), it is acted on: with
``unspent = "deduct"`` it comes off this year's payment to the same party of the same network,
application by application, never below 0; what cannot be deducted (no grant this year, or
a smaller one) becomes a repayment claim. With ``"claim"`` all of it is claimed.
Conservation: for every network and party, deducted + claimed = unspent when acted on.
"""

from __future__ import annotations

from ..model.names import name_key
from ..model.reports import Claim, DecisionRun, Report, ReportsOutcome, ReportsRules, Unspent
from ..model.result import Grants


def settle_unspent(
    reports: list[Report], decision: DecisionRun, rules: ReportsRules, grants: Grants | None
) -> ReportsOutcome:
    """Work out and apply (on ``grants``' application grants) what becomes of unspent money."""
    outcome = ReportsOutcome(rules, decision, list(reports))
    this_year = {name_key(n): ng for n, ng in grants.networks.items()} if grants else {}
    for rep in sorted(reports, key=lambda r: name_key(r.network)):
        g = decision.granted[rep.network]
        u = Unspent(rep.network, max(0, g.owner - rep.used_owner), max(0, g.uh - rep.used_uh), False)
        if u.unspent_owner + u.unspent_uh == 0:
            continue
        outcome.unspent.append(u)
        if u.unspent_owner + u.unspent_uh <= rules.unspent_threshold:
            continue
        u.acted = True
        ng = this_year.get(name_key(rep.network)) if rules.unspent == "deduct" else None
        for app in ng.apps if ng else []:
            take_owner = min(u.unspent_owner - u.deducted_owner, app.paid_owner)
            take_uh = min(u.unspent_uh - u.deducted_uh, app.paid_uh)
            app.unspent_owner += take_owner
            app.unspent_uh += take_uh
            u.deducted_owner += take_owner
            u.deducted_uh += take_uh
        u.claimed_owner = u.unspent_owner - u.deducted_owner
        u.claimed_uh = u.unspent_uh - u.deducted_uh
        reason = (
            f"Ubrukt av tilskuddet fra «{decision.name}»"
            if rules.unspent == "claim"
            else f"Ubrukt av tilskuddet fra «{decision.name}», mer enn årets utbetaling kan dekke"
        )
        for role, amount, who in (("Eier", u.claimed_owner, g.owner_name), ("UH", u.claimed_uh, g.uh_name)):
            if amount:
                outcome.claims.append(Claim(rep.network, role, who, amount, reason))
        assert u.deducted_owner + u.claimed_owner == u.unspent_owner
        assert u.deducted_uh + u.claimed_uh == u.unspent_uh
    return outcome
