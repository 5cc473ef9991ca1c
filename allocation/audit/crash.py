"""Crash reports: what the developers need when the program itself fails.

A failure a user can cause is a finding; anything else is ours. The command
line then exits with status 3, tells the user in one short Norwegian message,
and leaves ``krasjrapport.txt`` (traceback, versions, command, time) in a new
findings folder. Writing the report must never fail in turn: each place that
cannot take it is skipped, and ``None`` means none could.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import tempfile
import traceback
from pathlib import Path

from .. import __version__

REPORT_NAME = "krasjrapport.txt"


def crash_text(exc: BaseException, command: list[str]) -> str:
    lines = [
        f"Krasjrapport – allocation {__version__}",
        f"Tid: {dt.datetime.now(tz=dt.UTC).replace(microsecond=0).isoformat()}",
        f"Kommando: {' '.join(command)}",
        f"Arbeidsmappe: {os.getcwd()}",
        f"Python: {platform.python_version()} ({sys.executable})",
        f"Plattform: {platform.platform()}",
    ]
    try:
        from .manifest import environment

        deps = environment()["dependencies"]
        lines.append("Avhengigheter: " + ", ".join(f"{k} {v}" for k, v in deps.items()))
    except Exception as inner:  # the report is written even if the versions cannot be found
        lines.append(f"Avhengigheter: ukjent ({type(inner).__name__})")
    lines += ["", f"Feil: {type(exc).__name__}: {exc}", ""]
    lines += traceback.format_exception(type(exc), exc, exc.__traceback__)
    return "\n".join(line.rstrip("\n") for line in lines) + "\n"


def write_crash_report(exc: BaseException, stem: str, out: Path | None, base: Path, command: list[str]) -> Path | None:
    """Write the crash report in a new findings folder: ``out``, else ``base/<stem>-kontroll-NNN``,
    else the same under the system's temporary folder. Returns the report's path."""
    from ..model.names import slug
    from .runfolder import claim, publishing, write_new

    data = crash_text(exc, command).encode("utf-8", "replace")
    tries: list[tuple[Path | None, Path]] = [(out, base)] if out is not None else []
    tries += [(None, base), (None, Path(tempfile.gettempdir()))]
    for target, where in tries:
        try:
            staged = claim(target, where, slug(stem) + "-kontroll")
            with publishing([staged]):
                write_new(staged.path / REPORT_NAME, data)
            return staged.final / REPORT_NAME
        except Exception:  # noqa: S112 – try the next place
            continue
    return None
