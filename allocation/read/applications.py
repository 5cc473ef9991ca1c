"""Applications (søknader): one form workbook each, or one sheet of many.

Both layouts are read into the same ``Application`` fields. Form workbooks
(sheet ``Søknad``) are read by each value cell's defined name, and by its
label where a user deleted the names; list workbooks (sheet ``Søknader``)
by their headers. Every value is parsed the way people type it; every
problem names file, sheet and cell.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from ..model.applications import FIELDS, KINDS, LABELS, Application
from ..model.cells import a1
from ..model.findings import ERROR, NOTE, WARNING, Finding
from ..model.formatting import NBSP, format_kroner
from ..model.typed_entries import DATE_PATTERNS, NO_WORDS, SERIAL_DATES, YES_WORDS
from .memo import Bounded
from .snapshot import active as snapshot_active
from .snapshot import close_current as close_snapshot
from .values import (
    excel_error,
    excel_error_fix,
    excel_error_problem,
    fraction_note,
    is_total_label,
    parse_amount,
    parse_percent,
)
from .workbooks import cell_text, find_header, header_key, is_blank, preload, read_workbook_sheets, sheet_findings

FORM_SHEET = "Søknad"
LIST_SHEET = "Søknader"


def defined_name(fid: str) -> str:
    """The Excel defined name of a form field's value cell."""
    return f"soknad_{fid}"


def read_applications(
    paths: list[tuple[Path, str]], progress: Callable[[int, int, str], None] | None = None
) -> tuple[list[Application], list[Finding]]:
    """Every file's applications and findings, in the files' order (the second half read by a
    helper process where that is possible: :mod:`allocation.read.helper`)."""
    from .helper import helper_possible, map_in_order

    if helper_possible(len(paths)) and snapshot_active():
        for path, display in paths:  # the helper, a copy of this process, reads the same bytes
            preload(path, display)

    def before(i: int, item: tuple[Path, str]) -> None:
        if progress is not None:
            progress(i, len(paths), item[1])

    apps: list[Application] = []
    findings: list[Finding] = []
    # (the helper's snapshot is closed: a file the run could not read above is left to the run)
    read = map_in_order(lambda item: read_application_file(*item), paths, before, close_snapshot)
    for got, found in read:
        apps += got
        findings += found
    return apps, findings


def read_application_file(path: Path, display: str) -> tuple[list[Application], list[Finding]]:
    sheets, names, findings = read_workbook_sheets(path, display, [LIST_SHEET, FORM_SHEET])
    if findings:
        return [], findings
    if LIST_SHEET in sheets:
        return _read_list(sheets[LIST_SHEET])
    if FORM_SHEET in sheets:
        return _read_form(sheets[FORM_SHEET])
    return [], [
        Finding(
            "applications.no_sheet",
            ERROR,
            f"Finner verken arket «{FORM_SHEET}» (ett søknadsskjema) eller «{LIST_SHEET}» (liste).",
            file=display,
            value=", ".join(names),
            expected=f"{FORM_SHEET} eller {LIST_SHEET}",
            fix="Bruk malene fra «run_allocation.py templates», og behold arknavnet.",
        )
    ]


def _read_list(sheet: Any) -> tuple[list[Application], list[Finding]]:
    header_row, colmap = find_header(sheet.rows, "Nettverk")
    if header_row is None:
        return [], [
            Finding(
                "applications.no_header",
                ERROR,
                "Finner ikke overskriftsraden (med «Nettverk»).",
                file=sheet.file,
                sheet=sheet.name,
                cell="A1",
                fix="Bruk overskriftene fra malen.",
            )
        ]
    findings = sheet_findings(sheet, header_row)
    needed = ["network", "confirmed", "owner_y1", "uh_y1"]
    for fid in needed:
        if header_key(LABELS[fid]) not in colmap:
            findings.append(
                Finding(
                    "applications.missing_column",
                    ERROR,
                    f"Kolonnen «{LABELS[fid]}» mangler.",
                    file=sheet.file,
                    sheet=sheet.name,
                    cell=a1(header_row, 0),
                    expected=LABELS[fid],
                    fix=f"Legg til kolonnen «{LABELS[fid]}» slik den står i malen.",
                )
            )
    if findings:
        return [], findings
    apps = []
    for r in range(header_row + 1, len(sheet.rows)):
        raw = {
            fid: (sheet.cell(r, colmap[header_key(label)]), a1(r, colmap[header_key(label)]))
            for fid, label, _ in FIELDS
            if header_key(label) in colmap
        }
        if all(is_blank(v) for v, _ in raw.values()):
            continue
        label = next((raw[f] for f in ("network", "tiltak") if f in raw and is_total_label(raw[f][0])), None)
        if label is None and is_total_label(sheet.cell(r, 0)):
            label = (sheet.cell(r, 0), a1(r, 0))
        if label is not None:
            findings.append(
                Finding(
                    "applications.total_row",
                    NOTE,
                    f"Raden «{cell_text(label[0])}» (rad {r + 1}) er en summerad og er ikke lest som en søknad.",
                    file=sheet.file,
                    sheet=sheet.name,
                    cell=label[1],
                    value=cell_text(label[0]),
                )
            )
            continue
        app = Application(sheet.file, sheet.name, r)
        findings += _parse_fields(app, raw) + _missing_year1(app, raw)
        apps.append(app)
    return apps, findings


# Each field with its label, its defined name as looked up (case-folded) and its label's key.
_FIELD_KEYS = [(fid, label, defined_name(fid).casefold(), header_key(label)) for fid, label, _ in FIELDS]


def _read_form(sheet: Any) -> tuple[list[Application], list[Finding]]:
    names = sheet.defined_names
    labels: dict[str, int] = {}
    for r, row in enumerate(sheet.rows):
        if row and isinstance(row[0], str):
            labels.setdefault(header_key(row[0]), r)
    raw: dict[str, tuple[Any, str]] = {}
    missing = []
    moved: list[Finding] = []
    sheet_key = header_key(sheet.name)
    for fid, label, name, label_key in _FIELD_KEYS:
        ref = names.get(name)
        if ref is not None and ref[0] == sheet_key:
            r, c = ref[1], ref[2]
            label_row = labels.get(label_key)
            if label_row is not None and label_row != r:
                moved.append(_name_away_from_label(sheet, fid, (r, c), label_row))
        elif label_key in labels:
            r, c = labels[label_key], 1
        else:
            missing.append(label)
            continue
        raw[fid] = (sheet.cell(r, c), a1(r, c))
    app = Application(sheet.file, sheet.name, None)
    findings = sheet_findings(sheet, -1, merged_is_error=False) + moved
    findings += _parse_fields(app, raw) + _missing_year1(app, raw)
    for label in missing:
        if label in (LABELS["network"], LABELS["owner_y1"], LABELS["uh_y1"], LABELS["confirmed"]):
            findings.append(
                Finding(
                    "applications.missing_field",
                    ERROR,
                    f"Skjemaet mangler feltet «{label}».",
                    file=sheet.file,
                    sheet=sheet.name,
                    expected=label,
                    fix="Bruk skjemaet fra malen; ikke slett rader med ledetekst.",
                )
            )
    return [app], findings


def _name_away_from_label(sheet: Any, fid: str, cell: tuple[int, int], label_row: int) -> Finding:
    """The defined name of a field points to another row than its label: which value is meant?"""
    name_ref, label_ref = a1(*cell), a1(label_row, 0)
    shown = cell_text(sheet.cell(*cell))
    return Finding(
        "applications.name_away_from_label",
        WARNING,
        f"Navnet {defined_name(fid)} peker på celle {name_ref}, men ledeteksten «{LABELS[fid]}» står i "
        f"{label_ref} (rad {label_row + 1}). Verdien i {name_ref} («{shown}») er brukt.",
        file=sheet.file,
        sheet=sheet.name,
        cell=name_ref,
        value=shown,
        expected=f"verdien på rad {label_row + 1}, ved siden av {label_ref}",
        fix=f"Kontroller at {name_ref} er riktig felt. Flytt verdien til raden med ledeteksten, eller rett "
        "navnet under Formler → Navnebehandling, så navn og ledetekst står på samme rad.",
    )


def _missing_year1(app: Application, raw: dict[str, tuple[Any, str]]) -> list[Finding]:
    """A blank year-1 amount is not a request for 0 kr (a typed 0 is)."""
    out = []
    for fid in ("owner_y1", "uh_y1"):
        if fid in raw and is_blank(raw[fid][0]):
            out.append(
                app.finding(
                    "applications.amount_missing",
                    ERROR,
                    fid,
                    f"«{LABELS[fid]}» er tom. Et tomt felt er ikke en søknad om 0 kr.",
                    "Skriv beløpet det søkes om for år 1; skriv 0 hvis det ikke søkes om noe.",
                    expected="hele kroner, 0 eller mer",
                )
            )
    return out


def _text(kind: str, value: Any) -> str:
    """The cell as a person reads it; a whole number in an amount field grouped like kroner
    (``6 000 000``, with non-breaking spaces), as the form's own amounts are written."""
    if kind == "amount" and type(value) in (int, float) and abs(value) < 10**15 and float(value).is_integer():
        return format_kroner(int(value)).replace(" ", NBSP)
    return cell_text(value)


def _parse_fields(app: Application, raw: dict[str, tuple[Any, str]]) -> list[Finding]:
    findings = []
    for fid, (value, ref) in raw.items():
        kind = KINDS[fid]
        field = _field(kind, value)
        app.cells[fid] = ref
        app.texts[fid] = field.text
        if field.estimate:
            app.estimates.add(fid)
        if field.as_fraction and not field.problem and field.value is not None:
            findings.append(
                app.finding(
                    "value.fraction_read_as_percent",
                    WARNING,
                    fid,
                    f"«{LABELS[fid]}»: " + fraction_note(value, field.value),
                    "Skriv andelen i prosent (f.eks. 30 eller 30 %) hvis det var ment annerledes.",
                )
            )
        if field.problem:
            findings.append(
                Finding(
                    "applications.excel_error" if field.error else f"applications.unreadable_{kind}",
                    ERROR,
                    f"«{cell_text(value)}» i «{LABELS[fid]}» {field.problem}.",
                    file=app.file,
                    sheet=app.sheet,
                    cell=ref,
                    value=cell_text(value),
                    fix=field.fix,
                )
            )
        app.values[fid] = field.value
    return findings


class _Field(NamedTuple):
    """A field's cell read: its text as a person reads it, the value, the problem and its fix,
    whether a share was read as a fraction, whether an amount is an estimate, the Excel error."""

    text: str
    value: Any
    problem: str | None
    fix: str
    as_fraction: bool
    estimate: bool
    error: str | None


FIELD_MEMO = 1 << 14  # distinct (kind, cell) pairs remembered: forms repeat «Ja», «30 %», blanks, org.nr …
FIELD_MEMO_CHARS = 200  # longer text is read afresh
_fields_seen: Bounded[_Field] = Bounded(FIELD_MEMO)


def _field(kind: str, value: Any) -> _Field:
    """:func:`_read_field`, remembered for plain text, numbers and blanks (a number by its repr,
    so that -0.0 is not 0.0); other cells (dates, booleans, error and per-cent cells) are read afresh."""
    t = type(value)
    if t is str:
        if len(value) > FIELD_MEMO_CHARS:
            return _read_field(kind, value)
        key: tuple[str, type, Any] = (kind, t, value)
    elif t is float or t is int:
        key = (kind, t, repr(value))
    elif value is None:
        key = (kind, t, None)
    else:
        return _read_field(kind, value)
    found = _fields_seen.get(key)
    if found is None:
        field = _read_field(kind, value)
        _fields_seen.keep(key, field)
        return field
    return found[0]


def _read_field(kind: str, value: Any) -> _Field:
    """A field's cell read by its kind: depends on nothing but the kind and the cell."""
    error = excel_error(value)
    if kind == "share" and not error:
        p = parse_percent(value)
        return _Field(_text(kind, value), p.value, p.problem, _SHARE_FIX, p.read_as_fraction, False, error)
    parsed, problem, fix, estimate = _parse_value(kind, value, error)
    return _Field(_text(kind, value), parsed, problem, fix, False, estimate, error)


_SHARE_FIX = "Skriv andelen i prosent, f.eks. 30 eller 30 %."


def _parse_value(kind: str, value: Any, error: str | None) -> tuple[Any, str | None, str, bool]:
    """(value, problem, fix, whether an amount is an estimate); ``error``: the Excel error in the cell."""
    if error:
        return None, excel_error_problem(error), excel_error_fix(error), False
    if kind == "amount":
        p = parse_amount(value)
        hint = "Skriv beløpet med sifre i hele kroner, f.eks. 1 580 500."
        if p.problem and "tusen" in p.problem:
            hint = "Skriv beløpet uten punktum, f.eks. 1500 eller 1 500."
        return p.value, p.problem, hint, p.estimate
    if kind == "share":
        p = parse_percent(value)
        return p.value, p.problem, _SHARE_FIX, False
    if kind == "yesno":
        text = header_key(cell_text(value))
        if value is True or text in YES_WORDS:
            return True, None, "", False
        if value is False or text in NO_WORDS:
            return False, None, "", False
        if is_blank(value):
            return None, None, "", False
        return None, "er verken Ja eller Nei", "Skriv Ja eller Nei.", False
    if kind == "date":
        return (*_date(value), False)
    if kind in ("orgnr", "account"):
        if is_blank(value):
            return None, None, "", False
        if isinstance(value, float) and value.is_integer():
            value = str(int(value))
        return re.sub(r"[\s.\u00a0\u202f-]", "", cell_text(value)), None, "", False
    text = cell_text(value)
    return (text or None), None, "", False


def _date(value: Any) -> tuple[dt.date | None, str | None, str]:
    fix = "Skriv datoen som dd.mm.åååå, f.eks. 15.01.2025."
    if is_blank(value):
        return None, None, ""
    if isinstance(value, dt.datetime):
        return value.date(), None, ""
    if isinstance(value, dt.date):
        return value, None, ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and SERIAL_DATES[0] < value < SERIAL_DATES[1]:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value)), None, ""  # an Excel serial date
    text = cell_text(value)
    for pattern in DATE_PATTERNS:
        try:
            return dt.datetime.strptime(text, pattern).date(), None, ""
        except ValueError:
            continue
    return None, "er ikke en dato", fix
