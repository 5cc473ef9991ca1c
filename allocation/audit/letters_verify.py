"""``verify`` for the letters: each letter in ``brev/`` re-rendered from the re-run and its text
compared paragraph by paragraph and cell by cell, so an edited amount, account or name in a
letter is a difference naming the letter and the text (its hash is checked with the files)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..model.findings import ERROR, Finding
from ..write.docx_bytes import docx_text

LETTER_DIR = "brev"
SHOWN = 10  # differences shown per letter


class BadLetters(ValueError):
    """The manifest's ``letters`` has the wrong shape (the folder cannot be trusted)."""


def letter_files(manifest: dict[str, Any]) -> list[tuple[str, Any, str]]:
    """Every letter file the manifest lists, as (path, sha256, key): letters, PDF copies, the list."""
    out: list[tuple[str, Any, str]] = []
    letters = manifest.get("letters", [])
    if not isinstance(letters, list):
        raise BadLetters("letters")
    for i, e in enumerate(letters):
        if not isinstance(e, dict) or not isinstance(e.get("file"), str):
            raise BadLetters(f"letters[{i}]")
        out.append((e["file"], e.get("sha256"), f"letters[{i}]"))
        pdf = e.get("pdf")
        if pdf is not None:
            if not isinstance(pdf, dict) or not isinstance(pdf.get("file"), str):
                raise BadLetters(f"letters[{i}].pdf")
            out.append((pdf["file"], pdf.get("sha256"), f"letters[{i}].pdf"))
    if "letter_list" in manifest:
        ll = manifest["letter_list"]
        if not isinstance(ll, dict) or not isinstance(ll.get("file"), str):
            raise BadLetters("letter_list")
        out.append((ll["file"], ll.get("sha256"), "letter_list"))
    return out


def rebuilt_letters(
    run_dir: Path, manifest: dict[str, Any], prepared: Any, result: Any, created: dt.datetime
) -> tuple[dict[str, Any], list[Finding]]:
    """The manifest's fingerprint and letters as the re-run makes them, and the differences
    between each stored letter's text and the re-rendered one."""
    from ..write.letter_content import decision_metadata
    from ..write.letters import letter_entry, letter_list_bytes, letters_wanted, render_all
    from .manifest import fingerprint

    print_ = fingerprint(manifest["config"], manifest["inputs"])
    fresh: dict[str, Any] = {"fingerprint": print_}
    if not letters_wanted(prepared) or prepared.config.letters is None:
        return fresh, []
    stored = {e.get("file"): e for e in manifest.get("letters", []) if isinstance(e, dict)}
    entries, findings = [], []
    for letter, template, data in render_all(prepared, result, print_, created):
        entry = letter_entry(letter, template, data)
        old = stored.get(letter.file, {})
        if "pdf" in old:  # PDF copies are checked by their hash: LibreOffice is not re-run
            entry["pdf"] = old["pdf"]
        entries.append(entry)
        path = run_dir / letter.file
        if path.is_file() and not path.is_symlink():
            findings += compare_letter(path, data, letter.file)
    import hashlib

    fresh["letter_metadata"] = decision_metadata(prepared.config.letters)
    fresh["letters"] = entries
    list_bytes = letter_list_bytes(entries, prepared.config.name)
    fresh["letter_list"] = {"file": f"{LETTER_DIR}/brevliste.xlsx", "sha256": hashlib.sha256(list_bytes).hexdigest()}
    return fresh, findings


def compare_letter(path: Path, rebuilt: bytes, file: str) -> list[Finding]:
    """The stored letter's text against the re-rendered one's, paragraph by paragraph."""
    try:
        old = docx_text(path.read_bytes())
    except Exception as exc:  # noqa: BLE001 - a damaged letter is a difference, not a crash
        return [_differ(file, f"Brevet kan ikke leses som Word-dokument ({type(exc).__name__}).", "", "")]
    new = docx_text(rebuilt)
    out = []
    for i in range(max(len(old), len(new))):
        a = old[i] if i < len(old) else ""
        b = new[i] if i < len(new) else ""
        if a != b:
            out.append(
                _differ(file, f"Teksten i avsnitt/celle {i + 1} er endret: «{a}» i brevet, «{b}» ved ny kjøring.", a, b)
            )
    if len(out) > SHOWN:
        out = out[:SHOWN] + [_differ(file, f"… og {len(out) - SHOWN} forskjeller til i brevet.", "", "")]
    return out


def _differ(file: str, message: str, value: str, expected: str) -> Finding:
    return Finding(
        "verify.letter_differs",
        ERROR,
        message,
        file=file,
        value=value,
        expected=expected,
        fix="Lag brevene på nytt med run fra de opprinnelige filene; "
        "rett aldri beløp eller kontonummer i et brev for hånd.",
    )
