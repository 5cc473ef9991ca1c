"""The commands: each reads its arguments, calls the library once and returns an exit status."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..model.findings import ERROR, Finding, InputErrors
from ..model.names import shown
from .common import DEFAULT_OUTPUT, EXIT_INPUT, EXIT_OK, EXIT_USAGE, MESSAGE_MAX, PROJECT_ROOT
from .output import _Timer, print_findings, print_places, print_summary, progress, progress_printer


def cmd_run(args: argparse.Namespace) -> int:
    from ..audit.publish import write_run
    from ..pipeline import run_all

    timer = _Timer(args)
    try:
        prepared, result, scenarios = run_all(args.config, progress=progress_printer(args))
        _earlier_verified(prepared)
        timer.lap("lest, kontrollert og fordelt")
    except InputErrors as exc:
        from ..audit.publish import write_findings

        print_findings(exc.findings, "Inndata har feil; ingen fordeling er gjort")
        out = args.out.with_name(args.out.name + "-funn") if args.out else None
        folder = write_findings(exc.findings, Path(args.config).stem, out=out, base=DEFAULT_OUTPUT)
        print(
            f"Funnene er skrevet til {shown(folder, MESSAGE_MAX)} (funn.xlsx kan sorteres og filtreres).",
            file=sys.stderr,
        )
        return EXIT_INPUT
    if not scenarios:
        folder = write_run(prepared, result, out=args.out, base=DEFAULT_OUTPUT, command=_command())
        args.published = folder
        timer.lap("kjøremappen skrevet")
        print_summary(result, prepared.findings, folder, args)
        return EXIT_OK
    return _run_scenarios(args, prepared, result, scenarios)


def _run_scenarios(args: argparse.Namespace, prepared, result, scenarios: list) -> int:
    """The base case and every declared scenario (all read and allocated already), each in its
    own run folder, published together or not at all; the base folder also holds scenarier.xlsx
    with the alternatives side by side."""
    from ..audit.publish import write_run
    from ..audit.runfolder import claim, publishing, sibling
    from ..audit.scenarios import WORKBOOK_NAME, write_scenarios
    from ..model.names import slug

    base = claim(args.out, DEFAULT_OUTPUT, slug(prepared.config.path.stem))
    folders = [base]
    with publishing(folders):
        for name, _, _ in scenarios:
            folders.append(sibling(base, slug(name)))
        alternatives = []
        for (name, p2, r2), staged in zip(scenarios, folders[1:], strict=True):
            command = [*_command(), f"(scenario: {name})"]
            write_run(p2, r2, out=None, base=DEFAULT_OUTPUT, command=command, into=staged)
            manifest = json.loads((staged.path / "manifest.json").read_text(encoding="utf-8"))
            alternatives.append((name, manifest, staged.final))

        def add_workbook(tmp: Path, manifest: dict) -> None:
            book = [(n, m) for n, m, _ in alternatives]
            write_scenarios(tmp / WORKBOOK_NAME, manifest, book, prepared.config.raw_text)
            from ..audit.manifest import sha256_file

            manifest["scenarios"] = [{"name": n, "folder": f.name} for n, _, f in alternatives]
            manifest["scenario_workbook"] = {"file": WORKBOOK_NAME, "sha256": sha256_file(tmp / WORKBOOK_NAME)}

        write_run(prepared, result, None, DEFAULT_OUTPUT, _command(), extra=add_workbook, into=base)
    args.published = base.final
    for name, _, folder in alternatives:
        progress(args, f"Scenario «{shown(name)}»: {shown(folder, MESSAGE_MAX)}")
    print_summary(result, prepared.findings, base.final, args)
    print(f"Scenariene står side om side i {shown(base.final / WORKBOOK_NAME, MESSAGE_MAX)}")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    """Everything ``run`` does before it writes (reading, every check, the allocation in
    memory, every scenario), so that it exits 0 exactly when ``run`` would succeed."""
    from ..audit.publish import write_findings
    from ..pipeline import run_all

    findings: list[Finding] = []
    stem = Path(args.config).stem
    try:
        prepared, _, _ = run_all(args.config)
        findings = list(prepared.findings)
        _earlier_verified(prepared)
        stem = prepared.config.path.stem
    except InputErrors as exc:
        findings += exc.findings
    folder = write_findings(findings, stem, out=args.out, base=DEFAULT_OUTPUT)
    if findings:
        print_findings(findings, "Kontroll")
    else:
        print("Kontroll: ingen funn. Inndata kan brukes.")
    print(f"Funnene er skrevet til {shown(folder, MESSAGE_MAX)}")
    return EXIT_INPUT if any(f.severity == ERROR for f in findings) else EXIT_OK


def _earlier_verified(prepared) -> None:
    """Commitments across years: the earlier run folders drawn on must pass ``verify``."""
    if prepared.years is None:  # none drawn on: verify's modules are not even loaded
        return
    from ..audit.earlier_verify import verify_earlier

    found = verify_earlier(prepared)
    if found:
        raise InputErrors(found)


def cmd_templates(args: argparse.Namespace) -> int:
    from ..write.templates import write_templates

    out = args.out or (PROJECT_ROOT / "input_templates")
    written, skipped = write_templates(out)
    for path in written:
        print(f"Skrev {path}")
    for path in skipped:
        print(f"Finnes fra før, ikke overskrevet: {path}")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from ..audit.verify import verify

    report = verify(args.run_dir)
    for line in report.lines:
        print(shown(line, MESSAGE_MAX))
    if report.unusable:
        print(f"Mappen {shown(args.run_dir, MESSAGE_MAX)} kan ikke brukes:", file=sys.stderr)
        print_places(report.findings, sys.stderr)
        return EXIT_USAGE
    listed = report.findings if getattr(args, "verbose", False) else report.differences
    if report.identical:
        print_places(listed, sys.stdout)
        print("IDENTISK: kjøringen gir nøyaktig de samme tallene, filene og arbeidsboka.")
        return EXIT_OK
    print(f"Forskjeller ({len(report.differences)}):")
    print_places(listed, sys.stdout)
    fixes = dict.fromkeys(f.fix for f in report.differences if f.fix)
    print("ULIKT: se forskjellene over. " + " ".join(fixes))
    return EXIT_INPUT


def cmd_compare(args: argparse.Namespace) -> int:
    from ..audit.compare import CompareError, compare_runs, load_run
    from ..audit.runfolder import RunFolderError, new_file
    from ..write.compare_workbook import write_comparison

    try:
        ma, ca = load_run(args.run_a)
        mb, cb = load_run(args.run_b)
    except CompareError as exc:
        print(f"{exc.finding.code}: {shown(exc.finding.text(), MESSAGE_MAX)}", file=sys.stderr)
        return EXIT_USAGE
    cmp = compare_runs(ma, ca, mb, cb, args.threshold)
    try:
        with new_file(args.out, DEFAULT_OUTPUT, "sammenligning", ".xlsx") as tmp:
            write_comparison(tmp.path, cmp, args.run_a.name, args.run_b.name)
    except RunFolderError as exc:
        print(f"Feil: {shown(exc, MESSAGE_MAX)}", file=sys.stderr)
        return EXIT_USAGE
    changed = [r for r in cmp.networks if r.above(cmp.threshold)]
    print(f"A: {shown(cmp.name_a)} ({shown(args.run_a)})\nB: {shown(cmp.name_b)} ({shown(args.run_b)})")
    print(
        f"Nettverk med endring over {cmp.threshold} %: {len(changed)} av {len(cmp.networks)}; "
        f"ulike parametre: {len(cmp.parameters)}."
    )
    print(f"Sammenligningen er skrevet til {shown(tmp.final)}")
    return EXIT_OK


def _command() -> list[str]:
    """The command as recorded for the audit trail: without ``--out``, which is where the run
    went, not what it was made from (so two runs of the same inputs record the same)."""
    args, skip = [], False
    for a in sys.argv[1:]:
        if skip:
            skip = False
        elif a == "--out":
            skip = True
        elif not a.startswith("--out="):
            args.append(a)
    return ["run_allocation.py", *args]
