"""What the command line prints: findings grouped and counted, progress, the run's summary."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..model.findings import ERROR, SEVERITY_NO, Finding, sort_findings
from ..model.names import shown
from .common import MESSAGE_MAX, count

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


def progress(args: argparse.Namespace, line: str) -> None:
    if not getattr(args, "quiet", False):
        print(line)


def print_places(findings: list[Finding], out) -> None:
    """verify: every finding on one line, with its reason code and place; the fix is said once."""
    for f in findings:
        where = f.location()
        print(f"  {f.code}: {shown(where) + ': ' if where else ''}{shown(f.message)}", file=out)
        if f.fix and out is sys.stderr:
            print(f"    {shown(f.fix)}", file=out)


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
    from ..model.formatting import format_kroner

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
