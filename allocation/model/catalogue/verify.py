"""Catalogue entries: verify."""

from __future__ import annotations

from .entry import _RERUN, E, Entry, N

ENTRIES: tuple[Entry, ...] = (
    Entry(
        "verify.not_a_folder",
        E,
        "Finner ikke kjøremappen",
        "Finner ikke kjøremappen {mappe}.",
        "Pek på en kjøremappe som run har laget, med manifest.json urørt.",
    ),
    Entry(
        "verify.no_manifest",
        E,
        "Kjøremappen har ikke manifest.json",
        "Mappen {mappe} har ingen manifest.json.",
        "Pek på en kjøremappe som run har laget, med manifest.json urørt.",
    ),
    Entry(
        "verify.manifest_invalid",
        E,
        "Manifestet er ugyldig",
        "manifest.json: {hva}.",
        "Pek på en kjøremappe som run har laget, med manifest.json urørt.",
    ),
    Entry(
        "verify.unsafe_path",
        E,
        "Manifestet peker ut av kjøremappen",
        "«{nøkkel}» peker på {fil}, utenfor kjøremappen eller på en uventet plass.",
        "Pek på en kjøremappe som run har laget, med manifest.json urørt.",
    ),
    Entry(
        "verify.workbook_entry_missing",
        E,
        "Manifestet nevner ingen arbeidsbok",
        "Manifestet nevner ingen arbeidsbok (nøkkelen «workbook» mangler); arbeidsboka kan ikke kontrolleres.",
        _RERUN,
    ),
    Entry(
        "verify.hash_missing",
        E,
        "Fil uten kontrollsum i manifestet",
        "Manifestet har ingen gyldig SHA-256 for {fil}; filen kan ikke kontrolleres.",
        _RERUN,
    ),
    Entry("verify.file_missing", E, "En fil mangler i kjøremappen", "Filen {fil} mangler i kjøremappen.", _RERUN),
    Entry(
        "verify.file_changed",
        E,
        "En fil er endret etter kjøringen",
        "Filen {fil} er endret (SHA-256 stemmer ikke med manifestet).",
        _RERUN,
    ),
    Entry(
        "verify.ignored_file",
        N,
        "Låsefil eller systemfil i kjøremappen",
        "Låsefil eller systemfil, ikke en del av kjøringen.",
    ),
    Entry(
        "verify.extra_input",
        E,
        "Ekstra fil blant inndata",
        "{fil} ligger i inputs/, men står ikke i manifestet.",
        _RERUN,
    ),
    Entry("verify.extra_file", E, "Ekstra fil i kjøremappen", "{fil} står ikke i manifestet.", _RERUN),
    Entry("verify.rerun_failed", E, "Kjøringen kan ikke gjentas", "Kjøringen kan ikke gjentas: {grunn}", _RERUN),
    Entry(
        "verify.manifest_differs",
        E,
        "Manifestet er ulikt ved ny kjøring",
        "{hva}: {lagret} i manifestet, {ny} ved ny kjøring.",
        _RERUN,
    ),
    Entry(
        "verify.workbook_unreadable",
        E,
        "Arbeidsboka kan ikke leses for sammenligning",
        "Arbeidsboka kan ikke leses for sammenligning ({grunn}).",
        _RERUN,
    ),
    Entry(
        "verify.workbook_differs",
        E,
        "Arbeidsboka er endret utenfor cellene",
        "Arbeidsboka er endret utenfor cellene (f.eks. diagram, formatering eller egenskaper): {deler}.",
        _RERUN,
    ),
    Entry("verify.extra_sheet", E, "Ekstra ark i arbeidsboka", "Arket «{ark}» finnes ikke i ny kjøring.", _RERUN),
    Entry("verify.missing_sheet", E, "Et ark mangler i arbeidsboka", "Arket «{ark}» mangler i arbeidsboka.", _RERUN),
    Entry(
        "verify.sheet_order",
        E,
        "Arkene står i annen rekkefølge",
        "Arkene står i en annen rekkefølge enn ved ny kjøring.",
        _RERUN,
    ),
    Entry(
        "verify.formula_differs",
        E,
        "En formel er endret",
        "Formelen er endret: {lagret} i arbeidsboka, {ny} ved ny kjøring.",
        _RERUN,
    ),
    Entry("verify.cell_differs", E, "En celle er endret", "{lagret} i arbeidsboka, {ny} ved ny kjøring.", _RERUN),
    Entry(
        "verify.format_differs",
        E,
        "Et tallformat er endret",
        "Tallformatet er endret: {lagret} i arbeidsboka, {ny} ved ny kjøring.",
        _RERUN,
    ),
)
