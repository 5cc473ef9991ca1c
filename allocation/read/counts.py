"""The counts workbook: sheet ``Tall``, one row per owner or network.

Cells are read as python-calamine types them, turned into text the way a
person reads them, and parsed here (pandas' own guessing would turn "0301"
into 301 and "NA" into a missing value). The parsed table is validated
lazily with a pandera model, so every bad cell is reported at once.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any, NamedTuple

from ..model.cells import a1, col_letter
from ..model.config import COUNT_COLUMNS
from ..model.counts import Counts
from ..model.findings import ERROR, NOTE, WARNING, Finding
from ..model.names import has_invisible, name_findings, name_key, shown, visible
from .count_blocks import Block, Tally
from .values import (
    MAX_COUNT,
    excel_error,
    excel_error_fix,
    excel_error_problem,
    is_total_label,
    parse_count,
)
from .workbooks import (
    CellError,
    cell_text,
    find_header,
    header_key,
    is_blank,
    read_one_sheet,
    sheet_findings,
)

SHEET = "Tall"
NETWORK = "Nettverk"
OWNER = "Eier"
MUNICIPALITY = "Kommunenummer"


def read_counts(path: Path, display: str, columns: list[str]) -> tuple[Counts | None, list[Finding]]:
    """Read sheet ``Tall``; ``columns`` are the count columns the model uses."""
    sheet, findings = read_one_sheet(path, display, SHEET, "counts.no_sheet", "tallene")
    if sheet is None:
        return None, findings
    header_row, colmap = find_header(sheet.rows, NETWORK)
    if header_row is None:
        return None, [
            Finding(
                "counts.no_header",
                ERROR,
                f"Finner ingen overskriftsrad med «{NETWORK}» i arket.",
                file=display,
                sheet=sheet.name,
                cell="A1",
                expected=NETWORK,
                fix="Første rad i tabellen skal ha overskriftene fra malen, bl.a. «Nettverk».",
            )
        ]
    missing = [c for c in columns if header_key(c) not in colmap]
    if missing:
        found = [cell_text(v) for v in sheet.rows[header_row] if not is_blank(v)]
        out = []
        for col in missing:
            close = difflib.get_close_matches(col, found, n=1, cutoff=0.6)
            out.append(
                Finding(
                    "counts.missing_column" if col in COUNT_COLUMNS else "config.key_column_missing",
                    ERROR,
                    f"Kolonnen «{col}» mangler.",
                    file=display,
                    sheet=sheet.name,
                    cell=f"{a1(header_row, 0)}:{a1(header_row, max(len(found) - 1, 0))}",
                    value=", ".join(found),
                    expected=col,
                    fix=f"Er det «{close[0]}»? Skriv overskriften nøyaktig «{col}»."
                    if close
                    else f"Legg til kolonnen «{col}» i overskriftsraden.",
                )
            )
        return None, out
    sheet_problems = sheet_findings(sheet, header_row) + _duplicate_headers(sheet, header_row, columns)
    counts, findings = _parse_rows(sheet, header_row, colmap, columns)
    if any(f.severity == ERROR for f in sheet_problems):
        counts = None
    return counts, sheet_problems + findings


def _duplicate_headers(sheet: Any, header_row: int, columns: list[str]) -> list[Finding]:
    """Two columns with the same header among those the model reads: which one is meant?"""
    wanted = {header_key(c) for c in [NETWORK, MUNICIPALITY, *columns]}
    seen: dict[str, int] = {}
    out = []
    for c, v in enumerate(sheet.rows[header_row]):
        k = header_key(v) if isinstance(v, str) else ""
        if k in wanted and k in seen:
            out.append(
                Finding(
                    "counts.duplicate_header",
                    ERROR,
                    f"Overskriften «{cell_text(v)}» står to ganger ({a1(header_row, seen[k])} og {a1(header_row, c)}).",
                    file=sheet.file,
                    sheet=sheet.name,
                    cell=a1(header_row, c),
                    value=cell_text(v),
                    fix="Gi kolonnene ulike navn, eller slett den som ikke skal brukes.",
                )
            )
        seen.setdefault(k, c)
    return out


def _parse_rows(sheet: Any, header_row: int, colmap: dict[str, int], columns: list[str]):
    file, sname = sheet.file, sheet.name
    findings: list[Finding] = []
    net_col = colmap[header_key(NETWORK)]
    muni_col = colmap.get(header_key(MUNICIPALITY))
    owner_col = colmap.get(header_key(OWNER))
    label_cols = sorted({0, net_col, owner_col if owner_col is not None else net_col})
    other_labels = [c for c in label_cols if c != net_col]  # the network's own cell is judged once per text
    used = [c for c in dict.fromkeys([*COUNT_COLUMNS, *columns]) if header_key(c) in colmap]
    used_cols = [(c, colmap[header_key(c)]) for c in used]
    error_cols = [(NETWORK, net_col)] + ([(MUNICIPALITY, muni_col)] if muni_col is not None else [])
    width = 1 + max([*label_cols, *(i for _, i in used_cols), muni_col or 0])
    net_letter = col_letter(net_col)
    tally = Tally(used)
    every, segment, run = Block(tally), Block(tally), Block(tally)  # all rows; since the last total; same network
    labels: dict[str, _Label] = {}
    records: list[dict[str, Any]] = []
    rows = sheet.rows
    for r in range(header_row + 1, len(rows)):
        row = rows[r]
        if len(row) < width:  # cells past the row's end read as blank
            row = row + [None] * (width - len(row))
        net = row[net_col]
        label = _label(net, labels)
        values = [row[i] for _, i in used_cols]
        if label.blank and all(_blank(v) for v in values):
            continue
        if label.total or any(is_total_label(row[c]) for c in other_labels):
            findings.append(_total_row(sheet, r, net_col, label_cols, used_cols, (segment, every, run)))
            segment, run = Block(tally), Block(tally)
            continue
        if label.may_be_error or (muni_col is not None and _may_be_error(row[muni_col])):
            errors = _error_cells(sheet, r, error_cols)
            if errors:
                findings += errors
                continue
        if not label.key or all(_blank(v) for v in values):
            findings.append(_unusable_row(sheet, r, net_col, net, values))
            continue
        rec: dict[str, Any] = {"_row": r, "_cell": f"{net_letter}{r + 1}", NETWORK: label.name}
        nonzero = _read_counts_of_row(sheet, r, rec, used_cols, values, findings)
        rec[MUNICIPALITY] = _municipality(row[muni_col]) if muni_col is not None else None
        owned = owner_col is not None and not is_blank(row[owner_col])
        rec["_key"], rec["_nonzero"] = label.key, nonzero > 0
        if run.keys and label.key not in run.keys:
            run = Block(tally)
        if nonzero >= 2:  # a total of a real table has two or more count columns
            findings += _looks_like_total(sheet, rec, net_col, owner_col is not None and not owned, segment, run)
        records.append(rec)
        tally.add(rec, owned)
        segment.keys.add(label.key)
        run.keys.add(label.key)
    findings += _validate(records, file, sname, colmap, used)
    if any(f.severity == ERROR for f in findings):
        return None, findings
    counts, spelling = _sum_by_network(records, file, used)
    if any(f.severity == ERROR for f in spelling):
        return None, findings + spelling
    return counts, findings + spelling


class _Label(NamedTuple):
    """What the rows need to know of a network cell, worked out once per distinct text."""

    blank: bool
    total: bool  # a total row's label
    may_be_error: bool
    name: str
    key: str


def _label(net: Any, labels: dict[str, _Label]) -> _Label:
    """The network cell judged, from ``labels`` when the same text was seen before (plain text only:
    an error cell or a number is judged afresh)."""
    plain = type(net) is str
    if plain:
        known = labels.get(net)
        if known is not None:
            return known
    name = cell_text(net)
    label = _Label(_blank(net), is_total_label(net), _may_be_error(net), name, name_key(name))
    if plain:
        labels[net] = label
    return label


def _read_counts_of_row(
    sheet: Any,
    r: int,
    rec: dict[str, Any],
    used_cols: list[tuple[str, int]],
    values: list[Any],
    findings: list[Finding],
) -> int:
    """The row's counts into ``rec``; returns how many are not zero."""
    nonzero = 0
    for (col, c), raw in zip(used_cols, values, strict=True):
        # a whole number within the limit, exactly float or int (not bool, PercentCell or CellError):
        # the common cell, read as parse_count reads it
        kind = type(raw)
        if kind is float and raw.is_integer() and -MAX_COUNT <= raw <= MAX_COUNT:
            value: int | None = int(raw)
        elif kind is int and -MAX_COUNT <= raw <= MAX_COUNT:
            value = raw
        elif raw is None:
            value = 0
        else:
            value = _count_cell(sheet, r, c, col, raw, findings)
        rec[col] = value
        nonzero += bool(value)
    return nonzero


def _blank(value: Any) -> bool:
    return value is None or (type(value) is not float and is_blank(value))


def _may_be_error(value: Any) -> bool:
    """Whether :func:`excel_error` could find an error in the cell (the cheap test first)."""
    return isinstance(value, str) and (isinstance(value, CellError) or "#" in value or ":" in value)


def _unusable_row(sheet: Any, r: int, net_col: int, net: Any, values: list[Any]) -> Finding:
    """A name without counts (a note below the table: left out) or counts without a network."""
    where = {"file": sheet.file, "sheet": sheet.name, "cell": a1(r, net_col)}
    if not is_blank(net) and all(is_blank(v) for v in values):
        return Finding(
            "counts.row_without_counts",
            WARNING,
            f"Raden «{shown(cell_text(net))}» har ingen tall og er ikke tatt med.",
            **where,
            value=cell_text(net),
            fix="Er det et nettverk, skriv tallene (0 der det er null). Er det en merknad, kan den stå.",
        )
    # blank, or only spaces and invisible characters
    return Finding(
        "counts.no_network",
        ERROR,
        "Raden har tall, men mangler nettverk.",
        **where,
        value=shown(cell_text(net)),
        fix="Skriv navnet på nettverket i kolonnen «Nettverk».",
    )


def _count_cell(sheet: Any, r: int, c: int, col: str, raw: Any, findings: list[Finding]) -> int | None:
    """One count as the user sees it; a problem is a finding naming the cell."""
    parsed, problem = parse_count(raw)
    if problem:
        error = excel_error(raw)
        findings.append(
            Finding(
                "counts.excel_error" if error else "counts.not_whole_number",
                ERROR,
                f"«{cell_text(raw)}» i kolonnen «{col}» {problem}.",
                file=sheet.file,
                sheet=sheet.name,
                cell=a1(r, c),
                value=cell_text(raw),
                expected="et helt tall, 0 eller større",
                fix=excel_error_fix(error) if error else "Skriv antallet med sifre, f.eks. 1 250.",
            )
        )
    return parsed


def _error_cells(sheet: Any, r: int, cols: list[tuple[str, int]]) -> list[Finding]:
    """Excel error values (``#REF!`` …) in the name or municipality column: never a name."""
    out = []
    for col, c in cols:
        error = excel_error(sheet.cell(r, c))
        if error:
            out.append(
                Finding(
                    "counts.excel_error",
                    ERROR,
                    f"«{error}» i kolonnen «{col}» {excel_error_problem(error)}.",
                    file=sheet.file,
                    sheet=sheet.name,
                    cell=a1(r, c),
                    value=error,
                    fix=excel_error_fix(error),
                )
            )
    return out


def _looks_like_total(
    sheet: Any, rec: dict[str, Any], net_col: int, no_owner: bool, segment: Block, run: Block
) -> list[Finding]:
    """A row named like a network whose counts are exactly the sum of two or more rows above it:
    a total row or a network? The engine cannot tell, so it stops rather than pay a total.

    Looked for: a row named unlike every row above it (since the header or the last total row)
    that equals their sum, and a row without owner that equals the sum of the rows of the same
    network with owners right above it (a subtotal)."""
    candidates = []
    if rec["_key"] not in segment.keys:
        candidates.append(segment)
    if no_owner and run.owned:
        candidates.append(run)
    if not candidates:
        return []
    used = segment.used
    if any(rec.get(col) is None for col in used) or sum(1 for col in used if rec[col]) < 2:
        return []  # a total of a real table has two or more count columns; 30 = 10 + 20 alone is chance
    for block in candidates:
        if block.nonzero >= 2 and block.rows and block.total() == {col: rec[col] for col in used}:
            first, last = block.rows[0] + 1, block.rows[1] + 1
            return [
                Finding(
                    "counts.row_equals_sum_above",
                    ERROR,
                    f"Tallene i raden «{rec[NETWORK]}» er nøyaktig summen av radene over (rad {first}–{last}). "
                    "Er det en summerad eller et nettverk? Programmet kan ikke avgjøre det.",
                    file=sheet.file,
                    sheet=sheet.name,
                    cell=a1(rec["_row"], net_col),
                    value=rec[NETWORK],
                    fix="Er det en summerad: slett den, eller skriv «Sum» i kolonnen «Nettverk». "
                    "Er det et nettverk: flytt raden øverst i tabellen, så den ikke kan forveksles med en sum.",
                )
            ]
    return []


def _total_row(
    sheet: Any,
    r: int,
    net_col: int,
    label_cols: list[int],
    used_cols: list[tuple[str, int]],
    blocks: tuple[Block, Block, Block],
) -> Finding:
    """A total or subtotal row is left out; it is checked against the rows above it (since the
    previous total row, all rows, or the rows of the same network right above)."""
    given = {}
    for col, i in used_cols:
        value, problem = parse_count(sheet.cell(r, i))
        if problem is None and value:
            given[col] = value
    segment, every, run = blocks
    net = sheet.cell(r, net_col)
    candidates = [segment, every]
    if not is_blank(net) and not is_total_label(net) and name_key(cell_text(net)) in run.keys:
        candidates.append(run)
    sums = [block.total() for block in candidates]
    label_col = next((c for c in label_cols if is_total_label(sheet.cell(r, c))), net_col)
    where = {
        "file": sheet.file,
        "sheet": sheet.name,
        "cell": a1(r, label_col),
        "value": cell_text(sheet.cell(r, label_col)),
    }
    if given and not any(all(total[col] == v for col, v in given.items()) for total in sums):
        wrong = [f"{col}: {v} i summeraden, {sums[0][col]} i radene over" for col, v in given.items()]
        return Finding(
            "counts.total_row_mismatch",
            WARNING,
            f"Summeraden (rad {r + 1}) stemmer ikke med radene over ("
            + "; ".join(wrong)
            + "). Summeraden er ikke tatt med; radene over er brukt.",
            **where,
            fix="Kontroller om noen rader mangler eller er skjult.",
        )
    return Finding(
        "counts.total_row",
        NOTE,
        f"Summeraden «{where['value']}» (rad {r + 1}) er ikke tatt med (den stemmer med radene over).",
        **where,
    )


def _municipality(value: Any) -> str | None:
    if type(value) is str:  # the common cell: text, as cell_text reads it
        return value.strip() or None
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):04d}"  # a number cell lost its leading zero
    return cell_text(value)


def _validate(records: list[dict[str, Any]], file: str, sname: str, colmap: dict[str, int], used: list[str]):
    """Validate the parsed rows with the pandera model; every failure at once."""
    from .schemas import validate_counts

    if not records:  # only headers, blanks, notes or total rows: no network to allocate to
        return [
            Finding(
                "counts.no_rows",
                ERROR,
                f"Arket «{sname}» har ingen rader med nettverk og tall under overskriftene.",
                file=file,
                sheet=sname,
                fix="Skriv ett nettverk eller én eier per rad under overskriftene, med tallene.",
            )
        ]
    failures = validate_counts(records, used)
    findings = []
    for row, column, _check, value in failures:
        ref = a1(row, colmap.get(header_key(column), 0)) if row is not None else ""
        if column == NETWORK:
            msg, fix, code = (
                "Raden har tall, men mangler nettverk.",
                "Skriv navnet på nettverket i kolonnen «Nettverk».",
                "counts.no_network",
            )
            expected = "navnet på et nettverk"
        elif column == MUNICIPALITY:
            msg = f"Kommunenummeret «{value}» har ikke fire sifre."
            fix, code = "Skriv kommunenummeret med fire sifre, f.eks. 0301.", "counts.municipality"
            expected = "fire sifre, f.eks. 0301"
        else:
            msg = f"Antallet {value} i kolonnen «{column}» er negativt."
            fix, code = "Antall kan ikke være mindre enn 0.", "counts.negative"
            expected = "et helt tall, 0 eller større"
        # pandera's check names (``str_length(1, None)``, ``greater_than_or_equal_to(0)``) are English
        # and for programmers: the user is told in Norwegian what was expected instead
        findings.append(
            Finding(code, ERROR, msg, file=file, sheet=sname, cell=ref, value=str(value), expected=expected, fix=fix)
        )
    return findings


def _sum_by_network(records: list[dict[str, Any]], file: str, used: list[str]) -> tuple[Counts, list[Finding]]:
    """Rows of one network (owner rows) are summed; spellings that fold together (case,
    spaces, invisible characters) are one network, shown in its most used visible spelling."""
    spellings: dict[str, Counter[str]] = {}
    totals: dict[str, dict[str, int]] = {}
    spelled: dict[str, str] = {}  # each distinct text's spelling, worked out once
    first_cell: dict[str, str] = {}  # each distinct text's first cell: a later row of it adds no finding
    for rec in records:
        name, k = rec[NETWORK], rec["_key"]  # the key is name_key(name), worked out while reading
        spelling = spelled.get(name)
        if spelling is None:
            spelling = spelled[name] = unicodedata.normalize("NFC", " ".join(name.split()))
            first_cell[name] = rec["_cell"]
        counter = spellings.get(k)
        if counter is None:
            counter = spellings[k] = Counter()
        counter[spelling] += 1
        acc = totals.get(k)
        if acc is None:
            acc = totals[k] = dict.fromkeys(used, 0)
        for col in used:
            acc[col] += rec[col] or 0
    findings = name_findings(list(first_cell.items()), file, SHEET, "Nettverket")
    display: dict[str, str] = {}
    for k, counter in spellings.items():
        best = min(counter, key=lambda x: (has_invisible(x), -counter[x]))  # ties: the first row's spelling
        display[k] = visible(best)  # all spellings may carry an invisible character: never shown
        if len(counter) > 1:
            listed = ", ".join(f"«{shown(x)}»" for x in sorted(counter))
            findings.append(
                Finding(
                    "counts.network_spelling",
                    WARNING,
                    f"Nettverket er skrevet på flere måter ({listed}); radene er lagt sammen som «{shown(best)}».",
                    file=file,
                    sheet=SHEET,
                    value=", ".join(shown(x) for x in sorted(counter)),
                    fix="Skriv navnet likt på alle rader"
                    + (" (fjern usynlige tegn, vist som \\u…)." if any(map(has_invisible, counter)) else "."),
                )
            )
    ordered = sorted(totals, key=lambda k: (k, display[k]))
    counts = Counts(file, tuple(display[k] for k in ordered), {display[k]: totals[k] for k in ordered}, len(records))
    return counts, findings


__all__ = ["Counts", "read_counts", "parse_count"]
