"""The run folder: built under a temporary name, published in one rename.

A run never writes into an existing folder and never overwrites a file. If
anything fails before the rename, the temporary folder is removed and no
folder appears under the final name.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..read.snapshot import Snapshot


class RunFolderError(Exception):
    """The run folder cannot be made (exists already, not writable ...)."""


_CLAIM_SUFFIX = ".tmp"


def next_numbered(base: Path, stem: str) -> Path:
    """``base/stem-001``, ``-002`` …: the first number no folder, scenario folder or run
    being written (its staging folder ``.stem-NNN.tmp``) uses yet."""
    return base / f"{stem}-{_first_free(base, stem):03d}"


def _first_free(base: Path, stem: str) -> int:
    pattern = re.compile(rf"^\.?{re.escape(stem)}-(\d+)(?:[-.].*)?$")
    used = [int(m.group(1)) for p in base.iterdir() if (m := pattern.match(p.name))] if base.is_dir() else []
    return max(used) + 1 if used else 1


class Staged:
    """A folder being written (``path``) and the name it is published under (``final``)."""

    def __init__(self, path: Path, final: Path):
        self.path, self.final = path, final

    def publish(self) -> None:
        if self.final.exists():
            raise RunFolderError(f"Mappen {self.final} ble laget av noen andre mens kjøringen pågikk.")
        try:
            os.rename(self.path, self.final)
        except OSError as exc:  # appeared in between (not empty), or the disk refused
            raise RunFolderError(f"Kan ikke publisere mappen {self.final}: {exc.strerror}.") from None

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _new_dir(path: Path) -> bool:
    """Make ``path`` (permissions from the user's umask, like any new folder); False if it exists."""
    try:
        os.mkdir(path)
    except FileExistsError:
        return False
    return True


def _stage_beside(final: Path) -> Staged:
    """A fresh staging folder next to ``final``, with a name no one else uses."""
    if final.exists():
        raise RunFolderError(f"Mappen {final} finnes fra før; en kjøring skriver aldri inn i en eksisterende mappe.")
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        while not _new_dir(tmp := final.parent / f".{final.name}.{secrets.token_hex(4)}{_CLAIM_SUFFIX}"):
            pass
    except OSError as exc:
        raise RunFolderError(f"Kan ikke lage mappen {final}: {exc.strerror}.") from None
    return Staged(tmp, final)


def claim(out: Path | None, base: Path, stem: str) -> Staged:
    """A staging folder for a new run folder: ``out``, or the next free ``base/stem-NNN``.

    The numbered name is claimed atomically: the staging folder ``.stem-NNN.tmp`` is made
    with ``mkdir``, which only one process can do, and ``next_numbered`` counts it as used.
    So runs started at the same moment each get their own number.
    """
    if out is not None:
        return _stage_beside(out)
    try:
        base.mkdir(parents=True, exist_ok=True)
        n = _first_free(base, stem)
        while True:
            final = base / f"{stem}-{n:03d}"
            tmp = base / f".{final.name}{_CLAIM_SUFFIX}"
            if not final.exists() and _new_dir(tmp):
                if not final.exists():
                    return Staged(tmp, final)
                os.rmdir(tmp)
            n = max(n + 1, _first_free(base, stem))
    except OSError as exc:
        raise RunFolderError(f"Kan ikke lage en ny mappe i {base}: {exc.strerror}.") from None


def sibling(first: Staged, suffix: str) -> Staged:
    """A staging folder for ``<first's final name>-<suffix>`` (a scenario beside its base run)."""
    return _stage_beside(first.final.with_name(f"{first.final.name}-{suffix}"))


@contextmanager
def publishing(folders: list[Staged]) -> Iterator[list[Staged]]:
    """Publish every folder when the block ends without error; otherwise, or if one of them
    cannot be published, none: staging folders are removed and those already published too."""
    done: list[Staged] = []
    try:
        yield folders
        for f in folders:
            f.publish()
            done.append(f)
    except BaseException:
        for f in done:
            shutil.rmtree(f.final, ignore_errors=True)
        for f in folders:
            f.discard()
        raise


@contextmanager
def staging(final: Path) -> Iterator[Path]:
    """Yield a temporary folder beside ``final``; publish it as ``final`` on success."""
    staged = _stage_beside(final)
    with publishing([staged]):
        yield staged.path


def write_new(path: Path, data: bytes, sync: bool = True) -> None:
    """Write a file that must not exist yet, inside a staging folder (:func:`claim`, :func:`staging`):
    the exclusive create never overwrites, and a file cut short by a failure is never seen, as the
    folder is published whole or not at all. With ``sync`` False the caller syncs it (see
    :func:`sync_files`), with others, in one pass."""
    try:
        fd = os.open(path, _NEW_FILE, 0o666)  # exclusive: fails if the name exists
    except FileExistsError:
        raise RunFolderError(f"Filen {path} finnes fra før og blir ikke overskrevet.") from None
    try:
        try:
            view = memoryview(data)
            while view:  # a write may take only part of it
                view = view[os.write(fd, view) :]
            if sync:
                os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


MANY_FILES = 32  # from here on one system-wide sync is cheaper than one fsync per file


def sync_files(paths: list[Path]) -> None:
    """Bring files already written (and the folders naming them) to disk in one pass: one ``sync`` of
    everything written (one journal commit) where the system has it, rather than one
    ``fsync`` per file (about 0.6 ms each: 0.6 s for 1 000 application forms)."""
    if not paths:
        return
    if len(paths) >= MANY_FILES and hasattr(os, "sync"):
        os.sync()  # costs what the whole system has unwritten: worth it only for many files
        return
    for path in paths:  # a county's few inputs, or Windows (no sync of everything): flush each file
        with open(path, "rb+") as fh:
            os.fsync(fh.fileno())


COPY_NAMES = {"earlier": "tidligere-vedtak-{}-manifest.json", "first_round": "forste-runde-manifest.json"}


def copy_inputs(
    files: list[tuple[str, Path]], dest: Path, snapshot: Snapshot | None = None
) -> list[tuple[str, Path, str, str]]:
    """Byte copies into ``dest`` of the bytes the run read (``snapshot``); returns
    (role, original, name in dest, SHA-256 of the bytes written), hashed from the bytes
    held in memory rather than read back from the copy."""
    read = snapshot.read if snapshot is not None else Path.read_bytes
    dest.mkdir()
    out: list[tuple[str, Path, str, str]] = []
    used: set[str] = set()
    for role, src in files:
        name = {"previous": "forrige-manifest.json", "reported_run": "rapportert-manifest.json"}.get(role, src.name)
        if role in COPY_NAMES:  # an earlier run folder's manifest: numbered in the order named
            name = COPY_NAMES[role].format(sum(r == role for r, _ in files[: len(out)]) + 1)
        if name in used:
            name = f"{role}-{name}"
        used.add(name)
        data = read(src)
        write_new(dest / name, data, sync=False)
        out.append((role, src, name, hashlib.sha256(data).hexdigest()))
    sync_files([dest / name for _, _, name, _ in out])
    return out


class _NewFile:
    """A file being written under a temporary name beside ``final``, published at the end."""

    def __init__(self, final: Path):
        self.final = final
        self.path = final.with_name(f".{final.name}.{secrets.token_hex(4)}.tmp")  # no two writers share it


@contextmanager
def new_file(out: Path | None, base: Path, stem: str, suffix: str) -> Iterator[_NewFile]:
    """A new file (never an existing one), written under a temporary name and published at the end.

    An Excel lock file (``~$name``) beside the target means the user has it open.
    """
    numbered = out is None
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
        while True:
            try:
                os.link(handle.path, handle.final)  # fails rather than overwrite if the name appeared meanwhile
                break
            except FileExistsError:
                if not numbered:
                    raise RunFolderError(f"Filen {handle.final} ble laget av noen andre i mellomtiden.") from None
                n += 1  # another run took this number meanwhile: take the next
                handle.final = base / f"{stem}-{n:03d}{suffix}"
    finally:
        if handle.path.exists():
            handle.path.unlink()
