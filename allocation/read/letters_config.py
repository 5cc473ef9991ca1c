"""The ``[letters]`` section of the configuration, read strictly (unknown keys are findings)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..model.letter_settings import (
    DATE_KEYS,
    LETTER_KEYS,
    NOTE_KEYS,
    REQUIRED_KEYS,
    TEXT_KEYS,
    LetterSettings,
    canonical_standard,
)
from ..model.names import name_key
from .toml_values import ON_DISK, Paths, Problems, input_path, parse_table, parse_text


def parse_letters(
    p: Problems, base: Path, raw: Any, overrides: dict[str, Any], paths: Paths = ON_DISK, deferred: bool = False
) -> LetterSettings | None:
    """``[letters]`` as :class:`LetterSettings`, or None when the section is absent. With
    ``deferred`` (a parameters workbook, whose sheet «Brev» may hold them) required values are
    checked later, by :func:`allocation.read.letters_sheet.apply_letter_sheet`."""
    if raw is None:
        return None
    table = parse_table(p, "letters", raw)
    p.unknown_keys(table, LETTER_KEYS, "[letters]")
    for key in () if deferred else REQUIRED_KEYS:
        if key not in table:
            p.add(
                "config.missing",
                f"letters.{key}",
                f"[letters] mangler {key}; den står i hvert brev.",
                f"Legg til {key} under [letters] (se brukerveiledningen).",
            )
    texts = {key: parse_text(p, f"letters.{key}", table.get(key)) for key in TEXT_KEYS}
    dates = {key: _date(p, f"letters.{key}", table.get(key)) for key in DATE_KEYS}
    templates = _templates(p, base, table.get("templates"), overrides, paths)
    language_text = parse_text(p, "letters.language", table.get("language")) or "bokmål"
    language = canonical_standard(language_text, [name for name, _ in templates])
    if language is None:
        p.add(
            "config.letters_language",
            "letters.language",
            f"Målformen «{language_text}» er ukjent.",
            "Skriv «bokmål» eller «nynorsk» (nb/nn), eller legg til en mal for målformen under [letters.templates].",
            language_text,
        )
        language = "bokmål"
    return LetterSettings(
        language=language,
        decision_date=dates["decision_date"],
        reporting_deadline=dates["reporting_deadline"],
        payment_date=dates["payment_date"],
        appeal_deadline=dates["appeal_deadline"],
        case_number=texts["case_number"],
        saksbehandler=texts["saksbehandler"],
        saksbehandler_title=texts["saksbehandler_title"],
        beslutningstaker=texts["beslutningstaker"],
        beslutningstaker_title=texts["beslutningstaker_title"],
        appeal_address=texts["appeal_address"],
        purpose=texts["purpose"],
        templates=templates,
        internal=_names(p, "letters.internal", table.get("internal")),
        notes=_notes(p, table.get("notes")),
        labels=_labels(p, table.get("labels")),
    )


def _date(p: Problems, where: str, value: Any) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        p.add(
            "config.type", where, f"{where} må være en dato, f.eks. 2026-03-15.", "Skriv datoen som ÅÅÅÅ-MM-DD.", value
        )
        return None
    return value


def _names(p: Problems, where: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        p.add("config.type", where, f"{where} må være en liste med navn.", 'Skriv f.eks. ["Fellestiltak"].', value)
        return ()
    return tuple(value)


def _templates(
    p: Problems, base: Path, raw: Any, overrides: dict[str, Any], paths: Paths
) -> tuple[tuple[str, Path], ...]:
    """``[letters.templates]``: written standard -> .docx template, relative to the configuration."""
    out = []
    given = overrides.get("letter_templates", {})
    seen: dict[str, str] = {}  # one standard, two spellings (nn and nynorsk): never «the first one wins»
    for standard, text in parse_table(p, "letters.templates", raw).items():
        where = f"letters.templates.{standard}"
        same = name_key(canonical_standard(standard, ()) or standard)
        if same in seen:
            p.add(
                "config.duplicate_name",
                where,
                f"[letters.templates] nevner samme målform to ganger: «{seen[same]}» og «{standard}».",
                "Skriv målformen bare én gang; det er ikke gitt hvilken mal som skal gjelde.",
                standard,
            )
            continue
        seen[same] = standard
        name = parse_text(p, where, text)
        if name:
            out.append((standard, input_path(p, base, where, name, given.get(standard), paths)))
    return tuple(out)


def _notes(p: Problems, raw: Any) -> tuple[tuple[str, str], ...]:
    table = parse_table(p, "letters.notes", raw)
    p.unknown_keys(table, NOTE_KEYS, "[letters.notes]")
    return tuple((k, parse_text(p, f"letters.notes.{k}", v)) for k, v in table.items() if k in NOTE_KEYS)


def _labels(p: Problems, raw: Any) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """``[letters.labels.<standard>]``: pot and column names as letters in that standard write them."""
    out = []
    for standard, pairs in parse_table(p, "letters.labels", raw).items():
        where = f"letters.labels.{standard}"
        table = parse_table(p, where, pairs)
        out.append((standard, tuple((k, parse_text(p, f"{where}.{k}", v)) for k, v in table.items())))
    return tuple(out)
