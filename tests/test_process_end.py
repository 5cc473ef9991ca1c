"""How a command's own process ends: at once, once everything anyone sees is done.

``end_process`` skips the interpreter's teardown of every module and object. These tests run
the command line's ``main`` in a fresh interpreter, as a user's run does, and check that what
the ordinary shutdown would still have done is done: exit handlers, buffered output, the exit
status, and waiting for a thread that still runs.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

PRELUDE = "import atexit, sys, threading, time\nimport allocation.cli.app as app\nsys.argv = ['run_allocation.py']\n"


def _run(body: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", PRELUDE + body], capture_output=True, text=True, timeout=60)


def _command(before: str, *lines: str) -> str:
    """A script: ``before``, then a command of ``lines`` run by ``main`` as the process's own."""
    inside = "".join(f"    {line}\n" for line in lines)
    return f"{before}def command(argv):\n{inside}app._main = command\nsys.exit(app.main())\n"


@pytest.mark.parametrize("status", [0, 1, 2, 3, 130])
def test_status_buffered_output_and_exit_handlers(status: int) -> None:
    lines = ["atexit.register(lambda: print('handler ran'))", "print('printed, not flushed', end='')"]
    body = _command("", *lines, "sys.stderr.write('to stderr\\n')", f"return {status}") + "print('never here')\n"
    proc = _run(body)
    assert proc.returncode == status
    assert proc.stdout == "printed, not flushedhandler ran\n"
    assert proc.stderr == "to stderr\n"


def test_it_ends_without_the_interpreter_shutdown() -> None:
    """An object freed only when the shutdown takes the modules apart is never freed: the process
    ended before that (and the handlers registered before the command still ran)."""
    body = (
        "import os, types\n"
        "class Loud:\n"
        "    def __del__(self, write=os.write):\n"
        "        write(1, b'torn down\\n')\n"
        "probe = types.ModuleType('probe')\n"
        "sys.modules['probe'] = probe\n"
        "probe.keep = Loud()\n"
        "del probe\n"
        "atexit.register(lambda: print('handler ran', flush=True))\n"
        "app._main = lambda argv: 0\n"
        "sys.exit(app.main())\n"
    )
    proc = _run(body)
    assert (proc.returncode, proc.stdout) == (0, "handler ran\n")
    # The same script ending the ordinary way takes the module apart: the check above can fail.
    normal = _run(body.replace("sys.exit(app.main())", "sys.exit(app._main(None))"))
    assert (normal.returncode, normal.stdout) == (0, "handler ran\ntorn down\n")


def test_a_thread_still_running_is_waited_for() -> None:
    late = "def late():\n    time.sleep(0.3)\n    print('thread done', flush=True)\n"
    proc = _run(_command(late, "threading.Thread(target=late).start()", "return 1"))
    assert (proc.returncode, proc.stdout) == (1, "thread done\n")


def test_output_that_cannot_be_flushed_is_reported_by_the_ordinary_shutdown() -> None:
    full = (
        "import io\n"
        "class Full(io.TextIOWrapper):\n"
        "    def flush(self):\n"
        "        raise OSError(28, 'No space left on device')\n"
    )
    proc = _run(_command(full, "sys.stdout = Full(io.BytesIO())", "return 0"))
    assert proc.returncode == 120  # as the interpreter ends when it cannot flush stdout
    assert "No space left on device" in proc.stderr


def test_closed_stdout_ends_at_once() -> None:
    body = "app._main = lambda argv: 0\nsys.exit(app.main())\n"
    proc = subprocess.run(
        [sys.executable, "-c", PRELUDE + "sys.stdout = None\n" + body], capture_output=True, text=True, timeout=60
    )
    assert (proc.returncode, proc.stderr) == (0, "")


def test_called_with_a_list_it_returns() -> None:
    """A test or a script calls ``main`` with its arguments: the caller's process goes on."""
    body = "app._main = lambda argv: 2\nprint('returned', app.main(['templates']))\n"
    proc = _run(body)
    assert (proc.returncode, proc.stdout) == (0, "returned 2\n")


DEPTH_PROBE = (
    "import sys\n"
    "depth = {}\n"
    "class Probe:\n"
    "    def find_spec(self, name, path=None, target=None):\n"
    "        if name in ('pandas', 'pandera') and name not in depth:\n"
    "            f, n = sys._getframe(), 0\n"
    "            while f is not None:\n"
    "                n += 1 if not f.f_code.co_filename.startswith('<frozen') else 0\n"
    "                f = f.f_back\n"
    "            depth[name] = n\n"
    "sys.meta_path.insert(0, Probe())\n"
    "import atexit\n"
    "atexit.register(lambda: print(sorted(depth.items())))\n"
    "sys.argv = ['run_allocation.py', *sys.argv[1:]]\n"
    "import allocation.cli.app as app\n"
    "sys.exit(app.main())\n"
)


@pytest.mark.parametrize("command", ["validate", "run"])
def test_table_libraries_are_imported_at_the_bottom_of_the_stack(command: str, tmp_path) -> None:
    """pandas and pandera are imported by ``main`` itself, not deep inside the reading of the
    counts, where their nested imports keep crossing an edge of the interpreter's frame stack."""
    from allocation.cli.common import PROJECT_ROOT

    args = [command, str(PROJECT_ROOT / "config" / "trondelag.toml")]
    if command == "run":
        args += ["--out", str(tmp_path / "run"), "-q"]
    proc = subprocess.run(
        [sys.executable, "-c", DEPTH_PROBE, *args], capture_output=True, text=True, timeout=120, cwd=PROJECT_ROOT
    )
    assert proc.returncode == 0, proc.stderr
    # frames of Python code below the probe: the script, main, the command line, the loader, the probe
    assert proc.stdout.strip().splitlines()[-1] == "[('pandas', 5), ('pandera', 5)]"


FAILING_IMPORT = (
    "import sys\n"
    "library = sys.argv[1]\n"
    "class Fail:\n"
    "    def find_spec(self, name, path=None, target=None):\n"
    "        if name == library:\n"
    "            raise {error}\n"
    "sys.meta_path.insert(0, Fail())\n"
    "sys.argv = ['run_allocation.py', *sys.argv[2:]]\n"
    "import allocation.cli.app as app\n"
    "sys.exit(app.main())\n"
)


def _fails_on_import(error: str, library: str, *args: str) -> subprocess.CompletedProcess[str]:
    from allocation.cli.common import PROJECT_ROOT

    return subprocess.run(
        [sys.executable, "-c", FAILING_IMPORT.format(error=error), library, *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=PROJECT_ROOT,
    )


def test_ctrl_c_while_the_table_libraries_load_is_met_as_in_the_command(tmp_path) -> None:
    proc = _fails_on_import("KeyboardInterrupt", "pandas", "run", "config/trondelag.toml", "--out", str(tmp_path / "r"))
    assert proc.returncode == 130
    assert proc.stderr == "Avbrutt. Ingen kjøremappe ble laget.\n"
    assert not (tmp_path / "r").exists()


def test_a_broken_table_library_is_an_internal_error_with_a_crash_report(tmp_path) -> None:
    out = str(tmp_path / "r")
    proc = _fails_on_import("ImportError('broken')", "python_calamine", "run", "config/trondelag.toml", "--out", out)
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr and "ImportError" in proc.stderr
    assert list(tmp_path.glob("r-funn/krasjrapport.txt"))


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["run", "--help"], ["run"], ["validate", "--nope"]])
def test_help_version_and_a_mistyped_command_line_load_no_table_library(args: list[str]) -> None:
    """They need none, and a broken one does not stop them (an import of pandas here fails)."""
    proc = _fails_on_import("ImportError('broken')", "pandas", *args)
    assert proc.returncode in (0, 2), proc.stderr
    assert "Traceback" not in proc.stderr and "broken" not in proc.stderr


@pytest.mark.parametrize(
    "start", ["sys.setprofile(lambda *a: None)", "sys.settrace(lambda *a: None)", "os.environ['PYTHONINSPECT'] = '1'"]
)
def test_a_profiler_a_debugger_or_inspection_keep_the_ordinary_end(start: str) -> None:
    body = f"import os\n{start}\napp._main = lambda argv: 2\nprint('returned', app.main())\n"
    proc = subprocess.run([sys.executable, "-c", PRELUDE + body], capture_output=True, text=True, timeout=60, input="")
    assert proc.stdout.startswith("returned 2\n")
