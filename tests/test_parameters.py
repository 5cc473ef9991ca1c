"""The parameters workbook: amounts kept in Excel, and amounts given twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from allocation.model.findings import ConfigError, InputErrors
from allocation.pipeline import run

from .conftest import counts_rows, write_xlsx

NETWORKS = {"Alfa": (100, 200, 0), "Beta": (300, 400, 0), "Gamma": (0, 0, 500)}

MODEL = """
[run]
unit = 1
{frame}
[inputs]
counts = "tall.xlsx"
parameters = "parametre.xlsx"
[[pot]]
name = "Koordinering"
per_network = 100000
column = "Koordinering"
{extra}
[[pot]]
name = "Fellestiltak"
{felles}
[[pot]]
name = "Nøkkel"
rest = true
spread = "key"
key = {{ "Barn i barnehage" = 1, "Elever i grunnskolen" = 1, "Elever og lærlinger i vgs" = 1 }}
"""


def setup(tmp: Path, ramme=None, avsetninger=None, nettverk=None, frame="", extra="", felles="") -> Path:
    write_xlsx(tmp / "tall.xlsx", {"Tall": counts_rows(NETWORKS)})
    write_xlsx(
        tmp / "parametre.xlsx",
        {
            "Ramme": [["Post", "Beløp", "Vedtak"], *(ramme or [["Ramme", "10 000 000", "Tildelingsbrev"]])],
            "Avsetninger": [["Navn", "Beløp", "Andel (%)", "Mottaker", "Vedtak"], *(avsetninger or [])],
            "Nettverk": [["Nettverk", "Grunntilskudd", "Koordinering", "Vedtak"], *(nettverk or [])],
        },
    )
    path = tmp / "modell.toml"
    path.write_text(MODEL.format(frame=frame, extra=extra, felles=felles), encoding="utf-8")
    return path


def test_amounts_from_the_workbook(tmp_path) -> None:
    cfg = setup(
        tmp_path,
        ramme=[["Ramme", 10_000_000, "Tildelingsbrev"], ["Tilsagn 2024, år 2", "kr 500 000", "Vedtak 2024"]],
        avsetninger=[
            ["Fellestiltak", None, "10 %", "Fylkets fellestiltak", "SF 2025-02-06, sak 3"],
            ["Møter", "400 000", None, None, "SF 2025-02-06"],
        ],
        nettverk=[["Beta", None, 300_000, "SF-sak 4"]],
    )
    prepared, result = run(cfg)
    assert result.frame == 10_000_000
    assert result.pot("Fellestiltak").amount == 1_000_000 and result.pot("Fellestiltak").note == "SF 2025-02-06, sak 3"
    assert dict(result.recipient_totals()) == {
        "Tilsagn 2024, år 2": 500_000,
        "Møter": 400_000,
        "Fylkets fellestiltak": 1_000_000,
    }
    assert {n: result.parts[n]["Koordinering"] for n in result.networks} == {
        "Alfa": 100_000,
        "Beta": 300_000,
        "Gamma": 100_000,
    }
    rest = 10_000_000 - 500_000 - 400_000 - 1_000_000 - 500_000
    assert result.pot("Nøkkel").amount == rest
    assert sum(result.network_frame(n) for n in result.networks) + 1_900_000 == 10_000_000


def test_frame_in_both_places_is_a_config_error(tmp_path) -> None:
    cfg = setup(tmp_path, frame="frame = 10_000_000", felles="percent = 5")
    with pytest.raises(ConfigError) as exc:
        run(cfg)
    (f,) = exc.value.findings
    assert (f.code, f.sheet, f.cell) == ("config.amount_twice", "Ramme", "B2")


def test_setaside_in_both_places(tmp_path) -> None:
    cfg = setup(tmp_path, felles="percent = 5", avsetninger=[["Fellestiltak", 100, None, None, None]])
    with pytest.raises(ConfigError) as exc:
        run(cfg)
    assert [(f.code, f.sheet, f.cell) for f in exc.value.findings] == [("config.amount_twice", "Avsetninger", "A2")]


def test_network_amount_and_config_extra_clash(tmp_path) -> None:
    cfg = setup(
        tmp_path, extra='extra = { "Beta" = 50000 }', felles="percent = 5", nettverk=[["Beta", None, 300_000, None]]
    )
    with pytest.raises(ConfigError) as exc:
        run(cfg)
    assert [(f.code, f.cell) for f in exc.value.findings] == [("config.amount_twice", "C2")]


def test_unknown_network_in_parameters(tmp_path) -> None:
    cfg = setup(tmp_path, felles="percent = 5", nettverk=[["Betta", None, 300_000, None]])
    with pytest.raises(ConfigError) as exc:
        run(cfg)
    (f,) = exc.value.findings
    assert f.code == "parameters.unknown_network" and "Beta" in f.fix


def test_unreadable_amount_is_an_input_error_quoting_the_text(tmp_path) -> None:
    cfg = setup(tmp_path, ramme=[["Ramme", "10 OOO OOO", None]], felles="percent = 5")
    with pytest.raises(InputErrors) as exc:
        run(cfg)
    (f,) = exc.value.findings
    assert (f.code, f.sheet, f.cell, f.value) == ("parameters.amount", "Ramme", "B2", "10 OOO OOO")
    assert "bokstaven O" in f.message
