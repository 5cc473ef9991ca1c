"""Command line: a thin shell over the library.

Each command calls one library function, turns errors into Norwegian
findings and returns the contract's exit status: 0 done, 1 input errors,
2 usage or configuration error, 3 an internal error (a short message and a
crash report in the findings folder). No traceback reaches the user unless
``--debug`` is given.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import NoReturn

from . import __version__
from .model.findings import ERROR, SEVERITY_NO, ConfigError, Finding, InputErrors, sort_findings
from .model.names import shown

MESSAGE_MAX = 4000  # characters of one printed line: a message quoting a huge cell is cut

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "config" / "trondelag.toml"
DEFAULT_OUTPUT = Path("output")

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


# argparse's own words (headings, usage, its error messages) in Norwegian: the whole command
# line speaks the users' language. argparse looks them up through gettext at the time it uses
# them, so the lookup is replaced here; any text not listed stays as argparse has it.
_ARGPARSE_NO = {
    "usage: ": "bruk: ",
    "positional arguments": "argumenter",
    "options": "valg",
    "show this help message and exit": "vis denne hjelpen og avslutt",
    "show program's version number and exit": "vis versjonen og avslutt",
    "the following arguments are required: %s": "disse argumentene mangler: %s",
    "unrecognized arguments: %s": "ukjente argumenter: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ugyldig valg: %(value)r (velg blant %(choices)s)",
    "expected one argument": "mangler en verdi",
    "expected at most one argument": "tar høyst én verdi",
    "expected at least one argument": "mangler minst én verdi",
    "argument %(argument_name)s: %(message)s": "argumentet %(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "ugyldig verdi: %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "tvetydig valg: %(option)s kan bety %(matches)s",
    "not allowed with argument %s": "kan ikke brukes sammen med %s",
    "one of the arguments %s is required": "ett av argumentene %s må være med",
    "%(prog)s: error: %(message)s\n": "%(prog)s: feil: %(message)s\n",
}
argparse._ = lambda text: _ARGPARSE_NO.get(text, text)  # type: ignore[attr-defined]
argparse.ngettext = lambda one, many, n: _ARGPARSE_NO.get(one if n == 1 else many, one if n == 1 else many)  # type: ignore[attr-defined]


def count(n: int, one: str, many: str) -> str:
    """«1 advarsel», «2 advarsler»: a number with its noun in the right number."""
    return f"{n} {one if n == 1 else many}"


def percent_argument(text: str) -> Decimal:
    """A percentage as people type it: ``5``, ``5,5``, ``5.5``, ``5 %``, ``5,5%``."""
    cleaned = text.replace("%", "").replace("\u00a0", " ").strip().replace(",", ".")
    try:
        value = Decimal(cleaned)
    except ArithmeticError:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0 or value > 1000:
        raise argparse.ArgumentTypeError(f"«{text}» er ikke en prosent; skriv f.eks. 5 eller 5,5")
    return value


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # usage errors: exit 2 with a Norwegian hint
        self.print_usage(sys.stderr)
        print(f"Feil i kommandoen: {shown(message, MESSAGE_MAX)}. Se «run_allocation.py --help».", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="run_allocation.py",
        description="Fordeling av Kompetanseløftet: eksakt, sporbar, reproduserbar. "
        "Uten argumenter kjøres det medfølgende eksempelet (Trøndelag).",
    )
    p.add_argument("--version", action="version", version=f"allocation {__version__}")
    common = _Parser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="vis full feilsporing (for utviklere)"
    )
    common.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=argparse.SUPPRESS,
        help="skriv bare feil og hvor resultatet ligger",
    )
    common.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="skriv alle funn, også merknader, og tid per trinn",
    )
    p.add_argument("--debug", action="store_true", help="vis full feilsporing (for utviklere)")
    p.add_argument("-q", "--quiet", action="store_true", help="skriv bare feil og hvor resultatet ligger")
    p.add_argument("-v", "--verbose", action="store_true", help="skriv alle funn, også merknader, og tid per trinn")
    sub = p.add_subparsers(dest="command", metavar="KOMMANDO", parser_class=_Parser)
    add = sub.add_parser
    sub.add_parser = lambda *a, **k: add(*a, parents=[common], **k)  # type: ignore[method-assign]
    r = sub.add_parser("run", help="kontroller inndata, fordel og skriv kjøremappen")
    r.add_argument("config", type=Path, help="konfigurasjonsfil (.toml)")
    r.add_argument("--out", type=Path, help="ny mappe for kjøringen (standard: ny nummerert mappe under output/)")
    v = sub.add_parser("validate", help="alle kontroller, ingen fordeling; skriver funnene")
    v.add_argument("config", type=Path, help="konfigurasjonsfil (.toml)")
    v.add_argument("--out", type=Path, help="ny mappe for funnene")
    t = sub.add_parser("templates", help="skriv tomme maler for inndata")
    t.add_argument("--out", type=Path, help="mappe for malene (standard: input_templates/)")
    ve = sub.add_parser("verify", help="kjør en lagret kjøring på nytt fra egne kopier og si om alt er likt")
    ve.add_argument("run_dir", type=Path, help="kjøremappe med manifest.json")
    c = sub.add_parser("compare", help="sammenlign to kjøringer side om side")
    c.add_argument("run_a", type=Path, help="den første kjøremappen (A)")
    c.add_argument("run_b", type=Path, help="den andre kjøremappen (B), sammenlignet med A")
    c.add_argument(
        "--out", type=Path, help="ny arbeidsbok for sammenligningen (standard: output/sammenligning-NNN.xlsx)"
    )
    c.add_argument(
        "--threshold",
        type=percent_argument,
        default=Decimal(5),
        help="marker endringer over denne prosenten, f.eks. 5 eller 5,5 (standard 5)",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    finally:
        if argv is None:  # the process's own command line: it ends now
            # Leave the import-time heap (pandas, pandera: about a million objects) out of the
            # interpreter's collection at shutdown, which would walk it once more (~0.1 s).
            gc.freeze()


def _main(argv: list[str] | None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    args = build_parser().parse_args(argv)
    args.published = None  # the run folder, once written (for the message if something fails after)
    command = args.command or "run"
    if args.command is None:
        args.config, args.out = DEFAULT_CONFIG, None
    handler = {
        "run": cmd_run,
        "validate": cmd_validate,
        "templates": cmd_templates,
        "verify": cmd_verify,
        "compare": cmd_compare,
    }[command]
    try:
        return handler(args)
    except ConfigError as exc:
        print_findings(exc.findings, "Konfigurasjonen kan ikke brukes")
        return EXIT_USAGE
    except InputErrors as exc:
        print_findings(exc.findings, "Inndata har feil; ingen fordeling er gjort")
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("Avbrutt. Ingen kjøremappe ble laget.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into a command that stopped reading
        return EXIT_OK
    except Exception as exc:
        if args.debug:
            raise
        from .audit.runfolder import RunFolderError

        if isinstance(exc, RunFolderError):
            print(f"Feil: {shown(exc, MESSAGE_MAX)}", file=sys.stderr)
            return EXIT_USAGE
        return internal_error(exc, args, command, argv)


def internal_error(exc: BaseException, args: argparse.Namespace, command: str, argv: list[str] | None) -> int:
    """A failure of the program itself: exit 3, a short message, and a crash report for the developers."""
    from .audit.crash import write_crash_report

    config = getattr(args, "config", None)
    stem = Path(config).stem if command in ("run", "validate") and config else command
    out = getattr(args, "out", None) if command in ("run", "validate") else None
    if command == "run" and out is not None:
        out = out.with_name(out.name + "-funn")
    report = write_crash_report(exc, stem, out, DEFAULT_OUTPUT, ["run_allocation.py", *(argv or sys.argv[1:])])
    published = getattr(args, "published", None)
    lines = [f"Intern feil i programmet ({type(exc).__name__}): en feil hos oss, ikke i inndataene dine."]
    if command == "run":
        lines.append(f"Kjøremappen {published} ble skrevet ferdig." if published else "Ingen kjøremappe ble laget.")
    if report is not None:
        lines.append(f"En feilrapport er lagret i {report}. Send den til dem som vedlikeholder verktøyet.")
    else:
        lines.append("Feilrapporten kunne ikke lagres; kjør på nytt med --debug og send utskriften til utviklerne.")
    print("\n".join(lines), file=sys.stderr)
    return EXIT_INTERNAL


GROUP_LIMIT = 15


def print_findings(findings: list[Finding], title: str) -> None:
    """A compact report: counted, grouped by severity and reason, the worst first."""
    ordered = sort_findings(findings)
    errors = sum(1 for f in ordered if f.severity == ERROR)
    warnings = sum(1 for f in ordered if f.severity == "warning")
    notes = len(ordered) - errors - warnings
    out = sys.stderr if errors else sys.stdout
    print(
        f"{title}: {count(errors, 'feil', 'feil')}, {count(warnings, 'advarsel', 'advarsler')}, "
        f"{count(notes, 'merknad', 'merknader')}.",
        file=out,
    )
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in ordered:
        groups.setdefault((f.severity, f.code), []).append(f)
    for (severity, code), items in groups.items():
        print(f"  {SEVERITY_NO.get(severity, severity).upper()} {code} ({len(items)})", file=out)
        for f in items[:GROUP_LIMIT]:
            print(f"    {shown(f.text(), MESSAGE_MAX)}", file=out)
        if len(items) > GROUP_LIMIT:
            print(f"    … og {len(items) - GROUP_LIMIT} til av samme slag (se funn.xlsx).", file=out)


def cmd_run(args: argparse.Namespace) -> int:
    from .audit.publish import write_run
    from .pipeline import run_all

    timer = _Timer(args)
    try:
        prepared, result, scenarios = run_all(args.config, progress=progress_printer(args))
        timer.lap("lest, kontrollert og fordelt")
    except InputErrors as exc:
        from .audit.publish import write_findings

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
    from .audit.publish import write_run
    from .audit.runfolder import claim, publishing, sibling
    from .audit.scenarios import WORKBOOK_NAME, write_scenarios
    from .model.names import slug

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
            from .audit.manifest import sha256_file

            manifest["scenarios"] = [{"name": n, "folder": f.name} for n, _, f in alternatives]
            manifest["scenario_workbook"] = {"file": WORKBOOK_NAME, "sha256": sha256_file(tmp / WORKBOOK_NAME)}

        write_run(prepared, result, None, DEFAULT_OUTPUT, _command(), extra=add_workbook, into=base)
    args.published = base.final
    for name, _, folder in alternatives:
        _progress(args, f"Scenario «{shown(name)}»: {shown(folder, MESSAGE_MAX)}")
    print_summary(result, prepared.findings, base.final, args)
    print(f"Scenariene står side om side i {shown(base.final / WORKBOOK_NAME, MESSAGE_MAX)}")
    return EXIT_OK


def _progress(args: argparse.Namespace, line: str) -> None:
    if not getattr(args, "quiet", False):
        print(line)


def cmd_validate(args: argparse.Namespace) -> int:
    """Everything ``run`` does before it writes (reading, every check, the allocation in
    memory, every scenario), so that it exits 0 exactly when ``run`` would succeed."""
    from .audit.publish import write_findings
    from .pipeline import run_all

    findings: list[Finding] = []
    stem = Path(args.config).stem
    try:
        prepared, _, _ = run_all(args.config)
        findings = list(prepared.findings)
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


def cmd_templates(args: argparse.Namespace) -> int:
    from .write.templates import write_templates

    out = args.out or (PROJECT_ROOT / "input_templates")
    written, skipped = write_templates(out)
    for path in written:
        print(f"Skrev {path}")
    for path in skipped:
        print(f"Finnes fra før, ikke overskrevet: {path}")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from .audit.verify import verify

    report = verify(args.run_dir)
    for line in report.lines:
        print(shown(line, MESSAGE_MAX))
    if report.unusable:
        print(f"Mappen {shown(args.run_dir, MESSAGE_MAX)} kan ikke brukes:", file=sys.stderr)
        _print_places(report.findings, sys.stderr)
        return EXIT_USAGE
    listed = report.findings if getattr(args, "verbose", False) else report.differences
    if report.identical:
        _print_places(listed, sys.stdout)
        print("IDENTISK: kjøringen gir nøyaktig de samme tallene, filene og arbeidsboka.")
        return EXIT_OK
    print(f"Forskjeller ({len(report.differences)}):")
    _print_places(listed, sys.stdout)
    fixes = dict.fromkeys(f.fix for f in report.differences if f.fix)
    print("ULIKT: se forskjellene over. " + " ".join(fixes))
    return EXIT_INPUT


def _print_places(findings: list[Finding], out) -> None:
    """verify: every finding on one line, with its reason code and place; the fix is said once."""
    for f in findings:
        where = f.location()
        print(f"  {f.code}: {shown(where) + ': ' if where else ''}{shown(f.message)}", file=out)
        if f.fix and out is sys.stderr:
            print(f"    {shown(f.fix)}", file=out)


def cmd_compare(args: argparse.Namespace) -> int:
    from .audit.compare import CompareError, compare_runs, load_run
    from .audit.runfolder import RunFolderError, new_file
    from .write.compare_workbook import write_comparison

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


class _Timer:
    """With --verbose: seconds per step, on stderr."""

    def __init__(self, args: argparse.Namespace):
        import time

        self.on = getattr(args, "verbose", False)
        self.clock = time.perf_counter
        self.last = self.clock()

    def lap(self, what: str) -> None:
        now = self.clock()
        if self.on:
            print(f"  [{now - self.last:.2f} s] {what}", file=sys.stderr)
        self.last = now


def progress_printer(args: argparse.Namespace):
    """Progress while reading many application files: a bar on a terminal, plain lines otherwise."""
    if getattr(args, "quiet", False):
        return None
    tty = sys.stderr.isatty()

    def show(i: int, n: int, name: str) -> None:
        if n < 2:
            return
        if tty:
            filled = int(30 * i / n)
            end = "\n" if i == n else ""
            print(
                f"\r  Leser søknader [{'#' * filled}{'.' * (30 - filled)}] {i}/{n}",
                end=end,
                file=sys.stderr,
                flush=True,
            )
        else:
            print(f"  Leser søknad {i}/{n}: {shown(name)}", file=sys.stderr)

    return show


def print_summary(result, findings: list[Finding], folder: Path, args: argparse.Namespace | None = None) -> None:
    from .model.formatting import format_kroner

    quiet = getattr(args, "quiet", False)
    if quiet:
        errors_or_warnings = [f for f in findings if f.severity != "note"]
        if errors_or_warnings:
            print(f"{count(len(errors_or_warnings), 'advarsel', 'advarsler')} (se arket «Kontroll»).")
        print(f"Kjøremappe: {shown(folder, MESSAGE_MAX)}")
        return
    verbose = getattr(args, "verbose", False)
    listed = findings if verbose else [f for f in findings if f.severity != "note"]
    notes = len(findings) - len(listed)

    kr = format_kroner
    grants = result.grants
    labels = [shown(x) for x in [*result.networks, *(f"{name} (mottaker)" for name, _ in result.recipient_totals())]]
    width = max([len(x) for x in labels] + [len("Nettverk"), 24])
    print(f"{shown(result.name)}: ramme {kr(result.frame)} kr, avrunding til {kr(result.unit)} kr")
    print()
    head = f"  {'Nettverk'.ljust(width)}  {'Ramme':>14}"
    print(head + (f"  {'Søkt':>14}  {'Tildelt':>14}" if grants else ""))
    for n in result.networks:
        line = f"  {shown(n).ljust(width)}  {kr(result.network_frame(n)):>14}"
        if grants:
            g = grants.networks[n]
            line += f"  {kr(g.requested) if g.requested is not None else '–':>14}  {kr(g.granted):>14}"
        print(line)
    for name, amount in result.recipient_totals():
        print(f"  {shown(name + ' (mottaker)').ljust(width)}  {kr(amount):>14}")
    print(f"  {'Holdt tilbake'.ljust(width)}  {kr(result.total_held_back):>14}")
    to_networks = grants.total_granted() if grants else sum(result.network_frame(n) for n in result.networks)
    total = to_networks + sum(a for _, a in result.recipient_totals()) + result.total_held_back
    print(f"  {'Sum'.ljust(width)}  {kr(total):>14}")
    print()
    if listed:
        print_findings(listed, "Kontroll")
    if notes:
        print(f"{count(notes, 'merknad', 'merknader')} står i arket «Kontroll» (vis dem her med --verbose).")
    print(f"Kjøremappe: {shown(folder, MESSAGE_MAX)}")
