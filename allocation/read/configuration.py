"""The county's model as a TOML file: a tree of pots.

Loading is strict: unknown keys (with the closest valid one suggested), wrong
types, negative amounts, percentages of one parent that do not add up to 100
and missing input files are all reported at once as a ``ConfigError``
(exit status 2). The syntax is documented in README.md.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..model.config import INPUT_KEYS, KEY_KEYS, RUN_KEYS, TOP_KEYS, ApplicationRules, Config, Key, Pot
from ..model.findings import ConfigError
from .config_pots import bare_tree, check_depth, check_tree, parse_pot
from .config_reports import reports_rules
from .config_scenarios import apply_scenario, scenario_names
from .config_statistics import membership_inputs, statistics_sources
from .config_years import commitment_rule, parse_years
from .snapshot import read_bytes
from .toml_values import (
    IN_MEMORY,
    ON_DISK,
    Paths,
    Problems,
    applications_rules,
    input_path,
    parse_columns,
    parse_kroner,
    parse_table,
    parse_text,
)

MAX_POTS = 1000  # real models have tens of pots
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
        message, fix = _syntax_error(str(exc), raw_text)
    except RecursionError:
        message, fix = "Konfigurasjonen har lister eller tabeller nøstet for dypt i hverandre.", "Rett opp filen."
    except (ValueError, MemoryError) as exc:
        message, fix = f"Konfigurasjonen kan ikke leses ({exc}).", "Sjekk tall med svært mange sifre."
    p.add("config.syntax", "", message, fix)
    raise ConfigError(p.items) from None


_TOML_AT = re.compile(r"^(?P<what>.*?) \(at line (?P<line>\d+), column (?P<col>\d+)\)$", re.S)
_TOML_NO = {  # tomllib's words, as an officer reads them
    "Expected newline or end of document after a statement": "noe står etter verdien på linjen",
    "Invalid value": "verdien kan ikke leses",
    "Invalid statement": "linjen er ikke en gyldig innstilling",
    "Cannot overwrite a value": "den samme nøkkelen står to ganger",
    "Cannot declare": "den samme tabellen står to ganger",
    "Unclosed array": "en liste mangler ]",
    "Unterminated string": "en tekst mangler avsluttende anførselstegn",
    "Illegal character": "linjen har et tegn som ikke er tillatt",
    "Expected '=' after a key in a key/value pair": "det mangler = mellom nøkkel og verdi",
}


def _syntax_error(text: str, raw_text: str) -> tuple[str, str]:
    """A TOML syntax error in Norwegian, with a hint that fits what is on the line."""
    m = _TOML_AT.match(text)
    what, line_no = (m.group("what"), int(m.group("line"))) if m else (text, 0)
    said = next((no for en, no in _TOML_NO.items() if what.startswith(en)), None)
    lines = raw_text.splitlines()
    line = lines[line_no - 1].strip() if 0 < line_no <= len(lines) else ""
    value = line.split("=", 1)[1].split("#", 1)[0].strip() if "=" in line else ""
    shown_line = " ".join(line.split())[:80]
    where = f" på linje {line_no}" + (f" («{shown_line}»)" if line else "") if line_no else ""
    message = f"Konfigurasjonen er ikke gyldig TOML{where}: {said or what}."
    if re.fullmatch(r"[+-]?\d{1,3}( \d{3})+", value):
        fix = f"Skriv tall uten mellomrom, eller med understrek som tusenskille: {value.replace(' ', '_')}."
    elif re.fullmatch(r"[+-]?\d+,\d+", value):
        fix = f"Bruk punktum som desimaltegn i konfigurasjonen: {value.replace(',', '.')}."
    elif value and not value.startswith(('"', "'", "[", "{")) and re.search(r"[^\W\d_]", value):
        fix = f'Tekst skal stå i anførselstegn: "{value}".'
    else:
        fix = "Rett linjen som nevnes (se eksemplene i brukerveiledningen)."
    return message, fix


def _counted_from(
    p: Problems, base_dir: Path, inputs: dict[str, Any], data: dict[str, Any], overrides: dict[str, Any], paths: Paths
) -> dict[str, Any]:
    """``[inputs] membership``, the municipality code list and ``[[statistics]]``: the Config fields."""
    membership, municipalities, municipality_changes = membership_inputs(p, base_dir, inputs, overrides, paths)
    statistics = statistics_sources(p, base_dir, data.get("statistics"), overrides, paths)
    if data.get("statistics") is not None and membership is None:
        p.add(
            "statistics.no_membership",
            "inputs.membership",
            "Tall fra statistikk ([[statistics]]) summeres per nettverk gjennom arket «Medlemskap», "
            "men [inputs] har ingen membership.",
            'Legg til membership = "medlemskap.xlsx" under [inputs].',
        )
    return {
        "membership": membership,
        "municipalities": municipalities,
        "municipality_changes": municipality_changes,
        "statistics": statistics,
    }


def parse_config(
    text: str,
    base_dir: Path,
    *,
    name: str = "konfigurasjon.toml",
    overrides: dict[str, Any] | None = None,
    scenario: str | None = None,
    paths: Paths = IN_MEMORY,
) -> Config:
    """The configuration in ``text``, checked. Raises ``ConfigError`` with every problem.

    Pure: input paths are joined to ``base_dir`` but nothing is opened or looked up
    (``load_config`` passes ``paths=ON_DISK`` to resolve them and report missing files).
    ``name`` is the file name findings refer to. ``overrides`` replaces the input files by
    role (``counts``, ``parameters``, ``applications``, ``previous``): ``verify`` uses it
    to re-run from a run folder's own copies. ``scenario`` puts one ``[[scenario]]`` in.
    """
    overrides = overrides or {}
    base_dir = Path(base_dir)
    p = Problems(name)
    raw_text = text.replace("\r\n", "\n").replace("\r", "\n")  # as text mode reads it
    data = _parse_toml(p, raw_text)
    p.unknown_keys(data, TOP_KEYS, "konfigurasjonen")
    names = scenario_names(p, data.get("scenario"))
    if scenario is not None:
        data = apply_scenario(p, data, scenario)
    run = parse_table(p, "run", data.get("run"))
    p.unknown_keys(run, RUN_KEYS, "[run]")
    inputs = parse_table(p, "inputs", data.get("inputs"))
    p.unknown_keys(inputs, INPUT_KEYS, "[inputs]")
    unit, frame = _unit(p, run), parse_kroner(p, "run.frame", run["frame"]) if "frame" in run else None
    has_statistics = data.get("statistics") is not None
    counts, parameters, previous = _inputs(p, base_dir, inputs, overrides, paths, counts_required=not has_statistics)
    counted = _counted_from(p, base_dir, inputs, data, overrides, paths)  # membership and [[statistics]]
    keys = _keys(p, data.get("keys"))
    app_table = parse_table(p, "applications", data.get("applications"))
    app_rules = applications_rules(p, base_dir, app_table, keys, overrides, paths)
    years = parse_years(p, base_dir, inputs, run, overrides, paths)  # commitments across years
    app_rules = commitment_rule(p, app_table, app_rules)
    reports = reports_rules(p, base_dir, parse_table(p, "reports", data.get("reports")), overrides, paths)
    pots = _pots(p, data.get("pot", []), keys)
    check_tree(p, pots, frame_given="frame" in run or parameters is not None or years["first_round"] is not None)
    app_rules = _redistribution_key(p, app_rules, pots)
    letters = None
    if data.get("letters") is not None:  # the letters' modules are loaded only when a run has [letters]
        from .letters_config import parse_letters

        letters = parse_letters(p, base_dir, data["letters"], overrides, paths, deferred=parameters is not None)
    if p.items:
        raise ConfigError(p.items)
    path = base_dir / name
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
        pots=tuple(pots),
        note=parse_text(p, "run.note", run.get("note")),
        raw_text=raw_text,
        applications=app_rules,
        previous_run=previous,
        scenario=scenario,
        scenarios=tuple(names),
        reports=reports,
        counts_given="counts" in inputs or "counts" in overrides,
        **counted,
        **years,
        letters=letters,
    )


def load_config(path: str | Path, overrides: dict[str, Any] | None = None, scenario: str | None = None) -> Config:
    """Read a configuration file (through the run's snapshot) and check it, its input files
    included. Raises ``ConfigError``."""
    path = Path(path)
    p = Problems(path.name)
    try:
        text = read_bytes(path).decode("utf-8")  # the same bytes go to the run folder's copy
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
    config = parse_config(text, path.parent, name=path.name, overrides=overrides, scenario=scenario, paths=ON_DISK)
    return replace(config, path=path)


def _unit(p: Problems, run: dict[str, Any]) -> int:
    """The rounding unit in kroner (1 unless given)."""
    if "unit" not in run:
        return 1
    u = parse_kroner(p, "run.unit", run["unit"])
    if u == 0:
        p.add(
            "config.unit",
            "run.unit",
            "Avrundingsenheten kan ikke være 0.",
            "Bruk 1 for hele kroner eller f.eks. 1000.",
        )
    return u or 1


def _inputs(
    p: Problems,
    base: Path,
    inputs: dict[str, Any],
    overrides: dict[str, Any],
    paths: Paths,
    counts_required: bool = True,
) -> tuple[Path, Path | None, Path | None]:
    """The counts workbook, the parameters workbook and last year's run, from ``[inputs]``."""
    counts_text = parse_text(p, "inputs.counts", inputs.get("counts"), required=counts_required)
    counts = input_path(p, base, "inputs.counts", counts_text, overrides.get("counts"), paths) if counts_text else base
    params_text = parse_text(p, "inputs.parameters", inputs.get("parameters"))
    parameters = (
        input_path(p, base, "inputs.parameters", params_text, overrides.get("parameters"), paths)
        if params_text
        else None
    )
    previous_text = parse_text(p, "inputs.previous_run", inputs.get("previous_run"))
    if "previous" in overrides:
        return counts, parameters, overrides["previous"]
    if not previous_text:
        return counts, parameters, None
    candidate = paths.resolve(base / previous_text)
    previous = candidate / "manifest.json" if paths.is_dir(candidate) else candidate
    if not paths.is_file(previous):
        p.add(
            "config.input_missing",
            "inputs.previous_run",
            f"Finner ikke kjøringen «{previous_text}» (ingen manifest.json i {candidate}).",
            "Skriv stien til mappen for fjorårets kjøring, regnet fra mappen konfigurasjonen ligger i.",
            previous_text,
        )
    return counts, parameters, previous


def _keys(p: Problems, raw: Any) -> dict[str, Key]:
    """The named count keys of ``[keys]``."""
    keys: dict[str, Key] = {}
    for kname, ktable in parse_table(p, "keys", raw).items():
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
    return keys


def _pots(p: Problems, pot_list: Any, keys: dict[str, Key]) -> list[Pot]:
    """Every ``[[pot]]`` that could be read; a list too long to be a model stops here."""
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
        check_depth(p, *bare_tree(pot_list))  # a chain or a loop is still named, without parsing every pot
        raise ConfigError(p.items)
    pots = [parse_pot(p, i, raw, keys) for i, raw in enumerate(pot_list, start=1)]
    return [pot for pot in pots if pot is not None]


def _redistribution_key(p: Problems, rules: ApplicationRules | None, pots: list[Pot]) -> ApplicationRules | None:
    """Redistribution without a key named takes the one key the leaves use, if there is one."""
    if rules is None or rules.policy != "redistribute" or rules.redistribution_key is not None:
        return rules
    key_leaves = [pot.key for pot in pots if pot.spread == "key" and pot.key is not None]
    if len({k.describe() for k in key_leaves}) == 1:
        return replace(rules, redistribution_key=key_leaves[0])
    p.add(
        "config.missing",
        "applications.redistribution_key",
        "Omfordeling trenger en nøkkel, og modellen har ikke én entydig.",
        'Skriv redistribution_key = "navn" under [applications].',
    )
    return rules
