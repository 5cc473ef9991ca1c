"""Which files of an application folder are read, and a finding for each one left out.

Excel's lock files, hidden and system files are quiet notes; anything that may be an
application the run would otherwise go without is shown to the user.
"""

from __future__ import annotations

from pathlib import Path

from ..model.findings import ERROR, NOTE, WARNING, Finding
from .snapshot import real_path

SKIPPED_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}


WORKBOOK_SUFFIXES = {".xlsm", ".xltm", ".xlsb", ".xls", ".xltx", ".ods", ".numbers", ".csv"}


def list_application_files(files: list[Path], folder: Path | None) -> tuple[list[tuple[Path, str]], list[Finding]]:
    """Files to read, in a stable order, with the name to show, and a finding for each entry left out.

    Excel's lock files, hidden and system files are quiet notes. Anything that may be an
    application the run would otherwise go without is shown to the user: a workbook in
    another format than .xlsx (an error: its money would silently be missing), a link
    that leads nowhere (an error), a folder named like a workbook or holding workbooks
    (a warning: folders are not read).
    """
    out: list[tuple[Path, str]] = [(f, f.name) for f in files]
    notes: list[Finding] = []
    if folder is not None:
        try:
            entries = sorted(folder.iterdir(), key=lambda p: p.name.casefold())
        except OSError as exc:
            entries = []
            notes.append(_skipped(folder.name, "applications.folder_unreadable", ERROR, exc))
        for path in entries:
            found = _left_out(path)
            if found is None:
                out.append((path, f"{folder.name}/{path.name}"))
            else:
                notes.append(found)
    seen: set[str] = set()
    unique = []
    for path, display in out:
        real = real_path(path)  # (resolved once a run: the snapshot knows it when the file is read)
        if real not in seen:
            seen.add(real)
            unique.append((path, display))
    return unique, notes


_LEFT_OUT = {  # code: (message, fix)
    "applications.lock_file": (
        "Hoppet over Excels låsefil (filen er åpen i Excel).",
        "Lukk arbeidsboka i Excel før kjøringen, så filen forsvinner.",
    ),
    "applications.hidden_file": ("Hoppet over skjult fil eller systemfil.", ""),
    "applications.broken_link": (
        "Snarveien (lenken) peker på en fil som ikke finnes, så søknaden den viser til blir ikke lest.",
        "Legg selve søknadsfilen i mappen, eller rett eller slett lenken.",
    ),
    "applications.macro_workbook": (
        "Søknaden er lagret som makroarbeidsbok og blir ikke lest.",
        "Åpne den i Excel og velg Lagre som → Excel-arbeidsbok (.xlsx), og slett makrofilen fra mappen.",
    ),
    "applications.other_format": (
        "Filen er et regneark i et annet format enn .xlsx og blir ikke lest.",
        "Åpne den i Excel og lagre som Excel-arbeidsbok (.xlsx), eller flytt den ut av mappen hvis den "
        "ikke er en søknad.",
    ),
    "applications.folder_named_xlsx": (
        "Dette er en mappe med navn som en arbeidsbok, ikke en arbeidsbok; den blir ikke lest.",
        "Legg søknadsfilen (.xlsx) rett i søknadsmappen, og gi mappen et annet navn eller flytt den.",
    ),
    "applications.subfolder": (
        "Undermappen har arbeidsbøker, men undermapper blir ikke lest.",
        "Flytt søknadene som skal være med, rett inn i søknadsmappen.",
    ),
    "applications.other_folder": ("Hoppet over en undermappe (undermapper blir ikke lest).", ""),
    "applications.not_a_file": (
        "Dette er verken en vanlig fil eller en mappe, og blir ikke lest.",
        "Legg søknaden i mappen som en vanlig .xlsx-fil.",
    ),
    "applications.not_xlsx": (
        "Hoppet over fil som ikke er .xlsx.",
        "Lagre søknaden som Excel-arbeidsbok (.xlsx) hvis den skal være med.",
    ),
}


def _left_out(path: Path) -> Finding | None:
    """None when ``path`` is to be read as an application; otherwise why not, as a finding."""
    name, suffix = path.name, path.suffix.casefold()
    if name.startswith("~$"):
        return _skipped(name, "applications.lock_file", NOTE)
    if name.startswith(".") or name.casefold() in SKIPPED_NAMES:
        return _skipped(name, "applications.hidden_file", NOTE)
    try:
        if path.is_symlink() and not path.exists():
            return _skipped(name, "applications.broken_link", ERROR)
        if path.is_dir():
            if suffix == ".xlsx" or suffix in WORKBOOK_SUFFIXES:  # not an unpacked workbook
                return _skipped(name, "applications.folder_named_xlsx", WARNING)
            return _skipped(name, *_subfolder(path))
        if not path.is_file():
            return _skipped(name, "applications.not_a_file", WARNING)
    except OSError as exc:
        return _skipped(name, "file.unreadable", ERROR, exc)
    if suffix in (".xlsm", ".xltm"):
        return _skipped(name, "applications.macro_workbook", ERROR)
    if suffix in WORKBOOK_SUFFIXES:
        return _skipped(name, "applications.other_format", ERROR)
    if suffix != ".xlsx":
        return _skipped(name, "applications.not_xlsx", NOTE)
    return None


def _subfolder(path: Path) -> tuple[str, str]:
    """A subfolder that holds workbooks (or cannot be looked into) is worth a warning; others a note."""
    try:
        workbooks = any(p.suffix.casefold() == ".xlsx" and not p.name.startswith(("~$", ".")) for p in path.iterdir())
    except OSError:
        workbooks = True
    return ("applications.subfolder", WARNING) if workbooks else ("applications.other_folder", NOTE)


def _skipped(name: str, code: str, severity: str, exc: OSError | None = None) -> Finding:
    if exc is not None:  # the folder or file cannot be read at all
        message, fix = f"Kan ikke lese «{name}» ({exc.strerror}).", "Sjekk at du har lesetilgang til den."
    else:
        message, fix = _LEFT_OUT[code]
    return Finding(code, severity, message, file=name, value=name, fix=fix)
