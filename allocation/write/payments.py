"""Payment lines: one per receiving party (owner, UH), formatted for the bank file."""

from __future__ import annotations

from typing import Any


def payment_lines(network: str, g: Any) -> list[dict[str, Any]]:
    """One payment per receiving party (owner, UH), formatted for the bank file.

    Computed once per application grant and kept on it: the Utbetaling sheet, the
    letters and the manifest all list the same lines. Callers must not change them."""
    key = (network, g.app, g.paid_owner, g.paid_uh)  # what the lines are made of
    cached = g.__dict__.get("_payment_lines")
    if cached is not None and cached[0][0] == network and cached[0][1] is g.app and cached[0][2:] == key[2:]:
        return cached[1]
    from stdnum.no import kontonr, orgnr

    lines = []
    a = g.app
    for who, role, amount in (("owner", "Eier", g.paid_owner), ("uh", "UH", g.paid_uh)):
        org, acc = a.get(f"{who}_orgnr") or "", a.get(f"{who}_account") or ""
        lines.append(
            {
                "network": network,
                "role": role,
                "recipient": a.get(who) or "",
                "orgnr": orgnr.format(org) if org and orgnr.is_valid(org) else org,
                "account": kontonr.format(acc) if acc and kontonr.is_valid(acc) else acc,
                "reference": a.get(f"{who}_ref") or "",
                "amount": amount,
            }
        )
    g.__dict__["_payment_lines"] = (key, lines)
    return lines
