"""How people type amounts, shares, Ja/Nei and dates in a form: one list of accepted patterns.

The reader (``read.values``, ``read.applications``) and the form template's data validation
(``write.templates``) both take their patterns from here, so the form never warns about an
entry the reader accepts — ``1 000 000 (anslag)``, ``450 000,-``, ``Eier: 30`` — and warns
about what the reader will report. The validation is an Excel formula built from the same
lists (:func:`excel_rule`); tests have LibreOffice compute it for a list of entries and
compare its verdict with the reader's.
"""

from __future__ import annotations

CURRENCY_WORDS = ("kr.", "kr", "nok")  # before or after an amount: «kr 1 580 500», «1 580 500 kr»
DASH_ENDINGS = (",-", ".-")  # «450 000,-»
ESTIMATE_WORD = "anslag"  # «1 000 000 (anslag)»: an estimate, kept as a flag
LABEL_END = ":"  # «Eier: 30»: a label before the number
PERCENT_SIGN = "%"
SPACE_CODES = (0xA0, 0x202F, 0x2009)  # non-breaking, narrow and thin space: read as spaces
MAX_KRONER = 10**12  # beyond any frame: a typing error
YES_WORDS = ("ja", "j", "yes", "x", "sann", "true")
NO_WORDS = ("nei", "n", "no", "usann", "false")
DATE_PATTERNS = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d/%m/%Y")
SERIAL_DATES = (20_000, 80_000)  # an Excel date as a number, 1954–2119, read when in this range


class Names:
    """Named formulas a rule is built from: a step that refers to its input more than once gets
    the input as a name, so the formula grows with the number of steps, not exponentially.
    ``defs`` (name -> formula without «=») go into the workbook as defined names."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.defs: dict[str, str] = {}

    def name(self, formula: str) -> str:
        name = f"{self.prefix}.{len(self.defs) + 1}"
        self.defs[name] = formula
        return name


def _text(ref: str) -> str:
    """The cell as lower-case text, other spaces as plain spaces, trimmed (runs of spaces as one)."""
    s = f'LOWER({ref}&"")'
    for code in SPACE_CODES:
        s = f'SUBSTITUTE({s},_xlfn.UNICHAR({code})," ")'
    return f"TRIM({s})"


def _without_label(s: str) -> str:
    """«eier: 30» -> «30»: what follows the first colon, when there is one."""
    return f'TRIM(IFERROR(MID({s},FIND("{LABEL_END}",{s})+1,999),{s}))'


def _without_note(s: str) -> str:
    """The first bracketed note taken out: «1 000 000 (anslag)» -> «1 000 000»."""
    return f'TRIM(IFERROR(LEFT({s},FIND("(",{s})-1)&" "&MID({s},FIND(")",{s},FIND("(",{s}))+1,999),{s}))'


def _without(s: str, words: tuple[str, ...]) -> str:
    for word in words:
        s = f'SUBSTITUTE({s},"{word}","")'
    return f"TRIM({s})"


def _digits(s: str) -> str:
    """True when ``s`` is one or more of the digits 0–9 and nothing else."""
    return f'IFERROR(_xlfn.DECIMAL("9"&{s},10)>9,FALSE)'


def _dots_as_spaces(s: str) -> str:
    """«1.500.000» -> «1 500 000»: dots as thousands separators only when there are two or more
    (a single dot, «1.500», could be a decimal point and stays, to be refused)."""
    return f'IF(LEN({s})-LEN(SUBSTITUTE({s},".",""))>=2,SUBSTITUTE({s},"."," "),{s})'


# A spreadsheet inlines named formulas, so a step that refers to its input k times multiplies
# the formula's size by k. The rules below keep that product small (under 50) and leave the
# finer checks to the reader, which reports them with the cell: the spaces grouping thousands
# («30 000 0»), a second number in a second note, more than 15 digits, a share of 100,5 %, a day
# that does not exist. In that direction the form lets an entry through that the reader then
# names; the other way — a warning about an entry the reader accepts — never happens (tested).


def amount_rule(ref: str, n: Names) -> str:
    """Whole kroner, 0 or more, as the reader accepts them."""
    s = n.name(_without_note(_text(ref)))
    s = n.name(_dots_as_spaces(_without_label(f'SUBSTITUTE({s},"{ESTIMATE_WORD}"," ")')))
    s = _without(s, (*CURRENCY_WORDS, *DASH_ENDINGS, ",00", ",0", " "))
    number_ok = f"AND({ref}>=0,{ref}=INT({ref}),{ref}<={MAX_KRONER})"
    return n.name(f"IF(ISNUMBER({ref}),{number_ok},{_digits(s)})")


def share_rule(ref: str, n: Names) -> str:
    """A share in per cent, 0–100 (a plain number between 0 and 1 is a fraction, also accepted)."""
    s = _without_label(_text(ref))
    c = n.name(f'SUBSTITUTE(SUBSTITUTE(SUBSTITUTE({s},"{PERCENT_SIGN}","")," ",""),",",".")')
    one_dot = f'LEN({c})-LEN(SUBSTITUTE({c},".",""))<=1'
    whole = f'LEFT({c},FIND(".",{c}&".")-1)'
    digits = _digits(f'SUBSTITUTE({c},".","")')
    text_ok = f'AND({digits},{one_dot},RIGHT({c},1)<>".",_xlfn.DECIMAL("0"&{whole},10)<=100)'
    return n.name(f"IF(ISNUMBER({ref}),AND({ref}>=0,{ref}<=100),IFERROR({text_ok},FALSE))")


def yesno_rule(ref: str, n: Names) -> str:
    """Ja or Nei, in any of the spellings the reader takes."""
    t = n.name(_text(ref))
    words = ",".join(f'{t}="{w}"' for w in YES_WORDS + NO_WORDS)
    return n.name(f"IF(ISLOGICAL({ref}),TRUE,OR({words}))")


def date_rule(ref: str, n: Names) -> str:
    """A date: an Excel date, or digits with two of one separator, as the reader's patterns
    (dd.mm.åååå, dd.mm.åå, åååå-mm-dd, dd/mm/åååå) are written."""
    t = n.name(_text(ref))
    low, high = SERIAL_DATES
    shapes = []
    for pattern in DATE_PATTERNS:
        sep = pattern[2]  # «%d.%m.%Y»: the separator; a year first is four digits before it
        first = "=5" if pattern.startswith("%Y") else "<=3"
        only_digits = _digits(f'SUBSTITUTE({t},"{sep}","")')
        shape = f'AND(LEN({t})-LEN(SUBSTITUTE({t},"{sep}",""))=2,FIND("{sep}",{t}){first},{only_digits})'
        shapes.append(f"IFERROR({shape},FALSE)")
    return n.name(f"IF(ISNUMBER({ref}),AND({ref}>{low},{ref}<{high}),OR({','.join(shapes)}))")


RULES = {"amount": amount_rule, "share": share_rule, "yesno": yesno_rule, "date": date_rule}


def excel_rule(kind: str, ref: str, names: Names) -> str | None:
    """The name of the validation formula for a field of ``kind`` in cell ``ref`` (an absolute
    reference, e.g. ``'Søknad'!$B$17``), its steps added to ``names``; None for free text,
    where anything goes."""
    rule = RULES.get(kind)
    return rule(ref, names) if rule else None
