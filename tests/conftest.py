"""Shared fixtures: build count workbooks and configurations in a temp folder."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

# Letters without PDF copies, for speed: LibreOffice is started only by the one PDF test.
os.environ["ALLOCATION_LETTER_PDF"] = "0"

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"
HEADERS = ["Nettverk", "Eier", "Kommunenummer", "Barn i barnehage", "Elever i grunnskolen", "Elever og lærlinger i vgs"]


def write_xlsx(path: Path, sheets: dict[str, Sequence[Sequence[Any]]]) -> Path:
    """A workbook whose sheets hold the given rows from A1 (None = empty cell)."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    wb.set_properties({"created": dt.datetime(2000, 1, 1)})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    ws.write_string(r, c, value)
                else:
                    ws.write(r, c, value)
    wb.close()
    return path


def counts_rows(networks: dict[str, tuple[int, int, int]]) -> list[list[Any]]:
    return [list(HEADERS)] + [[n, None, None, b, g, v] for n, (b, g, v) in networks.items()]


@pytest.fixture
def make_counts(tmp_path: Path) -> Callable[..., Path]:
    def make(
        networks: dict[str, tuple[int, int, int]] | None = None,
        rows: list[list[Any]] | None = None,
        name: str = "tall.xlsx",
        sheet: str = "Tall",
    ) -> Path:
        data = rows if rows is not None else counts_rows(networks or {})
        return write_xlsx(tmp_path / name, {sheet: data})

    return make


@pytest.fixture
def make_config(tmp_path: Path) -> Callable[..., Path]:
    def make(body: str, name: str = "modell.toml") -> Path:
        path = tmp_path / name
        path.write_text(body, encoding="utf-8")
        return path

    return make


# --- readable cases: each tests/cases/*.toml is one test item (see tests/cases/README.md) ---

CASES_DIR = Path(__file__).resolve().parent / "cases"


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix == ".toml" and file_path.parent == CASES_DIR:
        return CaseFile.from_parent(parent, path=file_path)
    return None


class CaseFile(pytest.File):
    def collect(self):  # one item per file, named by the case's title
        from .cases.runner import load_case

        case = load_case(self.path)
        yield CaseItem.from_parent(self, name=case["title"], case=case)


class CaseItem(pytest.Item):
    def __init__(self, *, case: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        from .cases.runner import CaseMismatch, compare, run_case

        tmp = self.config._tmp_path_factory.mktemp(self.path.stem)  # type: ignore[attr-defined]
        differences = compare(self.case, run_case(self.case, self.path, tmp))
        if differences:
            raise CaseMismatch(differences)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        from .cases.runner import CaseError, CaseMismatch

        if isinstance(excinfo.value, CaseMismatch):
            lines = "\n".join(f"  {line}" for line in excinfo.value.lines)
            return f"{self.path.name}: «{self.name}» differs from the engine's result:\n{lines}"
        if isinstance(excinfo.value, CaseError):
            return f"{self.path.name}: the case file is malformed: {excinfo.value}"
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"case: {self.name}"


# --- the catalogue of findings: every code raised while the whole suite runs is listed ----------
# (see tests/test_catalogue.py; the check runs only when every collected test was run)

RAISED_CODES: dict[str, set[str]] = {}  # code -> severities seen in this session


def _record_findings() -> None:
    from allocation.model.findings import Finding

    plain_init = Finding.__init__

    def init(self: Finding, *args: Any, **kwargs: Any) -> None:
        plain_init(self, *args, **kwargs)
        RAISED_CODES.setdefault(self.code, set()).add(self.severity)

    Finding.__init__ = init  # type: ignore[method-assign]


_record_findings()
_RAN: set[str] = set()
_DESELECTED: list[int] = [0]


def pytest_deselected(items: list[pytest.Item]) -> None:
    _DESELECTED[0] += len(items)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" or report.skipped:
        _RAN.add(report.nodeid)


def _whole_suite(session: pytest.Session) -> bool:
    """True when no -k, -m, --lf, deselection, file or test id narrowed the run and every
    collected test reported: only then can a code never raised be blamed on the catalogue."""
    opt = session.config.option
    if getattr(opt, "keyword", "") or getattr(opt, "markexpr", "") or getattr(opt, "lf", False) or _DESELECTED[0]:
        return False
    if getattr(opt, "exitfirst", False) or getattr(opt, "maxfail", 0):
        return False
    for arg in session.config.args:
        path = Path(arg.split("::")[0]).resolve()
        if "::" in arg or path not in (ROOT, ROOT / "tests"):
            return False
    return session.testscollected > 0 and len(_RAN) >= session.testscollected


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if exitstatus != 0 or not _whole_suite(session):
        return
    from allocation.model.catalogue import BY_CODE

    problems = [f"{code} is raised but not in the catalogue" for code in sorted(set(RAISED_CODES) - set(BY_CODE))]
    problems += [
        f"{code} is raised as {', '.join(sorted(set(sevs) - set(BY_CODE[code].severities)))}, "
        f"which its catalogue entry does not list"
        for code, sevs in sorted(RAISED_CODES.items())
        if code in BY_CODE and not set(sevs) <= set(BY_CODE[code].severities)
    ]
    problems += [f"{code} is in the catalogue but no test raises it" for code in BY_CODE if code not in RAISED_CODES]
    if problems:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        text = "\n".join(["", "catalogue of findings (allocation/model/catalogue/):", *problems])
        if reporter is not None:
            reporter.write_line(text, red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
