"""Payment lines: one per receiving party (owner, UH), formatted for the bank file."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


def payment_lines(network: str, g: Any) -> list[dict[str, Any]]:
    """One payment per receiving party (owner, UH), formatted for the bank file.

    A pure function of the application grant: the Utbetaling sheet, the letters and the manifest
    each get the same lines, new ones each time (nothing is kept on the grant, so amounts settled
    later, e.g. unspent money deducted, are always those paid). The costly part, checking and
    formatting organisation and account numbers, is done once per number."""
    a = g.app
    return [
        {
            "network": network,
            "role": role,
            "recipient": a.get(who) or "",
            "orgnr": shown_orgnr(a.get(f"{who}_orgnr") or ""),
            "account": shown_account(a.get(f"{who}_account") or ""),
            "reference": a.get(f"{who}_ref") or "",
            "amount": amount,
        }
        for who, role, amount in (("owner", "Eier", g.paid_owner), ("uh", "UH", g.paid_uh))
    ]


@lru_cache(maxsize=1 << 14, typed=True)  # typed: 972000000 and 972000000.0 are shown apart
def shown_orgnr(org: Any) -> Any:
    """An organisation number as the bank file shows it (``972 000 000``) when valid, else as given."""
    from stdnum.no import orgnr

    return orgnr.format(org) if org and orgnr.is_valid(org) else org


@lru_cache(maxsize=1 << 14, typed=True)  # typed: 972000000 and 972000000.0 are shown apart
def shown_account(acc: Any) -> Any:
    """An account number as the bank file shows it (``1505.00.00009``) when valid, else as given."""
    from stdnum.no import kontonr

    return kontonr.format(acc) if acc and kontonr.is_valid(acc) else acc
