"""Readable test cases: one TOML file per case, run like ``run_allocation.py run``.

A case holds the model (inline, or a path to a configuration), the counts (a
small text table, or a path to a counts workbook), optionally applications,
and the kroner expected per network, pot and recipient. ``tests/conftest.py``
turns each ``tests/cases/*.toml`` into one pytest item. The format is
described in ``tests/cases/README.md``.

The case is run through the command line's own entry point (``cli.main``,
in-process) into a temporary run folder, and the numbers are read back from
``manifest.json``: the same path and the same contract a user relies on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter

CASES = Path(__file__).resolve().parent

# Columns of the counts table that stay text; every other column is a count.
COUNT_TEXT = {"nettverk", "eier", "kommunenummer", "målform"}
# Columns of the applications table read as numbers when written as plain numbers.
APP_NUMBER = ("beløp", "andel", "fond")
# Valid values for the application fields a case leaves out (the org.nr and account
# numbers pass the mod-11 checks); the money fields come from the case.
APP_DEFAULTS = {
    "Tiltak": "Tiltak i {network}",
    "Kontaktperson": "Kontaktperson",
    "E-post": "kontakt@example.no",
    "Partnerskap bekreftet": "Ja",
    "Eier": "{network} (ansvarlig eier)",
    "Eier org.nr": "910000004",
    "Eier kontonummer": "1500 00 00008",
    "Eier referanse": "Kompetanseløftet {network}",
    "UH": "Universitetet",
    "UH org.nr": "970000003",
    "UH kontonummer": "7690.00.00002",
    "UH referanse": "KL {network}",
    "Andel kartlegging": 0,
    "Andel planlegging": 0,
    "Andel gjennomføring": 100,
    "Andel koordinator": 0,
}
# Columns of the expected-networks table that are not pots.
NETWORK_FIELDS = {
    "ramme": "frame",
    "søkt": "requested",
    "tildelt": "granted",
    "omfordelt": "redistributed",
    "tildelt eier": "granted_owner",
    "tildelt uh": "granted_uh",
}
CASE_KEYS = {"title", "description", "config", "model", "counts", "counts_file", "applications", "expected"}
EXPECTED_KEYS = {"exit", "codes", "networks", "pots", "recipients", "held_back", "not_granted", "frame"}


class CaseError(Exception):
    """The case file itself is malformed (not a difference in kroner)."""


class CaseMismatch(AssertionError):
    """The engine's result differs from the case: one line per differing krone."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


# --- reading a case -------------------------------------------------------------------


def load_case(path: Path) -> dict[str, Any]:
    try:
        case = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CaseError(f"{path.name}: not valid TOML: {exc}") from exc
    unknown = set(case) - CASE_KEYS
    if unknown:
        raise CaseError(f"{path.name}: unknown keys {sorted(unknown)}; allowed: {sorted(CASE_KEYS)}")
    for key in ("title", "description", "expected"):
        if key not in case:
            raise CaseError(f"{path.name}: the case needs «{key}»")
    if ("config" in case) == ("model" in case):
        raise CaseError(f"{path.name}: give exactly one of «config» (a path) and «model» (inline tables)")
    unknown = set(case["expected"]) - EXPECTED_KEYS
    if unknown:
        raise CaseError(f"{path.name}: unknown keys in [expected]: {sorted(unknown)}")
    return case


def parse_number(text: str) -> int | None:
    """``1 250 000`` (spaces, NBSP or ``_`` as separators) -> 1250000; anything else -> None."""
    digits = re.sub(r"[ \u00a0\u202f_]", "", text)
    return int(digits) if re.fullmatch(r"-?\d+", digits) else None


def parse_table(text: str) -> tuple[list[str], list[list[str]]]:
    """A text table with «|» between cells (a Markdown table works too): headers and rows."""
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    lines = [ln for ln in lines if not re.fullmatch(r"[|:\-+ ]+", ln)]  # separator rows
    if not lines:
        raise CaseError("an empty table")
    rows = [[c.strip() for c in ln.strip("|").split("|")] for ln in lines]
    headers, body = rows[0], rows[1:]
    for row in body:
        if len(row) != len(headers):
            raise CaseError(f"table row {row} has {len(row)} cells, the header has {len(headers)}")
    return headers, body


# --- writing the inputs -----------------------------------------------------------------


def write_sheet(path: Path, sheet: str, headers: list[str], rows: list[list[Any]]) -> None:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    wb.set_properties({"created": dt.datetime(2000, 1, 1)})
    ws = wb.add_worksheet(sheet)
    for c, header in enumerate(headers):
        ws.write_string(0, c, header)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                ws.write_string(r, c, value)
            else:
                ws.write_number(r, c, value)
    wb.close()


def write_counts(text: str, path: Path) -> None:
    headers, rows = parse_table(text)
    out: list[list[Any]] = []
    for row in rows:
        cells: list[Any] = []
        for header, cell in zip(headers, row, strict=True):
            number = parse_number(cell) if header.casefold() not in COUNT_TEXT else None
            cells.append(number if number is not None else cell)
        out.append(cells)
    write_sheet(path, "Tall", headers, out)


def write_applications(text: str, path: Path) -> None:
    headers, rows = parse_table(text)
    if "Nettverk" not in headers:
        raise CaseError("the applications table needs the column «Nettverk»")
    all_headers = headers + [h for h in APP_DEFAULTS if h not in headers]
    out: list[list[Any]] = []
    for row in rows:
        given = dict(zip(headers, row, strict=True))
        cells: list[Any] = []
        for header in all_headers:
            value: Any = given.get(header)
            if value is None:
                default = APP_DEFAULTS[header]
                value = default.format(network=given["Nettverk"]) if isinstance(default, str) else default
            elif any(w in header.casefold() for w in APP_NUMBER) and parse_number(value) is not None:
                value = parse_number(value)
            cells.append(value)
        out.append(cells)
    write_sheet(path, "Søknader", all_headers, out)


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{ " + ", ".join(f"{json.dumps(k, ensure_ascii=False)} = {toml_value(v)}" for k, v in value.items()) + " }"
        )
    raise CaseError(f"cannot write {value!r} as TOML")


def model_toml(model: dict[str, Any]) -> str:
    """The inline model as a configuration file: ``[run]``, ``[keys.X]``, ``[[pot]]`` …"""
    lines: list[str] = []
    for section, body in model.items():
        if isinstance(body, list):  # [[pot]], [[scenario]]
            for item in body:
                lines.append(f"\n[[{section}]]")
                lines += [f"{json.dumps(k, ensure_ascii=False)} = {toml_value(v)}" for k, v in item.items()]
        elif isinstance(body, dict):
            lines.append(f"\n[{section}]")
            lines += [f"{json.dumps(k, ensure_ascii=False)} = {toml_value(v)}" for k, v in body.items()]
        else:
            raise CaseError(f"[model]: «{section}» must be a table or a list of tables")
    return "\n".join(lines).lstrip() + "\n"


def prepare_inputs(case: dict[str, Any], path: Path, tmp: Path) -> Path:
    """The configuration file to run: the given one, or the inline model written out."""
    if "config" in case:
        config = (path.parent / case["config"]).resolve()
        if not config.is_file():
            raise CaseError(f"{path.name}: config {case['config']} does not exist")
        return config
    model = {k: (dict(v) if isinstance(v, dict) else v) for k, v in case["model"].items()}
    inputs = model.setdefault("inputs", {})
    if "counts" in case:
        write_counts(case["counts"], tmp / "tall.xlsx")
        inputs["counts"] = "tall.xlsx"
    elif "counts_file" in case:
        inputs["counts"] = str((path.parent / case["counts_file"]).resolve())
    if "applications" in case:
        write_applications(case["applications"], tmp / "søknader.xlsx")
        apps = model.setdefault("applications", {})
        if "files" not in apps and "folder" not in apps:
            apps["files"] = ["søknader.xlsx"]
    config = tmp / "modell.toml"
    config.write_text(model_toml(model), encoding="utf-8")
    return config


# --- running ------------------------------------------------------------------------------


@dataclass
class Outcome:
    exit: int
    output: str
    manifest: dict[str, Any] | None = None
    codes: set[str] = field(default_factory=set)


def run_case(case: dict[str, Any], path: Path, tmp: Path) -> Outcome:
    from allocation.cli import main

    config = prepare_inputs(case, path, tmp)
    out = tmp / "kjøring"
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        status = main(["run", str(config), "--out", str(out)])
    outcome = Outcome(status, buffer.getvalue())
    if (out / "manifest.json").is_file():
        outcome.manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        outcome.codes = {f["code"] for f in outcome.manifest["findings"]}
    funn = out.with_name(out.name + "-funn") / "funn.json"
    if funn.is_file():
        outcome.codes |= {f["code"] for f in json.loads(funn.read_text(encoding="utf-8"))["findings"]}
    # configuration errors (exit 2) are only printed: each reason code stands in the report
    outcome.codes |= set(re.findall(r"\b(?:FEIL|ADVARSEL|MERKNAD) ([a-z_]+\.[a-z_.]+)", outcome.output))
    return outcome


# --- comparing ----------------------------------------------------------------------------


def kr(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", " ") + " kr"
    return "ingen" if value is None else repr(value)


def expected_amount(cell: str, where: str) -> int | None | str:
    """A table cell: kroner, «-» for none (no application), or empty (not checked: returns "")."""
    if cell == "":
        return ""
    if cell in ("-", "–"):
        return None
    number = parse_number(cell.removesuffix("kr").strip())
    if number is None:
        raise CaseError(f"{where}: «{cell}» is not a whole number of kroner")
    return number


def compare(case: dict[str, Any], outcome: Outcome) -> list[str]:
    """Every difference between the case and the run, one line each."""
    exp = case["expected"]
    diffs: list[str] = []
    want_exit = exp.get("exit", 0)
    if outcome.exit != want_exit:
        diffs.append(f"exit status: expected {want_exit}, got {outcome.exit}")
    for code in exp.get("codes", []):
        if code not in outcome.codes:
            diffs.append(f"reason code {code}: expected, not reported (reported: {sorted(outcome.codes) or 'none'})")
    if outcome.exit != want_exit or want_exit != 0:
        if diffs:
            diffs.append("output of the run:\n" + outcome.output.rstrip())
        return diffs
    m = outcome.manifest
    assert m is not None, "exit 0 without a manifest"
    if "frame" in exp and m["frame"] != exp["frame"]:
        diffs.append(f"Ramme: expected {kr(exp['frame'])}, got {kr(m['frame'])}")
    diffs += compare_networks(exp.get("networks"), m)
    pots = {p["name"]: p["amount"] for p in m["pots"]}
    for name, want in exp.get("pots", {}).items():
        got = pots.get(name)
        if got != want:
            diffs.append(f"pott {name}: expected {kr(want)}, got {kr(got) if name in pots else 'no such pot'}")
    recipients = {r["name"]: r["amount"] for r in m["recipients"]}
    if "recipients" in exp:
        for name in sorted(set(exp["recipients"]) | set(recipients)):
            want, got = exp["recipients"].get(name), recipients.get(name)
            if want != got:
                diffs.append(f"mottaker {name}: expected {kr(want)}, got {kr(got)}")
    if "held_back" in exp and m["held_back"] != exp["held_back"]:
        diffs.append(f"holdt tilbake: expected {kr(exp['held_back'])}, got {kr(m['held_back'])}")
    if "not_granted" in exp and m["held_back_parts"]["not_granted"] != exp["not_granted"]:
        got = m["held_back_parts"]["not_granted"]
        diffs.append(f"holdt tilbake, ikke tildelt: expected {kr(exp['not_granted'])}, got {kr(got)}")
    return diffs


def compare_networks(table: str | None, m: dict[str, Any]) -> list[str]:
    if table is None:
        return []
    headers, rows = parse_table(table)
    if not headers or headers[0] != "Nettverk":
        raise CaseError("the expected networks table starts with the column «Nettverk»")
    got = {n["name"]: n for n in m["networks"]}
    diffs = []
    listed = [row[0] for row in rows]
    for name in sorted(set(got) - set(listed)):
        diffs.append(f"{name}: a network in the result that the case does not list")
    for row in rows:
        name = row[0]
        if name not in got:
            diffs.append(f"{name}: expected a network of this name, the result has none")
            continue
        net = got[name]
        for header, cell in zip(headers[1:], row[1:], strict=True):
            want = expected_amount(cell, f"{name} / {header}")
            if want == "":
                continue
            field_name = NETWORK_FIELDS.get(header.casefold())
            if field_name is not None:
                have = net.get(field_name)
            else:
                have = net["parts"].get(header, "no such pot")
            if have != want:
                diffs.append(f"{name} / {header}: expected {kr(want)}, got {kr(have)}")
    return diffs
