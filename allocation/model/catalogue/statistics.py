"""Catalogue entries: official statistics read as published (SSB statbank CSV, JSON-stat 2,
Udir exports) and fetched from SSB's APIs. (``statistics.unreadable`` is listed with the
membership entries, which raise it too.)"""

from __future__ import annotations

from .entry import E, Entry, N, W

_AGAIN = "Last ned tabellen på nytt fra kilden uten å endre den."

ENTRIES: tuple[Entry, ...] = (
    Entry(
        "statistics.bad_json",
        E,
        "JSON-stat-filen er ødelagt",
        "Filen kan ikke leses som JSON-stat 2: {grunn}.",
        "Hent tabellen på nytt fra SSB (PxWebApi v2, outputFormat=json-stat2) uten å endre filen.",
    ),
    Entry(
        "statistics.no_unit_column",
        E,
        "Ingen kolonne med kommune- eller organisasjonsnummer",
        "Finner ingen kolonne med regionene (kommunene) eller enhetene.",
        "Last ned tabellen med regionen (eller organisasjonsnummeret) som egen kolonne, med koder.",
    ),
    Entry(
        "statistics.udir_columns",
        E,
        "Udir-eksporten mangler «Verdi» eller «Periode»",
        "Eksporten fra Utdanningsdirektoratet har ingen kolonne med {kolonne}.",
        _AGAIN,
    ),
    Entry(
        "statistics.no_period",
        E,
        "Statistikken sier ikke hvilket år tallene gjelder",
        "Kolonnen «{kolonne}» sier ikke hvilket år tallene gjelder, og tabellen har ingen kolonne «år».",
        "Last ned tabellen med året i overskriften eller som egen kolonne.",
    ),
    Entry(
        "statistics.bad_row",
        E,
        "En linje i statistikkfilen har feil antall felt",
        "Linje {linje} har {antall} felt, men overskriftsraden har {forventet}.",
        _AGAIN,
    ),
    Entry(
        "statistics.no_code",
        E,
        "En region i statistikken har ikke noe nummer",
        "«{region}» i kolonnen «{kolonne}» har ikke noe kommunenummer eller organisasjonsnummer.",
        "Last ned tabellen med både koder og tekster (UseCodesAndTexts), så hver rad har sitt nummer.",
    ),
    Entry(
        "statistics.not_a_municipality",
        W,
        "En region i statistikken er ikke en kommune",
        "«{region}» er et fylke, en gruppe eller hele landet, ikke en kommune; raden er ikke tatt med.",
        "Velg bare kommuner (eller enheter) når du laster ned tabellen, så ingenting telles to ganger.",
    ),
    Entry(
        "statistics.bad_value",
        E,
        "Et tall i statistikken kan ikke leses",
        "Verdien for {hva} kan ikke leses: {grunn}.",
        "Et antall skal være et helt tall; " + _AGAIN[0].lower() + _AGAIN[1:],
    ),
    Entry(
        "statistics.no_number",
        W,
        "Kilden publiserer ikke noe tall",
        "Kilden publiserer ikke noe tall for {hva}: «{tegn}» betyr «{betydning}».",
        "Avklar med kilden hvilket tall som gjelder, eller før det inn for hånd i arket «Tall» med en merknad.",
    ),
    Entry(
        "statistics.zero",
        N,
        "Kilden oppgir null («-»)",
        "«-» for {hva} betyr «null» i kilden: tallet er lest som 0.",
        "Ingenting å gjøre når 0 er riktig.",
    ),
    Entry(
        "statistics.duplicate",
        E,
        "Den samme verdien står to ganger i statistikken",
        "Den samme verdien ({nøkkel}) står to ganger: {første} og {andre}.",
        "Last ned tabellen på nytt; hver enhet, statistikkvariabel og periode skal stå én gang.",
    ),
    Entry(
        "statistics.empty",
        E,
        "Statistikkfilen har ingen tall",
        "Filen har ingen tall som kan leses.",
        "Last ned tabellen på nytt, med minst én kommune, én statistikkvariabel og én periode valgt.",
    ),
    Entry(
        "statistics.fetch_failed",
        E,
        "Nedlastingen fra SSB mislyktes",
        "Kunne ikke hente {adresse}: {grunn}.",
        "Sjekk nettforbindelsen, tabellnummeret og valgene, og prøv igjen; eller last ned filen i nettleseren.",
    ),
    Entry(
        "statistics.fetch_exists",
        E,
        "Filen finnes fra før",
        "{fil} finnes fra før og blir ikke overskrevet.",
        "Gi den nye filen et annet navn med --name, eller flytt den gamle først.",
    ),
)
