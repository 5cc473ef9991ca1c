"""Workbooks printed to PDF by LibreOffice in the Norwegian locale (nb-NO): the render tests
and the guide's pictures (docs/make_pictures.py) print the same way."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

NB_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>nb-NO</value></prop></item>
</oor:items>
"""


def to_pdf(files: list[Path], work: Path) -> list[Path]:
    """Each file printed to PDF (in ``work/pdf``) by one LibreOffice with the nb-NO locale."""
    profile = work / "profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(NB_PROFILE, encoding="utf-8")
    soffice = shutil.which("soffice") or shutil.which("libreoffice") or "soffice"
    out = work / "pdf"
    command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore"]
    subprocess.run(
        [*command, "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return [out / f.with_suffix(".pdf").name for f in files]


def pages_by_sheet(pdf: Path) -> dict[str, list[int]]:
    """Page numbers (1-based) per sheet, from the sheet name at the right of each page's header."""
    import re

    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    out: dict[str, list[int]] = {}
    for number, page in enumerate(text.split("\f"), start=1):
        lines = [line for line in page.splitlines() if line.strip()]
        if lines:
            sheet = re.split(r"\s{2,}", lines[0].strip())[-1]
            out.setdefault(sheet, []).append(number)
    return out
