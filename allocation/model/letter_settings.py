"""The ``[letters]`` section: what every decision letter of a run shares.

Pure data; :mod:`allocation.read.letters_config` reads it from the TOML.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .names import name_key

BOKMAAL, NYNORSK = "bokmål", "nynorsk"
STANDARD_ALIASES = {"bokmål": BOKMAAL, "bokmal": BOKMAAL, "nb": BOKMAAL, "nynorsk": NYNORSK, "nn": NYNORSK}
BUNDLED_TEMPLATES = {BOKMAAL: "brevmal-nb.docx", NYNORSK: "brevmal-nn.docx"}

LETTER_KEYS = {
    "language",
    "decision_date",
    "case_number",
    "saksbehandler",
    "saksbehandler_title",
    "beslutningstaker",
    "beslutningstaker_title",
    "reporting_deadline",
    "payment_date",
    "appeal_deadline",
    "appeal_address",
    "purpose",
    "templates",
    "internal",
    "notes",
    "labels",
}
TEXT_KEYS = (
    "case_number",
    "saksbehandler",
    "saksbehandler_title",
    "beslutningstaker",
    "beslutningstaker_title",
    "appeal_address",
    "purpose",
)
DATE_KEYS = ("decision_date", "reporting_deadline", "payment_date", "appeal_deadline")
REQUIRED_KEYS = (
    "decision_date",
    "case_number",
    "saksbehandler",
    "beslutningstaker",
    "reporting_deadline",
    "appeal_address",
)
NOTE_KEYS = set(TEXT_KEYS) | set(DATE_KEYS) | {"language"}


@dataclass(frozen=True)
class LetterSettings:
    """The decision's metadata and the templates, from ``[letters]``."""

    language: str = BOKMAAL  # the default written standard
    decision_date: dt.date | None = None
    case_number: str = ""
    saksbehandler: str = ""
    saksbehandler_title: str = ""
    beslutningstaker: str = ""
    beslutningstaker_title: str = ""
    reporting_deadline: dt.date | None = None
    payment_date: dt.date | None = None
    appeal_deadline: dt.date | None = None  # default: three weeks after the decision date
    appeal_address: str = ""
    purpose: str = ""  # the grant's purpose in the county's words (default: the bundled text)
    templates: tuple[tuple[str, Path], ...] = ()  # written standard -> the county's own template
    internal: tuple[str, ...] = ()  # named recipients inside the Statsforvalteren: no letter
    notes: tuple[tuple[str, str], ...] = field(default=())  # key -> where the value was decided
    labels: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()  # standard -> pot/column name -> as written

    def label(self, standard: str, text: str) -> str:
        """A pot or column name as letters in ``standard`` write it (``[letters.labels.<standard>]``)."""
        for name, pairs in self.labels:
            if _same_standard(name, standard):
                for given, written in pairs:
                    if name_key(given) == name_key(text):
                        return written
        return text

    def template_for(self, standard: str) -> Path | None:
        """The county's template for ``standard``, or None (the bundled one is used)."""
        for name, path in self.templates:
            if _same_standard(name, standard):
                return path
        return None

    def standards(self) -> list[str]:
        """Every written standard a letter can be written in: the bundled two and the county's own."""
        out = [BOKMAAL, NYNORSK]
        out += [name for name, _ in self.templates if canonical_standard(name, ()) is None]
        return out

    def is_internal(self, recipient: str) -> bool:
        return name_key(recipient) in {name_key(n) for n in self.internal}

    def appeal_until(self) -> dt.date | None:
        if self.appeal_deadline is not None:
            return self.appeal_deadline
        return self.decision_date + dt.timedelta(weeks=3) if self.decision_date else None


def canonical_standard(text: str, extra: tuple[str, ...] | list[str]) -> str | None:
    """``nb``/``bokmål`` -> bokmål, ``nn``/``nynorsk`` -> nynorsk, a configured standard by its
    configured spelling; None for anything else."""
    key = name_key(text)
    if key in STANDARD_ALIASES:
        return STANDARD_ALIASES[key]
    for name in extra:
        if name_key(name) == key:
            return name
    return None


def _same_standard(a: str, b: str) -> bool:
    """``nb`` and ``bokmål`` (``nn`` and ``nynorsk``) are one standard; others by their name."""
    return name_key(canonical_standard(a, ()) or a) == name_key(canonical_standard(b, ()) or b)
