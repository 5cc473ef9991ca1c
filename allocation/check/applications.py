"""The scheme's rules for applications, as findings with reason codes.

Errors stop the run before anything is allocated; warnings are shown and
kept in the workbook and manifest. Org.nr and account numbers are checked
with python-stdnum (mod 11), so nothing is paid to an invalid account.
"""

from __future__ import annotations

import difflib
from fractions import Fraction

from stdnum.no import kontonr, orgnr

from ..model.applications import LABELS, Application, share_total
from ..model.config import ApplicationRules
from ..model.findings import ERROR, WARNING, Finding
from ..model.formatting import format_fraction, kroner_in_text
from ..model.names import name_key


def check_applications(
    apps: list[Application], networks: tuple[str, ...], rules: ApplicationRules, counts_file: str
) -> list[Finding]:
    """Checks that need only the applications and the network names."""
    findings: list[Finding] = []
    known = {name_key(n): n for n in networks}
    by_network: dict[str, list[Application]] = {}
    for app in apps:
        findings += _check_one(app, known, rules)
        if app.network and name_key(app.network) in known:
            by_network.setdefault(name_key(app.network), []).append(app)
    if not rules.multiple_per_network:
        for group in by_network.values():
            for dup in group[1:]:
                findings.append(
                    dup.finding(
                        "applications.duplicate",
                        ERROR,
                        "network",
                        f"Nettverket «{dup.network}» har allerede en søknad ({group[0].label()}).",
                        "Slå søknadene sammen til én, eller tillat flere med "
                        "multiple_per_network = true i konfigurasjonen.",
                    )
                )
    for key, name in known.items():
        if key not in by_network:
            findings.append(
                Finding(
                    "applications.no_application",
                    WARNING,
                    f"Nettverket «{name}» har ingen søknad og får 0 kr.",
                    file=counts_file,
                    sheet="Tall",
                    value=name,
                    fix="Sjekk om søknaden mangler i mappen eller lista.",
                )
            )
    return findings


def _check_one(app: Application, known: dict[str, str], rules: ApplicationRules) -> list[Finding]:
    out: list[Finding] = []
    if not app.network:
        out.append(
            app.finding(
                "applications.no_network",
                ERROR,
                "network",
                "Søknaden mangler nettverk.",
                "Skriv nettverket slik det står i arket «Tall».",
            )
        )
    elif name_key(app.network) not in known:
        close = difflib.get_close_matches(app.network, list(known.values()), n=1, cutoff=0.6)
        out.append(
            app.finding(
                "applications.unknown_network",
                ERROR,
                "network",
                f"Nettverket «{app.network}» finnes ikke i telleboka.",
                f"Mente du «{close[0]}»?" if close else "Skriv navnet slik det står i arket «Tall».",
            )
        )
    if app.get("confirmed") is not True:
        out.append(
            app.finding(
                "applications.not_confirmed",
                ERROR,
                "confirmed",
                "Det er ikke bekreftet at søknaden er laget i partnerskap (et absolutt krav).",
                "Skriv Ja i «Partnerskap bekreftet» når eier og UH står bak søknaden sammen.",
            )
        )
    if not app.get("uh"):
        out.append(
            app.finding(
                "applications.no_uh",
                ERROR,
                "uh",
                "Søknaden har ingen UH-partner (et absolutt krav).",
                "Fyll inn universitetet eller høgskolen som er partner.",
            )
        )
    for who, wants in (("owner", True), ("uh", bool(app.get("uh")))):
        if wants:
            out += _check_ids(app, who)
    out += _check_amounts(app)
    out += _check_coordination(app, rules)
    received = app.get("received")
    if rules.deadline is not None and received is not None and received > rules.deadline:
        out.append(
            app.finding(
                "applications.late",
                WARNING,
                "received",
                f"Søknaden kom {received:%d.%m.%Y}, etter fristen {rules.deadline:%d.%m.%Y}.",
                "Samarbeidsforum avgjør om den skal behandles.",
            )
        )
    return out


def _check_amounts(app: Application) -> list[Finding]:
    """No negative amounts, year-1 shares that add up to 100 %, year 1 not an estimate."""
    out: list[Finding] = []
    for fid in ("owner_y1", "owner_y2", "owner_y3", "uh_y1", "uh_y2", "uh_y3", "coord_amount", "fund_owner", "fund_uh"):
        value = app.get(fid)
        if value is not None and value < 0:
            out.append(
                app.finding(
                    "applications.negative",
                    ERROR,
                    fid,
                    f"«{LABELS[fid]}» er negativt.",
                    "Beløp kan ikke være mindre enn 0.",
                )
            )
    total = share_total(app)
    if total is not None and total != 100:
        out.append(
            app.finding(
                "applications.shares_sum",
                ERROR,
                "share_kartlegging",
                f"Andelene for år 1 summerer til {format_fraction(total)} %, ikke 100 %.",
                "Rett andelene for kartlegging, planlegging, gjennomføring og koordinator så de blir 100 % til sammen.",
                expected="100 %",
            )
        )
    for fid in ("owner_y1", "uh_y1"):
        if fid in app.estimates:
            out.append(
                app.finding(
                    "applications.estimate_year1",
                    WARNING,
                    fid,
                    f"«{LABELS[fid]}» er merket som anslag, men år 1 skal være et fast beløp.",
                    "Be om et endelig beløp for år 1.",
                )
            )
    return out


def _check_ids(app: Application, who: str) -> list[Finding]:
    out = []
    name = "eier" if who == "owner" else "UH"
    org, acc = app.get(f"{who}_orgnr"), app.get(f"{who}_account")
    if not org:
        out.append(
            app.finding(
                "applications.orgnr_missing",
                ERROR,
                f"{who}_orgnr",
                f"Org.nr for {name} mangler.",
                "Skriv organisasjonsnummeret (9 sifre).",
            )
        )
    elif not orgnr.is_valid(org):
        out.append(
            app.finding(
                "applications.orgnr_invalid",
                ERROR,
                f"{who}_orgnr",
                f"Org.nr for {name} er ugyldig (9 sifre med kontrollsiffer).",
                "Sjekk nummeret i Enhetsregisteret.",
                expected="9 sifre, gyldig kontrollsiffer",
            )
        )
    if not acc:
        out.append(
            app.finding(
                "applications.account_missing",
                ERROR,
                f"{who}_account",
                f"Kontonummer for {name} mangler; ingenting kan utbetales.",
                "Skriv kontonummeret (11 sifre).",
            )
        )
    elif not kontonr.is_valid(acc):
        out.append(
            app.finding(
                "applications.account_invalid",
                ERROR,
                f"{who}_account",
                f"Kontonummeret for {name} er ugyldig ({len(acc)} sifre; et kontonummer har 11 sifre "
                "med kontrollsiffer). Ingenting utbetales til et ugyldig konto.",
                "Be mottakeren bekrefte kontonummeret skriftlig.",
                expected="11 sifre, gyldig kontrollsiffer",
            )
        )
    return out


def _check_coordination(app: Application, rules: ApplicationRules) -> list[Finding]:
    share = app.get("share_koordinator")
    amount = app.get("coord_amount")
    requested = app.requested(1)
    out = []
    if share and share > 0 and amount is None:
        out.append(
            app.finding(
                "applications.coordination_no_amount",
                WARNING,
                "coord_amount",
                "Søknaden har en andel til koordinator, men ikke noe beløp.",
                "Fyll inn «Koordinator beløp» og begrunn koordineringen.",
            )
        )
    coord_share = (
        share
        if share is not None
        else (Fraction(amount * 100, requested) if amount is not None and requested > 0 else None)
    )
    if coord_share is not None and coord_share > rules.max_coordination_share:
        out.append(
            app.finding(
                "applications.coordination_high",
                WARNING,
                "share_koordinator" if share is not None else "coord_amount",
                f"Koordinering er {format_fraction(coord_share)} % av søknaden, over grensen på "
                f"{format_fraction(rules.max_coordination_share)} %.",
                "Koordinering skal være av begrenset omfang og begrunnes.",
            )
        )
    return out


def check_against_frames(apps: list[Application], frames: dict[str, int]) -> list[Finding]:
    """Warnings that need each network's frame: a request above it."""
    out = []
    by_key = {name_key(n): n for n in frames}
    totals: dict[str, list[Application]] = {}
    for app in apps:
        if name_key(app.network) in by_key:
            totals.setdefault(name_key(app.network), []).append(app)
    for key, group in totals.items():
        frame = frames[by_key[key]]
        requested = sum(a.requested(1) for a in group)
        if requested > frame:
            out.append(
                group[0].finding(
                    "applications.over_frame",
                    WARNING,
                    "owner_y1",
                    f"Søknaden fra «{by_key[key]}» er på {kroner_in_text(requested)}, "
                    f"{kroner_in_text(requested - frame)} over rammen på {kroner_in_text(frame)}.",
                    "Tildelingen blir høyst rammen, pluss eventuell omfordeling.",
                )
            )
    return out
