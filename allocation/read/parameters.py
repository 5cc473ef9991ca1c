"""The optional parameters workbook: amounts kept in Excel by county staff.

Sheets (fixed headers): ``Ramme`` (Post, Beløp, Vedtak) — the row whose Post
starts with "Ramme" is the frame, every other row a commitment from an
earlier decision, taken off the frame first; ``Avsetninger`` (Navn, Beløp,
Andel (%), Mottaker, Vedtak) — set-asides; ``Nettverk`` (Nettverk,
Grunntilskudd, Koordinering, Vedtak) — per-network amounts for flat pots.

An amount given both here and in the configuration is a configuration error.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model.cells import a1
from ..model.findings import ERROR, NOTE, WARNING, Finding
from ..model.names import duplicate_findings, name_findings, name_key
from .values import (
    Parsed,
    excel_error,
    excel_error_fix,
    excel_error_problem,
    fraction_note,
    is_total_label,
    parse_amount,
    parse_percent,
)
from .workbooks import cell_text, find_header, header_key, is_blank, read_workbook_sheets, sheet_findings

RAMME, AVSETNINGER, NETTVERK = "Ramme", "Avsetninger", "Nettverk"
HEADERS = {
    RAMME: ["Post", "Beløp", "Vedtak"],
    AVSETNINGER: ["Navn", "Beløp", "Andel (%)", "Mottaker", "Vedtak"],
    NETTVERK: ["Nettverk", "Grunntilskudd", "Koordinering", "Vedtak"],
}


@dataclass
class Parameters:
    """What the parameters workbook gives: the frame, commitments, set-asides, per-network amounts
    and the names of the rows, each with its cell."""

    file: str
    frame: tuple[int, str, str] | None = None  # amount, note, cell
    commitments: list[tuple[str, int, str, str, str]] = field(default_factory=list)  # post, amount, note, cells
    setasides: list[dict[str, Any]] = field(default_factory=list)
    networks: dict[str, dict[str, tuple[int, str, str]]] = field(
        default_factory=dict
    )  # col -> net -> (amt, note, cell)
    names: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # sheet -> (name, cell) of each row


def read_parameters(path: Path, display: str) -> tuple[Parameters | None, list[Finding]]:
    sheets, names, findings = read_workbook_sheets(path, display, list(HEADERS))
    if findings:
        return None, findings
    params = Parameters(display)
    for want in HEADERS:
        close = difflib.get_close_matches(
            want, [n for n in names if header_key(n) not in map(header_key, HEADERS)], n=1, cutoff=0.6
        )
        if want not in sheets and close:
            findings.append(
                Finding(
                    "parameters.sheet_name",
                    ERROR,
                    f"Finner ikke arket «{want}», men arket «{close[0]}» ligner.",
                    file=display,
                    sheet=close[0],
                    value=close[0],
                    expected=want,
                    fix=f"Gi arket navnet «{want}».",
                )
            )
    if not sheets and not findings:
        return None, [
            Finding(
                "parameters.no_sheets",
                ERROR,
                "Parameterarbeidsboka har ingen av arkene «Ramme», «Avsetninger» eller «Nettverk».",
                file=display,
                value=", ".join(names),
                fix="Bruk malen fra «run_allocation.py templates».",
            )
        ]
    for sname, sheet in sheets.items():
        table, problems = _table(sheet, sname)
        findings += problems
        if table is None:
            continue
        reader = {RAMME: _ramme, AVSETNINGER: _avsetninger, NETTVERK: _nettverk}[sname]
        findings += reader(params, sheet, table)
    return params, findings + _name_checks(params)


def _name_checks(params: Parameters) -> list[Finding]:
    """A name twice where one is expected (a network twice on «Nettverk», a set-aside pasted twice,
    two commitments with one Post, a commitment named like a set-aside), and look-alike names."""
    places = {s: [(n, (s, cell)) for n, cell in params.names.get(s, [])] for s in HEADERS}
    code = "parameters.duplicate_name"
    out = duplicate_findings(places[RAMME] + places[AVSETNINGER], params.file, "Navnet", code)
    out += duplicate_findings(places[NETTVERK], params.file, "Nettverket", code)
    for sname, what in ((RAMME, "Posten"), (AVSETNINGER, "Avsetningen"), (NETTVERK, "Nettverket")):
        out += name_findings(params.names.get(sname, []), params.file, sname, what)
    return out


def _table(sheet: Any, sname: str) -> tuple[list[tuple[int, dict[str, tuple[Any, str]]]] | None, list[Finding]]:
    """Rows below the header as {header_key: (raw value, A1 cell)}; total rows and rows with
    Excel error values (``#REF!`` …) are left out, each with a finding naming its cell."""
    first = HEADERS[sname][0]
    r, colmap = find_header(sheet.rows, first)
    if r is not None:
        problems = sheet_findings(sheet, r)
        if any(f.severity == ERROR for f in problems):
            return None, problems
        read = set(colmap) if sname == NETTVERK else {header_key(h) for h in HEADERS[sname]}
        label_cols = sorted({0, colmap[header_key(first)]})
        out: list[tuple[int, dict[str, tuple[Any, str]]]] = []
        segment: list[dict[str, tuple[Any, str]]] = []
        for rr in range(r + 1, len(sheet.rows)):
            vals = {k: (sheet.cell(rr, c), a1(rr, c)) for k, c in colmap.items()}
            if all(is_blank(v) for v, _ in vals.values()):
                continue
            label = next((c for c in label_cols if is_total_label(sheet.cell(rr, c))), None)
            is_frame = sname == RAMME and name_key(cell_text(sheet.cell(rr, colmap[header_key(first)]))).startswith(
                "ramme"
            )
            if label is not None and not is_frame:
                problems.append(_total_row(sheet, rr, label, vals, segment, read))
                segment = []
                continue
            errors = [_error_cell(sheet, k, raw, ref) for k, (raw, ref) in vals.items() if k in read]
            if any(errors):
                problems += [f for f in errors if f is not None]
                continue
            out.append((rr, vals))
            segment.append(vals)
        return out, problems
    return None, [
        Finding(
            "parameters.no_header",
            ERROR,
            f"Finner ikke overskriften «{first}» i arket.",
            file=sheet.file,
            sheet=sheet.name,
            cell="A1",
            expected=first,
            fix="Bruk overskriftene fra malen.",
        )
    ]


_TEXT_COLUMNS = {"post", "navn", "mottaker", "vedtak", "nettverk"}


def _error_cell(sheet: Any, key: str, raw: Any, ref: str) -> Finding | None:
    error = excel_error(raw)
    if not error:
        return None
    return Finding(
        "parameters.excel_error",
        ERROR,
        f"«{error}» i «{key}» {excel_error_problem(error)}.",
        file=sheet.file,
        sheet=sheet.name,
        cell=ref,
        value=error,
        fix=excel_error_fix(error),
    )


def _total_row(
    sheet: Any, r: int, label_col: int, vals: dict[str, tuple[Any, str]], segment: list[dict], read: set[str]
) -> Finding:
    """A total row (``Sum``, ``I alt`` …) is never a post, a set-aside or a network: left out, and
    checked against the rows above it since the header or the previous total row."""
    wrong = []
    for key, (raw, _) in vals.items():
        if key not in read or key in _TEXT_COLUMNS:
            continue
        parse = parse_percent if key == header_key("Andel (%)") else parse_amount
        given = parse(raw)
        if given.problem or not given.value:
            continue
        above = [parse(row[key][0]) for row in segment if key in row]
        total = sum((p.value for p in above if p.value is not None and not p.problem), 0)
        if total != given.value:
            wrong.append(f"{key}: {cell_text(raw)} i summeraden, {cell_text(total)} i radene over")
    label = cell_text(sheet.cell(r, label_col))
    where = {"file": sheet.file, "sheet": sheet.name, "cell": a1(r, label_col), "value": label}
    if wrong:
        return Finding(
            "parameters.total_row_mismatch",
            WARNING,
            f"Summeraden «{label}» (rad {r + 1}) stemmer ikke med radene over ({'; '.join(wrong)}). "
            "Den er ikke tatt med; radene over er brukt.",
            **where,
            fix="Kontroller om noen rader mangler eller er skjult, eller slett summeraden.",
        )
    return Finding("parameters.total_row", NOTE, f"Summeraden «{label}» (rad {r + 1}) er ikke tatt med.", **where)


def _amount(sheet: Any, raw: Any, ref: str, what: str, findings: list[Finding]) -> int | None:
    parsed = parse_amount(raw)
    if parsed.problem or (parsed.value is not None and parsed.value < 0):
        findings.append(
            Finding(
                "parameters.amount",
                ERROR,
                f"«{cell_text(raw)}» i «{what}» {parsed.problem or 'er negativt'}.",
                file=sheet.file,
                sheet=sheet.name,
                cell=ref,
                value=cell_text(raw),
                expected="hele kroner, 0 eller mer",
                fix="Skriv beløpet med sifre, f.eks. 400 000.",
            )
        )
        return None
    return parsed.value  # type: ignore[return-value]


def _ramme(params: Parameters, sheet: Any, table) -> list[Finding]:
    findings: list[Finding] = []
    for _, vals in table:
        post_raw, post_ref = vals.get("post", (None, ""))
        amt_raw, amt_ref = vals.get(header_key("Beløp"), (None, ""))
        note = cell_text(vals.get("vedtak", (None, ""))[0])
        post = cell_text(post_raw)
        amount = _amount(sheet, amt_raw, amt_ref, "Beløp", findings)
        if amount is None:
            if is_blank(amt_raw):
                findings.append(
                    Finding(
                        "parameters.missing_amount",
                        ERROR,
                        f"«{post}» mangler beløp.",
                        file=sheet.file,
                        sheet=sheet.name,
                        cell=amt_ref,
                        fix="Fyll inn beløpet.",
                    )
                )
            continue
        if name_key(post).startswith("ramme"):
            if params.frame is not None:
                findings.append(
                    Finding(
                        "parameters.two_frames",
                        ERROR,
                        "Arket har mer enn én rad for rammen.",
                        file=sheet.file,
                        sheet=sheet.name,
                        cell=post_ref,
                        fix="Behold én rad med Post «Ramme»; andre rader er forpliktelser.",
                    )
                )
            params.frame = (amount, note, amt_ref)
        elif post:
            params.commitments.append((post, amount, note, amt_ref, post_ref))
            params.names.setdefault(RAMME, []).append((post, post_ref))
        else:
            findings.append(
                Finding(
                    "parameters.no_post",
                    ERROR,
                    "Raden har beløp, men ingen Post.",
                    file=sheet.file,
                    sheet=sheet.name,
                    cell=post_ref,
                    fix="Skriv hva beløpet gjelder.",
                )
            )
    return findings


def _avsetninger(params: Parameters, sheet: Any, table) -> list[Finding]:
    findings: list[Finding] = []
    for _, vals in table:
        name_raw, name_ref = vals.get("navn", (None, ""))
        amt_raw, amt_ref = vals.get(header_key("Beløp"), (None, ""))
        pct_raw, pct_ref = vals.get(header_key("Andel (%)"), (None, ""))
        name = cell_text(name_raw)
        amount = _amount(sheet, amt_raw, amt_ref, "Beløp", findings)
        pct = parse_percent(pct_raw)
        findings += _share_findings(sheet, pct_raw, pct_ref, pct)
        if not name:
            findings.append(
                Finding(
                    "parameters.no_name",
                    ERROR,
                    "Avsetningen mangler navn.",
                    file=sheet.file,
                    sheet=sheet.name,
                    cell=name_ref,
                    fix="Skriv navnet på avsetningen.",
                )
            )
            continue
        if amount is None and pct.value is None and is_blank(amt_raw) and is_blank(pct_raw):
            findings.append(
                Finding(
                    "parameters.missing_amount",
                    ERROR,
                    f"Avsetningen «{name}» har verken beløp eller andel.",
                    file=sheet.file,
                    sheet=sheet.name,
                    cell=amt_ref,
                    fix="Fyll inn Beløp eller Andel (%); en tom celle er ikke 0 kr.",
                )
            )
        if amount is not None and pct.value is not None:
            findings.append(
                Finding(
                    "parameters.amount_and_share",
                    ERROR,
                    f"«{name}» har både beløp og andel.",
                    file=sheet.file,
                    sheet=sheet.name,
                    cell=pct_ref,
                    fix="Fyll inn enten Beløp eller Andel (%).",
                )
            )
        params.names.setdefault(AVSETNINGER, []).append((name, name_ref))
        params.setasides.append(
            {
                "name": name,
                "amount": amount,
                "percent": pct.value,
                "recipient": cell_text(vals.get("mottaker", (None, ""))[0]) or None,
                "note": cell_text(vals.get("vedtak", (None, ""))[0]),
                "cell": name_ref,
                "value_cell": amt_ref if amount is not None else pct_ref,
            }
        )
    return findings


def _share_findings(sheet: Any, raw: Any, ref: str, pct: Parsed) -> list[Finding]:
    """A set-aside's «Andel (%)» cell: a fraction read as per cent, or a value that is not a share."""
    out: list[Finding] = []
    if pct.read_as_fraction and pct.value is not None:
        out.append(
            Finding(
                "value.fraction_read_as_percent",
                WARNING,
                "«Andel (%)»: " + fraction_note(raw, pct.value),
                file=sheet.file,
                sheet=sheet.name,
                cell=ref,
                value=cell_text(raw),
                fix="Skriv andelen i prosent (f.eks. 8 eller 8 %) hvis det var ment annerledes.",
            )
        )
    if pct.problem:
        out.append(
            Finding(
                "parameters.percent",
                ERROR,
                f"«{cell_text(raw)}» i «Andel (%)» {pct.problem}.",
                file=sheet.file,
                sheet=sheet.name,
                cell=ref,
                value=cell_text(raw),
                fix="Skriv andelen i prosent, f.eks. 8.",
            )
        )
    return out


def _nettverk(params: Parameters, sheet: Any, table) -> list[Finding]:
    findings: list[Finding] = []
    for _, vals in table:
        net_raw, net_ref = vals.get("nettverk", (None, ""))
        net = " ".join(cell_text(net_raw).split())
        if net:
            params.names.setdefault(NETTVERK, []).append((net, net_ref))
        note = cell_text(vals.get("vedtak", (None, ""))[0])
        for key, (raw, ref) in vals.items():
            if key in ("nettverk", "vedtak") or is_blank(raw):
                continue
            amount = _amount(sheet, raw, ref, key, findings)
            if amount is not None:
                params.networks.setdefault(key, {})[net] = (amount, note, ref)
    return findings
