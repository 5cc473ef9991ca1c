"""``overview RUN_DIR... [--out FILE]``: a county's runs across years in one workbook."""

from __future__ import annotations

import argparse
import sys

from ..model.findings import ERROR
from ..model.formatting import format_kroner
from ..model.names import shown
from .common import DEFAULT_OUTPUT, EXIT_INPUT, EXIT_OK, EXIT_USAGE, MESSAGE_MAX
from .output import print_findings


def cmd_overview(args: argparse.Namespace) -> int:
    from ..audit.history import build_overview, load_history, unreconciled
    from ..audit.manifest import run_timestamp
    from ..audit.runfolder import RunFolderError, new_file
    from ..write.overview import write_overview
    from ..write.when import local_time

    records, findings = load_history(list(args.run_dirs))
    if any(f.severity == ERROR for f in findings) or not records:
        print_findings(findings, "Oversikten kan ikke lages")
        print("Ingen oversikt ble skrevet.", file=sys.stderr)
        return EXIT_INPUT
    overview = build_overview(records)
    problems = unreconciled(overview)
    try:
        with new_file(args.out, DEFAULT_OUTPUT, "oversikt", ".xlsx") as tmp:
            write_overview(tmp.path, overview, f"Laget {local_time(run_timestamp().isoformat())}")
    except RunFolderError as exc:
        print(f"Feil: {shown(exc, MESSAGE_MAX)}", file=sys.stderr)
        return EXIT_USAGE
    if findings or problems:
        print_findings(findings + problems, "Oversikt")
    for y in overview.years:
        state = "går opp (0 kr)" if y.difference == 0 else f"avvik {y.difference} kr"
        print(f"{y.year}: ramme {format_kroner(y.frame)} kr, {state}")
    print(f"Oversikten er skrevet til {shown(tmp.final, MESSAGE_MAX)}")
    return EXIT_INPUT if problems else EXIT_OK
