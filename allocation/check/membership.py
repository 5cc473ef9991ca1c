"""Checks of sheet ``Medlemskap`` for the run's year: one unit in one network, every
municipality number valid that year (an old one names its successor, a split one its parts),
names as the code list spells them (with or without the Sami forms), and no municipality of
the county left out of every network."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from ..model.findings import ERROR, NOTE, WARNING, Finding
from ..model.membership import MUNICIPALITY, Member, Membership
from ..model.municipalities import CodeList, same_name


def check_membership(membership: Membership, codes: CodeList | None, year: int) -> list[Finding]:
    active = membership.in_year(year)
    findings = _twice(membership, active, year)
    if codes is not None:
        findings += _codes(membership, active, codes, year)
        findings += _gaps(membership, active, codes, year)
    return findings


def check_counts_municipalities(tall: Membership, codes: CodeList, year: int) -> list[Finding]:
    """The numbers in sheet «Tall» checked like those in «Medlemskap» (unknown, old, split)."""
    return _codes(tall, tall.members, codes, year)


def _where(membership: Membership, cell: str) -> dict[str, str]:
    return {"file": membership.file, "sheet": membership.sheet, "cell": cell}


def _unit_text(m: Member) -> str:
    return f"{m.unit} {m.name}".strip()


def _twice(membership: Membership, active: tuple[Member, ...], year: int) -> list[Finding]:
    """The same unit on two rows that both cover the year: counted twice (or in two networks)."""
    first: dict[str, Member] = {}
    out = []
    for m in active:
        other = first.get(m.unit)
        if other is None:
            first[m.unit] = m
            continue
        same = other.network.casefold() == m.network.casefold()
        where = (
            f"to ganger i nettverket «{m.network}»"
            if same
            else f"i to nettverk i {year}: «{other.network}» (rad {other.row}) og «{m.network}» (rad {m.row})"
        )
        out.append(
            Finding(
                "membership.unit_twice",
                ERROR,
                f"Enheten {_unit_text(m)} står {where}; den ville blitt telt to ganger "
                f"(cellene {other.unit_cell} og {m.unit_cell}).",
                **_where(membership, m.unit_cell),
                value=m.unit,
                fix="Slett den ene raden, eller sett «Gyldig til» på den gamle raden og «Gyldig fra» på den nye "
                "så periodene ikke overlapper.",
            )
        )
    return out


def _codes(membership: Membership, active: tuple[Member, ...], codes: CodeList, year: int) -> list[Finding]:
    day = dt.date(year, 1, 1)
    out = []
    source = f" (kodeliste {codes.file})"
    for m in active:
        if m.kind != MUNICIPALITY:
            continue
        status = codes.status(m.unit, day)
        where = _where(membership, m.unit_cell)
        if status.kind == "valid":
            assert status.municipality is not None
            official = status.municipality.name
            if m.name and not same_name(m.name, official):
                out.append(
                    Finding(
                        "membership.name_mismatch",
                        WARNING,
                        f"Kommunenummer {m.unit} er «{official}» i {year}, men navnet i arket er «{m.name}».",
                        **_where(membership, m.name_cell or m.unit_cell),
                        value=m.name,
                        expected=official,
                        fix="Kontroller kommunenummeret; er det riktig, skriv navnet som SSB gjør "
                        f"(«{official}», med eller uten den samiske formen).",
                    )
                )
            continue
        if status.kind in ("old", "split"):
            assert status.municipality is not None
            old = status.municipality
            until = f"gyldig til {old.valid_to:%d.%m.%Y}" if old.valid_to else "ikke lenger gyldig"
            parts = ", ".join(f"{s.code} {s.name}" for s in status.successors)
            if status.kind == "old":
                message = (
                    f"Kommunenummer {m.unit} ({old.name}) i nettverket «{m.network}» finnes ikke i {year} "
                    f"({until}); det nye nummeret er {parts}."
                )
                fix = f"Skriv det nye kommunenummeret {status.successors[0].code}."
                expected = status.successors[0].code
            else:
                message = (
                    f"Kommunenummer {m.unit} ({old.name}) i nettverket «{m.network}» finnes ikke i {year} "
                    f"({until}); kommunen ble delt i {parts}."
                )
                fix = "Skriv én rad for hver av de nye kommunene, i det nettverket hver av dem hører til."
                expected = parts
            out.append(
                Finding(
                    "membership.old_municipality" if status.kind == "old" else "membership.split_municipality",
                    ERROR,
                    message,
                    **where,
                    value=m.unit,
                    expected=expected,
                    fix=fix,
                )
            )
            continue
        if status.kind == "not_yet":
            assert status.municipality is not None
            message = (
                f"Kommunenummer {m.unit} ({status.municipality.name}) i nettverket «{m.network}» finnes ikke i "
                f"{year}; det gjelder først fra {status.municipality.valid_from:%d.%m.%Y}{source}."
            )
        else:
            message = f"Kommunenummer {m.unit} i nettverket «{m.network}» finnes ikke i {year}{source}."
        out.append(
            Finding(
                "membership.unknown_municipality",
                ERROR,
                message,
                **where,
                value=m.unit,
                expected=f"et kommunenummer som gjelder i {year}",
                fix="Rett kommunenummeret; se SSBs kommuneliste (klassifikasjon 131) for året.",
            )
        )
    return out


def county_of(members: tuple[Member, ...], codes: CodeList, year: int) -> str | None:
    """The county the membership is for: the first two digits most of its valid municipalities share."""
    day = dt.date(year, 1, 1)
    prefixes = Counter(m.unit[:2] for m in members if m.kind == MUNICIPALITY and codes.on(m.unit, day) is not None)
    if not prefixes:
        return None
    return prefixes.most_common(1)[0][0]


def _gaps(membership: Membership, active: tuple[Member, ...], codes: CodeList, year: int) -> list[Finding]:
    """A municipality of the county (by the code list) in no network that year."""
    county = county_of(active, codes, year)
    if county is None:
        return []
    day = dt.date(year, 1, 1)
    listed = {m.unit for m in active}
    missing = [
        m for code, m in sorted(codes.valid_codes(day).items()) if code.startswith(county) and code not in listed
    ]
    out = [
        Finding(
            "membership.gap",
            WARNING,
            f"Kommune {m.code} {m.name} hører til fylket ({county}) i {year}, men står ikke i noe nettverk; "
            "den får ikke del i midlene.",
            file=membership.file,
            sheet=membership.sheet,
            value=m.code,
            fix="Legg kommunen til i nettverket den hører til, med en rad i arket «Medlemskap». "
            "Står den med vilje utenfor alle nettverk, kan advarselen stå.",
        )
        for m in missing
    ]
    if out:
        out.append(
            Finding(
                "membership.county",
                NOTE,
                f"Fylket er funnet fra kommunenumrene i «Medlemskap»: {county} ({len(listed)} enheter).",
                file=membership.file,
                sheet=membership.sheet,
                value=county,
            )
        )
    return out
