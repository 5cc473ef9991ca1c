"""``reports RUN_DIR [--out DIR]``: report templates per recipient, pre-filled with what the run granted."""

from __future__ import annotations

import argparse

from ..model.findings import ERROR, Finding
from ..model.names import shown
from .common import DEFAULT_OUTPUT, EXIT_INPUT, EXIT_OK, EXIT_USAGE, MESSAGE_MAX
from .output import print_findings


def cmd_reports(args: argparse.Namespace) -> int:
    from ..audit.runfolder import claim, publishing
    from ..read.reports import decision_from_manifest
    from ..read.run_folder import FolderProblem, read_run_folder
    from ..write.report_templates import write_report_templates

    try:
        manifest = read_run_folder(args.run_dir)
        decision = decision_from_manifest(manifest, args.run_dir.name)
    except FolderProblem as exc:
        code = "report.run_tampered" if exc.kind == "tampered" else "report.run_unusable"
        fix = "Pek på kjøremappen slik run laget den; kjør «verify» på den for å se hva som er endret."
        print_findings([Finding(code, ERROR, exc.message, file=exc.file, fix=fix)], "Kjøremappen kan ikke brukes")
        return EXIT_INPUT
    except (ValueError, KeyError, TypeError, AttributeError):
        message = "Manifestet mangler beløpene søknadene fikk, eller de er ikke hele kroner."
        fix = "Pek på kjøremappen for et vedtak med søknader, slik run laget den; kjør «verify» på den."
        file = str(args.run_dir / "manifest.json")
        print_findings(
            [Finding("report.run_unusable", ERROR, message, file=file, fix=fix)], "Kjøremappen kan ikke brukes"
        )
        return EXIT_INPUT
    if manifest.get("scenario"):  # an alternative for the forum: nothing was granted
        message = f"Kjøremappen er scenariet «{manifest['scenario']}», et alternativ og ikke et vedtak."
        fix = "Lag rapportmalene fra kjøremappen for grunnalternativet (den som ble vedtatt)."
        finding = Finding("report.scenario", ERROR, message, file=str(args.run_dir), fix=fix)
        print_findings([finding], "Kjøremappen kan ikke brukes")
        return EXIT_INPUT
    if not decision.granted:
        print(
            f"Kjøringen {shown(args.run_dir, MESSAGE_MAX)} har ingen tildelinger etter søknad; "
            "det er ingenting å rapportere på. Pek på en kjøring med [applications]."
        )
        return EXIT_USAGE
    staged = claim(args.out, DEFAULT_OUTPUT, "rapportmaler")
    with publishing([staged]):
        written = write_report_templates(staged.path, decision)
    print(f"Skrev {len(written) - 1} rapportmaler og listen rapporter.xlsx til {shown(staged.final, MESSAGE_MAX)}")
    print("Send hver mottaker sin mal; legg de utfylte rapportene i en mappe og nevn den under [reports] files.")
    return EXIT_OK
