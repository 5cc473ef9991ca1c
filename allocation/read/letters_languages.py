"""Each recipient's written standard (målform): the ``Målform`` column of the counts sheet
(per owner row), of ``Medlemskap`` (per member, where the counts come from statistics and
membership) and of the parameters workbook's ``Avsetninger`` (per named recipient).

A network's letter follows its receiving owner's choice: the row whose ``Eier`` is the owner
of the network's application, else the one choice all the network's rows agree on, else the
default of ``[letters] language``. Rows of one network that disagree, with no receiving owner
to decide between them, are an error naming the cells: never «the last row wins».
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..model.applications import Application
from ..model.cells import a1
from ..model.config import Config
from ..model.findings import ERROR, Finding
from ..model.letter_settings import LetterSettings, canonical_standard
from ..model.names import name_key
from .values import is_total_label
from .workbooks import Sheet, cell_text, find_header, header_key, is_blank, read_workbook_sheets

COLUMN = "Målform"


@dataclass
class Languages:
    """The written standard per network and per named recipient (keys: ``name_key``)."""

    networks: dict[str, str] = field(default_factory=dict)
    recipients: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def network(self, name: str, default: str) -> str:
        return self.networks.get(name_key(name), default)

    def recipient(self, name: str, default: str) -> str:
        return self.recipients.get(name_key(name), default)


@dataclass(frozen=True)
class _Row:
    """A written standard (målform) given in a row: for whom, which standard, and the cell."""

    owner: str
    standard: str
    cell: str
    file: str = ""
    sheet: str = ""
    name: str = ""


def read_languages(config: Config, applications: list[Application] | None) -> Languages:
    """Every written standard the counts and parameters workbooks name, resolved per network."""
    settings = config.letters or LetterSettings()
    out = Languages()
    rows = _standards(out, config.counts, "Tall", "Nettverk", ("Eier",), settings) if config.counts_given else {}
    if config.membership is not None:  # «Medlemskap»: per member (counts from statistics)
        for network, found in _standards(out, config.membership, "Medlemskap", "Nettverk", ("Navn",), settings).items():
            rows.setdefault(network, []).extend(found)
    receiving: dict[str, set[str]] = {}
    for app in applications or []:
        receiving.setdefault(name_key(app.network), set()).add(name_key(str(app.get("owner") or "")))
    for network, found in rows.items():
        by_owner = [r for r in found if r.owner and name_key(r.owner) in receiving.get(network, set())]
        chosen = {r.standard for r in by_owner} or {r.standard for r in found}
        if len(chosen) == 1:
            out.networks[network] = chosen.pop()
            continue
        cells = ", ".join(f"{r.sheet} {r.cell} ({r.standard})" for r in found)
        out.findings.append(
            Finding(
                "letters.standard_conflict",
                ERROR,
                f"Radene til nettverket har ulik målform ({cells}), og det er ikke gitt hvilken eier som "
                "mottar tilskuddet, så brevets målform kan ikke avgjøres.",
                file=found[0].file,
                sheet=found[0].sheet,
                cell=found[0].cell,
                value=cells,
                fix="Skriv samme målform på alle radene til nettverket, eller la bare den mottakende "
                "eierens rad ha målform.",
            )
        )
    if config.parameters is not None:
        named = _standards(out, config.parameters, "Avsetninger", "Navn", ("Mottaker",), settings)
        for recipient, found in named.items():
            chosen = {r.standard for r in found}
            if len(chosen) == 1:
                out.recipients[recipient] = chosen.pop()
                continue
            cells = ", ".join(f"{r.cell} ({r.standard})" for r in found)
            out.findings.append(  # never «the first row wins»
                Finding(
                    "letters.standard_conflict",
                    ERROR,
                    f"Radene til mottakeren «{found[0].owner or found[0].name}» har ulik målform ({cells}), "
                    "så brevets målform kan ikke avgjøres.",
                    file=found[0].file,
                    sheet=found[0].sheet,
                    cell=found[0].cell,
                    value=cells,
                    fix="Skriv samme målform på alle radene til mottakeren, eller la bare én av dem ha målform.",
                )
            )
    return out


def _standards(
    out: Languages, path: Path, sheet_name: str, first: str, owner_cols: tuple[str, ...], settings: LetterSettings
) -> dict[str, list[_Row]]:
    """name_key(name in ``first``, or in the owner column for Avsetninger) -> rows with a Målform."""
    sheets, _, problems = read_workbook_sheets(path, path.name, [sheet_name])
    sheet = sheets.get(sheet_name)
    if problems or sheet is None:
        return {}  # the counts and parameters readers report these
    header, colmap = find_header(sheet.rows, first)
    if header is None or header_key(COLUMN) not in colmap:
        return {}
    col, name_col = colmap[header_key(COLUMN)], colmap[header_key(first)]
    owner_col = next((colmap[header_key(c)] for c in owner_cols if header_key(c) in colmap), None)
    extra = [name for name, _ in settings.templates]
    found: dict[str, list[_Row]] = {}
    for r in range(header + 1, len(sheet.rows)):
        name = cell_text(sheet.cell(r, name_col))
        owner = cell_text(sheet.cell(r, owner_col)) if owner_col is not None else ""
        raw = sheet.cell(r, col)
        if not name or is_total_label(name) or is_blank(raw):
            continue
        standard = canonical_standard(cell_text(raw), extra)
        if standard is None:
            out.findings.append(_unknown(sheet, r, col, cell_text(raw), settings))
            continue
        key = name_key(owner or name) if sheet_name == "Avsetninger" else name_key(name)
        found.setdefault(key, []).append(_Row(owner, standard, a1(r, col), path.name, sheet_name, name))
    return found


def _unknown(sheet: Sheet, r: int, c: int, text: str, settings: LetterSettings) -> Finding:
    return Finding(
        "letters.unknown_standard",
        ERROR,
        f"Målformen «{text}» er ukjent; kjente målformer er {', '.join(settings.standards())}.",
        file=sheet.file,
        sheet=sheet.name,
        cell=a1(r, c),
        value=text,
        expected=", ".join(settings.standards()),
        fix="Skriv bokmål eller nynorsk (nb/nn), eller legg til en brevmal for målformen under [letters.templates].",
    )
