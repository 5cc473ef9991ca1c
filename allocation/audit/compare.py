"""Comparing two runs (two scenarios of one year, or last year against this year).

``compare_runs`` is pure over two manifests and their configuration texts;
``write_comparison`` writes the workbook: Sammendrag, Nettverk, Potter,
Parametre (what differs in the configurations, parameter by parameter).
"""

from __future__ import annotations

import json
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..model.comparison import Comparison, Row
from ..model.findings import ERROR, Finding
from ..model.names import name_key


class CompareError(Exception):
    """A run folder cannot be compared (no manifest, unreadable); carries the finding."""

    def __init__(self, finding: Finding):
        super().__init__(finding.message)
        self.finding = finding


def load_run(folder: Path) -> tuple[dict[str, Any], str]:
    """The manifest of a run folder and its configuration text."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        config_text = (folder / manifest["config"]["file"]).read_text(encoding="utf-8")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CompareError(
            Finding(
                "compare.unusable_folder",
                ERROR,
                f"Mappen er ikke en brukbar kjøremappe: manifest.json eller konfigurasjonen mangler "
                f"eller er ugyldig ({type(exc).__name__}).",
                file=str(folder),
                value=str(exc)[:200],
                fix="Pek på en mappe som «run» har laget (med manifest.json og inputs/), og kjør «verify» på den.",
            )
        ) from None
    return manifest, config_text


def _rows(a: dict[str, int | None], b: dict[str, int | None]) -> list[Row]:
    keys_a = {name_key(k): k for k in a}
    keys_b = {name_key(k): k for k in b}
    out = []
    for key in sorted(set(keys_a) | set(keys_b)):
        label = keys_b.get(key) or keys_a[key]
        in_a, in_b = key in keys_a, key in keys_b
        status = "" if in_a and in_b else ("ny" if in_b else "borte")
        out.append(Row(label, a.get(keys_a[key]) if in_a else None, b.get(keys_b[key]) if in_b else None, status))
    return out


def compare_runs(
    ma: dict[str, Any], ca: str, mb: dict[str, Any], cb: str, threshold: Decimal = Decimal(5)
) -> Comparison:
    nets_a = {n["name"]: n for n in ma.get("networks", [])}
    nets_b = {n["name"]: n for n in mb.get("networks", [])}
    parts = []
    for row in _rows({k: v["frame"] for k, v in nets_a.items()}, {k: v["frame"] for k, v in nets_b.items()}):
        pa = _find(nets_a, row.label).get("parts", {}) if row.status != "ny" else {}
        pb = _find(nets_b, row.label).get("parts", {}) if row.status != "borte" else {}
        for part in _rows(pa, pb):
            parts.append((row.label, part))
    granted_a = {k: v.get("granted") for k, v in nets_a.items() if v.get("granted") is not None}
    granted_b = {k: v.get("granted") for k, v in nets_b.items() if v.get("granted") is not None}
    return Comparison(
        name_a=ma.get("name", "A"),
        name_b=mb.get("name", "B"),
        frame=Row("Ramme", ma.get("frame"), mb.get("frame")),
        held_back=Row("Holdt tilbake", ma.get("held_back"), mb.get("held_back")),
        networks=_rows({k: v["frame"] for k, v in nets_a.items()}, {k: v["frame"] for k, v in nets_b.items()}),
        granted=_rows(granted_a, granted_b) if granted_a or granted_b else [],
        parts=parts,
        pots=_rows(
            {p["name"]: p["amount"] for p in ma.get("pots", [])}, {p["name"]: p["amount"] for p in mb.get("pots", [])}
        ),
        recipients=_rows(
            {r["name"]: r["amount"] for r in ma.get("recipients", [])},
            {r["name"]: r["amount"] for r in mb.get("recipients", [])},
        ),
        parameters=config_differences(ca, cb),
        threshold=threshold,
    )


def _find(nets: dict[str, Any], label: str) -> dict[str, Any]:
    for name, data in nets.items():
        if name_key(name) == name_key(label):
            return data
    return {}


def flatten_config(text: str) -> dict[str, str]:
    """A configuration as {parameter path: value}; pots are keyed by name, not position."""
    try:
        return flatten_data(tomllib.loads(text, parse_float=Decimal))
    except tomllib.TOMLDecodeError:
        return {"(konfigurasjon)": "ugyldig TOML"}


def flatten_data(data: dict[str, Any]) -> dict[str, str]:
    """Nested tables as {"a.b.c": shown value}; arrays of named tables keyed «name»."""
    out: dict[str, str] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}.{k}" if prefix else k, v)
        elif isinstance(value, list) and value and all(isinstance(x, dict) and "name" in x for x in value):
            for item in value:
                for k, v in item.items():
                    if k != "name":
                        walk(f"{prefix} «{item['name']}».{k}", v)
        else:
            out[prefix] = _show(value)

    walk("", data)
    return out


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:,}".replace(",", " ")
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value)
    return str(value)


def config_differences(a: str, b: str) -> list[tuple[str, str, str]]:
    fa, fb = flatten_config(a), flatten_config(b)
    return [(k, fa.get(k, "—"), fb.get(k, "—")) for k in sorted(set(fa) | set(fb)) if fa.get(k) != fb.get(k)]
