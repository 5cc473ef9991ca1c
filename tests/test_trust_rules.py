"""Rules hold wherever a value came from, and `validate` says yes exactly when `run` would.

A hostile-TOML corpus (NaN, infinity, absurd sizes, empty and reserved names, deep and
circular trees) must end in exit 2 with the reason code and the key; rules on the pot
tree are judged on the final configuration, so values from the parameters workbook
are held to them too, named by their sheet and cell. Every case is run through both
`validate` and `run`, which must agree on the exit status and on the error codes.
"""

from __future__ import annotations

import contextlib
import io
import re
import time
from pathlib import Path
from typing import Any

import pytest

from allocation.cli import main

from .conftest import ROOT, counts_rows, write_xlsx

GOOD = {
    "Trondheim/Malvik": (10480, 22650, 0),
    "Fosen": (1021, 2262, 0),
    "Namdal": (1868, 4029, 0),
    "Trøndelag fylkeskommune": (0, 0, 24512),
}
BASE = (
    (ROOT / "config" / "trondelag.toml")
    .read_text(encoding="utf-8")
    .replace('counts = "../input_templates/trondelag/tall.xlsx"', 'counts = "tall.xlsx"')
)
NO_FRAME = BASE.replace("frame = 32_000_000\n", "").replace(
    'counts = "tall.xlsx"', 'counts = "tall.xlsx"\nparameters = "parametre.xlsx"'
)
RAMME_HEAD = ["Post", "Beløp", "Vedtak"]
AVS_HEAD = ["Navn", "Beløp", "Andel (%)", "Mottaker", "Vedtak"]
NETT_HEAD = ["Nettverk", "Grunntilskudd", "Koordinering", "Vedtak"]
_CODE_LINE = re.compile(r"^\s+(FEIL|ADVARSEL|MERKNAD) (\S+) \(\d+\)$", re.M)


def sub(old: str, new: str, text: str = BASE) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def pot(name: str, body: str = "amount = 1") -> str:
    return f'\n[[pot]]\nname = "{name}"\n{body}\n'


def chain(n: int) -> str:
    parts = [pot("Ledd 0", "amount = 1")]
    parts += [pot(f"Ledd {i}", f'parent = "Ledd {i - 1}"\namount = 1') for i in range(1, n)]
    return BASE + "".join(parts)


def scenario(run: str) -> str:
    return BASE + f'\n[[scenario]]\nname = "Alternativ"\nrun = {{ {run} }}\n'


# (id, configuration text, parameters workbook sheets or None, counts rows or None, exit, code)
Case = tuple[str, str, dict[str, list[list[Any]]] | None, list[list[Any]] | None, int, str]

HOSTILE_TOML: list[Case] = [
    ("frame nan", sub("frame = 32_000_000", "frame = nan"), None, None, 2, "config.not_finite"),
    ("frame inf", sub("frame = 32_000_000", "frame = inf"), None, None, 2, "config.not_finite"),
    ("frame -inf", sub("frame = 32_000_000", "frame = -inf"), None, None, 2, "config.not_finite"),
    ("frame 1e300", sub("frame = 32_000_000", "frame = 1e300"), None, None, 2, "config.too_large"),
    ("frame 5000 digits", sub("frame = 32_000_000", "frame = 1" + "0" * 5000), None, None, 2, "config.too_large"),
    ("frame huge exponent", sub("frame = 32_000_000", "frame = 1e999999999"), None, None, 2, "config.too_large"),
    ("frame negative", sub("frame = 32_000_000", "frame = -5"), None, None, 2, "config.negative"),
    ("frame zero", sub("frame = 32_000_000", "frame = 0"), None, None, 2, "config.frame_too_small"),
    ("unit zero", sub("unit = 1 ", "unit = 0 "), None, None, 2, "config.unit"),
    ("unit negative", sub("unit = 1 ", "unit = -1000 "), None, None, 2, "config.negative"),
    ("unit nan", sub("unit = 1 ", "unit = nan "), None, None, 2, "config.not_finite"),
    ("unit above frame", sub("unit = 1 ", "unit = 50_000_000 "), None, None, 2, "config.unit_too_large"),
    ("unit 1e300", sub("unit = 1 ", "unit = 1e300 "), None, None, 2, "config.too_large"),
    ("percent nan", sub("percent = 8", "percent = nan"), None, None, 2, "config.not_finite"),
    ("percent inf", sub("percent = 8", "percent = +inf"), None, None, 2, "config.not_finite"),
    ("percent 1e300", sub("percent = 8", "percent = 1e300"), None, None, 2, "config.percent_range"),
    ("percent huge exponent", sub("percent = 8", "percent = 1e999999999"), None, None, 2, "config.percent_range"),
    ("percent tiny exponent", sub("percent = 8", "percent = 1e-999999999"), None, None, 2, "config.precision"),
    ("percent negative", sub("percent = 8", "percent = -8"), None, None, 2, "config.negative"),
    ("weight inf", sub('"Barn i barnehage" = 1', '"Barn i barnehage" = inf'), None, None, 2, "config.not_finite"),
    ("weight nan", sub('"Barn i barnehage" = 1', '"Barn i barnehage" = nan'), None, None, 2, "config.not_finite"),
    ("weight 1e300", sub('"Barn i barnehage" = 1', '"Barn i barnehage" = 1e300'), None, None, 2, "config.too_large"),
    ("per_network nan", sub("per_network = 250_000", "per_network = nan"), None, None, 2, "config.not_finite"),
    ("extra inf", sub('"Trondheim/Malvik" = 200_000', '"Trondheim/Malvik" = inf'), None, None, 2, "config.not_finite"),
    ("amount fraction", sub("amount = 400_000", "amount = 400_000.5"), None, None, 2, "config.not_whole"),
    ("empty pot name", sub('name = "Møtevirksomhet"', 'name = ""'), None, None, 2, "config.empty_name"),
    ("blank pot name", sub('name = "Møtevirksomhet"', 'name = " \\t "'), None, None, 2, "config.empty_name"),
    ("zero-width name", sub('name = "Møtevirksomhet"', 'name = "\\u200B"'), None, None, 2, "config.empty_name"),
    (
        "invisible name",
        sub('name = "Møtevirksomhet"', 'name = "\\u00AD\\u2060\\uFEFF"'),
        None,
        None,
        2,
        "config.empty_name",
    ),
    (
        "control character in name",
        sub('name = "Møtevirksomhet"', 'name = "Møte\\u001B[31m"'),
        None,
        None,
        2,
        "config.bad_name",
    ),
    ("pot named Ramme", sub('name = "Møtevirksomhet"', 'name = "Ramme"'), None, None, 2, "config.reserved_name"),
    ("pot named RAMME", sub('name = "Møtevirksomhet"', 'name = " RAMME "'), None, None, 2, "config.reserved_name"),
    ("parent named Ramme", BASE + pot("Under", 'parent = "Ramme"\namount = 1'), None, None, 2, "config.reserved_name"),
    ("chain 5000 deep", chain(5000), None, None, 2, "config.too_deep"),
    ("chain 60 deep", chain(60), None, None, 2, "config.too_deep"),
    (
        "cycle",
        BASE + pot("A", 'parent = "C"\namount = 1') + pot("B", 'parent = "A"\namount = 1') + pot("C", 'parent = "B"'),
        None,
        None,
        2,
        "config.cycle",
    ),
    ("own parent", BASE + pot("A", 'parent = "A"\namount = 1'), None, None, 2, "config.cycle"),
    ("two pots one name", BASE + pot("møtevirksomhet "), None, None, 2, "config.duplicate_pot"),
    (
        "many pots",
        BASE + "".join(pot(f"P{i}", "amount = 0") for i in range(3000)),
        None,
        None,
        2,
        "config.too_many_pots",
    ),
    ("nested arrays", BASE + "\nx = " + "[" * 3000 + "]" * 3000 + "\n", None, None, 2, "config.syntax"),
    ("scenario frame nan", scenario("frame = nan"), None, None, 2, "config.not_finite"),
    ("scenario frame too small", scenario("frame = 1_000"), None, None, 2, "config.frame_too_small"),
    ("frame too small", sub("frame = 32_000_000", "frame = 2_000_000"), None, None, 2, "config.frame_too_small"),
    (
        "parent smaller than its fixed child",
        BASE + pot("Del", 'parent = "Fellestiltak"\namount = 5_000_000\nrecipient = "X"'),
        None,
        None,
        2,
        "config.frame_too_small",
    ),
    (
        "unknown network in extra",
        sub('"Trondheim/Malvik" = 200_000', '"Trondheim" = 200_000'),
        None,
        None,
        2,
        "config.unknown_network",
    ),
    (
        "percentages over 100 beside a rest",
        sub("percent = 8", "percent = 80") + pot("Mer", "percent = 30"),
        None,
        None,
        2,
        "config.percent_sum",
    ),
    (
        "money no pot takes",
        sub('rest = true\nspread = "key"', 'percent = 50\nspread = "key"'),
        None,
        None,
        2,
        "config.unassigned_rest",
    ),
]


def params(ramme=None, avs=None, nett=None) -> dict[str, list[list[Any]]]:
    return {
        "Ramme": [RAMME_HEAD, *(ramme if ramme is not None else [["Ramme", 32_000_000, "Brev"]])],
        "Avsetninger": [AVS_HEAD, *(avs or [])],
        "Nettverk": [NETT_HEAD, *(nett or [])],
    }


PARAMETERS: list[Case] = [
    ("parameters fine", NO_FRAME, params(), None, 0, ""),
    ("parameters frame too small", NO_FRAME, params([["Ramme", 2_000_000, ""]]), None, 2, "config.frame_too_small"),
    (
        "parameters set-aside larger than frame",
        NO_FRAME,
        params(avs=[["Stor avsetning", 40_000_000, None, "X", ""]]),
        None,
        2,
        "config.frame_too_small",
    ),
    (
        "parameters commitment larger than frame",
        NO_FRAME,
        params([["Ramme", 32_000_000, ""], ["Tilsagn 2024", 33_000_000, ""]]),
        None,
        2,
        "config.frame_too_small",
    ),
    (
        "parameters percentages over 100",
        NO_FRAME,
        params(avs=[["A", None, 60, "X", ""], ["B", None, 50, "Y", ""]]),
        None,
        2,
        "config.percent_sum",
    ),
    (
        "parameters percentage beside the config's",
        NO_FRAME,
        params(avs=[["A", None, 95, "X", ""]]),
        None,
        2,
        "config.percent_sum",
    ),
    (
        "parameters set-aside named like the frame",
        NO_FRAME,
        params(avs=[["Ramme ", 1000, None, "X", ""]]),
        None,
        2,
        "config.reserved_name",
    ),
    (
        "parameters unit above frame",
        sub("unit = 1 ", "unit = 1000 ", NO_FRAME),
        params([["Ramme", 500, ""]]),
        None,
        2,
        "config.unit_too_large",
    ),
    (
        "parameters per-network amounts exceed frame",
        sub("per_network = 250_000", 'per_network = 250_000\ncolumn = "Grunntilskudd"', NO_FRAME),
        params(nett=[[n, 9_000_000, None, ""] for n in GOOD]),
        None,
        2,
        "config.frame_too_small",
    ),
    ("parameters no frame row", NO_FRAME, params([]), None, 2, "config.no_frame"),
    (
        "parameters commitment named like a pot",
        NO_FRAME,
        params([["Ramme", 32_000_000, ""], ["Møtevirksomhet", 1000, ""]]),
        None,
        2,
        "config.name_clash",
    ),
]

ZERO = {n: (0, 0, 0) for n in GOOD}
INPUTS: list[Case] = [
    ("good", BASE, None, None, 0, ""),
    ("negative count", BASE, None, [*counts_rows(GOOD)[:2], ["Fosen", None, None, -1, 0, 0]], 1, "counts.negative"),
    ("all counts zero for the key", BASE, None, counts_rows(ZERO), 1, "counts.zero_key"),
    (
        "all counts zero for the ratios",
        BASE.replace('rest = true\nspread = "key"\nkey = "elevtall"', 'ratio = "elevtall"\nrecipient = "X"')
        + pot("Annen del", 'ratio = { "Barn i barnehage" = 1 }\nrecipient = "Y"'),
        None,
        counts_rows(ZERO),
        1,
        "counts.zero_ratio",
    ),
    (
        "pot without size",
        sub("amount = 400_000\n", "", NO_FRAME),
        params(),
        None,
        2,
        "config.no_size",
    ),
]

CASES = HOSTILE_TOML + PARAMETERS + INPUTS


def build(tmp: Path, config: str, sheets: dict | None, counts: list[list[Any]] | None) -> Path:
    write_xlsx(tmp / "tall.xlsx", {"Tall": counts if counts is not None else counts_rows(GOOD)})
    if sheets is not None:
        write_xlsx(tmp / "parametre.xlsx", sheets)
    path = tmp / "modell.toml"
    path.write_text(config, encoding="utf-8")
    return path


def cli(args: list[str]) -> tuple[int, str, set[str]]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    text = out.getvalue() + err.getvalue()
    assert "Uventet feil" not in text and "Traceback" not in text, text
    return code, text, {c for sev, c in _CODE_LINE.findall(text) if sev == "FEIL"}


def both(tmp: Path, config: Path) -> tuple[tuple[int, str, set[str]], tuple[int, str, set[str]]]:
    validated = cli(["validate", str(config), "--out", str(tmp / "kontroll")])
    ran = cli(["run", str(config), "--out", str(tmp / "kjøring")])
    return validated, ran


@pytest.mark.parametrize(("label", "config", "sheets", "counts", "exit", "code"), CASES, ids=[c[0] for c in CASES])
def test_validate_and_run_agree(tmp_path, label, config, sheets, counts, exit, code) -> None:
    path = build(tmp_path, config, sheets, counts)
    start = time.perf_counter()
    (v_exit, _, v_codes), (r_exit, r_text, r_codes) = both(tmp_path, path)
    assert time.perf_counter() - start < 20
    assert r_exit == exit, r_text
    if code:
        assert code in r_codes, r_text
    assert (v_exit, v_codes) == (r_exit, r_codes)
    assert (tmp_path / "kjøring").exists() == (exit == 0)


def _findings(tmp: Path, config: Path) -> list:
    from allocation.model.findings import ConfigError, InputErrors
    from allocation.pipeline import run

    with pytest.raises((ConfigError, InputErrors)) as exc:
        run(config)
    return exc.value.findings


@pytest.mark.parametrize(
    ("label", "config", "code", "cell"),
    [
        ("frame nan", sub("frame = 32_000_000", "frame = nan"), "config.not_finite", "run.frame"),
        ("percent inf", sub("percent = 8", "percent = inf"), "config.not_finite", "pot «Fellestiltak».percent"),
        ("weight nan", sub('"Barn i barnehage" = 1', '"Barn i barnehage" = nan'), "config.not_finite", "keys.elevtall"),
        ("empty name", sub('name = "Møtevirksomhet"', 'name = "\\u200B"'), "config.empty_name", "pot[1].name"),
        ("reserved", sub('name = "Møtevirksomhet"', 'name = "ramme"'), "config.reserved_name", "pot[1].name"),
        ("deep", chain(5000), "config.too_deep", "pot «Ledd"),
        ("unit", sub("unit = 1 ", "unit = 50_000_000 "), "config.unit_too_large", "run.unit"),
        ("frame small", sub("frame = 32_000_000", "frame = 2_000_000"), "config.frame_too_small", "run.frame"),
        ("extra", sub('"Trondheim/Malvik" = 200_000', '"Trondhjem" = 200_000'), "config.unknown_network", "pot «"),
    ],
)
def test_toml_findings_name_the_key(tmp_path, label, config, code, cell) -> None:
    found = _findings(tmp_path, build(tmp_path, config, None, None))
    hits = [f for f in found if f.code == code]
    assert hits, found
    assert any(f.cell.startswith(cell) and f.file == "modell.toml" and f.message and f.fix for f in hits), hits


@pytest.mark.parametrize(
    ("label", "sheets", "code", "sheet", "cells"),
    [
        ("frame", params([["Ramme", 2_000_000, ""]]), "config.frame_too_small", "Ramme", {"B2"}),
        (
            "percent sum",
            params(avs=[["A", None, 60, "X", ""], ["B", None, 50, "Y", ""]]),
            "config.percent_sum",
            "Avsetninger",
            {"C2", "C3"},
        ),
        ("reserved", params(avs=[["Ramme", 1000, None, "X", ""]]), "config.reserved_name", "Avsetninger", {"A2"}),
    ],
)
def test_parameters_findings_name_the_sheet_cell(tmp_path, label, sheets, code, sheet, cells) -> None:
    found = _findings(tmp_path, build(tmp_path, NO_FRAME, sheets, None))
    hit = next(f for f in found if f.code == code)
    assert (hit.file, hit.sheet) == ("parametre.xlsx", sheet) and hit.cell in cells, hit


def test_fixed_amounts_off_the_unit_are_a_warning(tmp_path) -> None:
    text = sub("unit = 1 ", "unit = 1000 ").replace("amount = 400_000", "amount = 400_500")
    (v_exit, v_text, _), (r_exit, _, _) = both(tmp_path, build(tmp_path, text, None, None))
    assert v_exit == r_exit == 0
    assert "config.unit_mismatch" in v_text


def test_every_rule_code_has_a_case() -> None:
    """Each reason code the final-configuration check can raise is exercised above, through both commands."""
    source = (ROOT / "allocation" / "allocate" / "rules.py").read_text(encoding="utf-8")
    source += (ROOT / "allocation" / "allocate" / "pots.py").read_text(encoding="utf-8")
    raised = set(re.findall(r'"((?:config|counts)\.[a-z_]+)"', source))
    covered = {c[5] for c in CASES} | {"config.unit_mismatch"}
    assert raised and raised <= covered, raised - covered


def test_allocate_alone_refuses_a_bad_tree(tmp_path) -> None:
    """A notebook calling allocate() directly gets the same findings, not an assertion."""
    from allocation.allocate.pots import allocate
    from allocation.model.findings import ConfigError
    from allocation.read.configuration import load_config
    from allocation.read.counts import read_counts

    path = build(tmp_path, sub("frame = 32_000_000", "frame = 2_000_000"), None, None)
    cfg = load_config(path)
    counts, _ = read_counts(cfg.counts, "tall.xlsx", cfg.count_columns())
    with pytest.raises(ConfigError) as exc:
        allocate(cfg, counts)
    assert [f.code for f in exc.value.findings] == ["config.frame_too_small"]


APPS = (
    (ROOT / "config" / "trondelag-soknader.toml")
    .read_text(encoding="utf-8")
    .replace("../input_templates/trondelag/", "")
)


def _apps_rows(change) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(ROOT / "input_templates" / "trondelag" / "søknader.xlsx"))
    rows = [
        [v if isinstance(v, (str, int, float)) else str(v) for v in row]
        for row in wb.get_sheet_by_name("Søknader").to_python()
    ]
    change(rows)
    return rows


@pytest.mark.parametrize(
    ("label", "config", "change", "exit", "code"),
    [
        ("applications good", APPS, None, 0, ""),
        (
            "coordination share nan",
            sub("max_coordination_share = 20", "max_coordination_share = nan", APPS),
            None,
            2,
            "config.not_finite",
        ),
        (
            "coordination share huge",
            sub("max_coordination_share = 20", "max_coordination_share = 1e999999999", APPS),
            None,
            2,
            "config.too_large",
        ),
        (
            "account invalid",
            APPS,
            lambda rows: rows[1].__setitem__(7, "1234 56 78901"),
            1,
            "applications.account_invalid",
        ),
        (
            "frame too small with applications",
            sub("frame = 32_000_000", "frame = 1_000_000", APPS),
            None,
            2,
            "config.frame_too_small",
        ),
    ],
)
def test_validate_and_run_agree_with_applications(tmp_path, label, config, change, exit, code) -> None:
    import shutil

    shutil.copy(ROOT / "input_templates" / "trondelag" / "tall.xlsx", tmp_path / "tall.xlsx")
    if change is None:
        shutil.copy(ROOT / "input_templates" / "trondelag" / "søknader.xlsx", tmp_path / "søknader.xlsx")
    else:
        write_xlsx(tmp_path / "søknader.xlsx", {"Søknader": _apps_rows(change)})
    path = tmp_path / "modell.toml"
    path.write_text(config, encoding="utf-8")
    (v_exit, v_text, v_codes), (r_exit, r_text, r_codes) = both(tmp_path, path)
    assert r_exit == exit, r_text
    if code:
        assert code in r_codes, r_text
    assert (v_exit, v_codes) == (r_exit, r_codes)
    if exit == 0:  # the warnings run finds after allocating (a request over the frame) are in validate's too
        warnings = {c for sev, c in _CODE_LINE.findall(r_text) if sev == "ADVARSEL"}
        assert "applications.over_frame" in warnings
        assert warnings == {c for sev, c in _CODE_LINE.findall(v_text) if sev == "ADVARSEL"}
