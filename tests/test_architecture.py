"""The shape of the package: dependencies point one way, modules stay small.

``model`` is the floor every stage stands on; ``allocate`` (the pure core)
stands on the model only. Readers, checks, writers and the audit sit above.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "allocation"
ROOMS = ("model", "read", "check", "allocate", "write", "audit")

# What each room may import from the package besides itself. ``pipeline`` is the one
# path read -> check -> allocate; writers and the audit take what it returns. The
# command line (``cli``) sits on top and may import anything.
ALLOWED = {
    "model": set(),
    "allocate": {"model"},
    "check": {"model", "allocate"},
    "read": {"model"},
    "pipeline": {"model", "read", "check", "allocate"},
    "write": {"model", "allocate", "read", "pipeline"},
    "audit": {"model", "allocate", "read", "check", "write", "pipeline"},
}

IO_MODULES = ("pandas", "python_calamine", "xlsxwriter", "openpyxl", "zipfile", "tomllib", "allocation.cli")

MAX_MODULE_LINES = 500
REPORT_FUNCTION_LINES = 60  # longer functions are listed (pytest -s shows them)
MAX_FUNCTION_LINES = 80  # and longer than this fails
# The one-pass XML scanner of pre-flight keeps its state in one closure for speed; it is
# being reworked for speed on its own and is exempt until then.
EXEMPT = {"allocation.read.sheetxml.scan_sheet"}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every module of the package that ``name`` imports, at the top or inside a function."""
    is_package = path.name == "__init__.py"
    here = name.split(".") if is_package else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            targets = [stem] + [f"{stem}.{alias.name}" for alias in node.names]
        for target in targets:
            # the longest known module the name refers to (a module, or a name inside one)
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name and target != "allocation":
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def _room(module: str) -> str:
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in ROOMS + ("pipeline",):
        return parts[1]
    return "shell"


def test_rooms_import_only_downwards() -> None:
    wrong = []
    for module, targets in import_graph().items():
        room = _room(module)
        if room == "shell":
            continue
        for target in sorted(targets):
            other = _room(target)
            if other != room and other not in ALLOWED[room]:
                wrong.append(f"{module} -> {target}")
    assert not wrong, "imports that point the wrong way:\n" + "\n".join(wrong)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles() -> None:
    assert _cycles(import_graph()) == []


def test_model_and_core_load_no_io() -> None:
    code = (
        "import json, sys\n"
        "import allocation.model, allocation.allocate\n"
        "import pkgutil, importlib\n"
        "for pkg in (allocation.model, allocation.allocate):\n"
        "    for info in pkgutil.iter_modules(pkg.__path__):\n"
        "        importlib.import_module(pkg.__name__ + '.' + info.name)\n"
        f"print(json.dumps(sorted(m for m in {list(IO_MODULES)!r} if m in sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []


def _functions() -> list[tuple[int, str]]:
    out = []
    for name, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                out.append((length, f"{name}.{node.name} (line {node.lineno})"))
    return sorted(out, reverse=True)


def test_modules_are_small() -> None:
    big = {
        name: n
        for name, path in _modules().items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert big == {}


def test_functions_are_short() -> None:
    long = [(n, where) for n, where in _functions() if n > REPORT_FUNCTION_LINES]
    if long:
        print(f"functions over {REPORT_FUNCTION_LINES} lines:\n" + "\n".join(f"{n:4d}  {w}" for n, w in long))
    too_long = [w for n, w in long if n > MAX_FUNCTION_LINES and w.split(" (")[0] not in EXEMPT]
    assert too_long == []


def test_every_class_says_what_it_is() -> None:
    """A newcomer reads a class's docstring first. (A dataclass without one also costs each run
    an ``inspect.signature`` of the class, to make one up, at import.)"""
    bare = [
        f"{name}.{node.name}"
        for name, path in _modules().items()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef) and not ast.get_docstring(node)
    ]
    assert bare == []
