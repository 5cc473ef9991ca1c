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

import difflib
from dataclasses import dataclass, field
from fractions import Fraction

from .applications import Application
from .config import Config, Key, Pot
from .counts import Counts
from .findings import ERROR, ConfigError, Finding, InputErrors
from .granting import Grants, grant
from .money import Share, Split, largest_remainder, name_key
from .values import format_fraction, format_kroner

ROOT = "Ramme"
_REST = "\x00rest"


@dataclass
class PotResult:
    """One pot as allocated, with what explains its amount."""

    name: str
    parent: str  # ROOT for top-level pots
    size: str
    amount: int
    depth: int
    note: str = ""
    source: str = "config"
    basis: str = ""  # how the amount was found, in Norwegian, e.g. "8 % av Ramme"
    weight: Fraction | None = None  # the weight this pot had in its parent's split
    leaf: str = ""  # "recipient", "key", "flat", "" for inner pots
    recipient: str | None = None
    key: Key | None = None
    shares: tuple[Share, ...] = ()  # per network, for spread leaves
    held_back: int = 0  # held back in splits made under or by this pot


@dataclass
class Allocation:
    """The result: every pot, every network's parts, recipients, held back."""

    name: str
    frame: int
    unit: int
    networks: tuple[str, ...]
    pots: list[PotResult]
    parts: dict[str, dict[str, int]]  # network -> leaf pot -> kroner
    recipients: list[tuple[str, int, str]]  # recipient, kroner, pot
    held_back: int
    root_held_back: int = 0
    key_values: dict[str, dict[str, Fraction]] = field(default_factory=dict)  # pot -> network -> weight
    grants: Grants | None = None  # when applications were read

    @property
    def total_held_back(self) -> int:
        """Held back in the pot splits plus frame not granted to applications."""
        return self.held_back + (self.grants.held_back if self.grants else 0)

    def network_frame(self, network: str) -> int:
        return sum(self.parts[network].values())

    def leaf_spread_pots(self) -> list[PotResult]:
        return [p for p in self.pots if p.leaf in ("key", "flat")]

    def recipient_totals(self) -> list[tuple[str, int]]:
        totals: dict[str, tuple[str, int]] = {}  # one recipient however its name is spelt
        for name, amount, _ in self.recipients:
            first, before = totals.get(name_key(name), (name, 0))
            totals[name_key(name)] = (first, before + amount)
        return list(totals.values())

    def pot(self, name: str) -> PotResult:
        for p in self.pots:
            if p.name == name:
                return p
        raise KeyError(name)


def key_weight(key: Key, counts: dict[str, int]) -> Fraction:
    return sum((w * counts.get(col, 0) for col, w in key.weights), Fraction(0))


class _Walker:
    def __init__(self, config: Config, counts: Counts):
        self.config = config
        self.counts = counts
        self.unit = config.unit
        self.networks = counts.networks
        self.pots_out: list[PotResult] = []
        self.parts = {n: {} for n in self.networks}
        self.recipients: list[tuple[str, int, str]] = []
        self.held_back = 0
        self.key_values: dict[str, dict[str, Fraction]] = {}
        self.problems: list[Finding] = []
        self.input_problems: list[Finding] = []
        leaves = [p for p in config.pots if p.spread]
        for n in self.networks:
            for p in leaves:
                self.parts[n][p.name] = 0

    def config_error(self, code: str, message: str, cell: str, fix: str, value: str = "") -> None:
        self.problems.append(Finding(code, ERROR, message, file=self.config.path.name, cell=cell, value=value, fix=fix))

    def flat_amounts(self, pot: Pot) -> dict[str, int]:
        """Per-network amounts of a per_network pot: sheet value, else flat + extra."""
        by_key = {name_key(n): n for n in self.networks}
        sheet = {name_key(n): a for n, a, _ in pot.network_amounts}
        extra: dict[str, int] = {}
        for net, amt in pot.extra:
            if name_key(net) not in by_key:
                close = difflib.get_close_matches(net, list(self.networks), n=1, cutoff=0.6)
                self.config_error(
                    "config.unknown_network",
                    f"Potten «{pot.name}» gir ekstra til «{net}», som ikke er et nettverk i telleboka.",
                    f"pot «{pot.name}».extra",
                    f"Mente du «{close[0]}»?" if close else "Skriv navnet som i arket «Tall».",
                    net,
                )
            else:
                extra[name_key(net)] = amt
        out = {}
        for n in self.networks:
            k = name_key(n)
            if k in sheet:
                out[n] = sheet[k]
            elif pot.per_network is None:
                self.config_error(
                    "config.no_network_amount",
                    f"Potten «{pot.name}» har ikke beløp for «{n}».",
                    f"pot «{pot.name}».per_network",
                    "Skriv per_network i konfigurasjonen eller "
                    f"fyll inn «{pot.column}» for nettverket i parameterarbeidsboka.",
                )
                out[n] = 0
            else:
                out[n] = pot.per_network + extra.get(k, 0)
        return out

    def total_key(self, key: Key) -> Fraction:
        return sum((key_weight(key, self.counts.totals[n]) for n in self.networks), Fraction(0))

    def split_children(self, parent: str | None, amount: int, depth: int) -> int:
        """Split ``amount`` over the children of ``parent``; returns kroner held back here."""
        kids = self.config.children(parent)
        label = parent or ROOT
        fixed: dict[str, int] = {}
        flat: dict[str, dict[str, int]] = {}
        for pot in kids:
            if pot.size == "amount":
                fixed[pot.name] = pot.amount or 0
            elif pot.size == "per_network":
                flat[pot.name] = self.flat_amounts(pot)
                fixed[pot.name] = sum(flat[pot.name].values())
            elif pot.size == "parameters":
                self.config_error(
                    "config.no_size",
                    f"Potten «{pot.name}» har verken beløp, prosent, ratio eller rest.",
                    f"pot «{pot.name}»",
                    "Skriv amount, percent, ratio, rest eller per_network, "
                    "eller før opp beløpet i arket «Avsetninger».",
                )
        percent_pots = [p for p in kids if p.size == "percent"]
        pct_total = sum((p.percent or Fraction(0) for p in percent_pots), Fraction(0))
        weights: list[tuple[str, Fraction]] = [(p.name, p.percent or Fraction(0)) for p in percent_pots]
        if percent_pots and pct_total < 100:
            weights.append((_REST, 100 - pct_total))
        pct_split = largest_remainder(amount, weights, self.unit) if percent_pots else None
        pct_amounts = {n: a for n, a in (pct_split.amounts().items() if pct_split else []) if n != _REST}
        rest = amount - sum(fixed.values()) - sum(pct_amounts.values())
        if rest < 0:
            self.config_error(
                "config.frame_too_small",
                f"{label} er {format_kroner(amount)} kr, men de faste og prosentvise pottene under "
                f"den er til sammen {format_kroner(amount - rest)} kr.",
                "run.frame" if parent is None else f"pot «{parent}»",
                "Øk rammen eller reduser de faste beløpene.",
                str(amount),
            )
            rest = 0
        rest_pots = [p for p in kids if p.size == "rest"]
        ratio_pots = [p for p in kids if p.size == "ratio"]
        ratio_amounts: dict[str, int] = {}
        ratio_split: Split | None = None
        held = 0
        if rest_pots:
            ratio_amounts[rest_pots[0].name] = rest
        elif ratio_pots:
            ratio_weights = [(p.name, self.total_key(p.ratio)) for p in ratio_pots if p.ratio]
            if rest > 0 and all(w == 0 for _, w in ratio_weights):
                self.input_problems.append(
                    Finding(
                        "counts.zero_ratio",
                        ERROR,
                        f"Tellingene gir 0 for alle pottene under {label}, så {format_kroner(rest)} kr kan ikke deles.",
                        file=self.counts.file,
                        sheet="Tall",
                        fix="Sjekk at kolonnene i telleboka har tall.",
                    )
                )
            ratio_split = largest_remainder(rest, ratio_weights, self.unit)
            ratio_amounts = ratio_split.amounts()
            held += ratio_split.held_back
        elif rest >= self.unit:
            self.config_error(
                "config.unassigned_rest",
                f"{format_kroner(rest)} kr under {label} går ikke til noen pott.",
                "run.frame" if parent is None else f"pot «{parent}»",
                "Legg til en pott med rest = true, eller rett beløpene så de går opp.",
                str(rest),
            )
        else:
            held += rest
        for pot in kids:
            pot_amount = fixed.get(pot.name, pct_amounts.get(pot.name, ratio_amounts.get(pot.name, 0)))
            basis, weight = self.basis(pot, label, pct_split, ratio_split)
            result = PotResult(pot.name, label, pot.size, pot_amount, depth, pot.note, pot.source, basis, weight)
            self.pots_out.append(result)
            if self.config.children(pot.name):
                result.held_back = self.split_children(pot.name, pot_amount, depth + 1)
            else:
                result.held_back = self.leaf(pot, result, flat.get(pot.name))
        return held

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
            if result.amount > 0 and all(w == 0 for _, w in weights):
                self.input_problems.append(
                    Finding(
                        "counts.zero_key",
                        ERROR,
                        f"Ingen nettverk har tall for nøkkelen til «{pot.name}» "
                        f"({pot.key.describe() if pot.key else ''}), "
                        f"så {format_kroner(result.amount)} kr kan ikke fordeles.",
                        file=self.counts.file,
                        sheet="Tall",
                        fix="Fyll inn tallene i telleboka.",
                    )
                )
            split = largest_remainder(result.amount, weights, self.unit)
            shares, held = split.shares, split.held_back
        result.shares = shares
        for s in shares:
            self.parts[s.name][pot.name] += s.amount
        return held


def allocate(config: Config, counts: Counts, applications: list[Application] | None = None) -> Allocation:
    """Allocate the frame by the configuration, and grant the applications when given.

    Raises ConfigError or InputErrors.
    """
    if config.frame is None:
        raise ConfigError(
            [
                Finding(
                    "config.no_frame",
                    ERROR,
                    "Rammen mangler.",
                    file=config.path.name,
                    cell="run.frame",
                    fix="Skriv frame under [run] eller i arket «Ramme».",
                )
            ]
        )
    walker = _Walker(config, counts)
    root_held = walker.split_children(None, config.frame, 0)
    if walker.problems:
        raise ConfigError(walker.problems)
    if walker.input_problems:
        raise InputErrors(walker.input_problems)
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
        weights = {n: key_weight(key, counts.totals[n]) if key else Fraction(0) for n in counts.networks}
        frames = {n: result.network_frame(n) for n in counts.networks}
        result.grants = grant(frames, applications, weights, rules, config.unit)
    _check_conservation(result)
    return result


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
