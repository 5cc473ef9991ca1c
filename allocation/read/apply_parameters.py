"""The parameters workbook put into the configuration: the frame, commitments, set-asides and
per-network amounts, each decided in one place only."""

from __future__ import annotations

import difflib
from dataclasses import replace
from fractions import Fraction

from ..model.config import Config, Pot
from ..model.findings import ERROR, ConfigError, Finding
from ..model.names import foreign_letters, name_key, shown, skeleton
from .parameters import AVSETNINGER, NETTVERK, RAMME, Parameters
from .workbooks import header_key


def apply_parameters(config: Config, params: Parameters, networks: tuple[str, ...]) -> Config:
    """Fill the configuration's open amounts from the workbook; both places is an error."""
    problems: list[Finding] = []
    frame, frame_note, frame_cell = config.frame, config.frame_note, ""
    if params.frame is not None:
        if frame is not None:
            problems.append(_clash(params, "Rammen", params.frame[2], RAMME))
        frame, frame_note, frame_cell = params.frame
    pots = list(config.pots)
    by_key = {name_key(p.name): i for i, p in enumerate(pots)}
    problems += _commitments_named_as_pots(params, pots, by_key)
    new_root: list[Pot] = [
        Pot(post, None, "amount", amount=amt, recipient=post, note=note, source=RAMME, cell=ref, name_cell=name_ref)
        for post, amt, note, ref, name_ref in params.commitments
    ]
    new_root += _setasides(params, pots, by_key, problems)
    _network_columns(params, pots, problems)
    problems += _unknown_networks(params, networks)
    if problems:
        raise ConfigError(problems)
    return config.with_pots(new_root + pots, frame, frame_note, frame_cell)


def _clash(params: Parameters, what: str, cell: str, sheet: str) -> Finding:
    return Finding(
        "config.amount_twice",
        ERROR,
        f"{what} står både i konfigurasjonen og i parameterarbeidsboka.",
        file=params.file,
        sheet=sheet,
        cell=cell,
        fix="Fjern beløpet fra ett av stedene, så det bare er bestemt ett sted.",
    )


def _commitments_named_as_pots(params: Parameters, pots: list[Pot], by_key: dict[str, int]) -> list[Finding]:
    out = []
    for post, cell in params.names.get(RAMME, []):
        if name_key(post) in by_key:
            out.append(
                Finding(
                    "config.name_clash",
                    ERROR,
                    f"Forpliktelsen «{shown(post)}» i arket «{RAMME}» heter det samme som potten "
                    f"«{shown(pots[by_key[name_key(post)]].name)}» i konfigurasjonen.",
                    file=params.file,
                    sheet=RAMME,
                    cell=cell,
                    value=shown(post),
                    fix="Gi forpliktelsen et annet navn (f.eks. «Tilsagn 2024, år 2»), eller gi potten et annet navn.",
                )
            )
    return out


def _setasides(params: Parameters, pots: list[Pot], by_key: dict[str, int], problems: list[Finding]) -> list[Pot]:
    """Set-asides fill the open pots of the same name (in ``pots``); the others are new
    top-level pots, returned."""
    new_root = []
    for row in params.setasides:
        size = "amount" if row["amount"] is not None else "percent"
        fields = {
            "size": size,
            "amount": row["amount"],
            "percent": Fraction(row["percent"]) if row["percent"] is not None else None,
            "note": row["note"],
            "source": AVSETNINGER,
            "cell": row["value_cell"],
            "name_cell": row["cell"],
        }
        i = by_key.get(name_key(row["name"]))
        if i is None:
            new_root.append(Pot(name=row["name"], parent=None, recipient=row["recipient"] or row["name"], **fields))
            continue
        if pots[i].size != "parameters":
            problems.append(_clash(params, f"Avsetningen «{row['name']}»", row["cell"], AVSETNINGER))
            continue
        recipient = row["recipient"] or pots[i].recipient
        pots[i] = replace(pots[i], recipient=recipient if not pots[i].spread else None, **fields)
    return new_root


def _network_columns(params: Parameters, pots: list[Pot], problems: list[Finding]) -> None:
    """Per-network amounts from a column of the sheet, put into the per_network pot naming it."""
    for i, pot in enumerate(pots):
        if pot.size == "per_network" and pot.column:
            column = params.networks.get(header_key(pot.column), {})
            extras = {name_key(n) for n, _ in pot.extra}
            amounts = []
            for net, (amt, note, ref) in column.items():
                if name_key(net) in extras:
                    problems.append(_clash(params, f"{pot.column} for «{net}»", ref, NETTVERK))
                amounts.append((net, amt, note))
            pots[i] = replace(pot, network_amounts=tuple(amounts))


def _unknown_networks(params: Parameters, networks: tuple[str, ...]) -> list[Finding]:
    unknown = {
        net: ref
        for col in params.networks.values()
        for net, (_, _, ref) in col.items()
        if name_key(net) not in {name_key(n) for n in networks}
    }
    out = []
    name_cells = dict(reversed(params.names.get(NETTVERK, [])))  # the cell holding the name, first row
    for net, ref in unknown.items():
        ref = name_cells.get(net, ref)
        close = difflib.get_close_matches(net, list(networks), n=1, cutoff=0.6)
        alike = next((n for n in networks if skeleton(n) == skeleton(net)), None)
        if alike is not None:
            close = [alike]
        letters = foreign_letters(net)
        out.append(
            Finding(
                "parameters.unknown_network",
                ERROR,
                f"Nettverket «{shown(net)}» finnes ikke i telleboka"
                + (
                    f" (det ligner «{shown(alike)}», men har {letters or 'tegn som bare ser like ut'})."
                    if alike
                    else "."
                ),
                file=params.file,
                sheet=NETTVERK,
                cell=ref,
                value=net,
                fix=f"Mente du «{close[0]}»?" if close else "Skriv navnet som i arket «Tall».",
            )
        )
    return out
