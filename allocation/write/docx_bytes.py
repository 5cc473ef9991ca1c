"""A .docx made byte-identical for one run: fixed zip timestamps and attributes, parts in the
order the writer made them; and a document's text, as letters are compared by ``verify``."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile


def fixed_zip(data: bytes, when: dt.datetime) -> bytes:
    """``data`` (a zip) re-written with every entry dated ``when`` and no varying attributes."""
    stamp = max(when, dt.datetime(1980, 1, 1, tzinfo=when.tzinfo)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 3
            dst.writestr(entry, src.read(info.filename), compresslevel=6)
    return out.getvalue()


def docx_text(data: bytes) -> list[str]:
    """Every paragraph and table cell of a .docx, in document order (tables cell by cell)."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = Document(io.BytesIO(data))
    lines: list[str] = []
    for block in doc.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                lines += [cell.text for cell in row.cells]
    return lines


_PDF_DATE = re.compile(rb"/CreationDate\(D:(\d{14})")
_XMP_DATE = re.compile(rb"<xmp:CreateDate>(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)")
_PDF_ID = re.compile(rb"/ID \[ <([0-9A-F]{32})>\n<([0-9A-F]{32})> \]")


def fixed_pdf(data: bytes, when: dt.datetime, seed: bytes) -> bytes:
    """A LibreOffice PDF made the same for one run: its creation time set to ``when`` and its
    document ID derived from ``seed`` (the letter's bytes). Every value keeps its length, so
    the PDF's cross-reference offsets stay right."""
    utc = when.astimezone(dt.UTC)
    ident = hashlib.md5(seed, usedforsecurity=False).hexdigest().upper().encode()
    data = _PDF_DATE.sub(b"/CreationDate(D:" + utc.strftime("%Y%m%d%H%M%S").encode(), data)
    data = _XMP_DATE.sub(b"<xmp:CreateDate>" + utc.strftime("%Y-%m-%dT%H:%M:%S").encode(), data)
    return _PDF_ID.sub(b"/ID [ <" + ident + b">\n<" + ident + b"> ]", data)
