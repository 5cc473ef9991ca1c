"""The configuration keys of commitments across years.

``[inputs] earlier_decisions`` (run folders of earlier decisions) and ``first_round`` (this
year's first round, for a second round), ``[run] repaid`` and ``repaid_note`` (money paid
back, out again in a second round), ``[applications] commitments`` and ``commitments_note``
(the rule for how much of a year-2/3 request is committed). ``verify`` passes the copies of
the manifests as overrides (roles ``earlier`` and ``first_round``).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from ..model.config import COMMITMENT_RULES, ApplicationRules
from .toml_values import Paths, Problems, parse_kroner, parse_text


def parse_years(
    p: Problems, base: Path, inputs: dict[str, Any], run: dict[str, Any], overrides: dict[str, Any], paths: Paths
) -> dict[str, Any]:
    """The Config fields of the keys above (to pass to ``Config``)."""
    raw = inputs.get("earlier_decisions", [])
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        p.add(
            "config.type",
            "inputs.earlier_decisions",
            "earlier_decisions må være en liste med kjøremapper.",
            'Skriv earlier_decisions = ["../output/2025-001"].',
            raw,
        )
        raw = []
    texts = [parse_text(p, f"inputs.earlier_decisions[{i}]", t) for i, t in enumerate(raw, start=1)]
    copies = overrides.get("earlier")
    earlier = tuple(
        (t, copies[i] if copies is not None and i < len(copies) else _manifest(base / t, paths))
        for i, t in enumerate(texts)
        if t
    )
    first_text = parse_text(p, "inputs.first_round", inputs.get("first_round"))
    first = None
    if first_text:
        first = (first_text, overrides.get("first_round") or _manifest(base / first_text, paths))
    repaid = parse_kroner(p, "run.repaid", run["repaid"]) if "repaid" in run else 0
    if repaid and not first_text:
        p.add(
            "config.repaid_without_round",
            "run.repaid",
            "Tilbakebetalte midler (repaid) deles bare ut i en andre runde.",
            'Legg til first_round = "MAPPE" under [inputs], eller fjern repaid.',
            repaid,
        )
    if (earlier or first_text) and not isinstance(run.get("year"), int):
        p.add(
            "config.year_needed",
            "run.year",
            "Kjøringen bygger på andre kjøringer, men [run] year mangler; da vet ikke verktøyet hvilke tilsagn "
            "som skal utbetales i år.",
            "Skriv året kjøringen gjelder, f.eks. year = 2026, under [run].",
            run.get("year", ""),
        )
    if first_text and earlier:
        p.add(
            "config.second_round_with_earlier",
            "inputs.earlier_decisions",
            "En andre runde trekker ikke tilsagn fra tidligere vedtak; det gjorde første runde.",
            "Fjern earlier_decisions fra konfigurasjonen for andre runde.",
            ", ".join(t for t, _ in earlier),
        )
    if first_text and "frame" in run:
        p.add(
            "config.second_round_frame",
            "run.frame",
            "En andre runde har ingen egen ramme: den deler ut det første runde holdt tilbake, og repaid.",
            "Fjern frame fra [run] (og rammen fra arket «Ramme»).",
            run["frame"],
        )
    return {
        "earlier_decisions": earlier,
        "first_round": first,
        "earlier_copies": copies is not None or "first_round" in overrides,
        "repaid": repaid or 0,
        "repaid_note": parse_text(p, "run.repaid_note", run.get("repaid_note")),
    }


def _manifest(folder: Path, paths: Paths) -> Path:
    """A run folder's manifest.json (or the manifest named directly). A missing folder is
    reported when it is read (``read.earlier``), naming the folder."""
    folder = paths.resolve(folder)
    return folder if folder.suffix == ".json" else folder / "manifest.json"


def commitment_rule(p: Problems, table: dict[str, Any], rules: ApplicationRules | None) -> ApplicationRules | None:
    """``[applications] commitments`` and ``commitments_note`` put into the rules."""
    if rules is None:
        return None
    rule = parse_text(p, "applications.commitments", table.get("commitments")) or "indicative"
    if rule not in COMMITMENT_RULES:
        p.add(
            "config.commitment_rule",
            "applications.commitments",
            f"Ukjent regel for tilsagn «{rule}».",
            'Bruk "indicative" (veiledende beløp), "requested" (det som er søkt) eller "none" (ingen tilsagn).',
            rule,
        )
    note = parse_text(p, "applications.commitments_note", table.get("commitments_note"))
    return replace(rules, commitments=rule, commitments_note=note)
