"""The allocation: pure, exact, traceable.

``allocate(config, counts)`` walks the tree of pots from the frame down.
Under each parent, fixed pots (``amount``, ``per_network``) take their
amounts, percentage pots take their share of the parent (largest
remainder), and what is left goes to the ``rest`` pot or is split over the
``ratio`` pots by their count totals. A leaf goes to a named recipient or is
spread over the networks. Every split is a largest-remainder split; what is
smaller than one rounding unit is held back. Nothing here reads a file,
prints or exits.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from ..model.config import Config, Key, Pot
from ..model.counts import Counts
from ..model.formatting import format_fraction, format_kroner
from ..model.result import ROOT, Allocation, PotResult, Share, Split
from .granting import grant
from .money import largest_remainder
from .plan import key_weight, plan_children
from .rules import check_rules, raise_for_errors

if TYPE_CHECKING:  # applications' types: loaded only when a run reads applications
    from ..model.applications import Application


class _Walker:
    """Walks the pot tree once, in order, keeping what each pot took, each network's parts and the
    money held back."""

    def __init__(self, config: Config, counts: Counts):
        self.config = config
        self.counts = counts
        self.unit = config.unit
        self.networks = counts.networks
        self.pots_out: list[PotResult] = []
        self.parts: dict[str, dict[str, int]] = {n: {} for n in self.networks}
        self.recipients: list[tuple[str, int, str]] = []
        self.held_back = 0
        self.key_values: dict[str, dict[str, Fraction]] = {}
        leaves = [p for p in config.pots if p.spread]
        for n in self.networks:
            for p in leaves:
                self.parts[n][p.name] = 0

    def split_children(self, parent: str | None, amount: int, depth: int) -> int:
        """Split ``amount`` over the children of ``parent``; returns kroner held back here."""
        label = parent or ROOT
        plan = plan_children(self.config, self.counts, parent, amount)
        assert plan.rest >= 0 and not plan.unassigned, "the pot tree was not checked (rules.check_rules)"
        for pot in self.config.children(parent):
            pot_amount = plan.amount_of(pot)
            basis, weight = self.basis(pot, label, plan.pct_split, plan.ratio_split)
            result = PotResult(pot.name, label, pot.size, pot_amount, depth, pot.note, pot.source, basis, weight)
            self.pots_out.append(result)
            if self.config.children(pot.name):
                result.held_back = self.split_children(pot.name, pot_amount, depth + 1)
            else:
                result.held_back = self.leaf(pot, result, plan.flat.get(pot.name))
        return plan.held

    def basis(self, pot: Pot, label: str, pct: Split | None, ratio: Split | None) -> tuple[str, Fraction | None]:
        if pot.size == "amount":
            return "fast beløp", None
        if pot.size == "per_network":
            extra = ", ".join(f"{n} + {format_kroner(a)}" for n, a in pot.extra)
            base = (
                f"{format_kroner(pot.per_network)} kr per nettverk" if pot.per_network is not None else "per nettverk"
            )
            if pot.network_amounts:
                base += " (beløp fra arket «Nettverk»)"
            return base + (f"; ekstra: {extra}" if extra else ""), None
        if pot.size == "percent":
            return f"{format_fraction(pot.percent or 0)} % av {label}", pot.percent
        if pot.size == "ratio" and pot.ratio is not None and ratio is not None:
            weight = next((s.weight for s in ratio.shares if s.name == pot.name), None)
            return f"forholdstall {pot.ratio.describe()} av resten av {label}", weight
        return f"resten av {label}", None

    def leaf(self, pot: Pot, result: PotResult, flat: dict[str, int] | None) -> int:
        if pot.spread is None:
            result.leaf, result.recipient = "recipient", pot.recipient or pot.name
            self.recipients.append((result.recipient, result.amount, pot.name))
            return 0
        result.leaf, result.key = pot.spread, pot.key
        if flat is not None:
            shares = tuple(Share(n, Fraction(1), Fraction(flat[n]), flat[n], flat[n]) for n in self.networks)
            held = 0
        else:
            if pot.spread == "key" and pot.key is not None:
                weights = [(n, key_weight(pot.key, self.counts.totals[n])) for n in self.networks]
                self.key_values[pot.name] = dict(weights)
            else:
                weights = [(n, Fraction(1)) for n in self.networks]
            split = largest_remainder(result.amount, weights, self.unit)
            shares, held = split.shares, split.held_back
        result.shares = shares
        for s in shares:
            self.parts[s.name][pot.name] += s.amount
        return held


def allocate(config: Config, counts: Counts, applications: list[Application] | None = None) -> Allocation:
    """Allocate the frame by the configuration, and grant the applications when given.

    Raises ConfigError or InputErrors when the configuration breaks a rule of the pot
    tree (``rules.check_rules``, the same check ``validate`` makes).
    """
    raise_for_errors(check_rules(config, counts))
    assert config.frame is not None
    walker = _Walker(config, counts)
    root_held = walker.split_children(None, config.frame, 0)
    held_back = root_held + sum(p.held_back for p in walker.pots_out)
    pots = _tree_order(walker.pots_out)
    leaf_order = [p.name for p in pots if p.leaf in ("key", "flat")]
    parts = {n: {name: walker.parts[n][name] for name in leaf_order} for n in counts.networks}
    result = Allocation(
        name=config.name,
        frame=config.frame,
        unit=config.unit,
        networks=counts.networks,
        pots=pots,
        parts=parts,
        recipients=walker.recipients,
        held_back=held_back,
        root_held_back=root_held,
        key_values=walker.key_values,
    )
    if applications is not None and config.applications is not None:
        rules = config.applications
        key = rules.redistribution_key
        weights = _key_weights(result, counts, key)
        frames = {n: result.network_frame(n) for n in counts.networks}
        result.grants = grant(frames, applications, weights, rules, config.unit)
    _check_conservation(result)
    return result


def _key_weights(result: Allocation, counts: Counts, key: Key | None) -> dict[str, Fraction]:
    """Each network's weight by ``key`` (0 without one): those of a pot spread by the same key, if any."""
    if key is None:
        return {n: Fraction(0) for n in counts.networks}
    for pot in result.pots:
        if pot.key == key and pot.name in result.key_values:
            return dict(result.key_values[pot.name])
    return {n: key_weight(key, counts.totals[n]) for n in counts.networks}


def _tree_order(pots: list[PotResult]) -> list[PotResult]:
    """Pots in depth-first order, each parent followed by its children."""
    by_parent: dict[str, list[PotResult]] = {}
    for p in pots:
        by_parent.setdefault(p.parent, []).append(p)
    out: list[PotResult] = []

    def walk(parent: str) -> None:
        for p in by_parent.get(parent, []):
            out.append(p)
            walk(p.name)

    walk(ROOT)
    return out


def _check_conservation(result: Allocation) -> None:
    top = [p for p in result.pots if p.parent == ROOT]
    assert sum(p.amount for p in top) + result.root_held_back == result.frame
    networks = sum(result.network_frame(n) for n in result.networks)
    recipients = sum(a for _, a, _ in result.recipients)
    assert networks + recipients + result.held_back == result.frame, "allocation does not add up to the frame"
    if result.grants is not None:
        granted = result.grants.total_granted()
        assert granted + recipients + result.total_held_back == result.frame, "grants do not add up to the frame"
    for pot in result.pots:
        kids = [p for p in result.pots if p.parent == pot.name]
        if kids:
            assert sum(k.amount for k in kids) + pot.held_back == pot.amount
        elif pot.shares:
            assert sum(s.amount for s in pot.shares) + pot.held_back == pot.amount
        assert pot.amount >= 0
