"""The command ``fetch``: download a statbank table or the municipality classification from SSB
into the inputs folder, so that runs only read files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..model.names import shown
from .common import EXIT_INPUT, EXIT_OK, EXIT_USAGE, MESSAGE_MAX
from .output import print_findings, progress

DEFAULT_INPUTS = Path("input")


def add_fetch_parser(sub: Any) -> None:
    f = sub.add_parser("fetch", help="hent en tabell fra SSB (statistikkbanken eller kommunelista) til inndatamappen")
    f.add_argument(
        "source",
        choices=("ssb", "klass"),
        metavar="source",
        help="ssb: en tabell i statistikkbanken; klass: kommunelista",
    )
    f.add_argument(
        "table",
        nargs="?",
        help="tabellnummeret i statistikkbanken, f.eks. 12562 (for klass: klassifikasjonen, standard 131)",
    )
    f.add_argument(
        "--region", action="append", default=[], metavar="NR", help="kommunenummer, f.eks. 5503,5510 (standard: alle)"
    )
    f.add_argument(
        "--period",
        action="append",
        default=[],
        metavar="ÅR",
        help="år eller periode, f.eks. 2024 (standard: det siste)",
    )
    f.add_argument(
        "--measure",
        action="append",
        default=[],
        metavar="KODE",
        help="statistikkvariabel (ContentsCode) (standard: alle)",
    )
    f.add_argument("--from", dest="year_from", type=int, metavar="ÅR", help="klass: første år kodene skal gjelde i")
    f.add_argument("--to", dest="year_to", type=int, metavar="ÅR", help="klass: siste år kodene skal gjelde i")
    f.add_argument("--changes", action="store_true", help="klass: hent endringene (nye og utgåtte numre), ikke kodene")
    f.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_INPUTS,
        metavar="MAPPE",
        help="inndatamappen filen skrives til (standard: input/)",
    )
    f.add_argument(
        "--name", metavar="FIL", help="filnavnet (standard: ssb-TABELL.json eller klass-131-koder-FRA-TIL.csv)"
    )
    f.add_argument(
        "--base-url",
        metavar="URL",
        help="adressen til SSBs API (standard: https://data.ssb.no/api, eller ALLOCATION_SSB_URL)",
    )


def cmd_fetch(args: argparse.Namespace) -> int:
    from ..read.fetch import FetchError, fetch_klass, fetch_ssb, fetched_ok

    usage = _usage_error(args)
    if usage:
        print(f"Feil i kommandoen: {usage}. Se «run_allocation.py fetch --help».")
        return EXIT_USAGE
    try:
        if args.source == "ssb":
            result = fetch_ssb(
                args.table,
                args.out,
                name=args.name,
                regions=args.region,
                periods=args.period,
                measures=args.measure,
                base=args.base_url,
            )
        else:
            result = fetch_klass(
                args.year_from,
                args.year_to,
                args.out,
                name=args.name,
                changes=args.changes,
                classification=args.table or "131",
                base=args.base_url,
            )
    except FetchError as exc:
        print_findings(exc.findings, "Ingenting ble hentet")
        return EXIT_INPUT
    progress(args, f"Hentet {shown(result.url, MESSAGE_MAX)}")
    print(f"  Skrevet til {result.path} ({result.size} byte, sha256 {result.sha256[:16]}…).")
    if result.table is not None:
        t = result.table
        date = f", tellingsdato {t.count_date}" if t.count_date else ""
        progress(args, f"  {t.source}: {len(t.rows)} verdier, perioder {', '.join(t.periods())}{date}.")
    if result.findings:
        print_findings(result.findings, "Funn i tabellen som ble hentet")
    return EXIT_OK if fetched_ok(result) else EXIT_INPUT


def _usage_error(args: argparse.Namespace) -> str:
    if args.source == "ssb":
        if not args.table:
            return "«fetch ssb» trenger tabellnummeret, f.eks. «fetch ssb 12562»"
        if args.year_from is not None or args.year_to is not None or args.changes:
            return "--from, --to og --changes gjelder bare «fetch klass»"
        return ""
    if args.region or args.period or args.measure:
        return "--region, --period og --measure gjelder bare «fetch ssb»"
    if args.year_from is None or args.year_to is None:
        return "«fetch klass» trenger --from ÅR og --to ÅR, f.eks. --from 2024 --to 2026"
    if args.year_from > args.year_to:
        return f"--from {args.year_from} er etter --to {args.year_to}"
    return ""
