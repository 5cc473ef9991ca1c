"""The county's model as a TOML file: a tree of pots.

Loading is strict: unknown keys (with the closest valid one suggested), wrong
types, negative amounts, percentages of one parent that do not add up to 100
and missing input files are all reported at once as a ``ConfigError``
(exit status 2). The syntax is documented in README.md.
"""

from __future__ import annotations

import datetime as dt
import difflib
import tomllib
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from .findings import ERROR, ConfigError, Finding
from .money import name_key

COUNT_COLUMNS = ("Barn i barnehage", "Elever i grunnskolen", "Elever og lærlinger i vgs")

TOP_KEYS = {"run", "inputs", "keys", "pot", "applications"}
RUN_KEYS = {"name", "county", "year", "unit", "frame", "frame_note", "note"}
INPUT_KEYS = {"counts", "parameters"}
KEY_KEYS = {"columns", "note"}
POT_KEYS = {
    "name", "parent", "note",
    "amount", "percent", "ratio", "rest", "per_network", "extra", "column",
    "recipient", "spread", "key",
}
SIZE_KEYS = ("amount", "percent", "ratio", "rest", "per_network")
APP_KEYS = {"files", "folder", "policy", "redistribution_key", "fund", "deadline", "max_coordination_share",
            "multiple_per_network", "note"}
POLICIES = ("redistribute", "hold_back")
FUND_RULES = ("report", "deduct")
SPREADS = ("key", "flat")


@dataclass(frozen=True)
class Key:
    """A weighted count key, e.g. barn + elever + vgs with weights 1, 1, 1."""

    name: str
    weights: tuple[tuple[str, Fraction], ...]
    note: str = ""

    def describe(self) -> str:
        parts = []
        for col, w in self.weights:
            parts.append(col if w == 1 else f"{_fmt_fraction(w)} × {col}")
        return " + ".join(parts)


@dataclass(frozen=True)
class Pot:
    """One node of the pot tree.

    ``size`` is how the pot gets its money from its parent: ``amount`` (fixed
    kroner), ``percent`` (of the parent), ``ratio`` (count-ratio share of what
    the parent has left after fixed and percentage pots), ``rest`` (all that
    is left) or ``per_network`` (a flat amount per network, with extras).
    A leaf goes to a named ``recipient`` or is spread over the networks
    (``spread`` = ``key`` or ``flat``).
    """

    name: str
    parent: str | None
    size: str
    amount: int | None = None
    percent: Fraction | None = None
    ratio: Key | None = None
    per_network: int | None = None
    extra: tuple[tuple[str, int], ...] = ()
    column: str | None = None
    recipient: str | None = None
    spread: str | None = None
    key: Key | None = None
    note: str = ""
    source: str = "config"  # where the amount was decided: config or parameters workbook
    network_amounts: tuple[tuple[str, int, str], ...] = ()  # from the Nettverk sheet


@dataclass(frozen=True)
class ApplicationRules:
    """How applications are read and granted (section [applications])."""

    files: tuple[Path, ...]
    folder: Path | None
    policy: str = "redistribute"  # unused frame: "redistribute" (omfordeling) or "hold_back"
    redistribution_key: Key | None = None
    fund: str = "report"  # unspent money on fund: "report" only, or "deduct" from the payout
    deadline: dt.date | None = None
    max_coordination_share: Fraction = Fraction(20)
    multiple_per_network: bool = False
    note: str = ""


@dataclass(frozen=True)
class Config:
    path: Path
    name: str
    county: str
    year: int | None
    unit: int
    frame: int | None
    frame_note: str
    counts: Path
    parameters: Path | None
    keys: dict[str, Key]
    pots: tuple[Pot, ...]
    note: str = ""
    raw_text: str = field(default="", repr=False)
    applications: ApplicationRules | None = None

    @property
    def input_files(self) -> list[Path]:
        files = [self.counts]
        if self.parameters is not None:
            files.append(self.parameters)
        return files

    def children(self, parent: str | None) -> list[Pot]:
        return [p for p in self.pots if p.parent == parent]

    def count_columns(self) -> list[str]:
        """Every count column a key or ratio refers to, fixed ones first."""
        cols = list(COUNT_COLUMNS)
        for pot in self.pots:
            for key in (pot.ratio, pot.key):
                for col, _ in key.weights if key else ():
                    if col not in cols:
                        cols.append(col)
        return cols

    def with_pots(self, pots: list[Pot], frame: int | None, frame_note: str) -> Config:
        return replace(self, pots=tuple(pots), frame=frame, frame_note=frame_note)


class _Problems:
    """Collects configuration findings so that all are reported at once."""

    def __init__(self, file: str):
        self.file = file
        self.items: list[Finding] = []

    def add(self, code: str, key: str, message: str, fix: str = "", value: Any = "") -> None:
        self.items.append(
            Finding(code, ERROR, message, file=self.file, cell=key, value=str(value), fix=fix)
        )

    def unknown_keys(self, table: dict[str, Any], allowed: set[str], where: str) -> None:
        for k in table:
            if k not in allowed:
                close = difflib.get_close_matches(k, sorted(allowed), n=1, cutoff=0.6)
                hint = f"Mente du «{close[0]}»?" if close else (
                    "Gyldige nøkler: " + ", ".join(sorted(allowed)) + "."
                )
                self.add("config.unknown_key", f"{where}.{k}", f"Ukjent nøkkel «{k}» i {where}.", hint, k)


def _fmt_fraction(f: Fraction) -> str:
    if f.denominator == 1:
        return str(f.numerator)
    return str(Decimal(f.numerator) / Decimal(f.denominator)).replace(".", ",")


def _whole_kroner(p: _Problems, where: str, value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        p.add("config.type", where, f"{where} må være et beløp i hele kroner, fant «{value}».",
              "Skriv beløpet som et heltall, f.eks. 400000 eller 400_000.", value)
        return None
    if isinstance(value, Decimal) and value != value.to_integral_value():
        p.add("config.not_whole", where, f"{where} må være hele kroner, fant «{value}».",
              "Fjern desimalene.", value)
        return None
    if value < 0:
        p.add("config.negative", where, f"{where} kan ikke være negativt ({value}).",
              "Skriv et beløp som er 0 eller større.", value)
        return None
    return int(value)


def _number(p: _Problems, where: str, value: Any) -> Fraction | None:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        p.add("config.type", where, f"{where} må være et tall, fant «{value}».", "Skriv et tall, f.eks. 70.", value)
        return None
    if value < 0:
        p.add("config.negative", where, f"{where} kan ikke være negativt ({value}).", "", value)
        return None
    return Fraction(value)


def _text(p: _Problems, where: str, value: Any, required: bool = False) -> str:
    if value is None:
        if required:
            p.add("config.missing", where, f"{where} mangler.", f"Legg til {where} = \"…\".")
        return ""
    if not isinstance(value, str):
        p.add("config.type", where, f"{where} må være tekst i anførselstegn, fant «{value}».", "", value)
        return ""
    return value


def _table(p: _Problems, where: str, value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        p.add("config.type", where, f"{where} må være en tabell ([{where}]).", "", value)
        return {}
    return value


def _key(p: _Problems, where: str, value: Any, keys: dict[str, Key]) -> Key | None:
    """A key is the name of a [keys.NAME] table or an inline {column = weight} table."""
    if isinstance(value, str):
        for k in keys.values():
            if name_key(k.name) == name_key(value):
                return k
        close = difflib.get_close_matches(value, sorted(keys), n=1, cutoff=0.6)
        p.add("config.unknown_count_key", where, f"{where} viser til nøkkelen «{value}», som ikke finnes under [keys].",
              f"Mente du «{close[0]}»?" if close else "Definer den under [keys.NAVN] eller skriv kolonnene direkte.",
              value)
        return None
    if isinstance(value, dict):
        return _columns(p, where, value, name=where)
    p.add("config.type", where, f"{where} må være navnet på en nøkkel eller en tabell {{ \"Kolonne\" = vekt }}.", "", value)
    return None


def _columns(p: _Problems, where: str, value: dict[str, Any], name: str, note: str = "") -> Key | None:
    if not value:
        p.add("config.empty_key", where, f"{where} har ingen kolonner.", "Skriv minst én tellekolonne med vekt.")
        return None
    weights = []
    for col, w in value.items():
        weight = _number(p, f"{where}.\"{col}\"", w)
        if weight is not None:
            weights.append((col, weight))
    if weights and all(w == 0 for _, w in weights):
        p.add("config.zero_key", where, f"Alle vektene i {where} er 0.", "Minst én vekt må være større enn 0.")
    return Key(name, tuple(weights), note) if len(weights) == len(value) else None


def load_config(path: str | Path, overrides: dict[str, Path] | None = None) -> Config:
    """Read and check a configuration file. Raises ``ConfigError``.

    ``overrides`` replaces the input files by role (``counts``, ``parameters``):
    ``verify`` uses it to re-run from a run folder's own copies.
    """
    overrides = overrides or {}
    path = Path(path)
    p = _Problems(path.name)
    try:
        raw_text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        p.add("config.not_found", "", f"Finner ikke konfigurasjonsfilen {path}.", "Sjekk stien og filnavnet.")
        raise ConfigError(p.items) from None
    except (OSError, UnicodeDecodeError) as exc:
        p.add("config.unreadable", "", f"Kan ikke lese konfigurasjonsfilen {path} ({exc}).",
              "Lagre filen som UTF-8-tekst.")
        raise ConfigError(p.items) from None
    try:
        data = tomllib.loads(raw_text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        p.add("config.syntax", "", f"Konfigurasjonen er ikke gyldig TOML: {exc}.",
              "Rett linjen som nevnes; tekst skal stå i anførselstegn.")
        raise ConfigError(p.items) from None

    p.unknown_keys(data, TOP_KEYS, "konfigurasjonen")
    run = _table(p, "run", data.get("run"))
    p.unknown_keys(run, RUN_KEYS, "[run]")
    inputs = _table(p, "inputs", data.get("inputs"))
    p.unknown_keys(inputs, INPUT_KEYS, "[inputs]")

    unit = 1
    if "unit" in run:
        u = _whole_kroner(p, "run.unit", run["unit"])
        if u == 0:
            p.add("config.unit", "run.unit", "Avrundingsenheten kan ikke være 0.", "Bruk 1 for hele kroner eller f.eks. 1000.")
        elif u is not None:
            unit = u
    frame = _whole_kroner(p, "run.frame", run["frame"]) if "frame" in run else None

    base = path.parent
    counts_text = _text(p, "inputs.counts", inputs.get("counts"), required=True)
    counts = _input_path(p, base, "inputs.counts", counts_text, overrides.get("counts")) if counts_text else base
    params_text = _text(p, "inputs.parameters", inputs.get("parameters"))
    parameters = (_input_path(p, base, "inputs.parameters", params_text, overrides.get("parameters"))
                  if params_text else None)

    keys: dict[str, Key] = {}
    for kname, ktable in _table(p, "keys", data.get("keys")).items():
        ktable = _table(p, f"keys.{kname}", ktable)
        p.unknown_keys(ktable, KEY_KEYS, f"[keys.{kname}]")
        cols = ktable.get("columns")
        if not isinstance(cols, dict):
            p.add("config.missing", f"keys.{kname}.columns", f"[keys.{kname}] mangler columns = {{ \"Kolonne\" = vekt }}.")
            continue
        key = _columns(p, f"keys.{kname}.columns", cols, kname, _text(p, f"keys.{kname}.note", ktable.get("note")))
        if key:
            keys[kname] = key

    app_rules = _applications(p, base, _table(p, "applications", data.get("applications")), keys, overrides)
    pot_list = data.get("pot", [])
    if not isinstance(pot_list, list):
        p.add("config.type", "pot", "Potter skrives som [[pot]]-tabeller.", "")
        pot_list = []
    pots = [_pot(p, i, raw, keys) for i, raw in enumerate(pot_list, start=1)]
    pots_ok = [pot for pot in pots if pot is not None]
    _check_tree(p, pots_ok, frame_given=frame is not None or parameters is not None)
    if app_rules is not None and app_rules.policy == "redistribute" and app_rules.redistribution_key is None:
        key_leaves = [pot.key for pot in pots_ok if pot.spread == "key" and pot.key is not None]
        if len({k.describe() for k in key_leaves}) == 1:
            app_rules = replace(app_rules, redistribution_key=key_leaves[0])
        else:
            p.add("config.missing", "applications.redistribution_key",
                  "Omfordeling trenger en nøkkel, og modellen har ikke én entydig.",
                  "Skriv redistribution_key = \"navn\" under [applications].")
    if p.items:
        raise ConfigError(p.items)
    return Config(
        path=path,
        name=_text(p, "run.name", run.get("name")) or path.stem,
        county=_text(p, "run.county", run.get("county")),
        year=int(run["year"]) if isinstance(run.get("year"), int) else None,
        unit=unit,
        frame=frame,
        frame_note=_text(p, "run.frame_note", run.get("frame_note")),
        counts=counts,
        parameters=parameters,
        keys=keys,
        pots=tuple(pots_ok),
        note=_text(p, "run.note", run.get("note")),
        raw_text=raw_text,
        applications=app_rules,
    )


def _applications(p: _Problems, base: Path, table: dict[str, Any], keys: dict[str, Key],
                  overrides: dict[str, Any]) -> ApplicationRules | None:
    if not table:
        return None
    p.unknown_keys(table, APP_KEYS, "[applications]")
    files: list[Path] = []
    raw_files = table.get("files", [])
    if isinstance(raw_files, str):
        raw_files = [raw_files]
    if not isinstance(raw_files, list):
        p.add("config.type", "applications.files", "files må være en liste med filnavn.", "Skriv files = [\"søknad.xlsx\"].")
        raw_files = []
    folder = None
    if "applications" in overrides:
        files = list(overrides["applications"])
    else:
        for i, text in enumerate(raw_files):
            t = _text(p, f"applications.files[{i + 1}]", text)
            if t:
                files.append(_input_path(p, base, f"applications.files[{i + 1}]", t))
        folder_text = _text(p, "applications.folder", table.get("folder"))
        if folder_text:
            folder = (base / folder_text).resolve()
            if not folder.is_dir():
                p.add("config.input_missing", "applications.folder", f"Finner ikke mappen «{folder_text}» ({folder}).",
                      "Stier regnes fra mappen konfigurasjonen ligger i.", folder_text)
        if not files and not folder_text:
            p.add("config.missing", "applications", "[applications] må ha files eller folder.",
                  "Skriv files = [\"søknader.xlsx\"] eller folder = \"søknader\".")
    policy = _text(p, "applications.policy", table.get("policy")) or "redistribute"
    if policy not in POLICIES:
        p.add("config.policy", "applications.policy", f"Ukjent policy «{policy}».",
              "Bruk \"redistribute\" (omfordeling) eller \"hold_back\" (holdes tilbake).", policy)
    fund = _text(p, "applications.fund", table.get("fund")) or "report"
    if fund not in FUND_RULES:
        p.add("config.fund", "applications.fund", f"Ukjent regel for fond «{fund}».",
              "Bruk \"report\" (bare vis) eller \"deduct\" (trekk fra utbetalingen).", fund)
    deadline = table.get("deadline")
    if deadline is not None and not (isinstance(deadline, dt.date) and not isinstance(deadline, dt.datetime)):
        p.add("config.type", "applications.deadline", "deadline må være en dato, f.eks. deadline = 2025-02-01.", "", deadline)
        deadline = None
    share = Fraction(20)
    if "max_coordination_share" in table:
        share = _number(p, "applications.max_coordination_share", table["max_coordination_share"]) or Fraction(0)
    multiple = table.get("multiple_per_network", False)
    if not isinstance(multiple, bool):
        p.add("config.type", "applications.multiple_per_network", "multiple_per_network må være true eller false.", "", multiple)
        multiple = False
    key = _key(p, "applications.redistribution_key", table["redistribution_key"], keys) \
        if "redistribution_key" in table else None
    return ApplicationRules(tuple(files), folder, policy, key, fund, deadline, share, multiple,
                            _text(p, "applications.note", table.get("note")))


def _input_path(p: _Problems, base: Path, where: str, text: str, override: Path | None = None) -> Path:
    candidate = override if override is not None else (base / text).resolve()
    if not candidate.is_file():
        p.add("config.input_missing", where, f"Finner ikke filen «{text}» som {where} viser til ({candidate}).",
              "Stier regnes fra mappen konfigurasjonen ligger i. Sjekk navnet og at filen finnes.", text)
    return candidate


def _pot(p: _Problems, index: int, raw: Any, keys: dict[str, Key]) -> Pot | None:
    where = f"pot[{index}]"
    if not isinstance(raw, dict):
        p.add("config.type", where, "Hver pott skrives som en [[pot]]-tabell.")
        return None
    name = _text(p, f"{where}.name", raw.get("name"), required=True)
    if name:
        where = f"pot «{name}»"
    p.unknown_keys(raw, POT_KEYS, where)
    sizes = [k for k in SIZE_KEYS if k in raw]
    if len(sizes) > 1:
        p.add("config.size_conflict", where, f"{where} har flere størrelser ({', '.join(sizes)}).",
              "Bruk én av amount, percent, ratio, rest eller per_network.")
    size = sizes[0] if sizes else "parameters"
    pot = Pot(name=name, parent=_text(p, f"{where}.parent", raw.get("parent")) or None, size=size,
              note=_text(p, f"{where}.note", raw.get("note")))
    if size == "amount":
        pot = replace(pot, amount=_whole_kroner(p, f"{where}.amount", raw["amount"]))
    elif size == "percent":
        pct = _number(p, f"{where}.percent", raw["percent"])
        if pct is not None and pct > 100:
            p.add("config.percent_range", f"{where}.percent", f"{where}: prosent over 100 ({raw['percent']}).", "", raw["percent"])
        pot = replace(pot, percent=pct)
    elif size == "ratio":
        pot = replace(pot, ratio=_key(p, f"{where}.ratio", raw["ratio"], keys))
    elif size == "rest" and raw["rest"] is not True:
        p.add("config.type", f"{where}.rest", f"{where}: rest må være true.", "Skriv rest = true.", raw["rest"])
    elif size == "per_network":
        pot = replace(pot, per_network=_whole_kroner(p, f"{where}.per_network", raw["per_network"]), spread="flat")
    if "extra" in raw or "column" in raw:
        if size != "per_network":
            p.add("config.extra_without_flat", where, f"{where}: extra og column gjelder bare potter med per_network.")
        extra = []
        for net, amt in _table(p, f"{where}.extra", raw.get("extra")).items():
            a = _whole_kroner(p, f"{where}.extra.\"{net}\"", amt)
            if a is not None:
                extra.append((net, a))
        pot = replace(pot, extra=tuple(extra), column=_text(p, f"{where}.column", raw.get("column")) or None)

    recipient = _text(p, f"{where}.recipient", raw.get("recipient")) or None
    spread = _text(p, f"{where}.spread", raw.get("spread")) or None
    if spread is not None and spread not in SPREADS:
        p.add("config.spread", f"{where}.spread", f"{where}: ukjent spread «{spread}».",
              "Bruk spread = \"key\" (pro rata etter en tellenøkkel) eller \"flat\" (likt per nettverk).", spread)
    if size == "per_network":
        if spread not in (None, "flat") or recipient:
            p.add("config.flat_leaf", where, f"{where}: per_network fordeles alltid likt på nettverkene.",
                  "Fjern spread/recipient.")
        spread = "flat"
    if recipient and spread:
        p.add("config.leaf_conflict", where, f"{where} har både recipient og spread.", "Velg én av dem.")
    key = None
    if spread == "key":
        if "key" not in raw:
            p.add("config.missing", f"{where}.key", f"{where} har spread = \"key\", men mangler key.",
                  "Legg til key = \"navn\" eller key = { \"Barn i barnehage\" = 1 }.")
        else:
            key = _key(p, f"{where}.key", raw["key"], keys)
    elif "key" in raw:
        p.add("config.key_without_spread", f"{where}.key", f"{where} har key, men ikke spread = \"key\".",
              "Legg til spread = \"key\" eller fjern key.")
    return replace(pot, recipient=recipient, spread=spread, key=key)


def _check_tree(p: _Problems, pots: list[Pot], frame_given: bool) -> None:
    seen: dict[str, Pot] = {}
    for pot in pots:
        k = name_key(pot.name)
        if k in seen:
            p.add("config.duplicate_pot", f"pot «{pot.name}»", f"To potter heter «{pot.name}».", "Gi hver pott et eget navn.")
        seen[k] = pot
    for pot in pots:
        if pot.parent is not None and name_key(pot.parent) not in seen:
            close = difflib.get_close_matches(pot.parent, [q.name for q in pots], n=1, cutoff=0.6)
            p.add("config.unknown_parent", f"pot «{pot.name}».parent",
                  f"Potten «{pot.name}» har parent «{pot.parent}», som ikke finnes.",
                  f"Mente du «{close[0]}»?" if close else "Parent må være navnet på en annen pott.", pot.parent)
    # cycles
    for pot in pots:
        hops, cur = 0, pot
        while cur.parent is not None and hops <= len(pots):
            nxt = seen.get(name_key(cur.parent))
            if nxt is None:
                break
            cur, hops = nxt, hops + 1
        if hops > len(pots):
            p.add("config.cycle", f"pot «{pot.name}».parent", f"Potten «{pot.name}» ligger i en sirkel av parent-er.", "")
    parents = {name_key(q.parent) for q in pots if q.parent}
    for pot in pots:
        has_children = name_key(pot.name) in parents
        where = f"pot «{pot.name}»"
        if has_children and (pot.recipient or pot.spread):
            p.add("config.inner_leaf", where, f"{where} har underpotter og kan ikke også ha recipient/spread.",
                  "Flytt recipient/spread til en underpott.")
    groups: dict[str | None, list[Pot]] = {}
    for pot in pots:
        groups.setdefault(name_key(pot.parent) if pot.parent else None, []).append(pot)
    for parent, kids in groups.items():
        label = "rammen" if parent is None else f"potten «{seen[parent].name}»" if parent in seen else str(parent)
        pcts = [k.percent for k in kids if k.size == "percent" and k.percent is not None]
        rests = [k for k in kids if k.size == "rest"]
        ratios = [k for k in kids if k.size == "ratio"]
        if len(rests) > 1:
            p.add("config.two_rests", label, f"Mer enn én pott under {label} har rest = true.", "Bare én pott kan ta resten.")
        if rests and ratios:
            p.add("config.rest_and_ratio", label, f"Under {label} deler både rest og ratio resten.",
                  "Bruk enten én rest-pott eller ratio-potter.")
        total_pct = sum(pcts, Fraction(0))
        takes_rest = bool(rests or ratios)
        fixed = [k for k in kids if k.size in ("amount", "per_network", "parameters")]
        if pcts and not takes_rest and not fixed and total_pct != 100:
            p.add("config.percent_sum", label,
                  f"Prosentene under {label} summerer til {_fmt_fraction(total_pct)} %, ikke 100 %.",
                  "Rett prosentene så de blir 100 til sammen, eller legg til en pott med rest = true.",
                  _fmt_fraction(total_pct))
        elif total_pct > 100:
            p.add("config.percent_sum", label,
                  f"Prosentene under {label} summerer til {_fmt_fraction(total_pct)} %, over 100 %.",
                  "Rett prosentene.", _fmt_fraction(total_pct))
    if not pots:
        p.add("config.no_pots", "pot", "Konfigurasjonen har ingen potter.", "Legg til minst én [[pot]].")
    if not frame_given:
        p.add("config.no_frame", "run.frame", "Rammen mangler.",
              "Skriv frame = beløp under [run], eller hent den fra parameterarbeidsboka (arket «Ramme»).")
