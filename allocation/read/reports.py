"""Recipients' reports (rapportering), read back from the workbooks ``reports`` wrote.

Two layouts, both read into ``Report``: a workbook per recipient (sheet «Rapport», one labelled
field a row: the label in column A, the value in column B) and a list (sheet «Rapporter», one
network a row under the header row). What the recipient used is never taken as 0 when blank:
a blank or unreadable amount is an error naming its cell.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model.cells import a1
from ..model.findings import ERROR, Finding
from ..model.reports import DecisionRun, Granted, Report
from .applications import _date
from .run_folder import FolderProblem, read_run_folder
from .values import parse_amount
from .workbooks import Sheet, cell_text, find_header, header_key, is_blank, read_workbook_sheets

SHEET_ONE, SHEET_LIST = "Rapport", "Rapporter"
LABEL_NETWORK, LABEL_USED_OWNER, LABEL_USED_UH = "Nettverk", "Brukt eier", "Brukt UH"
LABEL_SUBMITTED, LABEL_COMMENT = "Levert", "Kommentar"
FIELDS = (LABEL_NETWORK, LABEL_USED_OWNER, LABEL_USED_UH, LABEL_SUBMITTED, LABEL_COMMENT)


def read_decision(path: Path, check_files: bool = True) -> tuple[DecisionRun | None, list[Finding]]:
    """The decision run reported on: what each network was granted, by party. With
    ``check_files`` its folder is checked by the hashes in its manifest first."""
    try:
        if check_files:
            manifest = read_run_folder(path)
        else:
            import json

            from .snapshot import read_bytes

            manifest = json.loads(read_bytes(path).decode("utf-8"))
        if isinstance(manifest, dict) and manifest.get("scenario"):  # an alternative: nothing was granted
            folder = path.parent.name
            message = (
                f"Kjøremappen «{folder}» under [reports] run er scenariet «{manifest['scenario']}», et alternativ "
                "for forumet og ikke et vedtak; det er ikke gitt noe tilskudd å rapportere på."
            )
            fix = "Nevn kjøremappen for grunnalternativet (den som ble vedtatt) under [reports] run."
            return None, [Finding("report.scenario", ERROR, message, file=str(path), cell="reports.run", fix=fix)]
        return decision_from_manifest(manifest, path.parent.name), []
    except FolderProblem as exc:
        code = "report.run_tampered" if exc.kind == "tampered" else "report.run_unusable"
        fix = "Pek på kjøremappen slik run laget den; kjør «verify» på den for å se hva som er endret."
        return None, [Finding(code, ERROR, exc.message, file=exc.file, cell="reports.run", fix=fix)]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return None, [
            Finding(
                "report.run_unusable",
                ERROR,
                f"Vedtaket det rapporteres på kan ikke leses ({type(exc).__name__}).",
                file=str(path),
                cell="reports.run",
                fix="Pek på kjøremappen for et vedtak med søknader (laget av run).",
            )
        ]


def decision_from_manifest(manifest: dict[str, Any], folder: str) -> DecisionRun:
    owner: dict[str, int] = {}
    uh: dict[str, int] = {}
    for app in manifest.get("applications", []):
        net = str(app["network"])
        owner[net] = owner.get(net, 0) + int(app["granted_owner"])
        uh[net] = uh.get(net, 0) + int(app["granted_uh"])
    names: dict[tuple[str, str], str] = {}
    for line in manifest.get("payments", []):
        names.setdefault((str(line["network"]), str(line["role"])), str(line.get("recipient") or ""))
    granted = {
        n: Granted(n, owner[n], uh[n], names.get((n, "Eier"), ""), names.get((n, "UH"), "")) for n in sorted(owner)
    }
    year = manifest.get("year")
    return DecisionRun(str(manifest.get("name", folder)), year if isinstance(year, int) else None, folder, granted)


def read_reports(files: list[Path]) -> tuple[list[Report], list[Finding]]:
    """Every report in ``files`` (either layout), with a finding for each problem."""
    reports: list[Report] = []
    findings: list[Finding] = []
    for path in files:
        sheets, names, found = read_workbook_sheets(path, path.name, [SHEET_ONE, SHEET_LIST])
        findings += found
        if found:
            continue
        if SHEET_ONE in sheets:
            rep, found = _one(sheets[SHEET_ONE])
            findings += found
            reports += [rep] if rep else []
        elif SHEET_LIST in sheets:
            reps, found = _list(sheets[SHEET_LIST])
            reports += reps
            findings += found
        else:
            findings.append(
                Finding(
                    "report.no_sheet",
                    ERROR,
                    f"Arbeidsboka har verken arket «{SHEET_ONE}» eller «{SHEET_LIST}» (arkene er {', '.join(names)}).",
                    file=path.name,
                    value=", ".join(names),
                    fix="Bruk malen som kommandoen «reports» skriver, uten å gi arket nytt navn.",
                )
            )
    return reports, findings


def _one(sheet: Sheet) -> tuple[Report | None, list[Finding]]:
    """A workbook per recipient: the label in column A, the value beside it."""
    where: dict[str, tuple[int, int]] = {}
    twice: list[Finding] = []
    for r, row in enumerate(sheet.rows):
        label = header_key(row[0]) if row and isinstance(row[0], str) else ""
        for name in FIELDS:
            if label == header_key(name) and name in where:  # never «the first row wins»
                first = a1(where[name][0], 0)
                twice.append(
                    Finding(
                        "report.value",
                        ERROR,
                        f"Feltet «{name}» står to ganger i rapporten: i {first} og i {a1(r, 0)}.",
                        file=sheet.file,
                        sheet=sheet.name,
                        cell=a1(r, 0),
                        value=name,
                        fix=f"Slett den ene raden «{name}», så bare den riktige verdien står igjen.",
                    )
                )
            elif label == header_key(name):
                where[name] = (r, 1)
    if twice:
        return None, twice
    return _report(sheet, where)


def _list(sheet: Sheet) -> tuple[list[Report], list[Finding]]:
    """The list layout: one network a row under the header row."""
    header, cols = find_header(sheet.rows, LABEL_NETWORK)
    if header is None:
        return [], [_missing(sheet, LABEL_NETWORK, "A1")]
    out: list[Report] = []
    findings: list[Finding] = []
    for r in range(header + 1, len(sheet.rows)):
        where = {name: (r, cols[header_key(name)]) for name in FIELDS if header_key(name) in cols}
        filled = [sheet.cell(*where[k]) for k in (LABEL_USED_OWNER, LABEL_USED_UH, LABEL_SUBMITTED) if k in where]
        if all(is_blank(v) for v in filled) or all(is_blank(v) for v in sheet.rows[r]):
            continue  # a row not yet reported on: the network has not reported (never read as 0)
        rep, found = _report(sheet, where)
        findings += found
        out += [rep] if rep else []
    return out, findings


def _report(sheet: Sheet, where: dict[str, tuple[int, int]]) -> tuple[Report | None, list[Finding]]:
    findings: list[Finding] = []
    if LABEL_NETWORK not in where:
        return None, [_missing(sheet, LABEL_NETWORK, "A1")]
    nr, nc = where[LABEL_NETWORK]
    network = cell_text(sheet.cell(nr, nc))
    if not network:
        return None, [_missing(sheet, LABEL_NETWORK, a1(nr, nc))]
    used: list[int | None] = []
    for label in (LABEL_USED_OWNER, LABEL_USED_UH):
        if label not in where:
            findings.append(_missing(sheet, label, a1(nr, 0)))
            used.append(None)
            continue
        r, c = where[label]
        raw = sheet.cell(r, c)
        parsed = parse_amount(raw)
        if not isinstance(parsed.value, int) or parsed.value < 0:
            problem = parsed.problem or ("er tom" if is_blank(raw) else "er negativt")
            findings.append(
                Finding(
                    "report.value",
                    ERROR,
                    f"«{label}» for {network} {problem}.",
                    file=sheet.file,
                    sheet=sheet.name,
                    cell=a1(r, c),
                    value=cell_text(raw),
                    expected="hele kroner, 0 eller mer",
                    fix="Skriv hvor mye som ble brukt i hele kroner (0 hvis ingenting ble brukt).",
                )
            )
            used.append(None)
        else:
            used.append(parsed.value)
    submitted = None
    if LABEL_SUBMITTED in where:
        r, c = where[LABEL_SUBMITTED]
        submitted, date_problem, date_fix = _date(sheet.cell(r, c))
        if date_problem:
            findings.append(
                Finding(
                    "report.value",
                    ERROR,
                    f"«{LABEL_SUBMITTED}» for {network} {date_problem}.",
                    file=sheet.file,
                    sheet=sheet.name,
                    cell=a1(r, c),
                    value=cell_text(sheet.cell(r, c)),
                    fix=date_fix,
                )
            )
    comment = cell_text(sheet.cell(*where[LABEL_COMMENT])) if LABEL_COMMENT in where else ""
    if used[0] is None or used[1] is None:
        return None, findings
    cells = tuple(a1(*where[k]) for k in (LABEL_USED_OWNER, LABEL_USED_UH))
    at = a1(*where[LABEL_SUBMITTED]) if LABEL_SUBMITTED in where else ""
    rep = Report(
        network, used[0], used[1], submitted, sheet.file, sheet.name, a1(nr, nc), (cells[0], cells[1]), comment, at
    )
    return rep, findings


def _missing(sheet: Sheet, label: str, cell: str) -> Finding:
    return Finding(
        "report.value",
        ERROR,
        f"Feltet «{label}» mangler eller er tomt.",
        file=sheet.file,
        sheet=sheet.name,
        cell=cell,
        expected=label,
        fix=f"Bruk malen fra «reports» og fyll inn «{label}».",
    )
