"""Cell references: column letters and A1 names (0-based row and column in)."""

from __future__ import annotations


def col_letter(col: int) -> str:
    """0-based column index to Excel letters (0 -> A)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def a1(row: int, col: int) -> str:
    """0-based row and column to an A1 reference."""
    return f"{col_letter(col)}{row + 1}"
