"""Decision letters in the run folder: ``brev/`` with one .docx per letter, ``brevliste.xlsx``
and, where LibreOffice is installed, a PDF/A copy beside each letter.

Rendered with docxtpl (Jinja2 inside a Word document, so the county edits its template in
Word). Letters are byte-identical for one run: the document's dates are the run's time and the
zip entries are re-written with fixed timestamps (:mod:`.docx_bytes`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from ..model.letter_settings import BUNDLED_TEMPLATES, LetterSettings
from ..model.letters import KIND_NO, Letter
from ..model.result import Allocation
from ..pipeline import Prepared
from .docx_bytes import fixed_pdf, fixed_zip
from .letter_content import LETTER_DIR, build_letters, decision_metadata

BUNDLED = Path(__file__).resolve().parent / "letter_templates"
LIST_NAME = f"{LETTER_DIR}/brevliste.xlsx"
PDF_TIMEOUT = 120  # seconds for LibreOffice to convert one letter
PDF_WORKERS = 4  # LibreOffice processes at once (at most one per core)
PDF_SWITCH = "ALLOCATION_LETTER_PDF"  # "0": no PDF copies even where LibreOffice is installed


def template_bytes(settings: LetterSettings, standard: str, prepared: Prepared | None = None) -> tuple[str, bytes]:
    """The template for ``standard``: the county's (from the run's snapshot) or the bundled one."""
    own = settings.template_for(standard)
    if own is not None:
        data = prepared.snapshot.read(own) if prepared is not None else own.read_bytes()
        return own.name, data
    name = BUNDLED_TEMPLATES.get(standard, BUNDLED_TEMPLATES["bokmål"])
    return name, (BUNDLED / name).read_bytes()


def render_letter(letter: Letter, template: bytes, created: dt.datetime) -> bytes:
    """One letter as .docx bytes: the template filled in, dated ``created``, fixed zip."""
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(io.BytesIO(template))
    tpl.render(letter.fields, autoescape=True)
    props = tpl.docx.core_properties
    naive = created.astimezone(dt.UTC).replace(tzinfo=None)
    props.created = props.modified = props.last_printed = naive
    props.revision = 1
    props.author = props.last_modified_by = "allocation"
    props.title = f"{KIND_NO[letter.kind].capitalize()} – {letter.recipient}"
    props.subject = letter.fields.get("kjoring", "")
    props.identifier = letter.fields.get("fingeravtrykk", "")
    out = io.BytesIO()
    tpl.save(out)
    return fixed_zip(out.getvalue(), created)


def letter_time(settings: LetterSettings, created: dt.datetime) -> dt.datetime:
    """The letters' own date: the decision date (so the same decision gives the same letters
    whenever it is run), else the run's time."""
    if settings.decision_date is None:
        return created
    return dt.datetime.combine(settings.decision_date, dt.time(12), tzinfo=dt.UTC)


def render_all(
    prepared: Prepared, result: Allocation, print_: str, created: dt.datetime
) -> list[tuple[Letter, str, bytes]]:
    """Every letter of the run rendered: (letter, template name, .docx bytes)."""
    settings = prepared.config.letters
    if settings is None:
        return []
    created = letter_time(settings, created)
    cache: dict[str, tuple[str, bytes]] = {}
    out = []
    for letter in build_letters(prepared, result, print_):
        if letter.standard not in cache:
            cache[letter.standard] = template_bytes(settings, letter.standard, prepared)
        name, template = cache[letter.standard]
        out.append((letter, name, render_letter(letter, template, created)))
    return out


def letter_entry(letter: Letter, template: str, data: bytes) -> dict[str, Any]:
    """A letter as the manifest lists it."""
    return {
        "file": letter.file,
        "sha256": hashlib.sha256(data).hexdigest(),
        "kind": letter.kind,
        "recipient": letter.recipient,
        "network": letter.network,
        "orgnr": letter.orgnr,
        "standard": letter.standard,
        "amount": letter.amount,
        "template": template,
    }


def letters_wanted(prepared: Prepared) -> bool:
    """Letters are written for a decision: with ``[letters]``, and not for a scenario (an alternative)."""
    return prepared.config.letters is not None and prepared.config.scenario is None


def write_letters(
    folder: Path, prepared: Prepared, result: Allocation, print_: str, created: dt.datetime
) -> dict[str, Any]:
    """Write ``brev/`` into the run folder; returns the manifest's ``letters`` and ``letter_list``."""
    rendered = render_all(prepared, result, print_, created)
    settings = prepared.config.letters or LetterSettings()
    (folder / LETTER_DIR).mkdir()
    entries = []
    for letter, template, data in rendered:
        write_file(folder / letter.file, data)
        entries.append(letter_entry(letter, template, data))
    pdfs = pdf_copies(folder, [e["file"] for e in entries])
    for (_, _, docx), e in zip(rendered, entries, strict=True):
        made = pdfs.get(e["file"])
        if made is not None:
            pdf = fixed_pdf(made, letter_time(settings, created), docx)
            write_file(folder / e["file"].replace(".docx", ".pdf"), pdf)
            e["pdf"] = {"file": e["file"].replace(".docx", ".pdf"), "sha256": hashlib.sha256(pdf).hexdigest()}
    data = letter_list_bytes(entries, prepared.config.name)
    write_file(folder / LIST_NAME, data)
    return {
        "letter_metadata": decision_metadata(settings),
        "letters": entries,
        "letter_list": {"file": LIST_NAME, "sha256": hashlib.sha256(data).hexdigest()},
    }


def write_file(path: Path, data: bytes) -> None:
    """A new file (never an existing one is overwritten); the run folder is synced when published."""
    with open(path, "xb") as fh:
        fh.write(data)


def letter_list_bytes(entries: list[dict[str, Any]], name: str) -> bytes:
    """``brevliste.xlsx``: one row per letter (recipient, org.nr, amount, written standard, kind,
    file, SHA-256), an Excel table with filter buttons."""
    from .book import Book, Sheet

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "brevliste.xlsx"
        book = Book(path, f"Brevliste – {name}", f"Brevliste – {name}")
        sheet = Sheet(book, "Brevliste", "#1F3864")
        heads = ["Mottaker", "Nettverk", "Org.nr.", "Beløp", "Målform", "Brevtype", "Fil", "SHA-256"]
        sheet.widths([34, 22, 14, 14, 12, 12, 30, 66])
        for r, e in enumerate(entries, start=1):
            for c, value in enumerate([e["recipient"], e["network"] or "", e["orgnr"]]):
                sheet.text(r, c, value)
            sheet.number(r, 3, e["amount"])
            for c, value in enumerate([e["standard"], e["kind"], e["file"], e["sha256"]], start=4):
                sheet.text(r, c, value, "mono" if c == 7 else None)
        sheet.header(0, heads)
        sheet.as_table("Brevliste", len(entries), heads, total_row=False)
        sheet.ws.freeze_panes(1, 0)
        sheet.finish()
        book.close()
        return path.read_bytes()


def pdf_copies(folder: Path, files: list[str]) -> dict[str, bytes]:
    """PDF/A-2b copies of the letters, made by LibreOffice where it is installed and
    ``ALLOCATION_LETTER_PDF`` is not ``0``: {docx: PDF bytes} for those made. None where it is missing.

    One LibreOffice process per letter: converting several documents in one process embeds
    font subsets that differ from run to run, one document per process gives the same PDF.
    Up to ``PDF_WORKERS`` processes run at once, each with a profile of its own."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not files or soffice is None or os.environ.get(PDF_SWITCH, "1") == "0":
        return {}
    from concurrent.futures import ThreadPoolExecutor

    def convert(f: str) -> bytes | None:
        with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as out:
            cmd = [
                soffice,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}',
                "--outdir",
                out,
                str(folder / f),
            ]
            try:
                subprocess.run(cmd, capture_output=True, timeout=PDF_TIMEOUT, check=False)
            except (OSError, subprocess.SubprocessError):
                return None
            pdf = Path(out) / (Path(f).stem + ".pdf")
            return pdf.read_bytes() if pdf.is_file() else None

    workers = max(1, min(PDF_WORKERS, os.cpu_count() or 1, len(files)))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        made = dict(zip(files, pool.map(convert, files), strict=True))
    return {f: data for f, data in made.items() if data is not None}
