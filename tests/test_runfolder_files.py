"""Files written into a staging folder: never over another, never left half written."""

from __future__ import annotations

import pytest

from allocation.audit.runfolder import RunFolderError, copy_inputs, write_new


def test_write_new_writes_the_bytes_and_nothing_else(tmp_path) -> None:
    write_new(tmp_path / "a.json", b"{}\n")
    write_new(tmp_path / "b.json", b"[]\n", sync=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.json"]
    assert (tmp_path / "a.json").read_bytes() == b"{}\n"


def test_write_new_never_overwrites(tmp_path) -> None:
    (tmp_path / "a.json").write_bytes(b"first")
    with pytest.raises(RunFolderError, match="finnes fra før"):
        write_new(tmp_path / "a.json", b"second")
    assert (tmp_path / "a.json").read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_write_new_removes_a_file_it_could_not_finish(tmp_path) -> None:
    with pytest.raises(TypeError):
        write_new(tmp_path / "a.json", "not bytes")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_copy_inputs_copies_each_file_once_under_its_own_name(tmp_path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    files = []
    for i in range(40):  # more than MANY_FILES: one sync for all
        (src / f"s{i}.xlsx").write_bytes(bytes([i]) * 10)
        files.append(("applications", src / f"s{i}.xlsx"))
    (src / "modell.toml").write_bytes(b"name = 'x'\n")
    copies = copy_inputs([("config", src / "modell.toml"), *files, ("counts", src / "s0.xlsx")], tmp_path / "inputs")
    names = [name for _, _, name, _ in copies]
    assert names[:2] == ["modell.toml", "s0.xlsx"] and names[-1] == "counts-s0.xlsx"
    assert sorted(p.name for p in (tmp_path / "inputs").iterdir()) == sorted(names)
    assert all((tmp_path / "inputs" / name).read_bytes() == src_path.read_bytes() for _, src_path, name, _ in copies)
