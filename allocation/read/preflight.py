"""Pre-flight: judge a workbook's bytes before python-calamine sees them.

python-calamine is fast, but it aborts the whole process on some malformed
files (an absurd used range) and reads error cells as blank. So no file
reaches it before :func:`preflight_bytes` has checked the real format, size,
zip entries and expanded size, and read every XML part once with a real XML
parser (:mod:`allocation.read.sheetxml`): DTDs refused, each sheet's used range
counted from its cells, error cells, per-cent formats, duplicate cells,
formulas without a stored value.
"""

from __future__ import annotations

import io
import itertools
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from ..model.findings import ERROR, Finding
from . import sheetfast, sheetxml
from .memo import Bounded
from .sheetxml import XmlProblem

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 2_000
MAX_EXPANDED_BYTES = 150 * 1024 * 1024
MAX_RATIO = 1_000  # expanded / compressed, for parts over 10 MB
MAX_LISTED = 20  # findings of one kind per sheet
FAST_CHUNKS = 32  # a worksheet part up to this many chunks (32 MB) may take the fast path
# The fast path's grammar costs ~8 ms to compile (once) and saves ~0.035 ms per KB against expat:
# a county's small sheets go by expat alone; a large sheet, or many forms, by the fast path.
FAST_FROM, _scanned = 256 * 1024, [0]  # the bytes of worksheet XML scanned so far in this process

_XML_PART = (".xml", ".rels", ".vml")
MEMO_BYTES = 16 * 1024 * 1024  # small parts whose verdict is remembered, by their exact bytes

_T = TypeVar("_T")


@dataclass
class SheetInfo:
    """What pre-flight saw in one worksheet's XML. Positions are 0-based."""

    name: str
    hidden: bool = False
    hidden_rows: list[int] = field(default_factory=list)
    hidden_cols: list[int] = field(default_factory=list)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    formulas_without_value: list[str] = field(default_factory=list)  # A1
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # error cells and their text
    percent: list[tuple[int, int]] = field(default_factory=list)  # numeric cells formatted as per cent
    rows: int = 0  # used range from A1, counted from the cells
    cols: int = 0


@dataclass
class Preflight:
    """The workbook as pre-flight read it: sheets by their exact name, and the defined names
    as (name, localSheetId or None, reference text)."""

    sheets: dict[str, SheetInfo] = field(default_factory=dict)
    defined_names: list[tuple[str, str | None, str]] = field(default_factory=list)


_SAVE_AS = "Åpne filen i Excel og velg Lagre som → Excel-arbeidsbok (.xlsx)."
_RESAVE = "Åpne den i Excel og lagre på nytt, eller be om en ny kopi."
_FORMATS = {
    "encrypted": (
        "file.encrypted",
        "Arbeidsboka er passordbeskyttet (kryptert) og kan ikke leses.",
        "Åpne den i Excel, fjern passordet (Fil → Info → Beskytt arbeidsbok), og lagre.",
    ),
    "xls": ("file.xls", "Filen er i det gamle .xls-formatet.", _SAVE_AS),
    "ods": ("file.ods", "Filen er et OpenDocument-regneark (.ods).", _SAVE_AS),
    "html": ("file.html", "Filen er en nettside (HTML) lagret med Excel-navn, ikke en arbeidsbok.", _SAVE_AS),
    "xml2003": ("file.xml2003", "Filen er et XML-regneark fra Excel 2003.", _SAVE_AS),
    "csv": (
        "file.csv",
        "Filen er ren tekst (CSV eller lignende), ikke en Excel-arbeidsbok.",
        "Åpne filen i Excel, kontroller kolonnene, og lagre som Excel-arbeidsbok (.xlsx).",
    ),
    "unknown": ("file.not_xlsx", "Filen er ikke en Excel-arbeidsbok (.xlsx).", _SAVE_AS),
}
_FIXES = {
    "file.range": "Slett tomme rader og kolonner nederst og til høyre, og lagre.",
    "file.dtd": "Åpne og lagre filen i Excel, eller be avsender om en vanlig .xlsx.",
    "file.corrupt": _RESAVE,
}
_OLE_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def preflight_bytes(data: bytes, display: str) -> tuple[list[Finding], Preflight]:
    """Check a workbook's bytes before any parser sees them.

    Returns errors (an empty list means the bytes are safe to hand python-calamine)
    and what was seen in the workbook.
    """

    def bad(code: str, message: str, fix: str) -> tuple[list[Finding], Preflight]:
        return [Finding(code, ERROR, message, file=display, fix=fix)], Preflight()

    if len(data) > MAX_FILE_BYTES:
        return bad(*too_large(len(data)))
    if not data:
        return bad("file.empty", "Filen er tom (0 byte).", "Lagre arbeidsboka på nytt fra Excel.")
    kind = _sniff(data)
    if kind != "xlsx":
        return bad(*_FORMATS[kind])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return _check_zip(zf, display, data)
    except XmlProblem as exc:
        return [_finding(exc, display, "")], Preflight()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, ValueError, RuntimeError) as exc:
        return bad("file.corrupt", f"Arbeidsboka er skadet og kan ikke leses ({exc}).", _RESAVE)
    except NotImplementedError as exc:
        return bad("file.corrupt", f"Arbeidsboka er skadet og kan ikke leses ({exc}).", _RESAVE)


def too_large(size: int) -> tuple[str, str, str]:
    return (
        "file.too_large",
        f"Filen er {size // (1024 * 1024)} MB, over grensen på {MAX_FILE_BYTES // (1024 * 1024)} MB.",
        "Fjern ark og data som ikke hører til.",
    )


def _finding(exc: XmlProblem, display: str, sheet: str) -> Finding:
    message = exc.message
    if exc.code == "file.range":
        message = f"Arket «{sheet}»: {message}" if sheet else message[:1].upper() + message[1:]
    elif exc.code == "file.corrupt":
        where = f"i arket «{sheet}» " if sheet else ""
        message = f"Arbeidsboka er skadet {where}og kan ikke leses: {message}"
    return Finding(
        exc.code,
        ERROR,
        message,
        file=display,
        sheet=sheet if exc.code != "file.dtd" else "",
        cell=exc.cell,
        value=exc.value,
        fix=_FIXES.get(exc.code, _RESAVE),
    )


def _sniff(data: bytes) -> str:
    """The file's real format by its first bytes."""
    head = data[:512]
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "encrypted" if _OLE_ENCRYPTED in data else "xls"
    if head.startswith(b"PK\x03\x04"):
        if b"mimetypeapplication/vnd.oasis.opendocument" in head:
            return "ods"
        return "xlsx"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<html", b"<!doctype html", b"<table", b"<meta")):
        return "html"
    if text.startswith(b"<?xml"):
        return "html" if b"<html" in text else "xml2003"
    try:
        head.decode("utf-8")
        printable = True
    except UnicodeDecodeError:
        printable = all(b >= 9 for b in head[:256])
    return "csv" if printable and head else "unknown"


def _chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    with zf.open(info) as fh:
        while chunk := fh.read(sheetxml.CHUNK):
            yield chunk


_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # a zip entry's local file header, as zipfile reads it
_PLAIN_FLAGS = 0x1 | 0x20 | 0x40  # encrypted, patched or strongly encrypted: left to zipfile


def _small_part(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """A small stored or deflated part's bytes straight from the archive's bytes, when they are
    exactly what ``zipfile`` would yield (local header and name agree, size and CRC-32 check
    out); otherwise None, and ``zipfile`` reads it (and reports whatever is wrong)."""
    raw = _packed_part(data, info)
    return None if raw is None else _unpack(raw, info)


def _packed_part(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """A small stored or deflated part's bytes as packed in the archive, when its local header
    and name agree with the central directory; otherwise None."""
    if info.file_size > sheetxml.CHUNK or info.flag_bits & _PLAIN_FLAGS:
        return None
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return None
    start = info.header_offset
    try:
        head = _LOCAL_HEADER.unpack_from(data, start)
    except struct.error:
        return None
    if head[0] != b"PK\x03\x04":
        return None
    name_end = start + _LOCAL_HEADER.size + head[10]
    try:
        name = data[start + _LOCAL_HEADER.size : name_end].decode("utf-8" if info.flag_bits & 0x800 else "cp437")
    except UnicodeDecodeError:
        return None
    if name != info.orig_filename:
        return None
    begin = name_end + head[11]
    raw = data[begin : begin + info.compress_size]
    return raw if len(raw) == info.compress_size else None


def _unpack(raw: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """The packed bytes unpacked, when size and CRC-32 check out; otherwise None."""
    if info.compress_type == zipfile.ZIP_STORED:
        out = raw[: info.file_size]
    else:
        try:
            out = zlib.decompressobj(-15).decompress(raw, info.file_size)
        except zlib.error:
            return None
    if len(out) != info.file_size or zlib.crc32(out) != info.CRC:
        return None
    return out


def _one(chunk: bytes) -> Iterator[bytes]:
    if chunk:
        yield chunk


class _Parts:
    """The zip's parts by name, each to be read once; names as python-calamine finds them."""

    def __init__(self, zf: zipfile.ZipFile, data: bytes = b""):
        self.zf = zf
        self.data = data
        self.by_name = {i.filename: i for i in zf.infolist()}
        self.by_fold = {name.casefold(): info for name, info in self.by_name.items()}
        self.done: set[str] = set()

    def get(self, name: str) -> zipfile.ZipInfo | None:
        return self.by_name.get(name) or self.by_fold.get(name.casefold())

    def take(self, name: str) -> Iterator[bytes] | None:
        info = self.get(name)
        if info is None:
            return None
        self.done.add(info.filename)
        return self.chunks(info)

    def chunks(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        small = _small_part(self.data, info) if self.data else None
        return _one(small) if small is not None else _chunks(self.zf, info)

    def scan(self, name: str, scan: Callable[[Iterable[bytes]], _T]) -> tuple[_T] | None:
        """``(scan(part's chunks),)`` for the part ``name`` (marked read), or None without it.
        A small part read straight from the archive's bytes goes through the memo."""
        info = self.get(name)
        if info is None:
            return None
        self.done.add(info.filename)
        return (self.scan_info(info, scan),)

    def scan_info(self, info: zipfile.ZipInfo, scan: Callable[[Iterable[bytes]], _T]) -> _T:
        raw = _packed_part(self.data, info) if self.data else None
        if raw is None:
            return scan(_chunks(self.zf, info))
        # the same packed bytes, method, size and CRC-32 unpack to the same bytes: the same verdict
        packed = (info.compress_type, info.file_size, info.CRC, raw)
        kept = memo.packed(scan, packed)
        if kept is not None:
            return kept[0]
        small = _unpack(raw, info)
        if small is None:
            return scan(_chunks(self.zf, info))
        result = memo(scan, small)
        memo.keep_packed(scan, packed, result)
        return result


class _Memo:
    """Verdicts on small parts by their exact bytes: the forms of one county are made from one
    template, so their theme, styles, workbook and relationship parts are byte-identical. Only a
    clean verdict is kept (a part that raises is judged afresh every time), the key holds the
    whole part (a changed byte is a different key) and the scanner, and the kept bytes are bounded.
    A verdict is also kept by the part as packed in the archive (method, size, CRC-32 and the packed
    bytes, which unpack to one and the same part): a part found again that way is not unpacked."""

    def __init__(self, limit: int):
        self.kept: Bounded[object] = Bounded(limit)  # by (scanner, part) and by (scanner, packed part)

    def __call__(self, scan: Callable[[Iterable[bytes]], _T], data: bytes) -> _T:
        found = self.kept.get((scan, data))
        if found is not None:
            return found[0]  # type: ignore[return-value]
        result = scan(_one(data))
        self.kept.keep((scan, data), result, len(data))
        return result

    def packed(self, scan: Callable[[Iterable[bytes]], _T], packed: tuple[int, int, int, bytes]) -> tuple[_T] | None:
        """The verdict kept for a part by its packed bytes (the cheaper key: nothing to unpack)."""
        return self.kept.get((scan, packed))  # type: ignore[return-value]

    def keep_packed(
        self, scan: Callable[[Iterable[bytes]], _T], packed: tuple[int, int, int, bytes], result: _T
    ) -> None:
        """Keep a clean verdict (one that came back, not raised) by the part's packed bytes."""
        self.kept.keep((scan, packed), result, len(packed[3]))


memo = _Memo(MEMO_BYTES)


def _check_zip(zf: zipfile.ZipFile, display: str, data: bytes = b"") -> tuple[list[Finding], Preflight]:
    def bad(code: str, message: str, fix: str) -> tuple[list[Finding], Preflight]:
        return [Finding(code, ERROR, message, file=display, fix=fix)], Preflight()

    infos = zf.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        return bad(
            "file.zip_entries",
            f"Arbeidsboka har {len(infos)} deler, mer enn en vanlig arbeidsbok.",
            "Lagre arbeidsboka på nytt fra Excel.",
        )
    if sum(i.file_size for i in infos) > MAX_EXPANDED_BYTES or any(
        i.compress_size and i.file_size / i.compress_size > MAX_RATIO and i.file_size > 10_000_000 for i in infos
    ):
        return bad(
            "file.zip_bomb",
            "Arbeidsboka blir urimelig stor når den pakkes ut.",
            "Lagre arbeidsboka på nytt fra Excel, uten unødvendige data.",
        )
    if len({i.filename.casefold() for i in infos}) < len(infos):
        twice = sorted(
            {i.filename for i in infos if sum(j.filename.casefold() == i.filename.casefold() for j in infos) > 1}
        )
        return bad(
            "file.corrupt",
            f"Arbeidsboka er skadet: delen «{twice[0]}» finnes to ganger i filen.",
            _RESAVE,
        )
    names = {i.filename for i in infos}
    if "mimetype" in names and b"opendocument" in zf.open("mimetype").read(200):
        return bad(*_FORMATS["ods"])
    parts = _Parts(zf, data)
    if parts.get("xl/workbook.xml") is None:
        return bad(
            "file.not_xlsx",
            "Filen er en zip-fil, men ikke en Excel-arbeidsbok.",
            "Lagre filen som Excel-arbeidsbok (.xlsx).",
        )
    return _check_parts(parts, display)


def _target(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base, target))


def _check_parts(parts: _Parts, display: str) -> tuple[list[Finding], Preflight]:
    rels = (parts.scan("xl/_rels/workbook.xml.rels", _scan_rels) or ((),))[0]
    targets = {rid: _target("xl", target) for rid, _, target in rels}
    by_type = {kind.rpartition("/")[2]: _target("xl", target) for _, kind, target in rels}
    workbook = (parts.scan("xl/workbook.xml", _scan_workbook) or (_scan_workbook(()),))[0]
    percent = (parts.scan(by_type.get("styles", "xl/styles.xml"), sheetxml.scan_styles) or (frozenset(),))[0]
    parts.scan(by_type.get("sharedStrings", "xl/sharedStrings.xml"), sheetxml.scan_shared_strings)

    result = Preflight(defined_names=list(workbook[1]))
    budget = sheetxml.Budget(sheetxml.MAX_SHEET_TAGS, "arbeidsboka")
    findings: list[Finding] = []
    seen_names: set[str] = set()
    for name, state, rid in workbook[0]:
        if name in seen_names:
            raise XmlProblem("file.corrupt", f"to ark heter «{name}».")
        seen_names.add(name)
        chunks = parts.take(targets.get(rid, ""))
        if chunks is None:
            continue  # a chart sheet, or a sheet python-calamine cannot find either
        try:
            scan = _scan_sheet(chunks, percent, budget)
        except XmlProblem as exc:
            return [_finding(exc, display, name)], Preflight()
        findings += _cell_findings(scan, display, name)
        result.sheets[name] = SheetInfo(
            name,
            hidden=state != "visible",
            hidden_rows=scan.hidden_rows,
            hidden_cols=scan.hidden_cols,
            merged=scan.merged,
            formulas_without_value=scan.formulas_without_value,
            errors=scan.errors,
            percent=scan.percent,
            rows=scan.rows,
            cols=scan.cols,
        )
    for name, info in parts.by_name.items():
        if name not in parts.done and _is_xml(name):
            parts.scan_info(info, sheetxml.check_part)
    return findings, result


def _scan_rels(chunks: Iterable[bytes]) -> tuple[tuple[str, str, str], ...]:
    return tuple(sheetxml.scan_rels(chunks))


def _scan_workbook(
    chunks: Iterable[bytes],
) -> tuple[tuple[tuple[str, str, str], ...], tuple[tuple[str, str | None, str], ...]]:
    """The workbook part's sheets and defined names, as tuples (a remembered verdict is shared)."""
    part = sheetxml.scan_workbook(chunks)
    return tuple(part.sheets), tuple(part.names)


def _scan_sheet(chunks: Iterator[bytes], percent: frozenset[str], budget: sheetxml.Budget) -> sheetxml.SheetScan:
    """A worksheet part, by the fast path when it is proven canonical, else by the expat pass
    over the same chunks (so that it sees exactly what streaming would have shown it)."""
    read: list[bytes] = []
    try:
        for chunk in chunks:
            read.append(chunk)
            if len(read) > FAST_CHUNKS:
                break
    except Exception as exc:  # a damaged zip entry: fail where streaming would have failed
        return sheetxml.scan_sheet(_replay(read, exc), percent, budget)
    if len(read) > FAST_CHUNKS:
        return sheetxml.scan_sheet(itertools.chain(read, chunks), percent, budget)
    data = read[0] if len(read) == 1 else b"".join(read)
    _scanned[0] += len(data)
    if _scanned[0] < FAST_FROM:
        return sheetxml.scan_sheet(read, percent, budget)
    scan = sheetfast.scan_sheet_fast(data, percent, budget)
    return scan if scan is not None else sheetxml.scan_sheet(read, percent, budget)


def _replay(chunks: list[bytes], exc: Exception) -> Iterator[bytes]:
    yield from chunks
    raise exc


def _is_xml(name: str) -> bool:
    return name.casefold().endswith(_XML_PART)


def _cell_findings(scan: sheetxml.SheetScan, display: str, sheet: str) -> list[Finding]:
    """Cells whose value the reader cannot know as the user sees it."""
    where = {"file": display, "sheet": sheet}
    out = [
        Finding(
            "sheet.duplicate_cell",
            ERROR,
            f"Cellen {ref} står mer enn én gang i filen, med hver sin verdi; det er ikke sikkert hvilken som vises.",
            **where,
            cell=ref,
            value=ref,
            fix="Åpne filen i Excel, kontroller cellen, og lagre på nytt.",
        )
        for ref in scan.duplicates[:MAX_LISTED]
    ]
    out += [
        Finding(
            "sheet.empty_value",
            ERROR,
            "Cellen har et tomt verdifelt, som Excel ikke lagrer; det er ikke sikkert hva som vises.",
            **where,
            cell=ref,
            fix="Åpne filen i Excel, skriv verdien i cellen på nytt, og lagre.",
        )
        for ref in scan.empty_values[:MAX_LISTED]
    ]
    out += [
        Finding(
            "sheet.bad_number",
            ERROR,
            f"Cellen har «{text}», som ikke er et tall Excel kan vise.",
            **where,
            cell=ref,
            value=text,
            fix="Skriv tallet med sifre i cellen i Excel, og lagre.",
        )
        for ref, text in scan.bad_numbers[:MAX_LISTED]
    ]
    return out
