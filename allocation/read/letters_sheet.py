"""The decision's metadata from the parameters workbook: sheet ``Brev`` (``Felt``, ``Verdi``,
``Vedtak``), one row per value, each with where it was decided, as an alternative to
``[letters]``. A value given in both places is an error, as for amounts."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import replace
from typing import Any

from ..model.cells import a1
from ..model.config import Config
from ..model.findings import ERROR, ConfigError, Finding
from ..model.letter_settings import DATE_KEYS, REQUIRED_KEYS, LetterSettings
from ..model.names import name_key
from ..model.typed_entries import DATE_PATTERNS, SERIAL_DATES
from .workbooks import cell_text, find_header, header_key, is_blank, read_workbook_sheets

SHEET = "Brev"
FIELDS = {
    "Vedtaksdato": "decision_date",
    "Saksnummer": "case_number",
    "Saksbehandler": "saksbehandler",
    "Saksbehandlers tittel": "saksbehandler_title",
    "Beslutningstaker": "beslutningstaker",
    "Beslutningstakers tittel": "beslutningstaker_title",
    "Rapporteringsfrist": "reporting_deadline",
    "Utbetalingsdato": "payment_date",
    "Klagefrist": "appeal_deadline",
    "Klageadresse": "appeal_address",
    "Formål": "purpose",
}


def apply_letter_sheet(config: Config) -> tuple[Config, list[Finding]]:
    """``config`` with the values of sheet «Brev» put into ``[letters]``; raises ``ConfigError``
    when a required value is given nowhere."""
    settings = config.letters
    if settings is None:
        return config, []
    values: dict[str, Any] = {}
    notes = dict(settings.notes)
    findings: list[Finding] = []
    if config.parameters is not None:
        findings = _read(config, settings, values, notes)
    merged = replace(settings, **values, notes=tuple(notes.items()))
    missing = [k for k in REQUIRED_KEYS if not getattr(merged, k)]
    if missing and not findings:  # a row that could not be read may be the missing value: reported first
        raise ConfigError(
            [
                Finding(
                    "config.missing",
                    ERROR,
                    f"[letters] mangler {key}; den står i hvert brev.",
                    file=config.path.name,
                    cell=f"letters.{key}",
                    fix=f"Legg til {key} under [letters], eller en rad «{_label(key)}» i arket «{SHEET}» "
                    "i parameterarbeidsboka.",
                )
                for key in missing
            ]
        )
    return replace(config, letters=merged), findings


def _label(key: str) -> str:
    return next(label for label, k in FIELDS.items() if k == key)


def _read(config: Config, settings: LetterSettings, values: dict[str, Any], notes: dict[str, str]) -> list[Finding]:
    assert config.parameters is not None
    file = config.parameters.name
    sheets, _, problems = read_workbook_sheets(config.parameters, file, [SHEET])
    sheet = sheets.get(SHEET)
    if problems or sheet is None:
        return []  # the parameters reader reports the file's problems; the sheet is optional
    header, colmap = find_header(sheet.rows, "Felt")
    if header is None or header_key("Verdi") not in colmap:  # the sheet is there: never silently unread
        return [_no_headers(sheet, file, header, colmap)]
    name_col, value_col = colmap[header_key("Felt")], colmap[header_key("Verdi")]
    note_col = colmap.get(header_key("Vedtak"))
    labels = {name_key(label): key for label, key in FIELDS.items()}
    out = []
    rows: dict[str, str] = {}  # key -> the cell it was read from
    for r in range(header + 1, len(sheet.rows)):
        label, raw = cell_text(sheet.cell(r, name_col)), sheet.cell(r, value_col)
        if not label:
            continue
        where = {"file": file, "sheet": SHEET, "cell": a1(r, value_col)}
        key = labels.get(name_key(label))
        if key is None:
            close = difflib.get_close_matches(label, list(FIELDS), n=1, cutoff=0.6)
            out.append(
                Finding(
                    "letters.sheet_unknown_field",
                    ERROR,
                    f"Feltet «{label}» er ukjent i arket «{SHEET}».",
                    **{**where, "cell": a1(r, name_col)},
                    value=label,
                    expected=", ".join(FIELDS),
                    fix=f"Mente du «{close[0]}»?" if close else "Gyldige felt: " + ", ".join(FIELDS) + ".",
                )
            )
            continue
        if is_blank(raw):
            continue
        value = _date(raw) if key in DATE_KEYS else cell_text(raw)
        if value is None:
            out.append(
                Finding(
                    "letters.sheet_bad_value",
                    ERROR,
                    f"«{label}» skal være en dato, fant «{cell_text(raw)}».",
                    **where,
                    value=cell_text(raw),
                    fix="Skriv datoen som dd.mm.åååå, f.eks. 14.03.2026.",
                )
            )
            continue
        if getattr(settings, key):
            out.append(
                Finding(
                    "letters.given_twice",
                    ERROR,
                    f"«{label}» står både i arket «{SHEET}» og som {key} under [letters] i {config.path.name}.",
                    **where,
                    value=cell_text(raw),
                    fix="Skriv verdien bare ett sted: ta den bort fra konfigurasjonen eller fra arket.",
                )
            )
            continue
        if key in rows:  # never «the last row wins»
            out.append(_twice(label, rows[key], where, raw))
            continue
        rows[key] = where["cell"]
        values[key] = value
        note = cell_text(sheet.cell(r, note_col)) if note_col is not None else ""
        if note:
            notes[key] = note
    return out


def _no_headers(sheet: Any, file: str, header: int | None, colmap: dict[str, int]) -> Finding:
    missing = [h for h in ("Felt", "Verdi") if header is None or header_key(h) not in colmap]
    return Finding(
        "letters.sheet_headers",
        ERROR,
        f"Arket «{SHEET}» mangler kolonnen {' og '.join(f'«{h}»' for h in missing)}, så ingen verdier "
        "i arket kan leses.",
        file=file,
        sheet=SHEET,
        cell=a1(header or 0, 0),
        value=", ".join(cell_text(v) for v in (sheet.rows[header or 0] if sheet.rows else []) if v),
        expected="Felt, Verdi, Vedtak",
        fix="Skriv overskriftene Felt, Verdi og Vedtak i første rad av arket, eller slett arket om "
        "verdiene står under [letters].",
    )


def _twice(label: str, first: str, where: dict[str, str], raw: Any) -> Finding:
    return Finding(
        "letters.given_twice",
        ERROR,
        f"«{label}» står to ganger i arket «{SHEET}»: i {first} og i {where['cell']}.",
        **where,
        value=cell_text(raw),
        fix="Skriv verdien bare én gang: slett den raden som ikke gjelder.",
    )


def _date(raw: Any) -> dt.date | None:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and SERIAL_DATES[0] < raw < SERIAL_DATES[1]:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(raw))
    for pattern in DATE_PATTERNS:
        try:
            return dt.datetime.strptime(cell_text(raw), pattern).date()
        except ValueError:
            continue
    return None
