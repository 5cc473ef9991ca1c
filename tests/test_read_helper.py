"""The helper process that reads the second half of many files: the same results, whatever it does.

A helper is a forked copy of the process (Linux, two processors). It may only save time: its
results must be exactly those one process would have, in the same order, and any failure of
the helper (an exception, a crash, a result that cannot be sent, no answer) must leave the
work to the process itself.
"""

from __future__ import annotations

import faulthandler
import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from allocation.read import helper, snapshot
from allocation.read.applications import read_applications
from allocation.write.templates import write_form

from .conftest import ROOT, write_xlsx

needs_helper = pytest.mark.skipif(not helper.helper_possible(10**6), reason="no second processor or no fork here")
PARENT = os.getpid()


@pytest.fixture
def small(monkeypatch):
    """A helper for as few as four items."""
    monkeypatch.setattr(helper, "MIN_ITEMS", 4)


def _square_and_who(x: int) -> tuple[int, int]:
    return x * x, os.getpid()


def _gone(pid: int) -> bool:
    return not Path(f"/proc/{pid}").exists()


@needs_helper
def test_the_helper_reads_the_second_half_in_order(small) -> None:
    got = helper.map_in_order(_square_and_who, list(range(11)))
    assert [v for v, _ in got] == [x * x for x in range(11)]
    whose = [pid for _, pid in got]
    assert set(whose[:6]) == {PARENT}  # this process: the first half (6 of 11)
    assert len(set(whose[6:])) == 1 and whose[6] != PARENT  # one helper: the rest
    assert _gone(whose[6])  # and it was waited for


@needs_helper
def test_before_is_called_for_every_item_in_order(small) -> None:
    seen: list[tuple[int, int]] = []
    helper.map_in_order(_square_and_who, list(range(100, 109)), lambda i, item: seen.append((i, item)))
    assert seen == [(i, 99 + i) for i in range(1, 10)]


def test_few_items_need_no_helper() -> None:
    got = helper.map_in_order(_square_and_who, list(range(helper.MIN_ITEMS - 1)))
    assert {pid for _, pid in got} == {PARENT}


def _fails_in_helper(x: int) -> tuple[int, int]:
    if os.getpid() != PARENT:
        raise RuntimeError("helper fails")
    return _square_and_who(x)


def _dies_in_helper(x: int) -> tuple[int, int]:
    if os.getpid() != PARENT:
        os._exit(0)  # ends without sending anything, with a status that says all is well
    return _square_and_who(x)


def _aborts_in_helper(x: int) -> tuple[int, int]:
    if os.getpid() != PARENT:
        faulthandler.disable()  # (pytest's, which would print the helper's stack)
        os.abort()  # as a library's crash would
    return _square_and_who(x)


def _unsendable_in_helper(x: int):
    if os.getpid() != PARENT:
        return lambda: x  # cannot be pickled
    return _square_and_who(x)


@needs_helper
@pytest.mark.parametrize("func", [_fails_in_helper, _dies_in_helper, _aborts_in_helper, _unsendable_in_helper])
def test_whatever_goes_wrong_in_the_helper_this_process_does_its_half(small, func) -> None:
    got = helper.map_in_order(func, list(range(9)))
    assert got == [(x * x, PARENT) for x in range(9)]


def _hangs_in_helper(x: int) -> tuple[int, int]:
    if os.getpid() != PARENT:
        Path(os.environ["HELPER_PID_FILE"]).write_text(str(os.getpid()))
        time.sleep(20)
    return _square_and_who(x)


@needs_helper
def test_a_helper_that_does_not_answer_is_stopped(small, monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(helper, "WAIT_MIN", 0.5)
    monkeypatch.setattr(helper, "WAIT_FACTOR", 0.0)
    monkeypatch.setenv("HELPER_PID_FILE", str(tmp_path / "pid"))
    started = time.monotonic()
    got = helper.map_in_order(_hangs_in_helper, list(range(8)))
    assert got == [(x * x, PARENT) for x in range(8)]
    assert time.monotonic() - started < 30
    assert _gone(int((tmp_path / "pid").read_text()))


def _fails_here(x: int) -> int:
    if os.getpid() == PARENT and x == 1:
        raise ValueError("a bug of ours")
    if os.getpid() != PARENT:
        time.sleep(20)
    return x


@needs_helper
def test_an_error_in_this_process_stops_the_helper_and_is_raised(small, monkeypatch) -> None:
    forked: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    with pytest.raises(ValueError, match="a bug of ours"):
        helper.map_in_order(_fails_here, list(range(8)))
    assert len(forked) == 1 and _gone(forked[0])  # stopped and waited for


def _open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@needs_helper
def test_no_process_or_no_pipe_means_no_helper(small, monkeypatch) -> None:
    before = _open_descriptors()

    def no_fork() -> int:
        raise BlockingIOError("no more processes")

    monkeypatch.setattr(os, "fork", no_fork)
    assert helper.map_in_order(_square_and_who, list(range(9))) == [(x * x, PARENT) for x in range(9)]
    monkeypatch.undo()

    def no_pipe() -> tuple[int, int]:
        raise OSError(24, "Too many open files")

    monkeypatch.setattr(os, "pipe", no_pipe)
    assert helper.map_in_order(_square_and_who, list(range(9))) == [(x * x, PARENT) for x in range(9)]
    assert _open_descriptors() == before


@needs_helper
def test_children_reaped_by_others_or_no_stdout_change_nothing(small, monkeypatch) -> None:
    """With SIGCHLD ignored (children reaped by the system, as a launcher may leave it) or
    stdout closed, the results are the same."""
    monkeypatch.setattr("sys.stdout", None)
    old = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        got = helper.map_in_order(_square_and_who, list(range(9)))
    finally:
        signal.signal(signal.SIGCHLD, old)
    assert [v for v, _ in got] == [x * x for x in range(9)]


def _interruptible(x: int) -> tuple[int, bool]:
    return x, signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, [])


@needs_helper
def test_ctrl_c_reaches_this_process_only(small) -> None:
    """The helper never takes Ctrl-C (this process stops it); this process takes it again as
    soon as the helper is known."""
    got = helper.map_in_order(_interruptible, list(range(8)))
    assert got == [(x, x < 4) for x in range(8)]
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, [])


@needs_helper
def test_a_descriptor_above_1023_is_waited_on(small) -> None:
    """(select() cannot wait on such a descriptor; a program with many files open has them.)"""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1100:
        pytest.skip("the limit on open files is below 1100")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1100) if soft != resource.RLIM_INFINITY else soft, hard))
    held = [os.open(os.devnull, os.O_RDONLY)]
    try:
        while held[-1] < 1030:
            held.append(os.dup(held[0]))
        got = helper.map_in_order(_square_and_who, list(range(9)))
    finally:
        for fd in held:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    assert [v for v, _ in got] == [x * x for x in range(9)] and got[-1][1] != PARENT


def _forms(folder: Path) -> list[tuple[Path, str]]:
    """Real forms and broken files of every kind, in one folder."""
    shutil.copytree(ROOT / "input_templates" / "trondelag" / "skjema", folder)
    good = sorted(folder.glob("*.xlsx"))
    write_form(folder / "tom.xlsx")  # an empty form: every required value missing
    write_form(folder / "tekst.xlsx", {"network": "Fosen", "owner_y1": "mange penger", "uh_y1": "1,5 mill"})
    write_xlsx(folder / "annet-ark.xlsx", {"Ark1": [["Nettverk"], ["Fosen"]]})
    (folder / "ødelagt.xlsx").write_bytes(b"PK\x03\x04 not a workbook at all")
    write_xlsx(folder / "feilcelle.xlsx", {"Søknad": [["Nettverk", "#REF!"], ["Eierandel år 1", "#DIV/0!"]]})
    bad = [folder / n for n in ("tom.xlsx", "tekst.xlsx", "annet-ark.xlsx", "ødelagt.xlsx", "feilcelle.xlsx")]
    files = [p for pair in zip(good, bad, strict=False) for p in pair] + good[len(bad) :] + bad[len(good) :]
    files += good  # read twice over: the same bytes from the snapshot
    return [(p, p.name) for p in files]


@needs_helper
def test_a_file_the_run_could_not_read_first_is_not_read_by_the_helper(small, monkeypatch, tmp_path) -> None:
    """A file that cannot be read when the run reads every file's bytes (being saved just then)
    is read by the run itself, later: the numbers and the copy in inputs/ come from the same
    bytes, and the helper, which has only what the run had, reads no file of its own."""
    late = tmp_path / "sist.xlsx"  # read last: in the helper's half only
    write_form(late, {"network": "Fosen", "owner_y1": 100_000, "uh_y1": 50_000})
    listed = [*_forms(tmp_path / "skjema"), (late, late.name)]
    reads: list[tuple[str, int]] = []
    real_read = snapshot._read_file

    def flaky(path: Path) -> bytes:
        reads.append((str(path), os.getpid()))
        if str(path) == str(late) and sum(1 for p, _ in reads if p == str(late)) == 1:
            raise PermissionError(13, "Permission denied")
        return real_read(path)

    monkeypatch.setattr(snapshot, "_read_file", flaky)
    with snapshot.using(snapshot.Snapshot()) as snap:
        with_helper = read_applications(listed)
        assert late in snap
    assert [pid for p, pid in reads if p == str(late)] == [PARENT, PARENT]  # the failed read, then the run's own
    monkeypatch.setattr(snapshot, "_read_file", real_read)
    monkeypatch.setattr(helper, "MIN_ITEMS", 10**9)
    with snapshot.using(snapshot.Snapshot()):
        assert read_applications(listed) == with_helper


@needs_helper
def test_applications_read_with_a_helper_are_those_read_without(small, monkeypatch, tmp_path) -> None:
    listed = _forms(tmp_path / "skjema")
    reads: list[str] = []
    real_read = snapshot._read_file

    def counted(path: Path) -> bytes:
        if os.getpid() != PARENT:  # the helper is a copy of the snapshot: it never reads the disk
            (tmp_path / "helper-read-the-disk").write_text(str(path))
        reads.append(str(path))
        return real_read(path)

    monkeypatch.setattr(snapshot, "_read_file", counted)
    progress: list[tuple[int, int, str]] = []
    with snapshot.using(snapshot.Snapshot()):
        with_helper = read_applications(listed, lambda i, n, name: progress.append((i, n, name)))
    assert not (tmp_path / "helper-read-the-disk").exists()
    assert sorted(reads) == sorted({str(p) for p, _ in listed})  # each file once, by this process
    assert progress == [(i, len(listed), name) for i, (_, name) in enumerate(listed, start=1)]

    monkeypatch.setattr(helper, "MIN_ITEMS", 10**9)
    with snapshot.using(snapshot.Snapshot()):
        without = read_applications(listed)
    assert with_helper == without
    apps, findings = without
    assert len(apps) == len(listed) - 2  # all but the broken file and the one without a form
    assert {(f.file, f.code) for f in findings} >= {
        ("tom.xlsx", "applications.amount_missing"),
        ("tekst.xlsx", "applications.unreadable_amount"),
        ("annet-ark.xlsx", "applications.no_sheet"),
        ("ødelagt.xlsx", "file.corrupt"),
        ("feilcelle.xlsx", "applications.excel_error"),
    }
