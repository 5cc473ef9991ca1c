"""Readers -> validated tables -> allocate: the one path every command takes.

No printing and no exiting here; problems are raised as ``ConfigError``
(exit 2) or ``InputErrors`` (exit 1) carrying every finding.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .allocate.pots import allocate
from .allocate.rules import check_rules, raise_for_errors
from .model.applications import Application
from .model.config import Config
from .model.counts import Counts
from .model.findings import ERROR, ConfigError, Finding, InputErrors
from .model.names import slug
from .model.result import Allocation
from .read.applications import list_application_files, read_applications
from .read.apply_parameters import apply_parameters
from .read.configuration import load_config
from .read.counts import read_counts
from .read.letters_languages import Languages, read_languages
from .read.letters_sheet import apply_letter_sheet
from .read.parameters import read_parameters
from .read.snapshot import Snapshot, read_bytes, using


@dataclass
class Prepared:
    """Everything read and checked, ready for ``allocate``."""

    config: Config
    counts: Counts
    findings: list[Finding] = field(default_factory=list)  # warnings and notes
    applications: list[Application] | None = None
    application_files: list[Path] = field(default_factory=list)
    previous: dict[str, int] | None = None  # last year's frame per network, by name
    previous_name: str = ""
    snapshot: Snapshot = field(default_factory=Snapshot, repr=False)  # the bytes every input was read from
    application_names: list[str] = field(default_factory=list)  # as findings and sheets show them
    languages: Languages | None = None  # each recipient's written standard, with [letters]

    def input_files(self) -> list[tuple[str, Path]]:
        files = [("counts", self.config.counts)]
        if self.config.parameters is not None:
            files.append(("parameters", self.config.parameters))
        files += [("applications", p) for p in self.application_files]
        if self.config.previous_run is not None:
            files.append(("previous", self.config.previous_run))
        if self.config.letters is not None:  # the county's own letter templates
            files += [(f"letter_template:{name}", path) for name, path in self.config.letters.templates]
        return files


def prepare(
    config_path: str | Path,
    overrides: dict[str, Any] | None = None,
    scenario: str | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    snapshot: Snapshot | None = None,
) -> Prepared:
    """Load the configuration and read every input it names.

    ``overrides`` replaces input paths by role (``counts``, ``parameters``),
    which is how ``verify`` re-runs from a run folder's own copies. Every file
    is read once, through ``snapshot`` (a new one unless given: scenarios share
    the base run's), so the run folder's copies are the bytes the numbers came from.
    """
    snapshot = snapshot if snapshot is not None else Snapshot()
    with using(snapshot):
        prepared = _prepare(config_path, overrides, scenario, progress)
    prepared.snapshot = snapshot
    return prepared


def _prepare(
    config_path: str | Path,
    overrides: dict[str, Any] | None,
    scenario: str | None,
    progress: Callable[[int, int, str], None] | None,
) -> Prepared:
    config = load_config(config_path, overrides, scenario)
    findings: list[Finding] = []
    counts, found = read_counts(config.counts, config.counts.name, config.count_columns())
    missing = [f for f in found if f.code == "config.key_column_missing"]
    if missing:  # a key names a column the sheet does not have
        raise ConfigError(
            [
                Finding(
                    f.code,
                    ERROR,
                    f"En nøkkel i konfigurasjonen viser til kolonnen «{f.expected}», som ikke finnes i "
                    f"{f.file}, ark «{f.sheet}» (overskriftene er {f.value}).",
                    file=config.path.name,
                    cell="keys",
                    value=f.expected,
                    fix="Rett kolonnenavnet i nøkkelen, eller legg til kolonnen i telleboka.",
                )
                for f in missing
            ]
        )
    findings += found
    params = None
    if config.parameters is not None:
        params, found = read_parameters(config.parameters, config.parameters.name)
        findings += found
    apps, app_files, app_names = None, [], []
    if config.applications is not None:
        rules = config.applications
        listed, notes = list_application_files(list(rules.files), rules.folder)
        if overrides and "shown_as" in overrides:  # verify: the names and notes of the original run
            listed = [(p, overrides["shown_as"].get(p, shown)) for p, shown in listed]
            notes = list(overrides.get("listing_notes", notes))
        app_files, app_names = [p for p, _ in listed], [shown for _, shown in listed]
        apps, found = read_applications(listed, progress)
        findings += notes + found
        from .check.applications import check_applications  # python-stdnum: only when applications are read

        if counts is not None:
            findings += check_applications(apps, counts.networks, rules, config.counts.name)
    previous, previous_name = None, ""
    if config.previous_run is not None:
        previous, previous_name, found = read_previous(config.previous_run)
        findings += found
    languages = None
    if config.letters is not None and counts is not None:
        config, found = apply_letter_sheet(config)  # the decision's metadata from sheet «Brev»
        findings += found
        languages = read_languages(config, apps)
        findings += languages.findings
        from .read.letters_template import check_template  # docxtpl: only when letters are written

        for standard, path in config.letters.templates if config.letters else ():
            findings += check_template(path, standard, f"letters.templates.{standard}")
    if any(f.severity == ERROR for f in findings) or counts is None:
        raise InputErrors(findings)
    if params is not None:
        config = apply_parameters(config, params, counts.networks)
    findings += raise_for_errors(check_rules(config, counts))
    return Prepared(
        config,
        counts,
        findings,
        apps,
        app_files,
        previous,
        previous_name,
        application_names=app_names,
        languages=languages,
    )


def read_previous(path: Path) -> tuple[dict[str, int] | None, str, list[Finding]]:
    """Each network's frame (granted, when applications were read) in an earlier run's manifest."""
    import json

    try:
        data = json.loads(read_bytes(path).decode("utf-8"))
        nets = {n["name"]: int(n["granted"] if n.get("granted") is not None else n["frame"]) for n in data["networks"]}
        return nets, str(data.get("name", path.parent.name)), []
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return (
            None,
            "",
            [
                Finding(
                    "previous.unreadable",
                    ERROR,
                    f"Fjorårets manifest.json kan ikke leses ({exc}).",
                    file=path.name,
                    fix="Pek på mappen til en fullført kjøring.",
                )
            ],
        )


def run(
    config_path: str | Path,
    overrides: dict[str, Any] | None = None,
    scenario: str | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    snapshot: Snapshot | None = None,
) -> tuple[Prepared, Allocation]:
    prepared = prepare(config_path, overrides, scenario, progress, snapshot)
    result = allocate(prepared.config, prepared.counts, prepared.applications)
    if prepared.applications is not None:
        from .check.applications import check_against_frames

        frames = {n: result.network_frame(n) for n in result.networks}
        prepared.findings += check_against_frames(prepared.applications, frames)
    return prepared, result


def run_all(
    config_path: str | Path, progress: Callable[[int, int, str], None] | None = None
) -> tuple[Prepared, Allocation, list[tuple[str, Prepared, Allocation]]]:
    """The base case and every scenario the configuration declares, all in memory: what
    ``run`` needs to succeed before it writes anything, and what ``validate`` checks."""
    prepared, result = run(config_path, progress=progress)
    scenarios = prepare_scenarios(config_path, prepared) if prepared.config.scenarios else []
    return prepared, result, scenarios


def folder_clashes(names: tuple[str, ...] | list[str], file: str) -> list[Finding]:
    """Scenarios whose names give one folder name (``names.slug``): each pair, named."""
    first: dict[str, tuple[int, str]] = {}
    out = []
    for i, name in enumerate(names, start=1):
        key = slug(name)
        if key in first:
            j, other = first[key]
            out.append(
                Finding(
                    "config.scenario_folder_clash",
                    ERROR,
                    f"Scenariene «{other}» (scenario[{j}]) og «{name}» (scenario[{i}]) får samme mappenavn "
                    f"(«…-{key}»), så kjøremappene deres kan ikke skilles.",
                    file=file,
                    cell=f"scenario[{i}].name",
                    value=name,
                    expected="navn som skiller seg i bokstaver eller tall",
                    fix="Gi scenariene navn som er ulike også uten tegnsetting, store/små bokstaver og æøå.",
                )
            )
        else:
            first[key] = (i, name)
    return out


def prepare_scenarios(config_path: str | Path, base: Prepared) -> list[tuple[str, Prepared, Allocation]]:
    """Every declared scenario read and allocated from the base run's bytes, before anything is written.

    All problems of all scenarios are gathered and raised together (``ConfigError`` if any is a
    configuration problem, else ``InputErrors``), each message naming its scenario, so that
    either every folder can be written or none is.
    """
    clashes = folder_clashes(base.config.scenarios, base.config.path.name)
    if clashes:
        raise ConfigError(clashes)
    done: list[tuple[str, Prepared, Allocation]] = []
    config_problems: list[Finding] = []
    input_problems: list[Finding] = []
    for name in base.config.scenarios:
        try:
            prepared, result = run(config_path, scenario=name, snapshot=base.snapshot)
        except ConfigError as exc:
            config_problems += [_named(f, name) for f in exc.findings]
        except InputErrors as exc:
            input_problems += [_named(f, name) for f in exc.findings]
        else:
            done.append((name, prepared, result))
    if config_problems:
        raise ConfigError(config_problems + [f for f in input_problems if f.severity == ERROR])
    if input_problems:
        raise InputErrors(input_problems)
    return done


def _named(f: Finding, scenario: str) -> Finding:
    prefix = f"Scenario «{scenario}»: "
    return f if f.message.startswith(prefix) else replace(f, message=prefix + f.message)


__all__ = ["Prepared", "prepare", "run", "run_all", "ConfigError", "InputErrors"]
