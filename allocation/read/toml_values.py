"""Strict checks of TOML values, collected so every problem is reported at once."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import unicodedata
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..model.config import APP_KEYS, FUND_RULES, POLICIES, RESERVED_NAMES, ApplicationRules, Key, bare_name
from ..model.findings import ERROR, Finding
from ..model.names import duplicates, name_key
from .values import MAX_KRONER


class Problems:
    """Collects configuration findings so that all are reported at once."""

    def __init__(self, file: str):
        self.file = file
        self.items: list[Finding] = []

    def add(self, code: str, key: str, message: str, fix: str = "", value: Any = "") -> None:
        self.items.append(Finding(code, ERROR, message, file=self.file, cell=key, value=str(value), fix=fix))

    def unknown_keys(self, table: dict[str, Any], allowed: set[str], where: str) -> None:
        for k in table:
            if k not in allowed:
                close = difflib.get_close_matches(k, sorted(allowed), n=1, cutoff=0.6)
                hint = f"Mente du «{close[0]}»?" if close else ("Gyldige nøkler: " + ", ".join(sorted(allowed)) + ".")
                self.add("config.unknown_key", f"{where}.{k}", f"Ukjent nøkkel «{k}» i {where}.", hint, k)


MAX_NUMBER = 10**12  # beyond any percentage, weight or share a model needs: a typing error
MAX_DECIMALS = 12  # more decimals than that is not a decision anyone wrote down


def _absurd(p: Problems, where: str, value: int | Decimal, limit: int, code: str = "config.too_large") -> bool:
    """NaN, infinity, absurdly large or absurdly precise numbers: reported before any arithmetic,
    so that a value like 1e999999999 never becomes a billion-digit integer."""
    if isinstance(value, Decimal) and not value.is_finite():
        p.add(
            "config.not_finite",
            where,
            f"{where} er ikke et tall ({value}).",
            "Skriv et vanlig tall med sifre; nan og inf kan ikke brukes.",
            value,
        )
        return True
    if (value.copy_abs() if isinstance(value, Decimal) else abs(value)) > limit:  # copy_abs: no context, no overflow
        p.add(code, where, f"{where} er urimelig stort ({_short(value)}).", "Sjekk antall sifre.", _short(value))
        return True
    if isinstance(value, Decimal) and value != 0:
        digits, exponent = value.as_tuple().digits, int(value.as_tuple().exponent)
        trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
        if exponent + trailing < -MAX_DECIMALS:
            p.add(
                "config.precision",
                where,
                f"{where} har flere enn {MAX_DECIMALS} desimaler ({_short(value)}).",
                "Skriv tallet med færre desimaler.",
                _short(value),
            )
            return True
    return False


def _short(value: int | Decimal) -> str:
    """A number quoted back to the user: never thousands of digits."""
    text = f"{value:.6E}" if isinstance(value, Decimal) and abs(value.adjusted()) > 15 else str(value)
    return text if len(text) <= 40 else f"{text[:20]}…({len(text)} sifre)"


def parse_kroner(p: Problems, where: str, value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        p.add(
            "config.type",
            where,
            f"{where} må være et beløp i hele kroner, fant «{value}».",
            "Skriv beløpet som et heltall, f.eks. 400000 eller 400_000.",
            value,
        )
        return None
    if _absurd(p, where, value, MAX_KRONER):
        return None
    if isinstance(value, Decimal) and value != value.to_integral_value():
        p.add("config.not_whole", where, f"{where} må være hele kroner, fant «{value}».", "Fjern desimalene.", value)
        return None
    if value < 0:
        p.add(
            "config.negative",
            where,
            f"{where} kan ikke være negativt ({value}).",
            "Skriv et beløp som er 0 eller større.",
            value,
        )
        return None
    return int(value)


def parse_number(
    p: Problems, where: str, value: Any, maximum: int = MAX_NUMBER, too_large: str = "config.too_large"
) -> Fraction | None:
    """A number >= 0 as an exact fraction; above ``maximum`` is reported with the code ``too_large``."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        p.add("config.type", where, f"{where} må være et tall, fant «{value}».", "Skriv et tall, f.eks. 70.", value)
        return None
    finite = not isinstance(value, Decimal) or value.is_finite()
    if finite and value < 0:
        p.add("config.negative", where, f"{where} kan ikke være negativt ({_short(value)}).", "", _short(value))
        return None
    if _absurd(p, where, value, maximum, too_large):
        return None
    return Fraction(value)


def parse_text(p: Problems, where: str, value: Any, required: bool = False) -> str:
    if value is None:
        if required:
            p.add("config.missing", where, f"{where} mangler.", f'Legg til {where} = "…".')
        return ""
    if not isinstance(value, str):
        p.add("config.type", where, f"{where} må være tekst i anførselstegn, fant «{value}».", "", value)
        return ""
    return value


def check_name(p: Problems, where: str, name: str) -> bool:
    """A pot name must have a visible character, no control characters, and not be the frame's."""
    if not bare_name(name):
        p.add(
            "config.empty_name",
            where,
            f"{where} er tomt eller har bare mellomrom eller usynlige tegn ({ascii(name)}).",
            "Skriv et navn med vanlige bokstaver.",
            ascii(name),
        )
        return False
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        p.add(
            "config.bad_name",
            where,
            f"{where} inneholder kontrolltegn ({ascii(name)}).",
            "Skriv navnet uten linjeskift, tabulator eller andre kontrolltegn.",
            ascii(name),
        )
        return False
    if bare_name(name) in {name_key(r) for r in RESERVED_NAMES}:
        p.add(
            "config.reserved_name",
            where,
            f"{where} er «{name.strip()}», som er navnet på selve rammen.",
            "Gi potten et annet navn, f.eks. «Ramme til nettverk».",
            name,
        )
        return False
    return True


def parse_table(p: Problems, where: str, value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        p.add("config.type", where, f"{where} må være en tabell ([{where}]).", "", value)
        return {}
    return value


def parse_key(p: Problems, where: str, value: Any, keys: dict[str, Key]) -> Key | None:
    """A key is the name of a [keys.NAME] table or an inline {column = weight} table."""
    if isinstance(value, str):
        for k in keys.values():
            if name_key(k.name) == name_key(value):
                return k
        close = difflib.get_close_matches(value, sorted(keys), n=1, cutoff=0.6)
        p.add(
            "config.unknown_count_key",
            where,
            f"{where} viser til nøkkelen «{value}», som ikke finnes under [keys].",
            f"Mente du «{close[0]}»?" if close else "Definer den under [keys.NAVN] eller skriv kolonnene direkte.",
            value,
        )
        return None
    if isinstance(value, dict):
        return parse_columns(p, where, value, name=where)
    p.add(
        "config.type", where, f'{where} må være navnet på en nøkkel eller en tabell {{ "Kolonne" = vekt }}.', "", value
    )
    return None


def parse_columns(p: Problems, where: str, value: dict[str, Any], name: str, note: str = "") -> Key | None:
    if not value:
        p.add("config.empty_key", where, f"{where} har ingen kolonner.", "Skriv minst én tellekolonne med vekt.")
        return None
    weights = []
    for col, w in value.items():
        weight = parse_number(p, f'{where}."{col}"', w)
        if weight is not None:
            weights.append((col, weight))
    for (first, _), (again, _) in duplicates((col, None) for col in value):
        p.add("config.duplicate_name", f'{where}."{again}"', f"{where} har kolonnen «{first}» to ganger.", "", again)
    if weights and all(w == 0 for _, w in weights):
        p.add("config.zero_key", where, f"Alle vektene i {where} er 0.", "Minst én vekt må være større enn 0.")
    return Key(name, tuple(weights), note) if len(weights) == len(value) else None


class Paths:
    """How a configuration's input paths meet the disk.

    ``ON_DISK`` (``load_config``) resolves each path and reports files and folders that
    are not there; ``IN_MEMORY`` (``parse_config``) only joins them to the configuration's
    folder, and opens or looks up nothing.
    """

    def __init__(self, on_disk: bool):
        self.on_disk = on_disk

    def resolve(self, path: Path) -> Path:
        return path.resolve() if self.on_disk else Path(os.path.normpath(path))

    def is_file(self, path: Path) -> bool:
        return path.is_file() if self.on_disk else True

    def is_dir(self, path: Path) -> bool:
        """In memory, a path is taken as a folder unless it names a file by its suffix."""
        return path.is_dir() if self.on_disk else not path.suffix


ON_DISK = Paths(on_disk=True)
IN_MEMORY = Paths(on_disk=False)


def input_path(
    p: Problems, base: Path, where: str, text: str, override: Path | None = None, paths: Paths = ON_DISK
) -> Path:
    candidate = override if override is not None else paths.resolve(base / text)
    if not paths.is_file(candidate):
        p.add(
            "config.input_missing",
            where,
            f"Finner ikke filen «{text}» som {where} viser til ({candidate}).",
            "Stier regnes fra mappen konfigurasjonen ligger i. Sjekk navnet og at filen finnes.",
            text,
        )
    return candidate


def applications_rules(
    p: Problems,
    base: Path,
    table: dict[str, Any],
    keys: dict[str, Key],
    overrides: dict[str, Any],
    paths: Paths = ON_DISK,
) -> ApplicationRules | None:
    """The ``[applications]`` table: where the forms are and how grants are made."""
    if not table:
        return None
    p.unknown_keys(table, APP_KEYS, "[applications]")
    files, folder = _application_files(p, base, table, overrides, paths)
    policy = _choice(
        p,
        table,
        "policy",
        "redistribute",
        POLICIES,
        "config.policy",
        "Ukjent policy «{}».",
        'Bruk "redistribute" (omfordeling) eller "hold_back" (holdes tilbake).',
    )
    fund = _choice(
        p,
        table,
        "fund",
        "report",
        FUND_RULES,
        "config.fund",
        "Ukjent regel for fond «{}».",
        'Bruk "report" (bare vis) eller "deduct" (trekk fra utbetalingen).',
    )
    deadline = _deadline(p, table.get("deadline"))
    share = Fraction(20)
    if "max_coordination_share" in table:
        share = parse_number(p, "applications.max_coordination_share", table["max_coordination_share"]) or Fraction(0)
    multiple = table.get("multiple_per_network", False)
    if not isinstance(multiple, bool):
        p.add(
            "config.type",
            "applications.multiple_per_network",
            "multiple_per_network må være true eller false.",
            "",
            multiple,
        )
        multiple = False
    key = (
        parse_key(p, "applications.redistribution_key", table["redistribution_key"], keys)
        if "redistribution_key" in table
        else None
    )
    note = parse_text(p, "applications.note", table.get("note"))
    return ApplicationRules(tuple(files), folder, policy, key, fund, deadline, share, multiple, note)


def _application_files(
    p: Problems, base: Path, table: dict[str, Any], overrides: dict[str, Any], paths: Paths
) -> tuple[list[Path], Path | None]:
    """The application files named one by one, and the folder of them (either may be absent)."""
    raw_files = table.get("files", [])
    if isinstance(raw_files, str):
        raw_files = [raw_files]
    if not isinstance(raw_files, list):
        p.add(
            "config.type", "applications.files", "files må være en liste med filnavn.", 'Skriv files = ["søknad.xlsx"].'
        )
        raw_files = []
    if "applications" in overrides:
        return list(overrides["applications"]), None
    files: list[Path] = []
    for i, text in enumerate(raw_files):
        t = parse_text(p, f"applications.files[{i + 1}]", text)
        if t:
            files.append(input_path(p, base, f"applications.files[{i + 1}]", t, paths=paths))
    folder = None
    folder_text = parse_text(p, "applications.folder", table.get("folder"))
    if folder_text:
        folder = paths.resolve(base / folder_text)
        if not paths.is_dir(folder):
            p.add(
                "config.input_missing",
                "applications.folder",
                f"Finner ikke mappen «{folder_text}» ({folder}).",
                "Stier regnes fra mappen konfigurasjonen ligger i.",
                folder_text,
            )
    if not files and not folder_text:
        p.add(
            "config.missing",
            "applications",
            "[applications] må ha files eller folder.",
            'Skriv files = ["søknader.xlsx"] eller folder = "søknader".',
        )
    return files, folder


def _choice(
    p: Problems,
    table: dict[str, Any],
    key: str,
    default: str,
    allowed: tuple[str, ...],
    code: str,
    message: str,
    fix: str,
) -> str:
    """A word that must be one of ``allowed``; ``message`` has a {} for the word given."""
    value = parse_text(p, f"applications.{key}", table.get(key)) or default
    if value not in allowed:
        p.add(code, f"applications.{key}", message.format(value), fix, value)
    return value


def _deadline(p: Problems, deadline: Any) -> dt.date | None:
    if deadline is not None and not (isinstance(deadline, dt.date) and not isinstance(deadline, dt.datetime)):
        p.add(
            "config.type",
            "applications.deadline",
            "deadline må være en dato, f.eks. deadline = 2025-02-01.",
            "",
            deadline,
        )
        return None
    return deadline
