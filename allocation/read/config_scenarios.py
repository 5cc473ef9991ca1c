"""``[[scenario]]`` tables: alternatives to the base model, each run as its own configuration."""

from __future__ import annotations

import copy
import difflib
from typing import Any

from ..model.config import SCENARIO_KEYS, SCENARIO_RUN_KEYS, SIZE_KEYS
from ..model.findings import ConfigError
from ..model.names import name_key
from .config_pots import twice
from .toml_values import Problems, parse_table


def scenario_names(p: Problems, raw: Any) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        p.add("config.type", "scenario", "Scenarier skrives som [[scenario]]-tabeller.")
        return []
    names: list[str] = []
    for i, sc in enumerate(raw, start=1):
        where = f"scenario[{i}]"
        if not isinstance(sc, dict) or not isinstance(sc.get("name"), str) or not sc["name"].strip():
            p.add("config.missing", f"{where}.name", f"{where} mangler name.", 'Skriv name = "Grunntilskudd 300 000".')
            continue
        p.unknown_keys(sc, SCENARIO_KEYS, f"[[scenario]] «{sc['name']}»")
        if name_key(sc["name"]) in map(name_key, names):
            p.add(
                "config.duplicate_scenario",
                where,
                f"To scenarier heter «{sc['name']}».",
                "Gi hvert scenario et eget navn.",
            )
        names.append(sc["name"])
    return names


def apply_scenario(p: Problems, data: dict[str, Any], scenario: str) -> dict[str, Any]:
    """The configuration with one scenario's alternative values put in (a deep copy)."""
    data = copy.deepcopy(data)
    chosen = next(
        (
            s
            for s in data.get("scenario", [])
            if isinstance(s, dict) and name_key(str(s.get("name", ""))) == name_key(scenario)
        ),
        None,
    )
    if chosen is None:
        p.add("config.unknown_scenario", "scenario", f"Scenariet «{scenario}» finnes ikke.", "Sjekk navnet.", scenario)
        raise ConfigError(p.items)
    where = f"[[scenario]] «{chosen['name']}»"
    run_changes = parse_table(p, f"{where}.run", chosen.get("run"))
    p.unknown_keys(run_changes, SCENARIO_RUN_KEYS, f"{where}.run")
    data.setdefault("run", {}).update(run_changes)
    if "name" not in run_changes:
        data["run"]["name"] = f"{data['run'].get('name', '')} – {chosen['name']}".strip(" –")
    pots = {name_key(str(pot.get("name", ""))): pot for pot in data.get("pot", []) if isinstance(pot, dict)}
    changed = parse_table(p, f"{where}.pots", chosen.get("pots"))
    twice(p, f"{where}.pots", changed, "potten")
    for pot_name, changes in changed.items():
        changes = parse_table(p, f"{where}.pots.{pot_name}", changes)
        target = pots.get(name_key(pot_name))
        if target is None:
            close = difflib.get_close_matches(pot_name, [str(x.get("name")) for x in pots.values()], n=1, cutoff=0.6)
            p.add(
                "config.unknown_pot",
                f"{where}.pots",
                f"{where} endrer potten «{pot_name}», som ikke finnes.",
                f"Mente du «{close[0]}»?" if close else "Skriv navnet på en pott.",
                pot_name,
            )
            continue
        if any(k in SIZE_KEYS for k in changes):
            for k in SIZE_KEYS:
                target.pop(k, None)
        target.update(changes)
    data.pop("scenario", None)
    return data
