"""Municipality numbers with validity dates (Statistics Norway's classification 131) and the
changes between them (mergers, splits, new numbers in the 2020 and 2024 reforms).

Pure data and lookups: which number is valid on a day, and what became of one that is not.
Names are compared with and without their Sami forms: «Harstad – Hárstták», «Harstad» and
«Hárstták» name the same municipality.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Municipality:
    """A municipality in the code list, valid from a day up to (not including) another."""

    code: str
    name: str
    valid_from: dt.date
    valid_to: dt.date | None  # exclusive, as in KLASS: the first day it is no longer valid

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


@dataclass(frozen=True)
class Change:
    """A change in the code list: a municipality merged, split or given a new number on a day."""

    old_code: str
    old_name: str
    new_code: str
    new_name: str
    occurred: dt.date


@dataclass(frozen=True)
class Status:
    """What a number is on a day: ``valid``, ``old`` (one successor), ``split`` (several),
    ``not_yet`` (valid only later) or ``unknown``."""

    kind: str
    municipality: Municipality | None = None  # the valid one, or the latest version of an old one
    successors: tuple[Municipality, ...] = ()


@dataclass(frozen=True)
class CodeList:
    """The municipality code list (classification 131) with its changes, as read from its files."""

    file: str
    municipalities: tuple[Municipality, ...]
    changes: tuple[Change, ...] = ()
    changes_file: str = ""

    def versions(self, code: str) -> list[Municipality]:
        return sorted((m for m in self.municipalities if m.code == code), key=lambda m: m.valid_from)

    def on(self, code: str, day: dt.date) -> Municipality | None:
        return next((m for m in self.municipalities if m.code == code and m.valid_on(day)), None)

    def valid_codes(self, day: dt.date) -> dict[str, Municipality]:
        return {m.code: m for m in self.municipalities if m.valid_on(day)}

    def status(self, code: str, day: dt.date) -> Status:
        valid = self.on(code, day)
        if valid is not None:
            return Status("valid", valid)
        versions = self.versions(code)
        if not versions:
            return Status("unknown")
        if all(v.valid_from > day for v in versions):
            return Status("not_yet", versions[0])
        successors = self._successors(code, day)
        if not successors:
            return Status("unknown", versions[-1])
        return Status("old" if len(successors) == 1 else "split", versions[-1], successors)

    def _successors(self, code: str, day: dt.date) -> tuple[Municipality, ...]:
        """The numbers valid on ``day`` that ``code`` became, following the changes forward."""
        found: dict[str, Municipality] = {}
        seen = {code}
        todo = [code]
        while todo:
            current = todo.pop()
            for ch in self.changes:
                if ch.old_code != current or ch.occurred > day:
                    continue
                m = self.on(ch.new_code, day)
                if m is not None:
                    found[m.code] = m
                elif ch.new_code not in seen:
                    seen.add(ch.new_code)
                    todo.append(ch.new_code)
        return tuple(found[c] for c in sorted(found))


_DASH = re.compile(r"\s+[-–—]\s+")
_KOMMUNE = re.compile(r"\s+kommune\s*$", re.IGNORECASE)  # «Harstad kommune» is Harstad
_WHERE = re.compile(r"\s*\([^()]*\)\s*$")


def name_forms(name: str) -> set[str]:
    """The name whole and each of its language forms, folded: «Harstad – Hárstták» gives
    {"harstad – hárstták", "harstad", "hárstták"} (dash and hyphen alike); «Herøy (Nordland)» gives
    {"herøy"}."""
    text = unicodedata.normalize("NFC", " ".join(name.split())).casefold()
    text = _WHERE.sub("", text).strip()  # «Herøy (Nordland)»: the county in brackets is not part of the name
    parts = [p.strip() for p in _DASH.split(text) if p.strip()]
    return {" – ".join(parts), *parts} if parts else set()


def same_name(a: str, b: str) -> bool:
    """Whether two spellings name the same municipality, with or without the Sami forms."""
    fa, fb = name_forms(_KOMMUNE.sub("", a)), name_forms(_KOMMUNE.sub("", b))
    return bool(fa & fb)


def split_label(label: str) -> tuple[str, str]:
    """A statistics label «5503 Harstad - Hárstták» as (code, name); a bare code or name stays whole."""
    text = " ".join(label.split())
    head, _, rest = text.partition(" ")
    if head.isdigit():
        return head, rest
    return "", text
