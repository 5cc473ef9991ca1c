"""Earlier commitments judged against this year: the networks that exist, the frame, the
forum's changes, and a second round against its first round."""

from __future__ import annotations

from dataclasses import replace

from ..model.commitments import Change, Decision, Drawn, SecondRound, YearsInput
from ..model.config import Config
from ..model.findings import ERROR, Finding
from ..model.formatting import format_kroner
from ..model.names import name_key


def check_drawn(drawn: list[Drawn], networks: tuple[str, ...], frame: int | None, file: str) -> list[Finding]:
    """A commitment to a network that no longer exists (and, given ``frame``, :func:`check_frame`)."""
    known = {name_key(n) for n in networks}
    out = []
    for d in drawn:
        c = d.commitment
        if d.amount > 0 and name_key(c.network) not in known:
            out.append(
                Finding(
                    "earlier.network_gone",
                    ERROR,
                    f"{d.pot()}: tilsagnet på {format_kroner(d.amount)} kr til {c.recipient} gjelder nettverket "
                    f"«{c.network}», som ikke finnes i telleboka i år.",
                    file=file,
                    cell="inputs.earlier_decisions",
                    value=c.network,
                    fix="Skriv nettverkets nye navn i telleboka, eller trekk eller flytt tilsagnet i arket "
                    "«Tilsagnsendringer» (Nytt beløp 0) med forumets vedtak.",
                )
            )
    return out + (check_frame(drawn, frame, file) if frame is not None else [])


def check_frame(drawn: list[Drawn], frame: int | None, file: str) -> list[Finding]:
    """Commitments larger than the frame."""
    out = []
    total = sum(d.amount for d in drawn)
    if frame is not None and total > frame:
        out.append(
            Finding(
                "earlier.exceeds_frame",
                ERROR,
                f"Tilsagn fra tidligere vedtak er til sammen {format_kroner(total)} kr, mer enn årets ramme på "
                f"{format_kroner(frame)} kr.",
                file=file,
                cell="inputs.earlier_decisions",
                value=format_kroner(total),
                expected=f"høyst {format_kroner(frame)}",
                fix="Sjekk rammen og hvilke kjøremapper som er nevnt, eller endre tilsagn i arket «Tilsagnsendringer».",
            )
        )
    return out


def check_changes(unmatched: list[Change]) -> list[Finding]:
    """A change that matches no commitment due this year (never silently ignored)."""
    return [
        Finding(
            "earlier.change_unmatched",
            ERROR,
            f"Endringen for {ch.recipient} i «{ch.network}» (vedtak «{ch.decision}», år {ch.payment_year}) "
            "passer ikke med noe tilsagn fra de tidligere vedtakene som utbetales i år.",
            file=ch.file,
            sheet=ch.sheet,
            cell=ch.cells.get("Mottaker", ""),
            value=ch.recipient,
            fix="Skriv Vedtak som kjøringens navn eller mappenavn, og Nettverk, Mottaker og År slik arket "
            "«Tilsagn» i den kjøringen viser dem.",
        )
        for ch in unmatched
    ]


def _change_twice(ch: Change, first: Change) -> Finding:
    return Finding(
        "earlier.change_twice",
        ERROR,
        f"Tilsagnet til {ch.recipient} i «{ch.network}» (vedtak «{ch.decision}», år {ch.payment_year}) er endret "
        f"både på rad {first.row} og her.",
        file=ch.file,
        sheet=ch.sheet,
        cell=ch.cells.get("Mottaker", ""),
        value=ch.recipient,
        fix="Behold bare én rad per tilsagn i arket «Tilsagnsendringer», med forumets endelige vedtak.",
    )


def check_first_round(first: Decision, year: int | None, file: str) -> list[Finding]:
    """A second round belongs to the same year as its first round, and follows a first round."""
    problems = []
    if first.second_round:
        problems.append(f"«{first.folder}» er selv en andre runde")
    if first.year != year:
        problems.append(f"første runde er vedtak {first.year}, denne kjøringen gjelder {year}")
    return [
        Finding(
            "earlier.first_round_mismatch",
            ERROR,
            f"Første runde passer ikke: {problem}.",
            file=file,
            cell="inputs.first_round",
            value=first.folder,
            fix="Pek first_round på kjøremappen for første runde samme år, og sett [run] year likt.",
        )
        for problem in problems
    ]


def draw(config: Config, networks: tuple[str, ...], years: YearsInput) -> list[Finding]:
    """The earlier commitments due this year, with the forum's changes (into ``years.drawn``);
    findings for changes that fit none, commitments to networks that are gone, and a first
    round that does not fit."""
    from ..allocate.commitments import due

    years.drawn, unmatched, twice = due(years.decisions, config.year, years.changes)
    found = check_changes(unmatched) + [_change_twice(ch, first) for ch, first in twice]
    found += check_drawn(years.drawn, networks, None, config.path.name)
    found += [f for d in years.first for f in check_first_round(d, config.year, config.path.name)]
    return found + [
        Finding(
            "earlier.not_earlier",
            ERROR,
            f"«{d.folder}» er {d.label()}, men denne kjøringen gjelder {config.year}; bare tilsagn fra tidligere "
            "år kan trekkes fra rammen.",
            file=config.path.name,
            cell="inputs.earlier_decisions",
            value=d.folder,
            fix="Nevn bare kjøremapper fra tidligere år i earlier_decisions (første runde samme år hører i "
            "first_round), og sjekk [run] year.",
        )
        for d in years.decisions
        if d.year is not None and config.year is not None and d.year >= config.year
    ]


def take_off_top(config: Config, years: YearsInput) -> tuple[Config, list[Finding]]:
    """Earlier commitments due this year as fixed top-level pots before any new money is split
    (no more than the frame); a second round's frame is what its first round left, with money
    paid back."""
    from ..allocate.commitments import with_commitments

    found = check_frame(years.drawn, config.frame, config.path.name)
    if years.first:
        first = years.first[0]
        years.second_round = SecondRound(first, first.held_back, config.repaid, config.repaid_note)
        note = f"Rest etter første runde ({first.name})"
        note += f", med tilbakebetalt {format_kroner(config.repaid)} kr" if config.repaid else ""
        config = replace(config, frame=years.second_round.frame, frame_note=note)
    if any(f.severity == ERROR for f in found):
        return config, found
    return replace(config, pots=with_commitments(config.pots, years.drawn)), found
