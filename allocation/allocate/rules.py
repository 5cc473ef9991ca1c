"""The rules of the pot tree, judged once on the final configuration.

The final configuration is the TOML with the parameters workbook's amounts and
shares put in, for the networks the counts have. Every rule is judged here, so
a value breaks it the same way wherever it came from, and the finding names
where the value stands: the TOML key, or the file, sheet and cell of the
parameters workbook. ``pipeline.prepare`` (which ``validate`` and ``run`` both
take) and ``pots.allocate`` call :func:`check_rules`; the allocation walk keeps
only assertions.
"""

from __future__ import annotations

import difflib
from fractions import Fraction

from ..model.config import COMMITMENT_SOURCE, RESERVED_NAMES, Config, Pot, bare_name
from ..model.counts import Counts
from ..model.findings import ERROR, WARNING, ConfigError, Finding, InputErrors
from ..model.formatting import format_fraction, kroner_in_text
from ..model.names import name_key
from ..model.result import ROOT
from .plan import key_weight, plan_children


class _Rules:
    """Checks a pot tree against the rules of the core, collecting every broken rule as a finding."""

    def __init__(self, config: Config, counts: Counts):
        self.config = config
        self.counts = counts
        self.findings: list[Finding] = []

    def add(
        self, code: str, message: str, fix: str, place: dict[str, str], value: object = "", severity: str = ERROR
    ) -> None:
        self.findings.append(Finding(code, severity, message, value=str(value), fix=fix, **place))

    def at(self, pot: Pot, what: str) -> dict[str, str]:
        """Where a pot's value stands: its cell in the parameters workbook, or its TOML key."""
        cell = pot.name_cell if what == "name" else pot.cell
        if pot.source != "config" and cell and self.config.parameters is not None:
            return {"file": self.config.parameters.name, "sheet": pot.source, "cell": cell}
        return {"file": self.config.path.name, "cell": f"pot «{pot.name}».{what}"}

    def at_parent(self, parent: Pot | None) -> dict[str, str]:
        if parent is not None:
            return self.at(parent, parent.size)
        if self.config.frame_cell and self.config.parameters is not None:
            return {"file": self.config.parameters.name, "sheet": "Ramme", "cell": self.config.frame_cell}
        return {"file": self.config.path.name, "cell": "run.frame"}

    def frame(self) -> bool:
        cfg = self.config
        if cfg.frame is None:
            self.add(
                "config.no_frame",
                "Rammen mangler.",
                "Skriv frame = beløp under [run], eller en rad med Post «Ramme» i arket «Ramme».",
                {"file": cfg.path.name, "cell": "run.frame"},
            )
            return False
        if cfg.frame > 0 and cfg.unit > cfg.frame:
            self.add(
                "config.unit_too_large",
                f"Avrundingsenheten er {kroner_in_text(cfg.unit)}, større enn hele rammen på "
                f"{kroner_in_text(cfg.frame)}; alt ville blitt holdt tilbake.",
                "Bruk en mindre enhet, f.eks. unit = 1 eller 1000.",
                {"file": cfg.path.name, "cell": "run.unit"},
                cfg.unit,
            )
        return True

    def names(self) -> None:
        seen: dict[str, Pot] = {}
        reserved = {name_key(r) for r in RESERVED_NAMES}
        for pot in self.config.pots:
            key = bare_name(pot.name)
            if not key:
                self.add(
                    "config.empty_name",
                    f"Potten har et navn med bare usynlige tegn ({ascii(pot.name)}).",
                    "Skriv et navn med vanlige bokstaver.",
                    self.at(pot, "name"),
                    ascii(pot.name),
                )
            elif key in reserved:
                self.add(
                    "config.reserved_name",
                    f"«{pot.name.strip()}» er navnet på selve rammen og kan ikke brukes om en pott eller avsetning.",
                    "Gi den et annet navn.",
                    self.at(pot, "name"),
                    pot.name,
                )
            elif key in seen:
                first = seen[key]
                place = self.at(first, "name")
                self.add(
                    "config.duplicate_pot",
                    f"«{pot.name}» finnes to steder: her og i {_describe(place)}.",
                    "Gi hver pott, avsetning og forpliktelse sitt eget navn, eller fjern den ene.",
                    self.at(pot, "name"),
                    pot.name,
                )
            seen.setdefault(key, pot)

    def pots(self) -> None:
        networks = {name_key(n) for n in self.counts.networks}
        for pot in self.config.pots:
            if pot.size == "parameters":
                self.add(
                    "config.no_size",
                    f"Potten «{pot.name}» har verken beløp, prosent, ratio eller rest.",
                    "Skriv amount, percent, ratio, rest eller per_network, "
                    "eller før opp beløpet i arket «Avsetninger».",
                    self.at(pot, "name"),
                )
            for net, _ in pot.extra:
                if name_key(net) not in networks:
                    close = difflib.get_close_matches(net, list(self.counts.networks), n=1, cutoff=0.6)
                    self.add(
                        "config.unknown_network",
                        f"Potten «{pot.name}» gir ekstra til «{net}», som ikke er et nettverk i telleboka.",
                        f"Mente du «{close[0]}»?" if close else "Skriv navnet som i arket «Tall».",
                        {"file": self.config.path.name, "cell": f'pot «{pot.name}».extra."{net}"'},
                        net,
                    )
            self.unit_fit(pot)

    def unit_fit(self, pot: Pot) -> None:
        if pot.source == COMMITMENT_SOURCE:  # an earlier decision's commitment: to the krone, as committed
            return
        unit = self.config.unit
        amounts = [pot.amount, pot.per_network, *(a for _, a in pot.extra), *(a for _, a, _ in pot.network_amounts)]
        odd = [a for a in amounts if a is not None and a % unit]
        if unit > 1 and odd:
            self.add(
                "config.unit_mismatch",
                f"Potten «{pot.name}» har {kroner_in_text(odd[0])}, som ikke er et helt antall "
                f"avrundingsenheter ({kroner_in_text(unit)}); beløpet brukes som det står.",
                "Rund beløpet av, eller sjekk at det er riktig.",
                self.at(pot, pot.size),
                odd[0],
                WARNING,
            )

    def percentages(self) -> None:
        by_key = {name_key(p.name): p for p in self.config.pots}
        parents = [None, *{name_key(p.parent) for p in self.config.pots if p.parent}]
        for parent_key in parents:
            parent = by_key.get(parent_key) if parent_key else None
            kids = self.config.children(parent.name if parent else None)
            pcts = [k for k in kids if k.size == "percent" and k.percent is not None]
            total = sum((k.percent for k in pcts if k.percent is not None), Fraction(0))
            if total > 100:
                label = f"potten «{parent.name}»" if parent else "rammen"
                blame = next((k for k in reversed(pcts) if k.source != "config"), pcts[-1])
                self.add(
                    "config.percent_sum",
                    f"Prosentene under {label} summerer til {format_fraction(total)} %, over 100 % "
                    f"({', '.join(f'{k.name} {format_fraction(k.percent or 0)} %' for k in pcts)}).",
                    "Rett prosentene så de blir høyst 100 til sammen.",
                    self.at(blame, "percent"),
                    format_fraction(total),
                )

    def amounts(self) -> None:
        """Top down, as the walk will go: every parent large enough, all its money taken."""
        cfg = self.config
        by_key = {name_key(p.name): p for p in cfg.pots}
        stack: list[tuple[str | None, int]] = [(None, cfg.frame or 0)]
        while stack:
            parent, amount = stack.pop()
            pot = by_key.get(name_key(parent)) if parent else None
            label = f"Potten «{parent}»" if parent else ROOT
            plan = plan_children(cfg, self.counts, parent, amount)
            if plan.rest < 0:
                self.add(
                    "config.frame_too_small",
                    f"{label} er {kroner_in_text(amount)}, men de faste og prosentvise pottene under den er "
                    f"til sammen {kroner_in_text(amount - plan.rest)}.",
                    "Øk beløpet eller reduser de faste beløpene under den.",
                    self.at_parent(pot),
                    amount,
                )
                continue
            if plan.unassigned:
                self.add(
                    "config.unassigned_rest",
                    f"{kroner_in_text(plan.unassigned)} under {label} går ikke til noen pott.",
                    "Legg til en pott med rest = true, eller rett beløpene så de går opp.",
                    self.at_parent(pot),
                    plan.unassigned,
                )
            if plan.ratio_split is not None and plan.rest > 0 and all(s.weight == 0 for s in plan.ratio_split.shares):
                self.zero_counts("counts.zero_ratio", f"alle pottene under {label}", plan.rest)
            for kid in cfg.children(parent):
                kid_amount = plan.amount_of(kid)
                if cfg.children(kid.name):
                    stack.append((kid.name, kid_amount))
                elif kid.spread == "key" and kid.key is not None and kid.size != "per_network" and kid_amount > 0:
                    if all(key_weight(kid.key, self.counts.totals[n]) == 0 for n in self.counts.networks):
                        self.zero_counts(
                            "counts.zero_key", f"nøkkelen til «{kid.name}» ({kid.key.describe()})", kid_amount
                        )

    def zero_counts(self, code: str, what: str, amount: int) -> None:
        self.add(
            code,
            f"Tellingene gir 0 for {what}, så {kroner_in_text(amount)} kan ikke fordeles.",
            "Fyll inn tallene i telleboka, eller sjekk at kolonnene har tall.",
            {"file": self.counts.file, "sheet": "Tall"},
        )


def _describe(place: dict[str, str]) -> str:
    return ", ".join(x for x in (place.get("file", ""), place.get("sheet", ""), place.get("cell", "")) if x)


def check_rules(config: Config, counts: Counts) -> list[Finding]:
    """Every rule of the pot tree on the final configuration: errors and warnings, all at once."""
    rules = _Rules(config, counts)
    if rules.frame():
        rules.names()
        rules.pots()
        rules.percentages()
        if not any(f.severity == ERROR for f in rules.findings):
            rules.amounts()
    return rules.findings


def raise_for_errors(findings: list[Finding]) -> list[Finding]:
    """Raise ConfigError (configuration rules) or InputErrors (counts) for errors; return the rest."""
    errors = [f for f in findings if f.severity == ERROR]
    config_errors = [f for f in errors if f.code.startswith("config.")]
    if config_errors:
        raise ConfigError(config_errors)
    if errors:
        raise InputErrors(errors)
    return findings
