"""Numbers shown to people: kroner with spaces, exact fractions with a decimal comma.

Display only; results stay whole kroner and exact fractions.
"""

from __future__ import annotations

import re
from fractions import Fraction

from .names import shown


def format_fraction(value: Fraction | int, places: int = 4, point: str = ",", strip_zeros: bool = True) -> str:
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


NBSP = "\u00a0"


def kroner_in_text(amount: int) -> str:
    """An amount inside a sentence (a finding's message): ``1 580 500 kr`` with non-breaking
    spaces between the digit groups and before «kr», so a wrapped cell or a narrow terminal
    never breaks the amount across two lines. Terminals and Excel show them as spaces."""
    return format_kroner(amount).replace(" ", NBSP) + NBSP + "kr"


VALUE_MAX = 80  # characters of a value shown in a findings table before it is cut with «…»


def value_as_shown(value: object, limit: int = VALUE_MAX) -> str:
    """A finding's value as a findings table shows it: a whole number without Python's «.0»,
    line breaks and other invisible characters shown escaped (``\\n``), cut with «…» past
    ``limit`` characters, saying how long it was."""
    text = str(value).strip()
    if re.fullmatch(r"-?\d+\.0+", text):
        text = text.split(".")[0]
    return shown(text, limit)
