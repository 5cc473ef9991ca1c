"""Amounts and shares as people type them in Excel.

``1 580 500``, ``kr 1 580 500``, ``145 767,-``, ``1000 000 (anslag)`` (an
estimate: the flag is kept), NBSP or thin space as thousands separator;
shares as ``30``, ``30 %``, ``0,3``. What cannot be read exactly is a
problem that quotes the text; nothing is guessed silently.

A dot is read as a thousands separator only when it is unambiguous
(``1.500.000``); ``1.500`` alone could be one and a half or fifteen hundred,
so it is reported, never guessed. Spaces are read as thousands separators
only where they group thousands (``1 580 500``, ``1000 000``): ``30 000 0``
or ``30 000 (år 1) 0 (år 2)`` holds two numbers and is reported.

An Excel error (a :class:`~allocation.read.workbooks.CellError`, or the same text
typed or exported as text, e.g. ``#N/A``) is never a value: every parser
reports it. A number in a per-cent-formatted cell
(:class:`~allocation.read.workbooks.PercentCell`) is a share as Excel shows it
(1.5 is 150 %), never an amount or a count.

:func:`is_total_label` is the one place that decides whether a row label
(``Sum``, ``I alt:``, ``Totalt fylket`` …) marks a total row; every table
reader uses it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

from ..model.formatting import format_fraction
from ..model.typed_entries import CURRENCY_WORDS, DASH_ENDINGS, ESTIMATE_WORD, MAX_KRONER
from .workbooks import EXCEL_ERRORS, CellError, PercentCell

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
_PAREN = re.compile(r"\(([^)]*)\)")
_PREFIX = re.compile(r"^[A-Za-zÆØÅæøå .]+:\s*")
MAX_DIGITS = 15  # more digits than any amount or count (and than a spreadsheet holds exactly)

# Excel's error values, in English and as Norwegian Excel shows them, and LibreOffice's «Err:502».
_ERROR_TEXTS = {e.upper() for e in EXCEL_ERRORS} | {"#I/T", "#VERDI!", "#NAVN?", "#OVERFLYT!", "#BEREGN!"}
_ERROR_MEANING = {
    "#REF!": "formelen viser til celler som er slettet eller flyttet",
    "#DIV/0!": "formelen deler på null",
    "#N/A": "en oppslagsformel fant ikke verdien",
    "#I/T": "en oppslagsformel fant ikke verdien",
    "#VALUE!": "formelen regner med tekst eller feil type verdi",
    "#VERDI!": "formelen regner med tekst eller feil type verdi",
    "#NAME?": "formelen bruker et navn eller en funksjon Excel ikke kjenner",
    "#NAVN?": "formelen bruker et navn eller en funksjon Excel ikke kjenner",
    "#NUM!": "formelen gir et ugyldig tall",
    "#NULL!": "formelen viser til områder som ikke møtes",
}


@dataclass(frozen=True)
class Parsed:
    """A cell read as an amount, a count or a share: the value, or the problem that kept it from
    being read (with the Excel error the cell holds, when it is one)."""

    value: int | Fraction | None
    estimate: bool = False
    problem: str | None = None
    error_cell: str | None = None  # the Excel error the cell holds (``#REF!``), when it is one
    read_as_fraction: bool = False  # a plain 0 < x < 1 read as a fraction (0,3 -> 30 %)


def excel_error(raw: Any) -> str | None:
    """The Excel error a cell holds (``#REF!``, ``#N/A`` …), also when it came as text; else None."""
    if isinstance(raw, CellError):
        return str(raw).strip() or "#FEIL"
    if isinstance(raw, str) and ("#" in raw or ":" in raw):
        text = raw.strip().upper()
        if text in _ERROR_TEXTS or re.fullmatch(r"ERR:\d{3}", text):
            return raw.strip()
    return None


def excel_error_problem(error: str) -> str:
    """The problem text for an Excel error value, e.g. ``er en feilverdi fra Excel (…)``."""
    meaning = _ERROR_MEANING.get(error.upper())
    return "er en feilverdi fra Excel, ikke en verdi" + (f" ({meaning})" if meaning else "")


def excel_error_fix(error: str) -> str:
    return (
        f"Rett formelen i cellen så den viser en verdi i stedet for {error}, "
        "eller skriv verdien inn direkte (Lim inn utvalg → Verdier)."
    )


def _error_parsed(raw: Any) -> Parsed | None:
    err = excel_error(raw)
    return Parsed(None, problem=excel_error_problem(err), error_cell=err) if err else None


def join_digit_groups(text: str) -> str | None:
    """``1 580 500`` or ``1000 000`` -> ``1580500``; None when the spaces do not group thousands
    (``30 000 0``: two numbers, or a typing error). Other characters are left as they are."""
    parts = [p for p in _SPACES.split(text.strip()) if p]
    if len(parts) <= 1:
        return "".join(parts)
    for part in parts[1:]:
        if not re.fullmatch(r"\d{3}([.,]\d*)?(-+)?", part):
            return None
    if not re.search(r"\d$", parts[0]):
        return None
    return "".join(parts)


def too_many_digits(text: str) -> bool:
    return sum(ch.isdigit() for ch in text) > MAX_DIGITS


_CURRENCY = "|".join(re.escape(w) for w in sorted(CURRENCY_WORDS, key=len, reverse=True))
_CURRENCY_FIRST = re.compile(rf"^({_CURRENCY})\s*")  # «kr 1 580 500»
_CURRENCY_LAST = re.compile(rf"\s*({_CURRENCY})$")  # «1 580 500 kr»
_DASH_ENDING = re.compile("(" + "|".join(re.escape(e) for e in DASH_ENDINGS) + ")-*$")  # «450 000,-»


def parse_amount(raw: Any) -> Parsed:
    """Whole kroner >= 0 (a minus sign is returned as a negative value)."""
    parsed = _parse_amount(raw)
    if isinstance(parsed.value, int) and abs(parsed.value) > MAX_KRONER:
        return Parsed(None, parsed.estimate, "er urimelig stort for et beløp")
    return parsed


def _parse_amount(raw: Any) -> Parsed:
    if raw is None:
        return Parsed(None)
    error = _error_parsed(raw)
    if error is not None:
        return error
    if isinstance(raw, bool):
        return Parsed(None, problem="er en sannhetsverdi, ikke et beløp")
    if isinstance(raw, PercentCell):
        return Parsed(None, problem="er formatert som prosent, ikke som et beløp")
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and not math.isfinite(raw):
            return Parsed(None, problem="er ikke et tall")
        if isinstance(raw, float) and not raw.is_integer():
            return Parsed(None, problem="er ikke hele kroner")
        return Parsed(int(raw))
    text = str(raw).strip()
    if not text:
        return Parsed(None)
    low = text.lower()
    estimate = ESTIMATE_WORD in low
    if too_many_digits(low):
        return Parsed(None, estimate, "har for mange sifre til å være et beløp")
    if _two_numbers(low):
        return Parsed(None, estimate, "inneholder mer enn ett tall")
    low = _PAREN.sub(" ", low).replace(ESTIMATE_WORD, " ")
    low = _PREFIX.sub("", low.strip())
    low = _CURRENCY_FIRST.sub("", low.strip())
    low = _CURRENCY_LAST.sub("", low.strip())
    low = _DASH_ENDING.sub("", low.strip())
    grouped = join_digit_groups(low)
    if grouped is None:
        if re.search(r"\d\s*o|o\s*\d", low):
            return Parsed(None, estimate, "inneholder bokstaven O der det skulle stått null")
        return Parsed(None, estimate, "inneholder mer enn ett tall, eller mellomrom på uventede steder")
    compact = grouped
    if re.fullmatch(r"-?\d+", compact):
        return Parsed(int(compact), estimate)
    if re.fullmatch(r"-?\d+,0+", compact):
        return Parsed(int(compact.split(",")[0]), estimate)
    if re.fullmatch(r"-?\d{1,3}(\.\d{3}){2,}(,0+)?", compact):
        return Parsed(int(compact.split(",")[0].replace(".", "")), estimate)
    if re.fullmatch(r"-?\d{1,3}\.\d{3}", compact):
        return Parsed(None, estimate, "kan leses både som tusen og som desimaltall")
    if re.fullmatch(r"-?\d+[.,]\d+", compact):
        return Parsed(None, estimate, "er ikke hele kroner")
    if re.search(r"\d", compact) and re.search(r"[oO]", compact):
        return Parsed(None, estimate, "inneholder bokstaven O der det skulle stått null")
    return Parsed(None, estimate, "er ikke et beløp")


def _two_numbers(low: str) -> bool:
    """Digits on both sides of a bracketed note: ``30 000 (år 1) 0 (år 2)``."""
    pieces = re.split(r"\([^)]*\)", low)
    return sum(1 for piece in pieces if re.search(r"\d", piece)) > 1


def parse_percent(raw: Any) -> Parsed:
    """A share in per cent: ``30``, ``30 %``, ``Eier: 30``; ``0,3`` means 30 %.

    A bare number between 0 and 1 (exclusive) is read as a fraction, because
    that is how Excel stores a cell formatted as per cent.
    """
    if raw is None:
        return Parsed(None)
    error = _error_parsed(raw)
    if error is not None:
        return error
    if isinstance(raw, bool):
        return Parsed(None, problem="er en sannhetsverdi, ikke en andel")
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and not math.isfinite(raw):
            return Parsed(None, problem="er ikke et tall")
        # a float as the decimal the cell shows, not the binary float
        value = Fraction(repr(float(raw))) if isinstance(raw, float) else Fraction(raw)
        if isinstance(raw, PercentCell):
            return _percent(value * 100)  # read by its format: 1.5 is 150 %
        return _percent(value * 100, True) if 0 < value < 1 else _percent(value)
    text = str(raw).strip()
    if not text:
        return Parsed(None)
    if too_many_digits(text):
        return Parsed(None, problem="har for mange sifre til å være en andel")
    has_pct = "%" in text
    low = _PREFIX.sub("", text.lower()).replace("%", "")
    compact = _SPACES.sub("", low).replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", compact):
        return Parsed(None, problem="er ikke en andel i prosent")
    value = Fraction(compact)
    if not has_pct and 0 < value < 1:
        return _percent(value * 100, True)
    return _percent(value)


def _percent(value: Fraction, as_fraction: bool = False) -> Parsed:
    if value < 0 or value > 100:
        return Parsed(None, problem="må være mellom 0 og 100 %")
    return Parsed(value, read_as_fraction=as_fraction)


def fraction_note(raw: Any, value: Fraction | int) -> str:
    """How a plain 0 < x < 1 was read, for the warning that names its cell."""
    shown = raw if isinstance(raw, str) else repr(float(raw)).replace(".", ",")
    return (
        f"«{str(shown).strip()}» er lest som en brøkdel, altså {format_fraction(value)} %. "
        "Står det et tall mellom 0 og 1 uten %-tegn, leses det slik."
    )


_TOTAL_FIRST = {
    *("sum", "summa", "summen", "summer", "total", "totalt", "totals", "totalsum"),
    *("delsum", "delsummer", "delsummen", "subtotal", "tilsammen", "ialt"),
}
_TOTAL_LAST = {"sum", "total", "totalt", "ialt", "tilsammen", "tilsaman", "samlet", "samla", "sammenlagt"}
_TOTAL_PHRASES = ("i alt", "til sammen", "til saman", "grand total", "sub total")


def is_total_label(text: Any) -> bool:
    """Whether a row label marks a total or subtotal row, in the spellings people write:
    ``Sum``, ``SUM:``, ``Summa``, ``Totalt``, ``I alt:``, ``Sum kommuner``, ``Totalt fylket``,
    ``Delsum``, ``Total sum``, ``Fylket i alt`` … (``Summit`` or ``Totalentreprise`` are not)."""
    if not isinstance(text, str):
        return False
    if text.isascii():  # the common case: no invisible character, and casefold is lower
        low = text.lower()
    else:
        low = _INVISIBLE.sub("", text).casefold()
    if _TOTAL_HINT.search(low) is None:
        return False  # the cheap test first: most labels are names
    return bool(low.strip()) and _total_words(low)


_TOTAL_HINT = re.compile("sum|tot|alt|samm|saman")


_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]"
)


@lru_cache(maxsize=4096)
def _total_words(low: str) -> bool:
    folded = "".join(ch for ch in unicodedata.normalize("NFKC", low) if unicodedata.category(ch) != "Cf")
    if folded.lstrip()[:1] in ("=", "@", "+"):
        return False  # formula-like text (``@SUM(A1)``) is a name, shown as text
    words = re.findall(r"[^\W\d_]+", folded.casefold())
    if not words:
        return False
    joined = " ".join(words)
    if words[0] in _TOTAL_FIRST or words[-1] in _TOTAL_LAST:
        return True
    return any(joined == p or joined.startswith(p + " ") or joined.endswith(" " + p) for p in _TOTAL_PHRASES)


_COUNT_SEPARATORS = re.compile(r"[\s\u00a0\u202f\u2009]")
MAX_COUNT = 100_000_000  # more children or pupils than the country has: a typing error


def parse_count(value: Any) -> tuple[int | None, str | None]:
    """A whole number >= 0 as people type it; returns (value, problem)."""
    parsed, problem = _parse_count(value)
    if parsed is not None and abs(parsed) > MAX_COUNT:
        return None, "er urimelig stort for et antall"
    return parsed, problem


def _parse_count(value: Any) -> tuple[int | None, str | None]:
    if value is None:
        return 0, None
    error = excel_error(value)
    if error:
        return None, excel_error_problem(error)
    if isinstance(value, bool):
        return None, "er en sannhetsverdi, ikke et antall"
    if isinstance(value, PercentCell):
        return None, "er formatert som prosent, ikke som et antall"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return None, "er ikke et tall"
        if isinstance(value, float) and not value.is_integer():
            return None, "er ikke et helt tall"
        return int(value), None
    if too_many_digits(str(value)):
        return None, "har for mange sifre til å være et antall"
    grouped = join_digit_groups(str(value))
    if grouped is None:
        return None, "inneholder mer enn ett tall, eller mellomrom på uventede steder"
    text = _COUNT_SEPARATORS.sub("", grouped)
    if text == "":
        return 0, None
    if re.fullmatch(r"-?\d+", text):
        return int(text), None
    if re.fullmatch(r"-?\d+[.,]\d+", text):
        return None, "er ikke et helt tall"
    return None, "er ikke et tall"
