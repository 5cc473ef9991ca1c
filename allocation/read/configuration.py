"""The county's model as a TOML file: a tree of pots.

Loading is strict: unknown keys (with the closest valid one suggested), wrong
types, negative amounts, percentages of one parent that do not add up to 100
and missing input files are all reported at once as a ``ConfigError``
(exit status 2). The syntax is documented in README.md.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..model.config import (  # noqa: F401  (re-exported: the configuration's public names)
    APP_KEYS,
    COUNT_COLUMNS,
    FUND_RULES,
    INPUT_KEYS,
    KEY_KEYS,
    POLICIES,
    POT_KEYS,
    RESERVED_NAMES,
    RUN_KEYS,
    SCENARIO_KEYS,
    SCENARIO_RUN_KEYS,
    SIZE_KEYS,
    SPREADS,
    TOP_KEYS,
    ApplicationRules,
    Config,
    Key,
    Pot,
    bare_name,
)
from ..model.findings import ConfigError
from ..model.formatting import format_fraction
from ..model.names import duplicates, name_key, shown
from .snapshot import read_bytes
from .toml_values import (
    Problems,
    applications_rules,
    check_name,
    input_path,
    parse_columns,
    parse_key,
    parse_kroner,
    parse_number,
    parse_table,
    parse_text,
)

ROOT_NAME = RESERVED_NAMES[0]
MAX_POTS = 1000  # real models have tens of pots
MAX_DEPTH = 50  # real trees are three or four levels deep
_LONG_INT = re.compile(r"(?<![\w.])([+-]?)\d[\d_]{300,}(?![\w.])")


def _parse_toml(p: Problems, raw_text: str) -> dict[str, Any]:
    """The TOML as a dict, or a ConfigError: never a crash on a hostile file.

    An integer too long for Python's int() is put back as a still-absurd number of
    20 digits, so the key it stands under is reported as too large, with its name."""
    try:
        try:
            return tomllib.loads(raw_text, parse_float=Decimal)
        except ValueError as exc:
            if isinstance(exc, tomllib.TOMLDecodeError) or not _LONG_INT.search(raw_text):
                raise
            return tomllib.loads(_LONG_INT.sub(r"\g<1>99999999999999999999", raw_text), parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        message, fix = (
            f"Konfigurasjonen er ikke gyldig TOML: {exc}.",
            "Rett linjen som nevnes; tekst skal stå i anførselstegn.",
        )
    except RecursionError:
        message, fix = "Konfigurasjonen har lister eller tabeller nøstet for dypt i hverandre.", "Rett opp filen."
    except (ValueError, MemoryError) as exc:
        message, fix = f"Konfigurasjonen kan ikke leses ({exc}).", "Sjekk tall med svært mange sifre."
    p.add("config.syntax", "", message, fix)
    raise ConfigError(p.items) from None


def load_config(path: str | Path, overrides: dict[str, Any] | None = None, scenario: str | None = None) -> Config:
    """Read and check a configuration file. Raises ``ConfigError``.

    ``overrides`` replaces the input files by role (``counts``, ``parameters``):
    ``verify`` uses it to re-run from a run folder's own copies.
    """
    overrides = overrides or {}
    path = Path(path)
    p = Problems(path.name)
    try:
        text = read_bytes(path).decode("utf-8")  # the same bytes go to the run folder's copy
        raw_text = text.replace("\r\n", "\n").replace("\r", "\n")  # as text mode reads it
    except FileNotFoundError:
        p.add("config.not_found", "", f"Finner ikke konfigurasjonsfilen {path}.", "Sjekk stien og filnavnet.")
        raise ConfigError(p.items) from None
    except (OSError, UnicodeDecodeError) as exc:
        p.add(
            "config.unreadable",
            "",
            f"Kan ikke lese konfigurasjonsfilen {path} ({exc}).",
            "Lagre filen som UTF-8-tekst.",
        )
        raise ConfigError(p.items) from None
    data = _parse_toml(p, raw_text)

    p.unknown_keys(data, TOP_KEYS, "konfigurasjonen")
    scenario_names = _scenario_names(p, data.get("scenario"))
    if scenario is not None:
        data = apply_scenario(p, data, scenario)
    run = parse_table(p, "run", data.get("run"))
    p.unknown_keys(run, RUN_KEYS, "[run]")
    inputs = parse_table(p, "inputs", data.get("inputs"))
    p.unknown_keys(inputs, INPUT_KEYS, "[inputs]")

    unit = 1
    if "unit" in run:
        u = parse_kroner(p, "run.unit", run["unit"])
        if u == 0:
            p.add(
                "config.unit",
                "run.unit",
                "Avrundingsenheten kan ikke være 0.",
                "Bruk 1 for hele kroner eller f.eks. 1000.",
            )
        elif u is not None:
            unit = u
    frame = parse_kroner(p, "run.frame", run["frame"]) if "frame" in run else None

    base = path.parent
    counts_text = parse_text(p, "inputs.counts", inputs.get("counts"), required=True)
    counts = input_path(p, base, "inputs.counts", counts_text, overrides.get("counts")) if counts_text else base
    params_text = parse_text(p, "inputs.parameters", inputs.get("parameters"))
    parameters = (
        input_path(p, base, "inputs.parameters", params_text, overrides.get("parameters")) if params_text else None
    )

    previous_text = parse_text(p, "inputs.previous_run", inputs.get("previous_run"))
    previous = None
    if "previous" in overrides:
        previous = overrides["previous"]
    elif previous_text:
        candidate = (base / previous_text).resolve()
        previous = candidate / "manifest.json" if candidate.is_dir() else candidate
        if not previous.is_file():
            p.add(
                "config.input_missing",
                "inputs.previous_run",
                f"Finner ikke kjøringen «{previous_text}» (ingen manifest.json i {candidate}).",
                "Skriv stien til mappen for fjorårets kjøring, regnet fra mappen konfigurasjonen ligger i.",
                previous_text,
            )

    keys: dict[str, Key] = {}
    for kname, ktable in parse_table(p, "keys", data.get("keys")).items():
        ktable = parse_table(p, f"keys.{kname}", ktable)
        p.unknown_keys(ktable, KEY_KEYS, f"[keys.{kname}]")
        cols = ktable.get("columns")
        if not isinstance(cols, dict):
            p.add(
                "config.missing", f"keys.{kname}.columns", f'[keys.{kname}] mangler columns = {{ "Kolonne" = vekt }}.'
            )
            continue
        key = parse_columns(
            p, f"keys.{kname}.columns", cols, kname, parse_text(p, f"keys.{kname}.note", ktable.get("note"))
        )
        if key:
            keys[kname] = key

    app_rules = applications_rules(p, base, parse_table(p, "applications", data.get("applications")), keys, overrides)
    pot_list = data.get("pot", [])
    if not isinstance(pot_list, list):
        p.add("config.type", "pot", "Potter skrives som [[pot]]-tabeller.", "")
        pot_list = []
    if len(pot_list) > MAX_POTS:
        p.add(
            "config.too_many_pots",
            "pot",
            f"Konfigurasjonen har {len(pot_list)} potter; mer enn {MAX_POTS} er ikke en fordelingsmodell.",
            "Sjekk om filen er laget av et program som har gått i løkke.",
            len(pot_list),
        )
        _check_depth(p, *_bare_tree(pot_list))  # a chain or a loop is still named, without parsing every pot
        raise ConfigError(p.items)
    pots = [_pot(p, i, raw, keys) for i, raw in enumerate(pot_list, start=1)]
    pots_ok = [pot for pot in pots if pot is not None]
    _check_tree(p, pots_ok, frame_given="frame" in run or parameters is not None)
    if app_rules is not None and app_rules.policy == "redistribute" and app_rules.redistribution_key is None:
        key_leaves = [pot.key for pot in pots_ok if pot.spread == "key" and pot.key is not None]
        if len({k.describe() for k in key_leaves}) == 1:
            app_rules = replace(app_rules, redistribution_key=key_leaves[0])
        else:
            p.add(
                "config.missing",
                "applications.redistribution_key",
                "Omfordeling trenger en nøkkel, og modellen har ikke én entydig.",
                'Skriv redistribution_key = "navn" under [applications].',
            )
    if p.items:
        raise ConfigError(p.items)
    return Config(
        path=path,
        name=parse_text(p, "run.name", run.get("name")) or path.stem,
        county=parse_text(p, "run.county", run.get("county")),
        year=int(run["year"]) if isinstance(run.get("year"), int) else None,
        unit=unit,
        frame=frame,
        frame_note=parse_text(p, "run.frame_note", run.get("frame_note")),
        counts=counts,
        parameters=parameters,
        keys=keys,
        pots=tuple(pots_ok),
        note=parse_text(p, "run.note", run.get("note")),
        raw_text=raw_text,
        applications=app_rules,
        previous_run=previous,
        scenario=scenario,
        scenarios=tuple(scenario_names),
    )


def _pot(p: Problems, index: int, raw: Any, keys: dict[str, Key]) -> Pot | None:
    where = f"pot[{index}]"
    if not isinstance(raw, dict):
        p.add("config.type", where, "Hver pott skrives som en [[pot]]-tabell.")
        return None
    name = parse_text(p, f"{where}.name", raw.get("name"), required=True)
    if isinstance(raw.get("name"), str) and not check_name(p, f"{where}.name", name):
        return None
    if name:
        where = f"pot «{name}»"
    p.unknown_keys(raw, POT_KEYS, where)
    sizes = [k for k in SIZE_KEYS if k in raw]
    if len(sizes) > 1:
        p.add(
            "config.size_conflict",
            where,
            f"{where} har flere størrelser ({', '.join(sizes)}).",
            "Bruk én av amount, percent, ratio, rest eller per_network.",
        )
    size = sizes[0] if sizes else "parameters"
    parent = parse_text(p, f"{where}.parent", raw.get("parent")) or None
    if parent is not None and bare_name(parent) == bare_name(ROOT_NAME):
        p.add(
            "config.reserved_name",
            f"{where}.parent",
            f"{where} har parent «{parent}», men «{ROOT_NAME}» er selve rammen, ikke en pott.",
            "Fjern parent: en pott uten parent ligger rett under rammen.",
            parent,
        )
        parent = None
    pot = Pot(
        name=name,
        parent=parent,
        size=size,
        note=parse_text(p, f"{where}.note", raw.get("note")),
    )
    if size == "amount":
        pot = replace(pot, amount=parse_kroner(p, f"{where}.amount", raw["amount"]))
    elif size == "percent":
        pct = parse_number(p, f"{where}.percent", raw["percent"], too_large="config.percent_range")
        if pct is not None and pct > 100:
            p.add(
                "config.percent_range",
                f"{where}.percent",
                f"{where}: prosent over 100 ({raw['percent']}).",
                "",
                raw["percent"],
            )
        pot = replace(pot, percent=pct)
    elif size == "ratio":
        pot = replace(pot, ratio=parse_key(p, f"{where}.ratio", raw["ratio"], keys))
    elif size == "rest" and raw["rest"] is not True:
        p.add("config.type", f"{where}.rest", f"{where}: rest må være true.", "Skriv rest = true.", raw["rest"])
    elif size == "per_network":
        pot = replace(pot, per_network=parse_kroner(p, f"{where}.per_network", raw["per_network"]), spread="flat")
    if "extra" in raw or "column" in raw:
        if size != "per_network":
            p.add("config.extra_without_flat", where, f"{where}: extra og column gjelder bare potter med per_network.")
        extra = []
        extra_table = parse_table(p, f"{where}.extra", raw.get("extra"))
        for net, amt in extra_table.items():
            a = parse_kroner(p, f'{where}.extra."{net}"', amt)
            if a is not None:
                extra.append((net, a))
        _twice(p, f"{where}.extra", extra_table, "nettverket")
        pot = replace(pot, extra=tuple(extra), column=parse_text(p, f"{where}.column", raw.get("column")) or None)

    recipient = parse_text(p, f"{where}.recipient", raw.get("recipient")) or None
    spread = parse_text(p, f"{where}.spread", raw.get("spread")) or None
    if spread is not None and spread not in SPREADS:
        p.add(
            "config.spread",
            f"{where}.spread",
            f"{where}: ukjent spread «{spread}».",
            'Bruk spread = "key" (pro rata etter en tellenøkkel) eller "flat" (likt per nettverk).',
            spread,
        )
    if size == "per_network":
        if spread not in (None, "flat") or recipient:
            p.add(
                "config.flat_leaf",
                where,
                f"{where}: per_network fordeles alltid likt på nettverkene.",
                "Fjern spread/recipient.",
            )
        spread = "flat"
    if recipient and spread:
        p.add("config.leaf_conflict", where, f"{where} har både recipient og spread.", "Velg én av dem.")
    key = None
    if spread == "key":
        if "key" not in raw:
            p.add(
                "config.missing",
                f"{where}.key",
                f'{where} har spread = "key", men mangler key.',
                'Legg til key = "navn" eller key = { "Barn i barnehage" = 1 }.',
            )
        else:
            key = parse_key(p, f"{where}.key", raw["key"], keys)
    elif "key" in raw:
        p.add(
            "config.key_without_spread",
            f"{where}.key",
            f'{where} har key, men ikke spread = "key".',
            'Legg til spread = "key" eller fjern key.',
        )
    return replace(pot, recipient=recipient, spread=spread, key=key)


def _check_tree(p: Problems, pots: list[Pot], frame_given: bool) -> None:
    seen: dict[str, Pot] = {}
    for pot in pots:
        k = name_key(pot.name)
        if k in seen:
            same = (
                "" if seen[k].name == pot.name else f" («{shown(seen[k].name)}» og «{shown(pot.name)}» er samme navn)"
            )
            p.add(
                "config.duplicate_pot",
                f"pot «{pot.name}»",
                f"To potter heter «{shown(pot.name)}»{same}.",
                "Gi hver pott et eget navn.",
                pot.name,
            )
            continue
        seen[k] = pot
    suggestions = 20  # difflib is slow; a hostile file may have a thousand unknown parents
    for pot in pots:
        if pot.parent is not None and name_key(pot.parent) not in seen:
            suggestions -= 1
            close = (
                difflib.get_close_matches(pot.parent, [q.name for q in pots], n=1, cutoff=0.6)
                if suggestions > 0
                else []
            )
            p.add(
                "config.unknown_parent",
                f"pot «{pot.name}».parent",
                f"Potten «{pot.name}» har parent «{pot.parent}», som ikke finnes.",
                f"Mente du «{close[0]}»?" if close else "Parent må være navnet på en annen pott.",
                pot.parent,
            )
    _check_depth(p, pots, seen)
    parents = {name_key(q.parent) for q in pots if q.parent}
    for pot in pots:
        has_children = name_key(pot.name) in parents
        where = f"pot «{pot.name}»"
        if has_children and (pot.recipient or pot.spread):
            p.add(
                "config.inner_leaf",
                where,
                f"{where} har underpotter og kan ikke også ha recipient/spread.",
                "Flytt recipient/spread til en underpott.",
            )
    groups: dict[str | None, list[Pot]] = {}
    for pot in pots:
        groups.setdefault(name_key(pot.parent) if pot.parent else None, []).append(pot)
    for parent, kids in groups.items():
        label = "rammen" if parent is None else f"potten «{seen[parent].name}»" if parent in seen else str(parent)
        pcts = [k.percent for k in kids if k.size == "percent" and k.percent is not None]
        rests = [k for k in kids if k.size == "rest"]
        ratios = [k for k in kids if k.size == "ratio"]
        if len(rests) > 1:
            p.add(
                "config.two_rests",
                label,
                f"Mer enn én pott under {label} har rest = true.",
                "Bare én pott kan ta resten.",
            )
        if rests and ratios:
            p.add(
                "config.rest_and_ratio",
                label,
                f"Under {label} deler både rest og ratio resten.",
                "Bruk enten én rest-pott eller ratio-potter.",
            )
        total_pct = sum(pcts, Fraction(0))
        takes_rest = bool(rests or ratios)
        fixed = [k for k in kids if k.size in ("amount", "per_network", "parameters")]
        if pcts and not takes_rest and not fixed and total_pct != 100:
            p.add(
                "config.percent_sum",
                label,
                f"Prosentene under {label} summerer til {format_fraction(total_pct)} %, ikke 100 %.",
                "Rett prosentene så de blir 100 til sammen, eller legg til en pott med rest = true.",
                format_fraction(total_pct),
            )
        elif total_pct > 100:
            p.add(
                "config.percent_sum",
                label,
                f"Prosentene under {label} summerer til {format_fraction(total_pct)} %, over 100 %.",
                "Rett prosentene.",
                format_fraction(total_pct),
            )
    if not pots:
        p.add("config.no_pots", "pot", "Konfigurasjonen har ingen potter.", "Legg til minst én [[pot]].")
    if not frame_given:
        p.add(
            "config.no_frame",
            "run.frame",
            "Rammen mangler.",
            "Skriv frame = beløp under [run], eller hent den fra parameterarbeidsboka (arket «Ramme»).",
        )


def _twice(p: Problems, where: str, table: dict[str, Any], what: str) -> None:
    """Keys of one TOML table that fold to one name (case, spaces, invisible characters)."""
    for (a, _), (b, _) in duplicates((k, None) for k in table):
        p.add(
            "config.duplicate_name",
            f'{where}."{b}"',
            f"{where} nevner {what} to ganger: «{shown(a)}» og «{shown(b)}» er samme navn.",
            "Skriv navnet bare én gang; det er ikke gitt hvilken verdi som skal gjelde.",
            b,
        )


def _bare_tree(pot_list: list[Any]) -> tuple[list[Pot], dict[str, Pot]]:
    """Only names and parents, for judging the shape of a tree too large to parse in full."""
    pots = [
        Pot(str(raw.get("name")), str(raw["parent"]) if "parent" in raw else None, "")
        for raw in pot_list
        if isinstance(raw, dict)
    ]
    return pots, {name_key(q.name): q for q in pots}


def _check_depth(p: Problems, pots: list[Pot], by_key: dict[str, Pot]) -> None:
    """Cycles of parents and trees deeper than MAX_DEPTH, found in one pass (no recursion)."""
    depth: dict[str, int] = {}  # name_key -> levels below the frame; -1 while being followed
    for start in pots:
        path: list[Pot] = []
        cur: Pot | None = start
        while cur is not None and name_key(cur.name) not in depth:
            depth[name_key(cur.name)] = -1
            path.append(cur)
            cur = by_key.get(name_key(cur.parent)) if cur.parent else None
        if cur is not None and depth[name_key(cur.name)] == -1:  # came back to a pot on this path
            loop = [q.name for q in path[[name_key(q.name) for q in path].index(name_key(cur.name)) :]]
            p.add(
                "config.cycle",
                f"pot «{cur.name}».parent",
                f"Potten «{cur.name}» ligger i en sirkel av parent-er ({' → '.join(loop)} → {cur.name}).",
                "Minst én pott i sirkelen må ligge rett under rammen eller under en annen pott.",
            )
            for q in path:
                depth[name_key(q.name)] = 0
            continue
        below = depth[name_key(cur.name)] if cur is not None else 0
        for q in reversed(path):
            below += 1
            depth[name_key(q.name)] = below
            if below == MAX_DEPTH + 1:
                p.add(
                    "config.too_deep",
                    f"pot «{q.name}».parent",
                    f"Potten «{q.name}» ligger {below} nivåer under rammen; mer enn {MAX_DEPTH} er ikke en "
                    "fordelingsmodell.",
                    "Sjekk parent-kjeden; vanlige modeller har tre eller fire nivåer.",
                )


def _scenario_names(p: Problems, raw: Any) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        p.add("config.type", "scenario", "Scenarier skrives som [[scenario]]-tabeller.")
        return []
    names = []
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
    import copy

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
    _twice(p, f"{where}.pots", changed, "potten")
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
