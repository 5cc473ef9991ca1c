"""Membership of the bundled examples' networks, and statbank-style exports built from their
hand-made ``Tall`` sheets: each network's count split over its members, so summing the
exports per network through ``Medlemskap`` must give ``Tall`` back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

TRONDELAG = {
    "Trondheim/Malvik": [("5001", "Trondheim"), ("5031", "Malvik")],
    "Værnesregionen": [
        ("5032", "Selbu"),
        ("5033", "Tydal"),
        ("5034", "Meråker"),
        ("5035", "Stjørdal"),
        ("5036", "Frosta"),
    ],
    "Innherred": [("5037", "Levanger"), ("5038", "Verdal"), ("5053", "Inderøy")],
    "Steinkjer/Snåsa": [("5006", "Steinkjer"), ("5041", "Snåsa")],
    "Namdal": [
        ("5007", "Namsos"),
        ("5042", "Lierne"),
        ("5043", "Røyrvik"),
        ("5044", "Namsskogan"),
        ("5045", "Grong"),
        ("5046", "Høylandet"),
        ("5047", "Overhalla"),
        ("5049", "Flatanger"),
        ("5052", "Leka"),
        ("5060", "Nærøysund"),
    ],
    "Fosen": [("5020", "Osen"), ("5054", "Indre Fosen"), ("5057", "Ørland"), ("5058", "Åfjord")],
    "Gauldalsregionen": [("5026", "Holtålen"), ("5027", "Midtre Gauldal"), ("5028", "Melhus")],
    "Trøndelag sørvest": [("5021", "Oppdal"), ("5022", "Rennebu"), ("5025", "Røros"), ("5055", "Heim")],
    "Hitra/Frøya": [("5056", "Hitra"), ("5014", "Frøya")],
    "Orkdalsregionen": [("5059", "Orkland"), ("5029", "Skaun"), ("5061", "Rindal")],
    "Trøndelag fylkeskommune": [("817920632", "Trøndelag fylkeskommune")],
}

NORDLAND = {
    "Salten": [
        ("1837", "Meløy"),
        ("1838", "Gildeskål"),
        ("1839", "Beiarn"),
        ("1840", "Saltdal"),
        ("1841", "Fauske – Fuossko"),
        ("1845", "Sørfold"),
        ("1848", "Steigen"),
        ("1875", "Hamarøy"),
    ],
    "Bodø": [("1804", "Bodø")],
    "Ofoten": [("1806", "Narvik"), ("1851", "Lødingen"), ("1853", "Evenášši")],
    "Vesterålen": [("1866", "Hadsel"), ("1867", "Bø"), ("1868", "Øksnes"), ("1870", "Sortland"), ("1871", "Andøy")],
    "Lofoten": [
        ("1856", "Røst"),
        ("1857", "Værøy"),
        ("1859", "Flakstad"),
        ("1860", "Vestvågøy"),
        ("1865", "Vågan"),
        ("1874", "Moskenes"),
    ],
    "Indre Helgeland": [
        ("1824", "Vefsn"),
        ("1825", "Grane"),
        ("1826", "Hattfjelldal"),
        ("1832", "Hemnes"),
        ("1833", "Rana"),
    ],
    "Ytre Helgeland": [
        ("1818", "Herøy"),
        ("1820", "Alstahaug"),
        ("1822", "Leirfjord"),
        ("1827", "Dønna"),
        ("1828", "Nesna"),
        ("1834", "Lurøy"),
        ("1835", "Træna"),
        ("1836", "Rødøy"),
    ],
    "Sør-Helgeland": [
        ("1811", "Bindal"),
        ("1812", "Sømna"),
        ("1813", "Brønnøy"),
        ("1815", "Vega"),
        ("1816", "Vevelstad"),
    ],
    "Nordland fylkeskommune": [("964982953", "Nordland fylkeskommune")],
}

COLUMNS = ("Barn i barnehage", "Elever i grunnskolen", "Elever og lærlinger i vgs")
TABLES = {"Barn i barnehage": "12562", "Elever i grunnskolen": "12272", "Elever og lærlinger i vgs": "12962"}
MEMBERSHIP_HEADERS = ["Nettverk", "Enhet", "Navn", "Gyldig fra", "Gyldig til", "Merknad"]
# what some units are also called in a real Trondheim/Malvik split (the rest split evenly)
KNOWN = {"5001": (10480, 22650), "5031": (760, 1705)}


def membership_rows(networks: dict[str, list[tuple[str, str]]], start: str = "01.01.2024") -> list[list[Any]]:
    rows: list[list[Any]] = [list(MEMBERSHIP_HEADERS)]
    for net, units in networks.items():
        for unit, name in units:
            rows.append([net, unit, name, start, None, None])
    return rows


def split(total: int, n: int) -> list[int]:
    """``total`` over ``n`` members: equal whole shares, the remainder one each to the first."""
    base, rest = divmod(total, n)
    return [base + (1 if i < rest else 0) for i in range(n)]


def unit_values(
    networks: dict[str, list[tuple[str, str]]], tall: dict[str, dict[str, int]]
) -> dict[str, dict[str, int]]:
    """column -> unit -> count, for the units the column is published for (municipality numbers
    for kindergartens and primary school, organisation numbers for upper secondary)."""
    out: dict[str, dict[str, int]] = {c: {} for c in COLUMNS}
    for col in COLUMNS:
        for net, units in networks.items():
            wanted = [u for u, _ in units if (len(u) == 9) == (col == COLUMNS[2])]
            if not wanted:
                assert tall[net][col] == 0, (net, col)
                continue
            known = {u: KNOWN[u][COLUMNS.index(col)] for u in wanted if u in KNOWN and col != COLUMNS[2]}
            rest = [u for u in wanted if u not in known]
            left = tall[net][col] - sum(known.values())
            out[col].update(known)
            out[col].update(zip(rest, split(left, len(rest)), strict=True) if rest else {})
    return out


def statbank_csv(table: str, column: str, period: str, values: dict[str, int], names: dict[str, str]) -> str:
    """A statbank export as downloaded («semikolonseparert med overskrift»), long format."""
    head = f'"region";"statistikkvariabel";"år";"{table}: {column}, etter region, statistikkvariabel og år"'
    lines = [head]
    for unit in sorted(values):
        lines.append(f'"{unit} {names[unit]}";"{column}";"{period}";{values[unit]}')
    return "\r\n".join(lines) + "\r\n"


def write_exports(
    folder: Path, networks: dict[str, list[tuple[str, str]]], tall: dict[str, dict[str, int]], period: str
):
    names = {u: n for units in networks.values() for u, n in units}
    files = {}
    for col, values in unit_values(networks, tall).items():
        path = folder / f"ssb-{TABLES[col]}-{period}.csv"
        path.write_text(statbank_csv(TABLES[col], col, period, values, names), encoding="utf-8", newline="")
        files[col] = path
    return files
