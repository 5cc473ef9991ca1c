"""The run folder: built under a temporary name, published in one rename.

A run never writes into an existing folder and never overwrites a file. If
anything fails before the rename, the temporary folder is removed and no
folder appears under the final name.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class RunFolderError(Exception):
    """The run folder cannot be made (exists already, not writable ...)."""


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = text.replace("ø", "o").replace("Ø", "O").replace("æ", "ae").replace("Æ", "AE")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "kjoring"


def next_numbered(base: Path, stem: str) -> Path:
    """``base/stem-001``, ``-002`` …: the first number not used yet."""
    pattern = re.compile(rf"^{re.escape(stem)}-(\d+)$")
    used = [int(m.group(1)) for p in base.glob(f"{stem}-*") if (m := pattern.match(p.name))] if base.is_dir() else []
    return base / f"{stem}-{(max(used) + 1 if used else 1):03d}"


@contextmanager
def staging(final: Path) -> Iterator[Path]:
    """Yield a temporary folder beside ``final``; publish it as ``final`` on success."""
    if final.exists():
        raise RunFolderError(f"Mappen {final} finnes fra før; en kjøring skriver aldri inn i en eksisterende mappe.")
    parent = final.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise RunFolderError(f"Kan ikke lage mappen {final}: {exc.strerror}.") from None
    try:
        yield tmp
        if final.exists():
            raise RunFolderError(f"Mappen {final} ble laget av noen andre mens kjøringen pågikk.")
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet, via a temporary name."""
    if path.exists():
        raise RunFolderError(f"Filen {path} finnes fra før og blir ikke overskrevet.")
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.link(tmp, path)  # fails if path appeared meanwhile: never overwrites
    os.unlink(tmp)


def copy_inputs(files: list[tuple[str, Path]], dest: Path) -> list[tuple[str, Path, str]]:
    """Byte copies into ``dest``; returns (role, original, name in dest)."""
    dest.mkdir()
    out = []
    used: set[str] = set()
    for role, src in files:
        name = "forrige-manifest.json" if role == "previous" else src.name
        if name in used:
            name = f"{role}-{name}"
        used.add(name)
        write_new(dest / name, src.read_bytes())
        out.append((role, src, name))
    return out


class _NewFile:
    def __init__(self, final: Path):
        self.final = final
        self.path = final.with_name(f".{final.name}.tmp")


@contextmanager
def new_file(out: Path | None, base: Path, stem: str, suffix: str) -> Iterator[_NewFile]:
    """A new file (never an existing one), written under a temporary name and published at the end.

    An Excel lock file (``~$name``) beside the target means the user has it open.
    """
    if out is None:
        base.mkdir(parents=True, exist_ok=True)
        n = 1
        while (base / f"{stem}-{n:03d}{suffix}").exists():
            n += 1
        out = base / f"{stem}-{n:03d}{suffix}"
    if out.with_name(f"~${out.name}").exists():
        raise RunFolderError(
            f"{out} er åpen i Excel (låsefilen ~${out.name} finnes). Lukk den, eller velg et annet navn med --out."
        )
    if out.exists():
        raise RunFolderError(f"Filen {out} finnes fra før og blir ikke overskrevet. Velg et annet navn med --out.")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RunFolderError(f"Kan ikke lage mappen {out.parent}: {exc.strerror}.") from None
    handle = _NewFile(out)
    try:
        yield handle
        os.link(handle.path, out)  # fails rather than overwrite if the name appeared meanwhile
    except FileExistsError:
        raise RunFolderError(f"Filen {out} ble laget av noen andre i mellomtiden.") from None
    finally:
        if handle.path.exists():
            handle.path.unlink()
