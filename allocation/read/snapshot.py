"""Each input's bytes, read once per run.

A run reads its configuration, counts, parameters, applications and the
previous run's manifest through one ``Snapshot``: the first read of a file
keeps its bytes, and every later use (the numbers, the copy in ``inputs/``,
its hash) gets those same bytes. A user saving a file while the run is going
can then never make the copy differ from what the numbers came from.

Readers call ``read_bytes(path)``; it uses the snapshot that ``prepare`` made
current, or reads the file directly when there is none (a reader used on its
own, e.g. from a notebook).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path


def _read_file(path: Path) -> bytes:
    """The one place a snapshot touches the disk (tests wrap it to change files mid-run)."""
    return path.read_bytes()


class SnapshotClosed(Exception):
    """A file was to be read through a snapshot that reads no more files (the helper process
    reading applications: a file the run itself has not read must not be read there)."""


class Snapshot:
    """path -> bytes, each file read at most once."""

    def __init__(self) -> None:
        self._files: dict[str, bytes] = {}
        self._real: dict[str | Path, str] = {}  # each absolute path as given, resolved once
        self._folders: dict[str, str] = {}  # each absolute folder of such a path, resolved once
        self.closed = False  # True: no file is read any more (a copy of the process reads only what it has)

    def _key(self, path: str | Path) -> str:
        key = self._real.get(path)
        if key is None:
            key = self._resolve(path)
            if os.path.isabs(path):  # a relative path follows the working folder
                self._real[path] = key
        return key

    def _resolve(self, path: str | Path) -> str:
        """``os.path.realpath(path)``: for a name in a folder that is no link itself, the folder's
        real path (resolved once for all the files in it: a thousand forms in one folder) and the
        name, as ``realpath`` resolves a path one part after the other."""
        folder, name = os.path.split(path)
        if name in ("", ".", "..") or os.path.islink(path):
            return os.path.realpath(path)
        real = self._folders.get(folder)
        if real is None:
            real = os.path.realpath(folder)
            if os.path.isabs(folder):
                self._folders[folder] = real
        return os.path.join(real, name)

    def real_path(self, path: str | Path) -> str:
        """The real path of ``path``, by which the snapshot knows the file."""
        return self._key(path)

    def read(self, path: str | Path) -> bytes:
        key = self._key(path)
        data = self._files.get(key)
        if data is None:
            if self.closed:
                raise SnapshotClosed(str(path))
            data = _read_file(Path(path))
            self._files[key] = data
        return data

    def __contains__(self, path: str | Path) -> bool:
        return self._key(path) in self._files


_current: ContextVar[Snapshot | None] = ContextVar("allocation_snapshot", default=None)


@contextmanager
def using(snapshot: Snapshot) -> Iterator[Snapshot]:
    """Make ``snapshot`` the one ``read_bytes`` uses, for the duration of the block."""
    token = _current.set(snapshot)
    try:
        yield snapshot
    finally:
        _current.reset(token)


def active() -> bool:
    """Whether a snapshot is current (reads go through it)."""
    return _current.get() is not None


def has(path: str | Path) -> bool:
    """Whether the current snapshot holds the file's bytes already."""
    snapshot = _current.get()
    return snapshot is not None and path in snapshot


def close_current() -> None:
    """From now on the current snapshot reads no file it does not hold."""
    snapshot = _current.get()
    if snapshot is not None:
        snapshot.closed = True


def real_path(path: str | Path) -> str:
    """``os.path.realpath(path)``, through the current snapshot when there is one (which then
    knows the path when the file is read)."""
    snapshot = _current.get()
    return snapshot.real_path(path) if snapshot is not None else os.path.realpath(path)


def read_bytes(path: str | Path) -> bytes:
    """A file's bytes: from the current snapshot (read once), or from disk when there is none."""
    snapshot = _current.get()
    return snapshot.read(path) if snapshot is not None else _read_file(Path(path))
