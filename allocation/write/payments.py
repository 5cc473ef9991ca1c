"""Payment lines: one per receiving party (owner, UH), formatted for the bank file."""

from __future__ import annotations

from typing import Any


def payment_lines(network: str, g: Any) -> list[dict[str, Any]]:
    """One payment per receiving party (owner, UH), formatted for the bank file."""
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
    return lines
