"""All or nothing, and errors that are ours: scenarios checked before anything is written,
numbered folders claimed atomically, each input's bytes read once, every skipped application
file shown, and internal errors as exit 3 with a crash report."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import time
from pathlib import Path

import pytest

from allocation import cli
from allocation.audit.runfolder import RunFolderError, claim, new_file, publishing
from allocation.pipeline import run
from allocation.read import snapshot
from allocation.read.application_files import list_application_files

from .conftest import ROOT, counts_rows, write_xlsx

TRONDELAG = ROOT / "config" / "trondelag.toml"


def _config(tmp_path: Path, extra: str = "", source: Path = TRONDELAG, name: str = "modell.toml") -> Path:
    text = source.read_text(encoding="utf-8").replace("../input_templates", (ROOT / "input_templates").as_posix())
    path = tmp_path / name
    path.write_text(text + extra, encoding="utf-8")
    return path


def _entries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- scenarios: all or nothing ---------------------------------------------------------------

GOOD = '\n[[scenario]]\nname = "Grunntilskudd 300 000"\npots = { "Grunntilskudd" = { per_network = 300_000 } }\n'


@pytest.mark.parametrize(
    ("bad", "code"),
    [
        ('\n[[scenario]]\nname = "Liten ramme"\nrun = { frame = 1_000 }\n', None),
        ('\n[[scenario]]\nname = "Feil pott"\npots = { "Grunntilskot" = { amount = 1 } }\n', "config.unknown_pot"),
    ],
)
def test_one_failing_scenario_publishes_nothing(tmp_path, capsys, bad, code) -> None:
    cfg = _config(tmp_path, GOOD + bad)
    out = tmp_path / "runs" / "k"
    assert cli.main(["run", str(cfg), "--out", str(out)]) == 2
    assert _entries(out.parent) == []  # neither the base, the good scenario, nor a staging folder
    err = capsys.readouterr().err
    scenario = bad.split('"')[1]
    assert f"Scenario «{scenario}»" in err and "Traceback" not in err
    if code:
        assert code in err
    assert cli.main(["validate", str(cfg), "--out", str(tmp_path / "v")]) == 2  # validate agrees with run


@pytest.mark.parametrize(
    ("first", "second"), [("Ramme +10%", "Ramme 10 %"), ("Større ramme", "Storre ramme"), ("!!", "??")]
)
def test_scenario_names_giving_one_folder_are_refused_up_front(tmp_path, capsys, first, second) -> None:
    extra = "".join(f'\n[[scenario]]\nname = "{n}"\nrun = {{ frame = 31_000_000 }}\n' for n in (first, second))
    cfg = _config(tmp_path, extra)
    out = tmp_path / "runs" / "k"
    assert cli.main(["run", str(cfg), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "config.scenario_folder_clash" in err and f"«{first}»" in err and f"«{second}»" in err
    assert _entries(out.parent) == []
    assert cli.main(["validate", str(cfg), "--out", str(tmp_path / "v")]) == 2


def test_scenarios_published_together(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    cfg = _config(tmp_path, GOOD)
    assert cli.main(["validate", str(cfg), "--out", "v"]) == 0
    assert cli.main(["run", str(cfg)]) == 0
    assert _entries(tmp_path / "output") == ["modell-001", "modell-001-grunntilskudd-300-000"]
    m = json.loads((tmp_path / "output" / "modell-001" / "manifest.json").read_text(encoding="utf-8"))
    assert m["scenarios"] == [{"name": "Grunntilskudd 300 000", "folder": "modell-001-grunntilskudd-300-000"}]
    assert cli.main(["run", str(cfg)]) == 0  # the next number; the scenario folders count as used
    assert _entries(tmp_path / "output")[2:] == ["modell-002", "modell-002-grunntilskudd-300-000"]


def test_failure_while_writing_scenarios_publishes_nothing(tmp_path, capsys, monkeypatch) -> None:
    import allocation.audit.scenarios

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(allocation.audit.scenarios, "write_scenarios", broken)
    cfg = _config(tmp_path, GOOD)
    out = tmp_path / "runs" / "k"
    assert cli.main(["run", str(cfg), "--out", str(out)]) == 3
    assert _entries(out.parent) == ["k-funn"]
    assert _entries(out.parent / "k-funn") == ["krasjrapport.txt"]
    assert "Traceback" not in capsys.readouterr().err


# --- concurrent runs: each its own number ------------------------------------------------------


def _claim_and_publish(base: str, barrier, results) -> None:
    barrier.wait()
    try:
        staged = claim(None, Path(base), "k")
        with publishing([staged]):
            (staged.path / "a.txt").write_text("a", encoding="utf-8")
            time.sleep(0.05)  # widen the window between choosing a number and publishing
            (staged.path / "b.txt").write_text(staged.final.name, encoding="utf-8")
        results.put(staged.final.name)
    except BaseException as exc:  # reported to the test, not swallowed
        results.put(f"ERROR {type(exc).__name__}: {exc}")


def _run_cli(config: str, cwd: str, barrier, results) -> None:
    os.chdir(cwd)
    barrier.wait()
    try:
        results.put(cli.main(["-q", "run", config]))
    except BaseException as exc:
        results.put(f"ERROR {type(exc).__name__}: {exc}")


def _start_together(target, n: int, *args) -> list:
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    barrier, results = ctx.Barrier(n), ctx.Queue()
    procs = [ctx.Process(target=target, args=(*args, barrier, results)) for _ in range(n)]
    for p in procs:
        p.start()
    got = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    return got


def test_concurrent_claims_each_get_their_own_number(tmp_path) -> None:
    n = 8
    got = _start_together(_claim_and_publish, n, str(tmp_path))
    assert sorted(got) == [f"k-{i:03d}" for i in range(1, n + 1)]
    for name in got:
        assert _entries(tmp_path / name) == ["a.txt", "b.txt"]
        assert (tmp_path / name / "b.txt").read_text(encoding="utf-8") == name
    assert _entries(tmp_path) == sorted(got)  # no staging folders left


def _new_comparison_file(base: str, barrier, results) -> None:
    barrier.wait()
    try:
        with new_file(None, Path(base), "sammenligning", ".xlsx") as handle:
            handle.path.write_text(str(os.getpid()), encoding="utf-8")
            time.sleep(0.05)
        results.put((handle.final.name, str(os.getpid())))
    except BaseException as exc:
        results.put((f"ERROR {type(exc).__name__}: {exc}", ""))


def test_concurrent_comparison_files_each_get_their_own_number(tmp_path) -> None:
    got = _start_together(_new_comparison_file, 4, str(tmp_path))
    assert sorted(name for name, _ in got) == [f"sammenligning-{i:03d}.xlsx" for i in range(1, 5)]
    for name, pid in got:
        assert (tmp_path / name).read_text(encoding="utf-8") == pid
    assert len(_entries(tmp_path)) == 4


def test_concurrent_runs_without_out(tmp_path) -> None:
    cfg = _config(tmp_path, source=ROOT / "config" / "nordland.toml")
    got = _start_together(_run_cli, 3, str(cfg), str(tmp_path))
    assert got == [0, 0, 0]
    folders = _entries(tmp_path / "output")
    assert folders == ["modell-001", "modell-002", "modell-003"]
    for name in folders:
        assert cli.main(["-q", "verify", str(tmp_path / "output" / name)]) == 0


def test_out_that_exists_is_still_refused(tmp_path) -> None:
    (tmp_path / "k").mkdir()
    with pytest.raises(RunFolderError):
        claim(tmp_path / "k", tmp_path, "x")


def test_run_folder_permissions_follow_umask(tmp_path) -> None:
    old = os.umask(0o022)
    try:
        out = tmp_path / "k"
        assert cli.main(["-q", "run", str(TRONDELAG), "--out", str(out)]) == 0
        assert out.stat().st_mode & 0o777 == 0o755
        assert (out / "inputs").stat().st_mode & 0o777 == 0o755
        assert cli.main(["validate", str(TRONDELAG), "--out", str(tmp_path / "v")]) == 0
        assert (tmp_path / "v").stat().st_mode & 0o777 == 0o755
    finally:
        os.umask(old)


# --- each input's bytes read once ---------------------------------------------------------------


def _change_after_first_read(monkeypatch, target: Path, new_bytes: bytes) -> list[Path]:
    """Every read goes to disk through the snapshot's reader; after the first read of ``target``
    the file on disk is replaced (the user saving it mid-run)."""
    reads: list[Path] = []
    real = snapshot._read_file

    def reader(path: Path) -> bytes:
        data = real(path)
        reads.append(path)
        if Path(path).resolve() == target.resolve() and reads.count(path) == 1:
            target.write_bytes(new_bytes)
        return data

    monkeypatch.setattr(snapshot, "_read_file", reader)
    return reads


def test_counts_saved_mid_run(tmp_path, monkeypatch) -> None:
    counts = tmp_path / "tall.xlsx"
    shutil.copy(ROOT / "input_templates" / "trondelag" / "tall.xlsx", counts)
    original = counts.read_bytes()
    cfg = _config(tmp_path)
    cfg.write_text(
        cfg.read_text(encoding="utf-8").replace(
            f"{(ROOT / 'input_templates').as_posix()}/trondelag/tall.xlsx", "tall.xlsx"
        ),
        encoding="utf-8",
    )
    _, expected = run(cfg)
    other = write_xlsx(tmp_path / "annen.xlsx", {"Tall": counts_rows({"Fosen": (1, 1, 1), "Namdal": (9, 9, 9)})})
    _change_after_first_read(monkeypatch, counts, other.read_bytes())
    out = tmp_path / "k"
    assert cli.main(["-q", "run", str(cfg), "--out", str(out)]) == 0
    assert counts.read_bytes() != original  # the file did change under the run
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entry = next(e for e in m["inputs"] if e["role"] == "counts")
    copy = (out / entry["file"]).read_bytes()
    assert copy == original and entry["sha256"] == _sha(original)
    assert {n["name"]: n["frame"] for n in m["networks"]} == {n: expected.network_frame(n) for n in expected.networks}
    monkeypatch.undo()
    assert cli.main(["-q", "verify", str(out)]) == 0


def test_config_saved_mid_run(tmp_path, monkeypatch) -> None:
    cfg = _config(tmp_path)
    original = cfg.read_bytes()
    changed = original.replace(b"frame = 32_000_000", b"frame = 99_000_000")
    assert changed != original
    _change_after_first_read(monkeypatch, cfg, changed)
    out = tmp_path / "k"
    assert cli.main(["-q", "run", str(cfg), "--out", str(out)]) == 0
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert m["frame"] == 32_000_000
    assert (out / m["config"]["file"]).read_bytes() == original and m["config"]["sha256"] == _sha(original)


def test_application_saved_mid_run_and_each_file_read_once(tmp_path, monkeypatch) -> None:
    folder = tmp_path / "skjema"
    shutil.copytree(ROOT / "input_templates" / "trondelag" / "skjema", folder)
    cfg = _config(tmp_path, source=ROOT / "config" / "trondelag-skjema.toml")
    cfg.write_text(
        cfg.read_text(encoding="utf-8").replace(
            f'folder = "{(ROOT / "input_templates").as_posix()}/trondelag/skjema"', 'folder = "skjema"'
        ),
        encoding="utf-8",
    )
    target = folder / "søknad-fosen.xlsx"
    original = target.read_bytes()
    reads = _change_after_first_read(monkeypatch, target, (folder / "søknad-namdal.xlsx").read_bytes())
    out = tmp_path / "k"
    assert cli.main(["-q", "run", str(cfg), "--out", str(out)]) == 0
    assert len(reads) == len(set(reads))  # every file read from disk once
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entry = next(e for e in m["inputs"] if e["file"].endswith("søknad-fosen.xlsx"))
    assert (out / entry["file"]).read_bytes() == original and entry["sha256"] == _sha(original)
    fosen = [a for a in m["applications"] if a["file"].endswith("søknad-fosen.xlsx")]
    assert [a["network"] for a in fosen] == ["Fosen"]  # not Namdal, as the file now on disk says
    monkeypatch.undo()
    assert cli.main(["-q", "verify", str(out)]) == 0


# --- the applications folder --------------------------------------------------------------------


def _findings_by_file(folder: Path) -> dict[str, tuple[str, str]]:
    listed, found = list_application_files([], folder)
    return {f.file: (f.code, f.severity) for f in found} | {d.split("/")[-1]: ("read", "") for _, d in listed}


def test_applications_folder_shows_what_it_leaves_out(tmp_path) -> None:
    folder = tmp_path / "søknader"
    folder.mkdir()
    form = ROOT / "input_templates" / "trondelag" / "skjema" / "søknad-fosen.xlsx"
    shutil.copy(form, folder / "søknad.xlsx")
    shutil.copy(form, folder / "Søknad Namdal.XLSM")
    shutil.copy(form, folder / "gammel.xls")
    (folder / "borte.xlsx").symlink_to(tmp_path / "finnes-ikke.xlsx")
    (folder / "mappe.xlsx").mkdir()
    (folder / "arkiv").mkdir()
    shutil.copy(form, folder / "arkiv" / "søknad-2024.xlsx")
    (folder / "tom").mkdir()
    (folder / "~$søknad.xlsx").write_bytes(b"lock")
    (folder / ".DS_Store").write_bytes(b"x")
    (folder / "Thumbs.db").write_bytes(b"x")
    (folder / "notat.pdf").write_bytes(b"%PDF")
    assert _findings_by_file(folder) == {
        "søknad.xlsx": ("read", ""),
        "Søknad Namdal.XLSM": ("applications.macro_workbook", "error"),
        "gammel.xls": ("applications.other_format", "error"),
        "borte.xlsx": ("applications.broken_link", "error"),
        "mappe.xlsx": ("applications.folder_named_xlsx", "warning"),
        "arkiv": ("applications.subfolder", "warning"),
        "tom": ("applications.other_folder", "note"),
        "~$søknad.xlsx": ("applications.lock_file", "note"),
        ".DS_Store": ("applications.hidden_file", "note"),
        "Thumbs.db": ("applications.hidden_file", "note"),
        "notat.pdf": ("applications.not_xlsx", "note"),
    }


def test_macro_workbook_and_broken_link_are_seen_without_verbose(tmp_path, capsys) -> None:
    folder = tmp_path / "skjema"
    shutil.copytree(ROOT / "input_templates" / "trondelag" / "skjema", folder)
    (folder / "søknad-fosen.xlsx").rename(folder / "søknad-fosen.xlsm")
    (folder / "søknad-ny.xlsx").symlink_to(tmp_path / "borte.xlsx")
    (folder / "mappe.xlsx").mkdir()
    cfg = _config(tmp_path, source=ROOT / "config" / "trondelag-skjema.toml")
    cfg.write_text(
        cfg.read_text(encoding="utf-8").replace(
            f'folder = "{(ROOT / "input_templates").as_posix()}/trondelag/skjema"', 'folder = "skjema"'
        ),
        encoding="utf-8",
    )
    out = tmp_path / "k"
    assert cli.main(["run", str(cfg), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    for text in ("søknad-fosen.xlsm", "applications.macro_workbook", "søknad-ny.xlsx", "applications.broken_link"):
        assert text in err
    assert "mappe.xlsx" in err  # the warning is shown too
    assert not out.exists()
    assert cli.main(["validate", str(cfg), "--out", str(tmp_path / "v")]) == 1


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs file permissions that bind")
def test_unreadable_application_is_an_error(tmp_path) -> None:
    folder = tmp_path / "søknader"
    folder.mkdir()
    path = folder / "søknad.xlsx"
    shutil.copy(ROOT / "input_templates" / "trondelag" / "skjema" / "søknad-fosen.xlsx", path)
    path.chmod(0)
    try:
        from allocation.read.applications import read_applications

        listed, _ = list_application_files([], folder)
        _, found = read_applications(listed)
        assert [(f.code, f.severity) for f in found] == [("file.unreadable", "error")]
    finally:
        path.chmod(0o644)


# --- errors that are ours ------------------------------------------------------------------------


def _boom(*args, **kwargs):
    raise ZeroDivisionError("intern regnefeil")


def test_internal_error_in_run_exits_3_with_crash_report(tmp_path, capsys, monkeypatch) -> None:
    import allocation.pipeline

    monkeypatch.setattr(allocation.pipeline, "allocate", _boom)
    out = tmp_path / "k"
    assert cli.main(["run", str(TRONDELAG), "--out", str(out)]) == 3
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Uventet feil" not in err and "Intern feil" in err
    assert not out.exists()
    report = tmp_path / "k-funn" / "krasjrapport.txt"
    assert str(report) in err
    text = report.read_text(encoding="utf-8")
    assert "Traceback" in text and "ZeroDivisionError: intern regnefeil" in text and "run_allocation.py" in text
    assert "python-calamine" in text and __import__("allocation").__version__ in text


def test_internal_error_while_writing_leaves_nothing(tmp_path, capsys, monkeypatch) -> None:
    import allocation.write.workbook

    monkeypatch.setattr(allocation.write.workbook, "write_workbook", _boom)
    out = tmp_path / "k"
    assert cli.main(["run", str(TRONDELAG), "--out", str(out)]) == 3
    assert _entries(tmp_path) == ["k-funn"]  # no run folder, no staging folder
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("command", "target", "folder"),
    [
        (["validate", str(TRONDELAG)], "allocation.pipeline.prepare", "trondelag-kontroll-001"),
        (["verify", "mappe"], "allocation.audit.verify.verify", "verify-kontroll-001"),
        (["templates", "--out", "maler"], "allocation.write.templates.write_templates", "templates-kontroll-001"),
    ],
)
def test_internal_error_in_any_command(tmp_path, capsys, monkeypatch, command, target, folder) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(target, _boom)
    assert cli.main(command) == 3
    err = capsys.readouterr().err
    assert "Traceback" not in err and "ZeroDivisionError" in err
    assert (tmp_path / "output" / folder / "krasjrapport.txt").is_file()


def test_debug_shows_the_traceback(tmp_path, monkeypatch) -> None:
    import allocation.pipeline

    monkeypatch.setattr(allocation.pipeline, "allocate", _boom)
    with pytest.raises(ZeroDivisionError):
        cli.main(["run", str(TRONDELAG), "--out", str(tmp_path / "k"), "--debug"])


def test_manifest_names_each_input_by_its_real_path_relative_to_the_configuration(tmp_path) -> None:
    """An input reached through a linked folder or a linked file is named in the manifest by
    where it really is, relative to the configuration's (real) folder, as ``Path.resolve`` has it."""
    real = tmp_path / "ekte"
    shutil.copytree(ROOT / "input_templates" / "trondelag", real)
    (tmp_path / "lenke").symlink_to(real, target_is_directory=True)
    (tmp_path / "modell").mkdir()
    (tmp_path / "modell" / "tall.xlsx").symlink_to(real / "tall.xlsx")
    text = (ROOT / "config" / "trondelag-skjema.toml").read_text(encoding="utf-8")
    text = text.replace("../input_templates/trondelag/tall.xlsx", "tall.xlsx")
    text = text.replace("../input_templates/trondelag/skjema", "../lenke/skjema")
    config = tmp_path / "modell" / "modell.toml"
    config.write_text(text, encoding="utf-8")
    out = tmp_path / "kjøring"
    assert cli.main(["-q", "run", str(config), "--out", str(out)]) in (0, 1)
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    originals = {e["role"] + ":" + Path(e["file"]).name: e["original"] for e in m["inputs"]}
    assert originals["counts:tall.xlsx"] == "../ekte/tall.xlsx"
    forms = sorted(v for k, v in originals.items() if k.startswith("applications:"))
    assert forms and forms == sorted(f"../ekte/skjema/{p.name}" for p in (real / "skjema").glob("*.xlsx"))
    assert m["config"]["original"] == "modell.toml"
