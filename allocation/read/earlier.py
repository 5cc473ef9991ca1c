"""Earlier decisions read from their own run folders, and the forum's changes to them.

``[inputs] earlier_decisions`` names run folders of earlier years (and ``first_round`` the
first round of this year). Each folder's ``manifest.json`` is read through the run's
snapshot (so the copy in ``inputs/`` is the bytes the numbers came from) and every file it
lists is checked against its SHA-256: a missing or changed file, or a folder without the
manifest, is an error naming the folder; the same folder (or the same decision copied to two
folders) named twice is an error. ``verify`` re-runs from the copy of the manifest, where
the folder's other files are not at hand (``check_files`` False).

The sheet ``Tilsagnsendringer`` of the parameters workbook (Vedtak, Nettverk, Mottaker, År,
Nytt beløp, Merknad) lists the forum's changes and cancellations of earlier commitments.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from ..model.commitments import Change, Commitment, Decision
from ..model.findings import ERROR, Finding
from .snapshot import read_bytes
from .values import parse_amount
from .workbooks import cell_text, find_header, header_key, is_blank, read_workbook_sheets

CHANGES_SHEET = "Tilsagnsendringer"
CHANGE_HEADERS = ["Vedtak", "Nettverk", "Mottaker", "År", "Nytt beløp", "Merknad"]
FIX_FOLDER = "Pek på den urørte kjøremappen for vedtaket (den run laget), eller kjør det året på nytt."


def read_decisions(
    folders: list[tuple[str, Path]], where: str, file: str, check_files: bool = True
) -> tuple[list[Decision], list[Finding]]:
    """Each earlier folder's decision: (text in the configuration, path of its manifest.json)."""
    out: list[Decision] = []
    findings: list[Finding] = []
    seen: dict[str, str] = {}
    for i, (text, manifest) in enumerate(folders, start=1):
        cell = f"{where}[{i}]" if where.endswith("decisions") else where
        real = os.path.realpath(manifest.parent if check_files else manifest)
        if real in seen:
            findings.append(_twice(file, cell, text, seen[real]))
            continue
        decision, found = _read_one(text, manifest, file, cell, check_files)
        findings += found
        if decision is None:
            continue
        if decision.manifest_sha256 in seen:
            findings.append(_twice(file, cell, text, seen[decision.manifest_sha256]))
            continue
        seen[real] = seen[decision.manifest_sha256] = text
        out.append(decision)
    return out, findings


def _twice(file: str, cell: str, text: str, first: str) -> Finding:
    return Finding(
        "earlier.twice",
        ERROR,
        f"Vedtaket i «{text}» er allerede nevnt som «{first}»; tilsagnene ville blitt trukket to ganger.",
        file=file,
        cell=cell,
        value=text,
        fix="Nevn hver tidligere kjøremappe bare én gang.",
    )


def _problem(code: str, message: str, file: str, cell: str, text: str) -> Finding:
    return Finding(code, ERROR, message, file=file, cell=cell, value=text, fix=FIX_FOLDER)


def _read_one(text: str, manifest: Path, file: str, cell: str, check: bool) -> tuple[Decision | None, list[Finding]]:
    try:
        raw = read_bytes(manifest)
        data = json.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        msg = f"Finner ikke den tidligere kjøremappen «{text}» (ingen manifest.json i {manifest.parent})."
        return None, [_problem("earlier.missing", msg, file, cell, text)]
    except (OSError, ValueError) as exc:
        msg = f"manifest.json i den tidligere kjøremappen «{text}» kan ikke leses ({type(exc).__name__})."
        return None, [_problem("earlier.unreadable", msg, file, cell, text)]
    if check:
        changed = changed_files(manifest.parent, data)
        if changed:
            msg = f"Den tidligere kjøremappen «{text}» er endret eller ufullstendig: {'; '.join(changed[:5])}."
            return None, [_problem("earlier.tampered", msg, file, cell, text)]
    if isinstance(data, dict) and data.get("scenario"):  # an alternative for the forum: never decided
        msg = (
            f"Kjøremappen «{text}» er scenariet «{data['scenario']}», et alternativ for forumet og ikke et "
            "vedtak; tilsagnene der er aldri gitt."
        )
        fix = "Nevn kjøremappen for grunnalternativet (den som ble vedtatt) i stedet for scenariets mappe."
        return None, [Finding("earlier.scenario", ERROR, msg, file=file, cell=cell, value=text, fix=fix)]
    try:
        decision = _decision(text, data, hashlib.sha256(raw).hexdigest(), manifest)
    except (KeyError, TypeError, ValueError, AttributeError):
        msg = (
            f"Kjøremappen «{text}» har ingen tilsagn i manifest.json (en kjøring uten søknader, "
            "eller laget av en eldre versjon)."
        )
        return None, [_problem("earlier.no_commitments", msg, file, cell, text)]
    return decision, []


def changed_files(folder: Path, data: Any) -> list[str]:
    """Every file the manifest lists that is missing (or outside the folder) or no longer has
    its SHA-256; the check of :mod:`read.run_folder`, every problem named."""
    from .run_folder import file_problems, listed_files

    try:
        files = listed_files(data)
    except (KeyError, TypeError, AttributeError):
        return ["manifest.json mangler filer eller kontrollsummer"]
    said = {"missing": "mangler", "changed": "er endret"}
    return [f"{rel} {said[problem]}" for rel, problem in file_problems(folder, files)]


def _decision(text: str, data: dict[str, Any], sha: str, manifest: Path) -> Decision:
    c = data["commitments"]
    made = tuple(
        Commitment(
            str(m["network"]),
            str(m["role"]),
            str(m["recipient"]),
            str(m.get("orgnr") or ""),
            int(m["year"]),
            int(m["payment_year"]) if m.get("payment_year") is not None else None,
            int(m["amount"]),
        )
        for m in c["made"]
    )
    nets = tuple((str(n["name"]), n.get("granted")) for n in data["networks"])
    year = c.get("decision_year")
    return Decision(
        text,
        str(data["name"]),
        int(year) if year is not None else None,
        bool(c.get("second_round")),
        made,
        sha,
        int(data["held_back"]),
        nets,
        manifest,
    )


def read_changes(path: Path, display: str) -> tuple[list[Change], list[Finding]]:
    """The rows of ``Tilsagnsendringer`` (none when the workbook has no such sheet)."""
    sheets, _, findings = read_workbook_sheets(path, display, [CHANGES_SHEET])
    sheet = sheets.get(CHANGES_SHEET)
    if findings or sheet is None:
        return [], findings
    top, cols = find_header(sheet.rows, "Vedtak")
    missing = [h for h in CHANGE_HEADERS[:5] if header_key(h) not in cols]
    if top is None or missing:
        return [], [
            Finding(
                "earlier.change_headers",
                ERROR,
                f"Arket «{CHANGES_SHEET}» mangler kolonnene {', '.join(missing or CHANGE_HEADERS)}.",
                file=display,
                sheet=sheet.name,
                value=", ".join(missing or CHANGE_HEADERS),
                fix=f"Bruk overskriftene {', '.join(CHANGE_HEADERS)} i første rad.",
            )
        ]
    out: list[Change] = []
    for r in range(top + 1, len(sheet.rows)):
        change, found = _change_row(sheet, r, cols)
        findings += found
        if change is not None:
            out.append(change)
    return out, findings


def _change_row(sheet: Any, r: int, cols: dict[str, int]) -> tuple[Change | None, list[Finding]]:
    from ..model.cells import a1

    vals = {h: sheet.cell(r, cols[header_key(h)]) if header_key(h) in cols else None for h in CHANGE_HEADERS}
    if all(is_blank(v) for v in vals.values()):
        return None, []
    cells = {h: a1(r, cols[header_key(h)]) for h in CHANGE_HEADERS if header_key(h) in cols}
    problems = []
    amount = parse_amount(vals["Nytt beløp"])
    year = parse_amount(vals["År"])
    for head, parsed, expected in (
        ("Nytt beløp", amount, "hele kroner, 0 for å trekke tilsagnet"),
        ("År", year, "et årstall"),
    ):
        if not isinstance(parsed.value, int) or parsed.value < 0:
            problems.append(_bad_cell(sheet, cells[head], vals[head], head, expected))
    for head in ("Vedtak", "Nettverk", "Mottaker"):
        if is_blank(vals[head]):
            problems.append(_bad_cell(sheet, cells[head], vals[head], head, "et navn"))
    if problems:
        return None, problems
    assert isinstance(amount.value, int) and isinstance(year.value, int)
    return (
        Change(
            cell_text(vals["Vedtak"]),
            cell_text(vals["Nettverk"]),
            cell_text(vals["Mottaker"]),
            year.value,
            amount.value,
            cell_text(vals["Merknad"]),
            sheet.file,
            sheet.name,
            r + 1,
            cells,
        ),
        [],
    )


def _bad_cell(sheet: Any, cell: str, raw: Any, head: str, expected: str) -> Finding:
    return Finding(
        "earlier.change_value",
        ERROR,
        f"«{head}» i endringen av et tilsagn er {'tom' if is_blank(raw) else 'ikke gyldig'}.",
        file=sheet.file,
        sheet=sheet.name,
        cell=cell,
        value=cell_text(raw),
        expected=expected,
        fix=f"Skriv {expected} i kolonnen «{head}».",
    )
