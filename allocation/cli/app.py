"""Command line: a thin shell over the library.

Each command calls one library function, turns errors into Norwegian
findings and returns the contract's exit status: 0 done, 1 input errors,
2 usage or configuration error, 3 an internal error (a short message and a
crash report in the findings folder). No traceback reaches the user unless
``--debug`` is given.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import os
import sys
import threading
from decimal import Decimal
from pathlib import Path
from typing import NoReturn

from .. import __version__
from ..model.findings import ConfigError, InputErrors
from ..model.names import shown
from .commands import cmd_compare, cmd_run, cmd_templates, cmd_validate, cmd_verify
from .common import (
    DEFAULT_CONFIG,
    DEFAULT_OUTPUT,
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_USAGE,
    MESSAGE_MAX,
)
from .fetch import add_fetch_parser, cmd_fetch
from .output import print_findings
from .overview import cmd_overview
from .reports import cmd_reports

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
    """argparse with its usage errors in Norwegian, ending with the contract's exit status 2."""

    def error(self, message: str) -> NoReturn:  # usage errors: exit 2 with a Norwegian hint
        self.print_usage(sys.stderr)
        print(f"Feil i kommandoen: {shown(message, MESSAGE_MAX)}. Se «run_allocation.py --help».", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


# Each command's function, by the name typed on the command line. A new command is a module
# of this package with the command's function, added here and to ``build_parser``.
HANDLERS = {
    "run": cmd_run,
    "validate": cmd_validate,
    "templates": cmd_templates,
    "verify": cmd_verify,
    "compare": cmd_compare,
    "reports": cmd_reports,
    "overview": cmd_overview,
    "fetch": cmd_fetch,
}


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="run_allocation.py",
        description="Fordeling av Kompetanseløftet: eksakt, sporbar, reproduserbar. "
        "Uten argumenter kjøres det medfølgende eksempelet (Trøndelag).",
    )
    p.add_argument("--version", action="version", version=f"allocation {__version__}", help="vis versjonen og avslutt")
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
    rp = sub.add_parser("reports", help="skriv rapportmaler per mottaker, fylt ut med det kjøringen tildelte")
    rp.add_argument("run_dir", type=Path, help="kjøremappen for vedtaket det skal rapporteres på")
    rp.add_argument("--out", type=Path, help="ny mappe for malene (standard: output/rapportmaler-NNN)")
    ov = sub.add_parser("overview", help="fylkets oversikt over årene: tildelinger, tilsagn, utbetalinger, avstemming")
    ov.add_argument("run_dirs", type=Path, nargs="+", help="kjøremapper, gjerne fra flere år")
    ov.add_argument("--out", type=Path, help="ny arbeidsbok for oversikten (standard: output/oversikt-NNN.xlsx)")
    add_fetch_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    own_process = argv is None  # the process's own command line (tests call main with a list)
    if own_process:
        # A command is one short batch: its garbage is freed by reference counting, and what
        # cyclic garbage it makes (measured: none that shows in peak memory, for a county, the
        # national case or 1 000 application forms) goes when the process ends. The cyclic
        # collector would otherwise walk the import-time heap (pandas, pandera: about a million
        # objects) and every cell held for the workbook again and again: 0.1 s of a county run,
        # 0.8 s with 1 000 forms.
        gc.disable()
    try:
        status = _main(argv)
    finally:
        if own_process:  # it ends now
            # Should the interpreter's own shutdown end it after all (see end_process), leave
            # the heap out of its collection, which would walk it once more (~0.1 s).
            gc.freeze()
    if own_process:
        end_process(status)
    return status


# The commands that read and validate tables.
TABLE_COMMANDS = frozenset({"run", "validate", "verify"})


def load_table_libraries() -> None:
    """Import the libraries that read, validate and write the tables now, near the bottom of
    the call stack (where the command is dispatched), rather than where a command first needs
    them, deep inside it.

    Python 3.11 keeps the frames of running functions in chunks of 16 KB, and frees a chunk as
    soon as the stack shrinks back out of it: every call that crosses a chunk's edge gets a new
    chunk from the operating system and gives it back when it returns (10 µs a call, against
    0.04 µs). pandas' and pandera's imports nest deep and call much; begun deep inside the
    reading of the counts, they crossed an edge about 900 times more (a county's run: 1 123 new
    chunks of 16 KB, against 216 with the imports here).
    """
    # Here, so that a Ctrl-C or a broken installation while they load is met as in the command
    # itself, and so that --help, --version and a mistyped command line never load them.
    import pandas  # noqa: F401
    import pandera.pandas  # noqa: F401
    import python_calamine  # noqa: F401
    import xlsxwriter  # noqa: F401


def end_process(status: int) -> None:
    """End the command's own process at once, with ``status``, when nothing is left to do.

    The interpreter's own shutdown would then take every module apart and free each of its
    objects, one by one, with nothing written anywhere (measured: 16 ms of a county run, 17 ms
    of the national case, 47 ms with 1 000 application forms). Everything the interpreter
    would still do that anyone sees is done here first: the exit handlers run (temporary
    folders, logging) and both output streams are flushed. Returns, leaving the ordinary
    shutdown to report and end, when that cannot be done so: another thread still runs (the
    shutdown would wait for it), a stream cannot be flushed (the shutdown reports it and ends
    with status 120, as it always has), or the interpreter was started to go on afterwards
    (``python -i``, a profiler, a debugger).

    ``main`` called without an argument list is the process's entry point and ends it so; a
    script that calls it and goes on passes the arguments (``main(sys.argv[1:])``).
    """
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_exit_handlers is None or threading.active_count() != 1 or not isinstance(status, int):
        return
    if sys.flags.inspect or os.environ.get("PYTHONINSPECT") or sys.getprofile() or sys.gettrace():
        return  # python -i, a profiler or a debugger: each has more to do once the command is done
    run_exit_handlers()
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            try:
                stream.flush()
            except (OSError, ValueError):
                return
    os._exit(status)


def _main(argv: list[str] | None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    args = build_parser().parse_args(argv)
    args.published = None  # the run folder, once written (for the message if something fails after)
    command = args.command or "run"
    if args.command is None:
        args.config, args.out = DEFAULT_CONFIG, None
    handler = HANDLERS[command]
    try:
        if command in TABLE_COMMANDS:
            load_table_libraries()
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
        from ..audit.runfolder import RunFolderError

        if isinstance(exc, RunFolderError):
            print(f"Feil: {shown(exc, MESSAGE_MAX)}", file=sys.stderr)
            return EXIT_USAGE
        return internal_error(exc, args, command, argv)


def internal_error(exc: BaseException, args: argparse.Namespace, command: str, argv: list[str] | None) -> int:
    """A failure of the program itself: exit 3, a short message, and a crash report for the developers."""
    from ..audit.crash import write_crash_report

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
