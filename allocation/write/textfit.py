"""How wide a text prints: an estimate per character, in the unit of column widths.

A column width counts digits «0» of the workbook's body font (Calibri 11). LibreOffice
without Calibri prints with DejaVu Sans, which is wider than Calibri and Carlito for almost
every character; the widths below are DejaVu Sans's advance widths (thousandths of an em),
so a column sized from them holds the text in every application. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import repeat

BODY_SIZE = 11.0  # the body font's size; a column width counts its digits
DIGIT = 636  # DejaVu Sans «0», thousandths of an em
UNKNOWN = 700  # a character not in the table: wider than most
MONO = 602  # DejaVu Sans Mono (for Consolas): every character alike


def _table(groups: dict[str, int]) -> dict[str, int]:
    return {ch: width for chars, width in groups.items() for ch in chars}


REGULAR: dict[str, int] = _table(
    {
        "\u202f": 200,
        "'": 275,
        "ijl": 278,
        "IJ": 295,
        " ,.· ": 318,
        "/:;\\|": 337,
        "f": 352,
        "-": 361,
        "()[]": 390,
        "t": 392,
        "!": 401,
        "r": 411,
        '"': 460,
        "*_`–§": 500,
        "s": 521,
        "z": 525,
        "?": 531,
        "c": 550,
        "L": 557,
        "F": 575,
        "k": 579,
        "vxy": 592,
        "P": 603,
        "TY": 611,
        "oøö«»": 612,
        "aåä": 613,
        "eéè": 615,
        "EÉ": 632,
        "hnuü": 634,
        "Sbdgpq": 635,
        "$0123456789{}": 636,
        "K": 656,
        "AVÅÄ": 684,
        "XZ": 685,
        "B": 686,
        "R": 695,
        "C": 698,
        "UÜ": 732,
        "N": 748,
        "H": 752,
        "D": 770,
        "G": 775,
        "&": 780,
        "OQØÖ": 787,
        "w": 818,
        "#+<=>^~→−": 838,
        "M": 863,
        "%": 950,
        "½": 969,
        "mÆ": 974,
        "æ": 982,
        "W": 989,
        "@—…": 1000,
    }
)

BOLD: dict[str, int] = _table(
    {
        "\u202f": 200,
        "'": 306,
        "ijl": 343,
        "  ": 348,
        "/\\|": 365,
        "IJ": 372,
        ",.·": 380,
        ":;": 400,
        "-": 415,
        "f": 435,
        "!": 456,
        "()[]": 457,
        "t": 478,
        "r": 493,
        "_`–§": 500,
        '"': 521,
        "*": 523,
        "?": 580,
        "z": 582,
        "c": 593,
        "s": 595,
        "L": 637,
        "x": 645,
        "«»": 646,
        "vy": 652,
        "k": 665,
        "aåä": 675,
        "eéè": 678,
        "T": 682,
        "EFÉ": 683,
        "oøö": 687,
        "$0123456789": 696,
        "hnu{}ü": 712,
        "bdgpq": 716,
        "S": 720,
        "Y": 724,
        "Z": 725,
        "P": 733,
        "C": 734,
        "B": 762,
        "R": 770,
        "X": 771,
        "AVÅÄ": 774,
        "K": 775,
        "UÜ": 812,
        "G": 821,
        "D": 830,
        "HN": 837,
        "#+<=>^~→−": 838,
        "OQØÖ": 850,
        "&": 872,
        "w": 924,
        "M": 995,
        "@—…": 1000,
        "%": 1002,
        "½": 1035,
        "m": 1042,
        "æ": 1048,
        "Æ": 1085,
        "W": 1103,
    }
)


_GROUPED = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")  # the space between digit groups


def _words(text: str) -> list[str]:
    """Words as a spreadsheet wraps them: at spaces and tabs, never at a non-breaking space."""
    return [w for w in re.split(r"[ \t\n]+", text) if w]


@lru_cache(maxsize=1 << 16)
def text_width(text: str, size: float = BODY_SIZE, bold: bool = False, mono: bool = False) -> float:
    """The printed width of one line of ``text`` in column-width units (digits of the body font)."""
    if mono:
        em = MONO * len(text)
    else:
        table = BOLD if bold else REGULAR
        em = sum(map(table.get, text, repeat(UNKNOWN)))
    return em / DIGIT * size / BODY_SIZE


def forget_widths() -> None:
    """Let go of the widths and line counts remembered while sheets were fitted: called when a
    workbook's sheets are all written (the national case: about 1 MB less while it is written
    out). A later workbook works them out afresh."""
    text_width.cache_clear()
    longest_word.cache_clear()
    wrapped_lines.cache_clear()


def line_height(size: float = BODY_SIZE) -> float:
    """Points from one printed line to the next (a row of one line of Calibri 11 is 15 pt)."""
    return size * 1.25


@lru_cache(maxsize=1 << 16)
def longest_word(text: str, size: float = BODY_SIZE, bold: bool = False, mono: bool = False) -> float:
    """The width of the widest word: a column that wraps at word boundaries needs at least this.
    A number written in groups (``972 000 000``, ``1 094 165``) counts as one word: an org.nr. or
    an amount split over two lines is misread."""
    words = _words(_GROUPED.sub("\u00a0", text))
    return max((text_width(w, size, bold, mono) for w in words), default=0.0)


ONE_LINE_MARGIN = 1e-6  # column-width units: far above the rounding of summing a line's words


@lru_cache(maxsize=1 << 16)
def wrapped_lines(text: str, width: float, size: float = BODY_SIZE, bold: bool = False, mono: bool = False) -> int:
    """How many lines ``text`` takes in a column ``width`` wide, wrapped at spaces (as a
    spreadsheet wraps) and at every line break; a word wider than the column takes as many
    lines as it needs.

    A text of one paragraph no wider than the column is one line, without laying out its
    words: laid out, its words and the single spaces between them are never wider than the
    whole text with all its spaces and tabs, so each word fits on the first line (the margin
    covers the rounding of adding the words' widths one by one)."""
    if "\n" not in text and text_width(text, size, bold, mono) <= width - ONE_LINE_MARGIN:
        return 1
    return laid_out_lines(text, width, size, bold, mono)


def laid_out_lines(text: str, width: float, size: float = BODY_SIZE, bold: bool = False, mono: bool = False) -> int:
    """:func:`wrapped_lines` by laying out every word."""
    space = text_width(" ", size, bold, mono)
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0.0
        for word in _words(paragraph):
            w = text_width(word, size, bold, mono)
            if used and used + space + w <= width:
                used += space + w
                continue
            if used:
                lines += 1
            while w > width > 0:  # a word wider than the column breaks where it must
                lines += 1
                w -= width
            used = w
    return lines
