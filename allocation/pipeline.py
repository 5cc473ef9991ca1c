"""Readers -> validated tables -> allocate: the one path every command takes.

No printing and no exiting here; problems are raised as ``ConfigError``
(exit 2) or ``InputErrors`` (exit 1) carrying every finding.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .allocate.pots import allocate
from .allocate.rules import check_rules, raise_for_errors
from .model.config import Config
from .model.counts import Counts
from .model.findings import ERROR, ConfigError, Finding, InputErrors
from .model.names import slug
from .model.result import Allocation
from .read.configuration import load_config
from .read.counts import read_counts
from .read.snapshot import Snapshot, read_bytes, using

if TYPE_CHECKING:  # the optional inputs' modules are loaded only when a run has them
    from .model.applications import Application
    from .model.commitments import YearsInput
    from .model.reports import DecisionRun, Report
    from .read.letters_languages import Languages


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
    reports: tuple[list[Report], DecisionRun] | None = None  # [reports]: usable reports and the decision
    membership_files: list[tuple[str, Path]] = field(default_factory=list)  # Medlemskap, code list, statistics
    counts_sources: list[dict[str, Any]] = field(default_factory=list)  # the manifest's counts_sources
    years: YearsInput | None = None  # earlier decisions, changes, a first round (commitments across years)
    languages: Languages | None = None  # each recipient's written standard, with [letters]

    def input_files(self) -> list[tuple[str, Path]]:
        files = [("counts", self.config.counts)] if self.config.counts_given else []
        if self.config.parameters is not None:
            files.append(("parameters", self.config.parameters))
        files += [("applications", p) for p in self.application_files]
        if self.config.previous_run is not None:
            files.append(("previous", self.config.previous_run))
        if self.config.reports is not None:
            files.append(("reported_run", self.config.reports.run))
            files += [("reports", p) for p in self.config.reports.files]
        if self.years is not None:  # commitments across years: the earlier manifests read
            files += [("earlier", d.path) for d in self.years.decisions if d.path is not None]
            files += [("first_round", d.path) for d in self.years.first if d.path is not None]
        if self.config.letters is not None:  # the county's own letter templates
            files += [(f"letter_template:{name}", path) for name, path in self.config.letters.templates]
        return files + self.membership_files


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
    counts, found = _read_counts(config)
    findings: list[Finding] = list(found)
    membership_files: list[tuple[str, Path]] = []
    counts_sources: list[dict[str, Any]] = []
    if config.membership is not None:
        counts, found, membership_files, counts_sources = _membership_counts(config, counts)
        findings += found
    params = None
    if config.parameters is not None:
        from .read.parameters import read_parameters

        params, found = read_parameters(config.parameters, config.parameters.name)
        findings += found
    apps: list[Application] | None = None
    app_files: list[Path] = []
    app_names: list[str] = []
    if config.applications is not None:
        apps, app_files, app_names, found = _read_applications(config, overrides, progress, counts)
        findings += found
    previous, previous_name = None, ""
    if config.previous_run is not None:
        previous, previous_name, found = read_previous(config.previous_run)
        findings += found
    reports = None
    if config.reports is not None:
        reports, found = read_reported(config, overrides)
        findings += found
    years, found = read_years(config)  # commitments across years: read, and what is due this year
    findings += found
    if years is not None and config.reports is not None:  # the same reports taken by an earlier run
        from .read.reported_before import reported_before

        findings += reported_before(config, years)
    if years is not None and counts is not None:
        from .check.commitments import draw

        findings += draw(config, counts.networks, years)
    languages = None
    if config.letters is not None and counts is not None:
        config, languages, found = _read_letters(config, apps)
        findings += found
    if any(f.severity == ERROR for f in findings) or counts is None:
        raise InputErrors(findings)
    if params is not None:
        from .read.apply_parameters import apply_parameters

        config = apply_parameters(config, params, counts.networks)
    if years is not None:  # commitments across years: earlier commitments off the top, or a second round
        from .check.commitments import take_off_top

        config, found = take_off_top(config, years)
        findings += raise_for_errors(found)
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
        membership_files=membership_files,
        counts_sources=counts_sources,
        reports=reports,
        years=years,
        languages=languages,
    )


def _read_counts(config: Config) -> tuple[Counts | None, list[Finding]]:
    """Sheet «Tall» (unless the counts come from statistics alone); a key naming a column the
    sheet lacks is a configuration error."""
    if not config.counts_given:
        return None, []
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
    return counts, found


def _read_applications(
    config: Config,
    overrides: dict[str, Any] | None,
    progress: Callable[[int, int, str], None] | None,
    counts: Counts | None,
) -> tuple[list[Application], list[Path], list[str], list[Finding]]:
    """The application files listed, read and checked against the networks of the counts."""
    from .read.application_files import list_application_files
    from .read.applications import read_applications

    rules = config.applications
    assert rules is not None
    listed, notes = list_application_files(list(rules.files), rules.folder)
    if overrides and "shown_as" in overrides:  # verify: the names and notes of the original run
        listed = [(p, overrides["shown_as"].get(p, shown)) for p, shown in listed]
        notes = list(overrides.get("listing_notes", notes))
    app_files, app_names = [p for p, _ in listed], [shown for _, shown in listed]
    apps, found = read_applications(listed, progress)
    findings = notes + found
    from .check.applications import check_applications  # python-stdnum: only when applications are read

    if counts is not None:
        findings += check_applications(apps, counts.networks, rules, config.counts.name)
    return apps, app_files, app_names, findings


def _read_letters(config: Config, apps: list[Application] | None) -> tuple[Config, Languages, list[Finding]]:
    """[letters]: the decision's metadata (from sheet «Brev» where given), each recipient's
    written standard, and the county's own templates checked."""
    from .read.letters_languages import read_languages
    from .read.letters_sheet import apply_letter_sheet

    config, findings = apply_letter_sheet(config)  # the decision's metadata from sheet «Brev»
    languages = read_languages(config, apps)
    findings += languages.findings
    from .read.letters_template import check_template  # docxtpl: only when letters are written

    for standard, path in config.letters.templates if config.letters else ():
        findings += check_template(path, standard, f"letters.templates.{standard}")
    return config, languages, findings


def _membership_counts(
    config: Config, tall: Counts | None
) -> tuple[Counts | None, list[Finding], list[tuple[str, Path]], list[dict[str, Any]]]:
    """Sheet «Medlemskap» read and checked against the municipality code list for the run's year,
    and the counts from the ``[[statistics]]`` exports summed per network through it."""
    from .check.membership import check_membership
    from .check.statistics_counts import counts_from_statistics
    from .read.membership import read_membership
    from .read.municipalities import BUNDLED_CHANGES, BUNDLED_CODES, read_code_list
    from .read.statbank_minimal import load_table

    assert config.membership is not None
    if config.year is None:
        raise ConfigError(
            [
                Finding(
                    "membership.no_year",
                    ERROR,
                    "Med «Medlemskap» må konfigurasjonen si hvilket år fordelingen gjelder.",
                    file=config.path.name,
                    cell="run.year",
                    fix="Skriv year = 2025 under [run].",
                )
            ]
        )
    codes_path = config.municipalities or BUNDLED_CODES
    changes_path = config.municipality_changes or (BUNDLED_CHANGES if config.municipalities is None else None)
    files: list[tuple[str, Path]] = [("membership", config.membership), ("municipalities", codes_path)]
    if changes_path is not None:
        files.append(("municipality_changes", changes_path))
    files += [("statistics", s.file) for s in config.statistics]
    membership, findings = read_membership(config.membership, config.membership.name)
    codes, found = read_code_list(codes_path, changes_path)
    findings += found
    if membership is None:
        return None, findings, files, []
    findings += check_membership(membership, codes, config.year)
    if codes is not None and config.counts_given:
        from .check.membership import check_counts_municipalities
        from .read.membership import read_counts_municipalities

        typed = read_counts_municipalities(config.counts, config.counts.name)
        if typed is not None:
            findings += check_counts_municipalities(typed, codes, config.year)
    if not config.statistics:
        return tall, findings, files, []
    tables = []
    for source in config.statistics:
        table, found = load_table(source)
        findings += found
        if table is not None:
            tables.append((source, table, read_bytes(source.file)))
    if any(f.severity == ERROR for f in findings):
        return None, findings, files, []
    if not config.counts_given:
        filled = {s.column for s in config.statistics}
        keys = [k for pot in config.pots for k in (pot.ratio, pot.key) if k is not None]
        if config.applications is not None and config.applications.redistribution_key is not None:
            keys.append(config.applications.redistribution_key)
        used = dict.fromkeys(col for k in keys for col, _ in k.weights)
        missing = [c for c in used if c not in filled]
        if missing:
            raise ConfigError(
                [
                    Finding(
                        "statistics.column_missing",
                        ERROR,
                        f"Modellen bruker kolonnen «{c}», men ingen [[statistics]] fyller den, og det er ingen "
                        "tellebok (inputs.counts).",
                        file=config.path.name,
                        cell="statistics",
                        value=c,
                        fix=f'Legg til en [[statistics]] med column = "{c}", eller en tellebok med arket «Tall».',
                    )
                    for c in missing
                ]
            )
    counts, found, sources = counts_from_statistics(tables, membership, codes, config.year, tall)
    return counts, findings + found, files, sources


def read_reported(
    config: Config, overrides: dict[str, Any] | None
) -> tuple[tuple[list[Report], DecisionRun] | None, list[Finding]]:
    """[reports]: the decision reported on (its folder checked by hashes, unless re-run from a
    run folder's copy) and the reports read and checked against it."""
    from .check.reports import check_reports
    from .read.reports import read_decision, read_reports

    rules = config.reports
    assert rules is not None
    decision, findings = read_decision(rules.run, check_files=not (overrides and "reported_run" in overrides))
    reports, found = read_reports(list(rules.files))
    findings += found
    if decision is None:
        return None, findings
    usable, found = check_reports(reports, decision, rules, config.path.name)
    return (usable, decision), findings + found


# --- commitments across years (read.earlier, check.commitments, allocate.commitments) ----------


def read_years(config: Config) -> tuple[YearsInput | None, list[Finding]]:
    """The earlier decisions and the first round named in ``[inputs]``, each checked, and the
    forum's changes (sheet ``Tilsagnsendringer``); None when the run draws on no other run."""
    drawn_on = bool(config.earlier_decisions) or config.first_round is not None
    if not drawn_on and config.parameters is None:
        return None, []  # nothing to read: read.earlier is not even loaded
    from .model.commitments import YearsInput
    from .read.earlier import read_changes, read_decisions

    if not drawn_on and config.parameters is not None:
        from .check.commitments import check_changes  # changes with nothing to change: never ignored

        stray, found = read_changes(config.parameters, config.parameters.name)
        return None, found + check_changes(stray)
    file, check = config.path.name, not config.earlier_copies
    decisions, found = read_decisions(list(config.earlier_decisions), "inputs.earlier_decisions", file, check)
    first_named = [config.first_round] if config.first_round is not None else []
    first, more = read_decisions(first_named, "inputs.first_round", file, check)
    changes: list[Any] = []
    if config.parameters is not None:
        changes, found_changes = read_changes(config.parameters, config.parameters.name)
        more += found_changes
    return YearsInput(decisions, changes, first), found + more


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
    if prepared.applications is not None or prepared.years is not None:  # commitments across years
        from .allocate.commitments import record

        result.commitments = record(prepared.config, result.grants, prepared.years)
    if prepared.reports is not None and prepared.config.reports is not None:
        from .allocate.unspent import settle_unspent
        from .check.reports import unspent_findings

        reports, decision = prepared.reports
        result.reports = settle_unspent(reports, decision, prepared.config.reports, result.grants)
        prepared.findings += unspent_findings(result.reports, prepared.config.path.name)
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
