"""The ``[[pot]]`` tables of a configuration: each pot parsed, then the tree judged.

Every problem is added to the ``Problems`` of the configuration, so that all
of them are reported at once.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from fractions import Fraction
from typing import Any

from ..model.config import POT_KEYS, RESERVED_NAMES, SIZE_KEYS, SPREADS, Key, Pot, bare_name
from ..model.formatting import format_fraction
from ..model.names import duplicates, name_key, shown
from .toml_values import Problems, check_name, parse_key, parse_kroner, parse_number, parse_table, parse_text

ROOT_NAME = RESERVED_NAMES[0]
MAX_DEPTH = 50  # real trees are three or four levels deep


# --- one pot ---------------------------------------------------------------------------


def parse_pot(p: Problems, index: int, raw: Any, keys: dict[str, Key]) -> Pot | None:
    """One ``[[pot]]`` table as a Pot, or None when it has no usable name."""
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
    size = _size(p, where, raw)
    pot = Pot(name=name, parent=_parent(p, where, raw), size=size, note=parse_text(p, f"{where}.note", raw.get("note")))
    pot = _sized(p, where, raw, pot, keys)
    if "extra" in raw or "column" in raw:
        pot = _extra(p, where, raw, pot)
    return _leaf(p, where, raw, pot, keys)


def _size(p: Problems, where: str, raw: dict[str, Any]) -> str:
    """Which of amount, percent, ratio, rest or per_network the pot is sized by."""
    sizes = [k for k in SIZE_KEYS if k in raw]
    if len(sizes) > 1:
        p.add(
            "config.size_conflict",
            where,
            f"{where} har flere størrelser ({', '.join(sizes)}).",
            "Bruk én av amount, percent, ratio, rest eller per_network.",
        )
    return sizes[0] if sizes else "parameters"


def _parent(p: Problems, where: str, raw: dict[str, Any]) -> str | None:
    parent = parse_text(p, f"{where}.parent", raw.get("parent")) or None
    if parent is not None and bare_name(parent) == bare_name(ROOT_NAME):
        p.add(
            "config.reserved_name",
            f"{where}.parent",
            f"{where} har parent «{parent}», men «{ROOT_NAME}» er selve rammen, ikke en pott.",
            "Fjern parent: en pott uten parent ligger rett under rammen.",
            parent,
        )
        return None
    return parent


def _sized(p: Problems, where: str, raw: dict[str, Any], pot: Pot, keys: dict[str, Key]) -> Pot:
    """The pot with the value of its size key put in."""
    if pot.size == "amount":
        return replace(pot, amount=parse_kroner(p, f"{where}.amount", raw["amount"]))
    if pot.size == "percent":
        pct = parse_number(p, f"{where}.percent", raw["percent"], too_large="config.percent_range")
        if pct is not None and pct > 100:
            p.add(
                "config.percent_range",
                f"{where}.percent",
                f"{where}: prosent over 100 ({raw['percent']}).",
                "",
                raw["percent"],
            )
        return replace(pot, percent=pct)
    if pot.size == "ratio":
        return replace(pot, ratio=parse_key(p, f"{where}.ratio", raw["ratio"], keys))
    if pot.size == "rest" and raw["rest"] is not True:
        p.add("config.type", f"{where}.rest", f"{where}: rest må være true.", "Skriv rest = true.", raw["rest"])
    elif pot.size == "per_network":
        return replace(pot, per_network=parse_kroner(p, f"{where}.per_network", raw["per_network"]), spread="flat")
    return pot


def _extra(p: Problems, where: str, raw: dict[str, Any], pot: Pot) -> Pot:
    """``extra`` (more to some networks) and ``column`` of a per_network pot."""
    if pot.size != "per_network":
        p.add("config.extra_without_flat", where, f"{where}: extra og column gjelder bare potter med per_network.")
    extra = []
    extra_table = parse_table(p, f"{where}.extra", raw.get("extra"))
    for net, amt in extra_table.items():
        a = parse_kroner(p, f'{where}.extra."{net}"', amt)
        if a is not None:
            extra.append((net, a))
    twice(p, f"{where}.extra", extra_table, "nettverket")
    return replace(pot, extra=tuple(extra), column=parse_text(p, f"{where}.column", raw.get("column")) or None)


def _leaf(p: Problems, where: str, raw: dict[str, Any], pot: Pot, keys: dict[str, Key]) -> Pot:
    """Where a leaf's money goes: a named recipient, or spread over the networks."""
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
    if pot.size == "per_network":
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
    return replace(pot, recipient=recipient, spread=spread, key=_leaf_key(p, where, raw, spread, keys))


def _leaf_key(p: Problems, where: str, raw: dict[str, Any], spread: str | None, keys: dict[str, Key]) -> Key | None:
    if spread == "key":
        if "key" in raw:
            return parse_key(p, f"{where}.key", raw["key"], keys)
        p.add(
            "config.missing",
            f"{where}.key",
            f'{where} har spread = "key", men mangler key.',
            'Legg til key = "navn" eller key = { "Barn i barnehage" = 1 }.',
        )
    elif "key" in raw:
        p.add(
            "config.key_without_spread",
            f"{where}.key",
            f'{where} har key, men ikke spread = "key".',
            'Legg til spread = "key" eller fjern key.',
        )
    return None


def twice(p: Problems, where: str, table: dict[str, Any], what: str) -> None:
    """Keys of one TOML table that fold to one name (case, spaces, invisible characters)."""
    for (a, _), (b, _) in duplicates((k, None) for k in table):
        p.add(
            "config.duplicate_name",
            f'{where}."{b}"',
            f"{where} nevner {what} to ganger: «{shown(a)}» og «{shown(b)}» er samme navn.",
            "Skriv navnet bare én gang; det er ikke gitt hvilken verdi som skal gjelde.",
            b,
        )


# --- the tree --------------------------------------------------------------------------


def check_tree(p: Problems, pots: list[Pot], frame_given: bool) -> None:
    """The shape of the tree: one name per pot, known parents, no loops, and under each
    parent sizes that can be shared out."""
    seen = _unique_names(p, pots)
    _known_parents(p, pots, seen)
    check_depth(p, pots, seen)
    _inner_leaves(p, pots)
    groups: dict[str | None, list[Pot]] = {}
    for pot in pots:
        groups.setdefault(name_key(pot.parent) if pot.parent else None, []).append(pot)
    for parent, kids in groups.items():
        label = "rammen" if parent is None else f"potten «{seen[parent].name}»" if parent in seen else str(parent)
        _siblings(p, label, kids)
    if not pots:
        p.add("config.no_pots", "pot", "Konfigurasjonen har ingen potter.", "Legg til minst én [[pot]].")
    if not frame_given:
        p.add(
            "config.no_frame",
            "run.frame",
            "Rammen mangler.",
            "Skriv frame = beløp under [run], eller hent den fra parameterarbeidsboka (arket «Ramme»).",
        )


def _unique_names(p: Problems, pots: list[Pot]) -> dict[str, Pot]:
    """Each pot by its folded name; a second pot of the same name is reported and left out."""
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
    return seen


def _known_parents(p: Problems, pots: list[Pot], seen: dict[str, Pot]) -> None:
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


def _inner_leaves(p: Problems, pots: list[Pot]) -> None:
    """A pot with children hands its money on; it cannot also have a recipient or spread."""
    parents = {name_key(q.parent) for q in pots if q.parent}
    for pot in pots:
        where = f"pot «{pot.name}»"
        if name_key(pot.name) in parents and (pot.recipient or pot.spread):
            p.add(
                "config.inner_leaf",
                where,
                f"{where} har underpotter og kan ikke også ha recipient/spread.",
                "Flytt recipient/spread til en underpott.",
            )


def _siblings(p: Problems, label: str, kids: list[Pot]) -> None:
    """The pots under one parent: at most one way to take the rest, percentages to 100."""
    pcts = [k.percent for k in kids if k.size == "percent" and k.percent is not None]
    rests = [k for k in kids if k.size == "rest"]
    ratios = [k for k in kids if k.size == "ratio"]
    if len(rests) > 1:
        p.add(
            "config.two_rests", label, f"Mer enn én pott under {label} har rest = true.", "Bare én pott kan ta resten."
        )
    if rests and ratios:
        p.add(
            "config.rest_and_ratio",
            label,
            f"Under {label} deler både rest og ratio resten.",
            "Bruk enten én rest-pott eller ratio-potter.",
        )
    total_pct = sum(pcts, Fraction(0))
    fixed = [k for k in kids if k.size in ("amount", "per_network", "parameters")]
    if pcts and not (rests or ratios) and not fixed and total_pct != 100:
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


def bare_tree(pot_list: list[Any]) -> tuple[list[Pot], dict[str, Pot]]:
    """Only names and parents, for judging the shape of a tree too large to parse in full."""
    pots = [
        Pot(str(raw.get("name")), str(raw["parent"]) if "parent" in raw else None, "")
        for raw in pot_list
        if isinstance(raw, dict)
    ]
    return pots, {name_key(q.name): q for q in pots}


def check_depth(p: Problems, pots: list[Pot], by_key: dict[str, Pot]) -> None:
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
