"""Reading many files on two processors: a helper process reads the second half.

Reading 1 000 application forms takes about 0.6 s of pre-flight, python-calamine and parsing,
all of it holding the interpreter's lock, so threads gain nothing. Where the machine has a
second processor (on Linux, where a process can be copied with ``fork``), a copy of this
process reads the second half of the files while this one reads the first. Its results come
back pickled, through a pipe, and are put after this process's own, in the files' order.

The helper can save time; it cannot change a result:

- both halves are read by the same function from the same bytes: the helper is a copy of this
  process, the run's snapshot of the input files included, and reads no file the run has not
  (the caller closes the helper's snapshot);
- whatever goes wrong with the helper (an exception, a crash, a result that does not unpickle,
  no answer in time), this process reads the helper's half itself, as it would have without a
  helper. An error in a file is then found and reported the same way.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import struct
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items one process reads them: a fork of a run's process (about 150 MB)
# costs a few milliseconds, a form about 0.6 ms.
MIN_ITEMS = 64
# How long to wait for the helper once this process is done with its own half: this many
# times as long as that half took, and at least WAIT_MIN seconds. A helper that is slower
# still is stopped and its half read here.
WAIT_FACTOR = 4.0
WAIT_MIN = 2.0


def processors() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def helper_possible(count: int) -> bool:
    """Whether ``count`` items are worth a helper here: enough of them, Linux, two processors."""
    return count >= MIN_ITEMS and sys.platform.startswith("linux") and hasattr(os, "fork") and processors() >= 2


def map_in_order(
    func: Callable[[T], R],
    items: Sequence[T],
    before: Callable[[int, T], None] | None = None,
    in_helper: Callable[[], None] | None = None,
) -> list[R]:
    """``[func(item) for item in items]``, the second half read by a helper where possible.

    ``before(i, item)`` (i counted from 1) is called before each item's result is taken, in
    the items' order: before this process reads its own, and as the helper's come in.
    ``in_helper()`` is called first thing in the helper (e.g. to forbid it what only this
    process may do).
    """
    if not helper_possible(len(items)):
        return [_one(func, i, item, before) for i, item in enumerate(items, start=1)]
    half = (len(items) + 1) // 2
    helper: _Helper[T, R] = _Helper(func, items[half:], in_helper)
    try:
        helper.start()
        started = time.monotonic()
        out = [_one(func, i, item, before) for i, item in enumerate(items[:half], start=1)]
        theirs = helper.results(max(WAIT_MIN, WAIT_FACTOR * (time.monotonic() - started)))
    finally:
        helper.stop()
    for i, item in enumerate(items[half:], start=half + 1):
        if theirs is None:
            out.append(_one(func, i, item, before))
        else:
            if before is not None:
                before(i, item)
            out.append(theirs[i - half - 1])
    return out


def _one(func: Callable[[T], R], i: int, item: T, before: Callable[[int, T], None] | None) -> R:
    if before is not None:
        before(i, item)
    return func(item)


_SIZE = struct.Struct("<Q")  # the length of the helper's pickled results, sent first


class _Helper(Generic[T, R]):
    """A forked copy of this process computing ``[func(item) for item in items]``."""

    def __init__(self, func: Callable[[T], R], items: Sequence[T], in_helper: Callable[[], None] | None):
        self.func, self.items, self.in_helper = func, items, in_helper
        self.pid: int | None = None
        self.fd: int | None = None

    def start(self) -> None:
        """Fork. Ctrl-C is held back until the helper is known here (so that ``stop`` ends it),
        and for good in the helper, which this process ends when it is interrupted."""
        try:
            read_end, write_end = os.pipe()
        except OSError:  # no descriptors left: no helper
            return
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            with warnings.catch_warnings():
                # Python 3.12+ warns when a process with other threads forks: a lock held by one
                # of them stays locked in the copy. The copy here runs only the reader (Python,
                # pre-flight's expat and zlib, python-calamine), none of which waits on another
                # thread, and leaves through os._exit.
                warnings.simplefilter("ignore", DeprecationWarning)
                pid = os.fork()
            if pid == 0:  # the helper: never returns
                _work(self.func, self.items, self.in_helper, read_end, write_end)
            self.pid, self.fd = pid, read_end
        except OSError:  # no process could be made: no helper
            os.close(read_end)
        finally:
            os.close(write_end)
            signal.pthread_sigmask(signal.SIG_SETMASK, held)

    def results(self, timeout: float) -> list[R] | None:
        """The helper's results, or None if it failed or did not answer within ``timeout`` s."""
        if self.fd is None:  # never started
            return None
        deadline = time.monotonic() + timeout
        head = self._read(_SIZE.size, deadline)
        if head is None:
            return None
        data = self._read(_SIZE.unpack(head)[0], deadline)
        if data is None:
            return None
        try:
            got = pickle.loads(data)  # from our own copy, through our own pipe
        except Exception:
            return None
        finally:
            del data
        return got if isinstance(got, list) and len(got) == len(self.items) else None

    def _read(self, size: int, deadline: float) -> bytearray | None:
        """Exactly ``size`` bytes from the helper, or None (it ended first, or time ran out)."""
        assert self.fd is not None
        buffer = bytearray(size)
        view, got = memoryview(buffer), 0
        poller = select.poll()  # (select() fails for a descriptor above 1023)
        poller.register(self.fd, select.POLLIN)
        while got < size:
            left = deadline - time.monotonic()
            if left <= 0 or not poller.poll(left * 1000):
                return None
            n = os.readv(self.fd, [view[got:]])
            if n == 0:
                return None
            got += n
        return buffer

    def stop(self) -> None:
        """End the helper if it still runs, and let go of it."""
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                os.waitpid(self.pid, 0)
            except ChildProcessError:  # already reaped (SIGCHLD ignored, or another's reaper)
                pass
            self.pid = None
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _work(
    func: Callable[[T], R],
    items: Sequence[T],
    in_helper: Callable[[], None] | None,
    read_end: int,
    write_end: int,
) -> None:
    """The helper's whole life: compute, send, leave. No exit handler, no exception and no
    buffered output of the process it was copied from runs or is written here: whatever
    happens, it ends in os._exit. It sends its results only once they are all computed, so
    a helper that fails sends nothing whole."""
    status = 1
    try:
        os.close(read_end)
        if in_helper is not None:
            in_helper()
        data = pickle.dumps([func(item) for item in items], protocol=pickle.HIGHEST_PROTOCOL)
        for piece in (_SIZE.pack(len(data)), data):
            view = memoryview(piece)
            while view:
                view = view[os.write(write_end, view) :]
        status = 0
    finally:
        os._exit(status)
