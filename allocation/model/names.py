"""Names used as keys: one folding for all, look-alikes, and safe display.

Every name that is used as a key (networks, pots, recipients, set-asides,
commitments, sheets, headers, ``extra`` keys) is compared by :func:`name_key`.
Two names that fold differently but look the same (a Cyrillic «о» in
«Fоsen») share a :func:`skeleton`; :func:`mixed_script` tells a name that
mixes Latin with Cyrillic or Greek letters. :func:`shown` escapes what must
not reach a terminal raw (control characters, escape sequences, line
breaks, bidi overrides, invisible characters). Pure functions, no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import TypeVar

from .findings import ERROR, WARNING, Finding


def _is_invisible(ch: str) -> bool:
    """Format characters (Cf: zero-width space/joiner, word joiner, BOM, soft hyphen, bidi
    marks) and control characters that are not whitespace."""
    cat = unicodedata.category(ch)
    return cat == "Cf" or (cat == "Cc" and not ch.isspace())


def _strip_invisible(text: str) -> str:
    if text.isprintable():  # the common case: no format or control characters at all
        return text
    return "".join(ch for ch in text if not _is_invisible(ch))


_JOINERS = set("/\\&+-\u2010\u2011\u2012\u2013\u2014\u2212")


def _fold_spaces(text: str) -> str:
    """Every kind of space (NBSP, thin, narrow NBSP, ideographic, tabs, line breaks) as one
    space; none around a joining sign, so «Trondheim / Malvik» is «Trondheim/Malvik»."""
    words = text.split()
    if _JOINERS.isdisjoint(text):
        return " ".join(words)
    out: list[str] = []
    for w in words:
        if out and out[-1][-1] not in _JOINERS and w[0] not in _JOINERS:
            out.append(" ")
        out.append(w)
    return "".join(out)


_CACHED = 1 << 16  # distinct names remembered by the cached foldings (a counts sheet repeats each name)


def name_key(name: str) -> str:
    """The key names are compared and ordered by: Unicode NFC, case-folded, every kind of
    space folded to one (none around «/», «-», «&», «+»), invisible characters removed."""
    return _name_key(name if type(name) is str else str(name))


@lru_cache(maxsize=_CACHED)
def _name_key(name: str) -> str:
    text = unicodedata.normalize("NFC", _strip_invisible(name))
    text = unicodedata.normalize("NFC", text.casefold())
    return _fold_spaces(text)


def visible(name: str) -> str:
    """A name as it is shown: Unicode NFC, invisible characters removed, every run of spaces one
    space, no spaces at the ends. Folds to the same key as ``name``."""
    return unicodedata.normalize("NFC", " ".join(_strip_invisible(str(name)).split()))


def has_invisible(text: str) -> bool:
    return any(_is_invisible(ch) for ch in str(text))


# Cyrillic and Greek letters that look like Latin ones (from Unicode's confusables, the
# single letters), and a few Latin letters that look like plain ones.
_HOMOGLYPHS = {
    # Cyrillic capitals
    "А": "A", "В": "B", "Е": "E", "Ѐ": "È", "Ё": "Ë", "З": "3", "Ѕ": "S", "І": "I", "Ї": "Ï", "Ј": "J",
    "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "У": "Y", "Х": "X", "Ү": "Y",
    "Ӏ": "I", "Һ": "H", "Ԁ": "D", "Ԛ": "Q", "Ԝ": "W", "Ь": "b",
    # Cyrillic small letters
    "а": "a", "в": "b", "е": "e", "ѐ": "è", "ё": "ë", "ѕ": "s", "і": "i", "ї": "ï", "ј": "j", "к": "k",
    "м": "m", "н": "h", "о": "o", "п": "n", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ү": "y",
    "ӏ": "l", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ь": "b", "г": "r", "ɡ": "g",
    # Greek capitals
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "Ϲ": "C", "Ϳ": "J",
    # Greek small letters
    "α": "a", "β": "ß", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ϲ": "c", "ϳ": "j", "μ": "u",
    # dashes and Latin look-alikes of plain letters
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "ı": "i", "ȷ": "j", "ɑ": "a", "ɩ": "i", "ʏ": "y", "ǀ": "l",
}  # fmt: skip
_TABLE = str.maketrans(_HOMOGLYPHS)


def skeleton(name: str) -> str:
    """What a name looks like: compatibility forms folded (fullwidth, ligatures), look-alike
    Cyrillic and Greek letters read as the Latin ones, then :func:`name_key`."""
    return _skeleton(name if type(name) is str else str(name))


@lru_cache(maxsize=_CACHED)
def _skeleton(name: str) -> str:
    # Folding can bring out a new look-alike (U+0345 becomes Greek iota, which reads as «i»):
    # repeat until nothing changes, so a skeleton is its own skeleton.
    for _ in range(4):
        text = unicodedata.normalize("NFKD", _strip_invisible(name)).translate(_TABLE)
        folded = name_key(unicodedata.normalize("NFKC", text))
        if folded == name:
            break
        name = folded
    return folded


_SCRIPTS = {"LATIN": "latinsk", "CYRILLIC": "kyrillisk", "GREEK": "gresk"}


def _script(ch: str) -> str | None:
    if not unicodedata.category(ch).startswith("L"):
        return None
    try:
        first = unicodedata.name(ch).split()[0]
    except ValueError:
        return None
    if first == "FULLWIDTH":
        return "LATIN" if "LATIN" in unicodedata.name(ch) else None
    return first if first in _SCRIPTS else "OTHER"


def mixed_script(name: str) -> bool:
    """A name with Latin letters and Cyrillic or Greek ones (æ ø å, Sami and accented
    letters are Latin)."""
    text = name if type(name) is str else str(name)
    return not text.isascii() and _mixed_script(text)  # plain ASCII has no Cyrillic or Greek letter


@lru_cache(maxsize=_CACHED)
def _mixed_script(name: str) -> bool:
    scripts = {_script(ch) for ch in name}
    return "LATIN" in scripts and bool(scripts & {"CYRILLIC", "GREEK"})


def foreign_letters(name: str) -> str:
    """The Cyrillic and Greek letters in a name, for a message: «о» (kyrillisk), …"""
    seen: dict[str, str] = {}
    for ch in str(name):
        s = _script(ch)
        if s in ("CYRILLIC", "GREEK"):
            seen.setdefault(ch, _SCRIPTS[s])
    return ", ".join(f"«{ch}» ({script})" for ch, script in seen.items())


SHOWN_MAX = 200  # characters of a name or value quoted back


def shown(text: object, limit: int = SHOWN_MAX) -> str:
    """Text safe for a terminal: control characters, escape sequences, line breaks,
    bidi overrides and invisible characters shown escaped (``\\x1b``, ``\\n``, ``\\u202e``).
    Text longer than a line or two is cut, saying how long it was: a cell of millions of
    characters is quoted back, not printed whole."""
    text = str(text)
    tail = ""
    if len(text) > limit:
        tail = f"… ({len(text):,} tegn)".replace(",", "\u00a0")
        text = text[:limit]
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"):
            out.append(_escape(ch))
        else:
            out.append(ch)
    return "".join(out) + tail


def _escape(ch: str) -> str:
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if ch in named:
        return named[ch]
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


T = TypeVar("T")


def duplicates(items: Iterable[tuple[str, T]]) -> list[tuple[tuple[str, T], tuple[str, T]]]:
    """Pairs (first, later) of items whose names have one :func:`name_key`."""
    first: dict[str, tuple[str, T]] = {}
    out = []
    for name, where in items:
        k = name_key(name)
        if k in first:
            out.append((first[k], (name, where)))
        else:
            first[k] = (name, where)
    return out


def lookalikes(items: Iterable[tuple[str, T]]) -> list[tuple[tuple[str, T], tuple[str, T]]]:
    """Pairs of items whose names fold differently but look the same (one skeleton)."""
    by_skeleton: dict[str, dict[str, tuple[str, T]]] = {}
    for name, where in items:
        by_skeleton.setdefault(skeleton(name), {}).setdefault(name_key(name), (name, where))
    out = []
    for group in by_skeleton.values():
        members = list(group.values())
        out += [(members[0], other) for other in members[1:]]
    return out


def name_findings(items: list[tuple[str, str]], file: str, sheet: str, what: str) -> list[Finding]:
    """Findings for names read from one place, as (name, A1 cell): two names that only look
    alike are an error naming both cells; a name mixing Latin with Cyrillic or Greek letters
    is a warning naming its cell."""
    out = []
    paired = set()
    for (a, cell_a), (b, cell_b) in lookalikes(items):
        paired |= {name_key(a), name_key(b)}
        letters = ", ".join(x for x in (foreign_letters(a), foreign_letters(b)) if x)
        out.append(
            Finding(
                "names.lookalike",
                ERROR,
                f"{what} «{shown(a)}» ({cell_a}) og «{shown(b)}» ({cell_b}) ligner hverandre, men er ikke samme "
                f"navn ({letters or 'tegn som bare ser like ut'}).",
                file=file,
                sheet=sheet,
                cell=cell_b,
                value=f"{shown(a)} / {shown(b)}",
                fix="Skriv navnet på nytt med vanlige bokstaver, likt på begge steder.",
            )
        )
    warned = set()
    for name, cell in items:
        k = name_key(name)
        if mixed_script(name) and k not in paired and k not in warned:
            warned.add(k)
            out.append(
                Finding(
                    "names.mixed_script",
                    WARNING,
                    f"{what} «{shown(name)}» blander latinske bokstaver med {foreign_letters(name)}.",
                    file=file,
                    sheet=sheet,
                    cell=cell,
                    value=shown(name),
                    fix="Skriv navnet på nytt med vanlige bokstaver (tekst limt inn fra nettsider kan ha slike tegn).",
                )
            )
    return out


def duplicate_findings(items: list[tuple[str, tuple[str, str]]], file: str, what: str, code: str) -> list[Finding]:
    """The same name twice where one is expected, items as (name, (sheet, A1 cell)): an error
    naming both places."""
    out = []
    for (a, (sheet_a, cell_a)), (b, (sheet_b, cell_b)) in duplicates(items):
        both = (
            f"{cell_a} og {cell_b}" if sheet_a == sheet_b else f"ark «{sheet_a}» {cell_a} og ark «{sheet_b}» {cell_b}"
        )
        same = f"; «{shown(a)}» og «{shown(b)}» regnes som samme navn" if a != b else ""
        out.append(
            Finding(
                code,
                ERROR,
                f"{what} «{shown(b)}» står to ganger ({both}){same}.",
                file=file,
                sheet=sheet_b,
                cell=cell_b,
                value=shown(b),
                fix="Slett den ene, eller gi dem ulike navn; det er ikke gitt hvilken som skal gjelde.",
            )
        )
    return out


def duplicate_sheets(names: list[str], wanted: list[str] | None, file: str) -> list[Finding]:
    """Two sheets in one workbook that both match a wanted sheet name after folding: which is
    meant cannot be told, so neither is read."""
    keys = {name_key(w) for w in wanted} if wanted is not None else None
    out = []
    for (a, _), (b, _) in duplicates((n, None) for n in names):
        if keys is None or name_key(a) in keys:
            out.append(
                Finding(
                    "file.duplicate_sheet",
                    ERROR,
                    f"Arbeidsboka har to ark som begge kan være «{shown(a)}»: «{shown(a)}» og «{shown(b)}».",
                    file=file,
                    sheet=shown(b),
                    value=f"{shown(a)}, {shown(b)}",
                    fix="Slett arket som ikke skal brukes, eller gi det et annet navn.",
                )
            )
    return out


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = text.replace("ø", "o").replace("Ø", "O").replace("æ", "ae").replace("Æ", "AE")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "kjoring"
