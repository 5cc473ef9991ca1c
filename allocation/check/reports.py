"""Checks of the recipients' reports against the decision they report on.

Missing (a granted network without a report, unless exempt), late (delivered after the
deadline), spent more than granted, unknown recipient (a network the decision did not grant),
the same network reported twice (never «the last row wins»), and, after the deductions are
made, unspent money above the threshold with what became of it.
"""

from __future__ import annotations

import difflib
from dataclasses import replace

from ..model.findings import ERROR, NOTE, WARNING, Finding
from ..model.formatting import kroner_in_text as kr
from ..model.names import name_key
from ..model.reports import DecisionRun, Report, ReportsOutcome, ReportsRules


def check_reports(
    reports: list[Report], decision: DecisionRun, rules: ReportsRules, config_file: str
) -> tuple[list[Report], list[Finding]]:
    """The reports that can be used (one per granted network), and the findings."""
    findings: list[Finding] = []
    known = {name_key(n): n for n in decision.granted}
    first: dict[str, Report] = {}
    for rep in reports:
        key = name_key(rep.network)
        if key not in known:
            close = [n for n in decision.granted if name_key(n).startswith(key[:4])] if key else []
            findings.append(
                Finding(
                    "report.unknown_recipient",
                    ERROR,
                    f"Rapporten gjelder «{rep.network}», som ikke fikk tilskudd i vedtaket «{decision.name}».",
                    file=rep.file,
                    sheet=rep.sheet,
                    cell=rep.cell,
                    value=rep.network,
                    expected=", ".join(decision.granted),
                    fix=f"Mente du «{close[0]}»? " if close else "Skriv nettverkets navn slik det står i vedtaket.",
                )
            )
        elif key in first:
            other = first[key]
            findings.append(
                Finding(
                    "report.duplicate",
                    ERROR,
                    f"{known[key]} har rapportert to ganger: {other.file} ({other.sheet} {other.cell}) og denne.",
                    file=rep.file,
                    sheet=rep.sheet,
                    cell=rep.cell,
                    value=rep.network,
                    fix="Fjern den rapporten som ikke gjelder, så bare én står igjen.",
                )
            )
        else:
            first[key] = rep
    exempt = {name_key(n) for n in rules.exempt}
    for name in rules.exempt:
        if name_key(name) not in known:  # a typo would exempt no one: never ignored
            close = difflib.get_close_matches(name, list(known.values()), n=1, cutoff=0.6)
            findings.append(
                Finding(
                    "report.exempt_unknown",
                    ERROR,
                    f"«{name}» under exempt i [reports] er ikke et nettverk med tilskudd i «{decision.name}».",
                    file=config_file,
                    cell="reports.exempt",
                    value=name,
                    fix=(f"Mente du «{close[0]}»? " if close else "")
                    + "Skriv nettverkets navn slik det står i vedtaket, eller ta navnet ut av exempt.",
                )
            )
    for key, net in known.items():
        if key not in first and key not in exempt:
            findings.append(
                Finding(
                    "report.missing",
                    WARNING,
                    f"{net} har ikke levert rapport på tilskuddet fra «{decision.name}»; ingenting er trukket.",
                    file=config_file,
                    cell="reports.files",
                    value=net,
                    fix="Purr på rapporten og kjør på nytt, eller før nettverket opp i exempt under [reports].",
                )
            )
    used = [replace(r, network=known[name_key(r.network)]) for r in first.values()]
    for rep in used:
        findings += _late(rep, rules) + _overspent(rep, decision)
    return used, findings


def _late(rep: Report, rules: ReportsRules) -> list[Finding]:
    if rules.deadline is None or (rep.submitted is not None and rep.submitted <= rules.deadline):
        return []
    when = rep.submitted.strftime("%d.%m.%Y") if rep.submitted else "ingen dato"
    return [
        Finding(
            "report.late",
            WARNING,
            f"Rapporten fra {rep.network} er levert {when}, etter fristen {rules.deadline:%d.%m.%Y}.",
            file=rep.file,
            sheet=rep.sheet,
            cell=rep.submitted_cell or rep.cell,
            value=when,
            expected=f"levert senest {rules.deadline:%d.%m.%Y}",
            fix="Fyll inn datoen rapporten kom i feltet «Levert», eller følg opp forsinkelsen.",
        )
    ]


def _overspent(rep: Report, decision: DecisionRun) -> list[Finding]:
    g = decision.granted[rep.network]
    out = []
    for role, used, granted, cell in (
        ("eier", rep.used_owner, g.owner, rep.used_cells[0]),
        ("UH", rep.used_uh, g.uh, rep.used_cells[1]),
    ):
        if used > granted:
            out.append(
                Finding(
                    "report.overspent",
                    WARNING,
                    f"{rep.network} ({role}) har brukt {kr(used)}, mer enn de {kr(granted)} som ble tildelt.",
                    file=rep.file,
                    sheet=rep.sheet,
                    cell=cell,
                    value=str(used),
                    expected=f"høyst {granted}",
                    fix="Sjekk tallet med mottakeren; det som er brukt utover tilskuddet dekkes ikke av ordningen.",
                )
            )
    return out


def unspent_findings(outcome: ReportsOutcome, config_file: str) -> list[Finding]:
    """One finding per network with unspent money: deducted or claimed above the threshold,
    left with the recipient at or below it."""
    out = []
    rules = outcome.rules
    by_net = {r.network: r for r in outcome.reports}
    for u in outcome.unspent:
        total = u.unspent_owner + u.unspent_uh
        rep = by_net[u.network]
        if not u.acted:
            message = f"{u.network} har {kr(total)} ubrukt, ikke over terskelen på {kr(rules.unspent_threshold)}."
            severity, fix = (
                NOTE,
                "Ingenting å gjøre; senk unspent_threshold under [reports] for å trekke også slike beløp.",
            )
        else:
            deducted = u.deducted_owner + u.deducted_uh
            claimed = u.claimed_owner + u.claimed_uh
            parts = [f"{kr(deducted)} er trukket i årets utbetaling"] if deducted else []
            parts += [f"{kr(claimed)} er ført som krav om tilbakebetaling (arket Tilbakebetaling)"] if claimed else []
            message = f"{u.network} har {kr(total)} ubrukt av tilskuddet fra «{outcome.decision.name}»: " + (
                " og ".join(parts) + "."
            )
            severity, fix = WARNING, "Send mottakeren beskjed om trekket eller kravet."
        out.append(
            Finding(
                "report.unspent",
                severity,
                message,
                file=rep.file,
                sheet=rep.sheet,
                cell=rep.used_cells[0],
                value=str(total),
                expected=f"høyst {rules.unspent_threshold} ubrukt" if u.acted else "",
                fix=fix,
            )
        )
    return out
