"""A .docx made byte-identical for one run: fixed zip timestamps and attributes, parts in the
order the writer made them; and a document's text, as letters are compared by ``verify``."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
import zlib


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
_CHECKSUM = re.compile(rb"/DocChecksum /([0-9A-F]{32})")
_ICC = re.compile(rb"\n(\d+) 0 obj\n<</N 3/Length (\d+) 0 R/Filter/FlateDecode>>\nstream\n")
_XREF = re.compile(rb"\nxref\n0 (\d+)\n")


def fixed_pdf(data: bytes, when: dt.datetime, seed: bytes) -> bytes:
    """A LibreOffice PDF made the same for one run: its creation time set to ``when``, its
    document ID and checksum derived from ``seed`` (the letter's bytes), and the colour profile
    LibreOffice makes for PDF/A dated ``when``. Same-length values keep the offsets; the profile
    is re-compressed and the cross-reference table moved with it. A PDF of another shape is
    returned as it is, apart from the same-length values."""
    utc = when.astimezone(dt.UTC)
    ident = hashlib.md5(seed, usedforsecurity=False).hexdigest().upper().encode()
    data = _PDF_DATE.sub(b"/CreationDate(D:" + utc.strftime("%Y%m%d%H%M%S").encode(), data)
    data = _XMP_DATE.sub(b"<xmp:CreateDate>" + utc.strftime("%Y-%m-%dT%H:%M:%S").encode(), data)
    data = _PDF_ID.sub(b"/ID [ <" + ident + b">\n<" + ident + b"> ]", data)
    data = _CHECKSUM.sub(b"/DocChecksum /" + ident, data)
    try:
        return _fixed_profile(data, utc)
    except (ValueError, zlib.error):
        return data


def _fixed_profile(data: bytes, utc: dt.datetime) -> bytes:
    m = _ICC.search(data)
    if m is None:
        return data
    length_obj = re.search(rb"\n" + m.group(2) + rb" 0 obj\n(\d+)\nendobj", data)
    if length_obj is None:
        raise ValueError("no length object")
    start, old_len = m.end(), int(length_obj.group(1))
    profile = bytearray(zlib.decompress(data[start : start + old_len]))
    if len(profile) < 128 or profile[36:40] != b"acsp":
        raise ValueError("not an ICC profile")
    stamp = (utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second)
    profile[24:36] = b"".join(v.to_bytes(2, "big") for v in stamp)
    profile[84:100] = bytes(16)  # profile ID 0: «not computed», allowed by ICC.1
    packed = zlib.compress(bytes(profile), 9)
    edits = [(start, start + old_len, packed), (length_obj.start(1), length_obj.end(1), str(len(packed)).encode())]
    return _rewrite(data, edits)


def _rewrite(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """``data`` with the byte ranges replaced (in order), the xref offsets and startxref moved."""
    edits = sorted(edits)
    xref = _XREF.search(data)
    startxref = data.rfind(b"startxref\n")
    if xref is None or startxref < 0 or any(end > xref.start() for _, end, _ in edits):
        raise ValueError("unexpected PDF layout")

    def moved(offset: int) -> int:
        return offset + sum(len(new) - (end - begin) for begin, end, new in edits if end <= offset)

    table_start, count = xref.end(), int(xref.group(1))
    rows = []
    for i in range(count):
        row = data[table_start + 20 * i : table_start + 20 * (i + 1)]
        offset, rest = int(row[:10]), row[10:]
        rows.append((b"%010d" % moved(offset) if rest[7:8] == b"n" else row[:10]) + rest)
    tail = data[table_start + 20 * count : startxref]
    out = bytearray()
    last = 0
    for begin, end, new in edits:
        out += data[last:begin] + new
        last = end
    out += data[last:table_start] + b"".join(rows) + tail
    out += b"startxref\n" + str(moved(xref.start() + 1)).encode() + b"\n%%EOF\n"
    return bytes(out)
