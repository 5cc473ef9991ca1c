"""Configuration parameters as a committee member reads them.

A configuration flattened to paths (``run.frame``, ``pot «Koordinering».per_network``,
``pots.Grunntilskudd.per_network`` in a scenario) is shown in the compare and scenario
workbooks with a Norwegian label («Koordinering: beløp per nettverk (kr)») and Norwegian
values («likt på nettverkene» for ``flat``); the path itself stays in a last, narrow column
for the office.
"""

from __future__ import annotations

import re

_RUN = {
    "name": "Navn på kjøringen",
    "county": "Fylke",
    "year": "År",
    "unit": "Avrundingsenhet (kr)",
    "frame": "Ramme (kr)",
    "frame_note": "Vedtak for rammen",
    "note": "Merknad til modellen",
}
_INPUTS = {
    "counts": "Tellebok",
    "parameters": "Parameterarbeidsbok",
    "previous_run": "Fjorårets kjøring",
    "membership": "Medlemskap",
    "municipalities": "Kommuneliste",
    "municipality_changes": "Kommuneendringer",
}
_POT = {
    "parent": "tar fra",
    "note": "vedtak",
    "amount": "fast beløp (kr)",
    "percent": "prosent av forelderen",
    "ratio": "andel etter forholdstall, nøkkel",
    "rest": "tar resten",
    "per_network": "beløp per nettverk (kr)",
    "column": "beløp per nettverk fra kolonnen",
    "recipient": "mottaker",
    "spread": "fordeles",
    "key": "nøkkel",
}
_APPLICATIONS = {
    "files": "Søknadsfiler",
    "folder": "Søknadsmappe",
    "policy": "Ramme det ikke er søkt om",
    "redistribution_key": "Nøkkel for omfordeling",
    "fund": "Ubrukte midler på fond",
    "deadline": "Søknadsfrist",
    "max_coordination_share": "Høyeste andel til koordinering (%)",
    "multiple_per_network": "Flere søknader fra ett nettverk",
    "note": "Vedtak for søknadsreglene",
}
_WORDS = {
    "spread": {"key": "etter nøkkel", "flat": "likt på nettverkene"},
    "policy": {"redistribute": "omfordeles", "hold_back": "holdes tilbake"},
    "fund": {"report": "vises bare", "deduct": "trekkes fra utbetalingen"},
}
_YES_NO = {"true": "ja", "false": "nei"}

_NAMED = re.compile(r"^(pot|scenario) «(?P<name>.*)»\.(?P<rest>.+)$", re.S)


def parameter_label(path: str) -> str:
    """The Norwegian label of a flattened configuration path; the path itself when unknown."""
    named = _NAMED.match(path)
    if named and path.startswith("scenario"):
        return f"Scenario «{named['name']}»: {_plain_label(named['rest'])}"
    if named:
        return _pot_label(named["name"], named["rest"])
    return _plain_label(path)


def _plain_label(path: str) -> str:
    section, _, rest = path.partition(".")
    if section == "run" and rest in _RUN:
        return _RUN[rest]
    if section == "inputs" and rest in _INPUTS:
        return _INPUTS[rest]
    if section == "applications" and rest in _APPLICATIONS:
        return _APPLICATIONS[rest]
    if section == "keys" and ".columns." in rest:
        key, column = rest.split(".columns.", 1)
        return f"Nøkkel «{key}»: vekt for «{column}»"
    if section == "keys" and rest.endswith(".note"):
        return f"Nøkkel «{rest.removesuffix('.note')}»: vedtak"
    if section == "pots" and "." in rest:
        pot, key = _split_last_known(rest)
        if pot:
            return _pot_label(pot, key)
    return path


def _split_last_known(rest: str) -> tuple[str, str]:
    """``Grunntilskudd.per_network`` -> (pot, key); a pot name may itself hold dots."""
    for key in sorted(_POT, key=len, reverse=True):
        if rest.endswith(f".{key}"):
            return rest[: -len(key) - 1], key
    if ".extra." in rest:
        pot, network = rest.rsplit(".extra.", 1)
        return pot, f"extra.{network}"
    return "", rest


def _pot_label(pot: str, key: str) -> str:
    if key.startswith("extra."):
        return f"{pot}: ekstra til «{key.removeprefix('extra.')}» (kr)"
    return f"{pot}: {_POT.get(key, key)}"


def parameter_value(path: str, value: str) -> str:
    """A parameter's value in Norwegian: the words ``flat``, ``redistribute`` … and true/false
    translated, a year without a thousands space; anything else as it stands."""
    key = path.rsplit(".", 1)[-1]
    if key in _WORDS:
        return _WORDS[key].get(value, value)
    if key == "year":
        return value.replace(" ", "").replace("\u00a0", "")
    return _YES_NO.get(value, value)
