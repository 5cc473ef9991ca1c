"""Amounts and shares as people type them in Excel.

``1 580 500``, ``kr 1 580 500``, ``145 767,-``, ``1000 000 (anslag)`` (an
estimate: the flag is kept), NBSP or thin space as thousands separator;
shares as ``30``, ``30 %``, ``0,3``. What cannot be read exactly is a
problem that quotes the text; nothing is guessed silently.

A dot is read as a thousands separator only when it is unambiguous
(``1.500.000``); ``1.500`` alone could be one and a half or fifteen hundred,
so it is reported, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
_PAREN = re.compile(r"\(([^)]*)\)")
_PREFIX = re.compile(r"^[A-Za-zÆØÅæøå .]+:\s*")


@dataclass(frozen=True)
class Parsed:
    value: int | Fraction | None
    estimate: bool = False
    problem: str | None = None


MAX_KRONER = 10**12  # beyond any frame: a typing error (and beyond what a spreadsheet holds exactly)


def parse_amount(raw: Any) -> Parsed:
    """Whole kroner >= 0 (a minus sign is returned as a negative value)."""
    parsed = _parse_amount(raw)
    if isinstance(parsed.value, int) and abs(parsed.value) > MAX_KRONER:
        return Parsed(None, parsed.estimate, "er urimelig stort for et beløp")
    return parsed


def _parse_amount(raw: Any) -> Parsed:
    if raw is None:
        return Parsed(None)
    if isinstance(raw, bool):
        return Parsed(None, problem="er en sannhetsverdi, ikke et beløp")
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and not raw.is_integer():
            return Parsed(None, problem="er ikke hele kroner")
        return Parsed(int(raw))
    text = str(raw).strip()
    if not text:
        return Parsed(None)
    low = text.lower()
    estimate = "anslag" in low
    low = _PAREN.sub(" ", low).replace("anslag", " ")
    low = _PREFIX.sub("", low.strip())
    low = re.sub(r"^(kr\.?|nok)\s*", "", low.strip())
    low = re.sub(r"\s*(kr\.?|nok)$", "", low.strip())
    low = re.sub(r"[,.]-+$", "", low.strip())
    compact = _SPACES.sub("", low)
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


def parse_percent(raw: Any) -> Parsed:
    """A share in per cent: ``30``, ``30 %``, ``Eier: 30``; ``0,3`` means 30 %.

    A bare number between 0 and 1 (exclusive) is read as a fraction, because
    that is how Excel stores a cell formatted as per cent.
    """
    if raw is None:
        return Parsed(None)
    if isinstance(raw, bool):
        return Parsed(None, problem="er en sannhetsverdi, ikke en andel")
    if isinstance(raw, (int, float)):
        value = Fraction(str(raw))
        return _percent(value * 100 if 0 < value < 1 else value)
    text = str(raw).strip()
    if not text:
        return Parsed(None)
    has_pct = "%" in text
    low = _PREFIX.sub("", text.lower()).replace("%", "")
    compact = _SPACES.sub("", low).replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", compact):
        return Parsed(None, problem="er ikke en andel i prosent")
    value = Fraction(compact)
    if not has_pct and 0 < value < 1:
        value *= 100
    return _percent(value)


def _percent(value: Fraction) -> Parsed:
    if value < 0 or value > 100:
        return Parsed(None, problem="må være mellom 0 og 100 %")
    return Parsed(value)


def format_fraction(value: Fraction, places: int = 4, point: str = ",", strip_zeros: bool = True) -> str:
    """An exact fraction shown to people (display only, never a result): rounded to ``places``
    decimals, ``12,5`` with Norwegian decimal comma and trailing zeros dropped by default."""
    scaled = round(Fraction(value) * 10**places)
    sign = "-" if scaled < 0 else ""
    whole, frac = divmod(abs(scaled), 10**places)
    digits = f"{frac:0{places}d}" if places else ""
    if strip_zeros:
        digits = digits.rstrip("0")
    return f"{sign}{whole}{point}{digits}" if digits else f"{sign}{whole}"


def format_kroner(amount: int) -> str:
    """1580500 -> '1 580 500' (NBSP-free, plain space as in the examples)."""
    sign = "-" if amount < 0 else ""
    return sign + f"{abs(amount):,}".replace(",", " ")
