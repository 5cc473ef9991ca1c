"""Numbers shown to people: kroner with spaces, exact fractions with a decimal comma.

Display only; results stay whole kroner and exact fractions.
"""

from __future__ import annotations

from fractions import Fraction


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
