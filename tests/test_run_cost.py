"""The run's own cost: what it must not load or compute twice."""

from __future__ import annotations

import subprocess
import sys

import pandera.pandas as pa
from pandera.typing import Series

from allocation.allocate.granting import AppGrant
from allocation.read.applications import Application
from allocation.write.payments import payment_lines


def _passes_alone(code: str) -> None:
    """``code`` runs in a fresh interpreter (what a command's own process sees) without failing."""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_validation_does_not_import_hypothesis() -> None:
    code = (
        "import sys\n"
        "from allocation.read.schemas import validate_counts\n"
        "bad = validate_counts([{'_row': 2, 'Nettverk': 'A', 'Kommunenummer': '12x', 'Barn i barnehage': -1}],"
        " ['Barn i barnehage'])\n"
        "assert [(r, c) for r, c, _, _ in bad] == [(2, 'Barn i barnehage'), (2, 'Kommunenummer')], bad\n"
        "assert 'hypothesis' not in sys.modules\n"
        "import pandera.strategies.base_strategies  # loaded with the backend, without hypothesis\n"
    )
    _passes_alone(code)


def test_validation_does_not_search_for_geopandas() -> None:
    """pandera tries to import geopandas on each look-up of a column's type; it is not
    installed, so each try searched the whole import path. During a validation it fails at once,
    and nothing is left behind."""
    code = (
        "import sys\n"
        "from allocation.read.schemas import validate_counts\n"
        "searched = []\n"
        "class Spy:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        searched.append(name)\n"
        "sys.meta_path.insert(0, Spy())\n"
        "bad = validate_counts([{'_row': 2, 'Nettverk': 'A', 'Kommunenummer': '12x', 'Barn i barnehage': -1}],"
        " ['Barn i barnehage'])\n"
        "assert [(r, c) for r, c, _, _ in bad] == [(2, 'Barn i barnehage'), (2, 'Kommunenummer')], bad\n"
        "assert not [n for n in searched if n.startswith(('geopandas', 'hypothesis'))], searched\n"
        "assert 'geopandas' not in sys.modules and 'hypothesis' not in sys.modules\n"
    )
    _passes_alone(code)


def test_validation_with_hypothesis_loaded_still_reports() -> None:
    import hypothesis  # noqa: F401  (as in this test session)

    from allocation.read.schemas import validate_counts

    bad = validate_counts([{"_row": 3, "Nettverk": "", "Kommunenummer": "0301"}], [])
    assert [(r, c) for r, c, _, _ in bad] == [(3, "Nettverk")]
    assert sys.modules["hypothesis"] is not None


def _grant() -> AppGrant:
    app = Application(
        "s.xlsx",
        "Søknad",
        None,
        {"owner": "Eier", "owner_account": "15050000009", "uh": "UH", "uh_orgnr": "972000000"},
    )
    return AppGrant(app, requested=100, granted=100, owner=60, uh=40)


def test_payment_lines_follow_the_amounts_and_format_each_number_once(monkeypatch) -> None:
    from stdnum.no import kontonr, orgnr

    from allocation.write import payments

    payments.shown_orgnr.cache_clear()
    payments.shown_account.cache_clear()
    calls: list[str] = []
    for module, name in ((orgnr, "is_valid"), (kontonr, "is_valid")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda n, real=real: calls.append(n) or real(n))
    g = _grant()
    first = payment_lines("Fosen", g)
    assert payment_lines("Fosen", g) == first  # the sheet, the letters and the manifest list the same lines
    assert sorted(calls) == ["15050000009", "972000000"]  # each number checked and formatted once
    assert [p["amount"] for p in first] == [60, 40]
    assert first[0]["account"] == "1505.00.00009" and first[1]["orgnr"] == "972 000 000"
    g.deducted_owner = 10
    again = payment_lines("Fosen", g)
    assert [p["amount"] for p in again] == [50, 40] and [p["amount"] for p in first] == [60, 40]
    assert payment_lines("Namdal", g)[0]["network"] == "Namdal"
    assert len(calls) == 2


def test_payment_numbers_shown_as_given_when_not_valid() -> None:
    from allocation.write.payments import shown_account, shown_orgnr

    assert shown_orgnr("972 000 000") == "972 000 000" and shown_orgnr("972000001") == "972000001"
    assert shown_account("1505 00 00009") == "1505.00.00009" and shown_account("12345678901") == "12345678901"
    assert shown_orgnr(972000000) == 972000000 and shown_orgnr("") == ""


def test_own_process_runs_without_cyclic_collector_and_library_calls_leave_it_alone(tmp_path) -> None:
    import gc

    from allocation.cli.app import main

    assert gc.isenabled()
    assert main(["templates", "--out", str(tmp_path / "maler")]) == 0
    assert gc.isenabled()  # called with a list (a test, a script): the caller's collector is untouched
    code = (
        "import atexit, gc, sys\n"
        "import allocation.cli.app as app\n"
        "seen = []\n"
        "atexit.register(lambda: print('collector on during the command:', seen))\n"
        "app._main = lambda argv: seen.append(gc.isenabled()) or 0\n"
        "sys.argv = ['run_allocation.py']\n"
        "sys.exit(app.main())\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (proc.returncode, proc.stdout) == (0, "collector on during the command: [False]\n"), proc.stderr


# The class-based model the counts schema was built from before, kept here to compare with.
class CountsModel(pa.DataFrameModel):
    """Sheet ``Tall`` after parsing: one row per owner or network."""

    nettverk: Series[str] = pa.Field(alias="Nettverk", str_length={"min_value": 1}, nullable=False)
    kommunenummer: Series[str] = pa.Field(alias="Kommunenummer", str_matches=r"^\d{4}$", nullable=True)

    class Config:
        strict = False
        coerce = False


def test_counts_schema_checks_as_the_class_based_model_did() -> None:
    """The counts schema is built as an object (no class-based model at import); its failures
    are those of the model it replaced, on rows bad in every way the schema checks."""
    import pandas as pd
    import pandera.pandas as pa

    from allocation.read import schemas

    columns = ("Barn i barnehage", "Elever i grunnskolen")
    old = CountsModel.to_schema().add_columns(
        {c: pa.Column("Int64", pa.Check.ge(0), nullable=True, name=c) for c in columns}
    )
    new = schemas._counts_schema(columns)
    assert repr(old) == repr(new)
    for name, column in old.columns.items():
        twin = new.columns[name]
        assert (repr(column.dtype), column.nullable, [repr(c) for c in column.checks]) == (
            repr(twin.dtype),
            twin.nullable,
            [repr(c) for c in twin.checks],
        )
    frame = pd.DataFrame(
        {
            "Nettverk": ["", None, "Fosen", "Namdal", 12],
            "Kommunenummer": ["12x", None, "0301", "301", "03010"],
            "Barn i barnehage": pd.array([-1, None, 3, 0, 5], dtype="Int64"),
            "Elever i grunnskolen": pd.array([1, -5, None, 2, 0], dtype="Int64"),
        },
        index=pd.Index([2, 3, 4, 5, 6], name="_row"),
    )
    frame["Nettverk"] = frame["Nettverk"].astype(object)

    def failures(schema: pa.DataFrameSchema) -> list:
        try:
            schema.validate(frame, lazy=True)
        except pa.errors.SchemaErrors as exc:
            return exc.failure_cases.astype(str).values.tolist()
        return []

    assert failures(old) == failures(new) != []


OPTIONAL_MODULES = (  # each loaded only when a run has the input or section it serves
    "allocation.model.applications",
    "allocation.model.commitments",
    "allocation.model.letter_settings",
    "allocation.model.membership",
    "allocation.model.reports",
    "allocation.read.applications",
    "allocation.read.apply_parameters",
    "allocation.read.earlier",
    "allocation.read.letters_config",
    "allocation.read.letters_languages",
    "allocation.read.letters_sheet",
    "allocation.read.parameters",
    "allocation.audit.verify",
    "allocation.write.letters",
)


def test_a_plain_run_loads_no_optional_module(make_counts, make_config, tmp_path) -> None:
    """A run with counts and pots only (no applications, parameters, reports, statistics,
    letters or earlier decisions) does not load those inputs' modules."""
    make_counts({"Fosen": (10, 20, 5), "Namdal": (30, 10, 0)})
    plain = make_config(
        '[run]\nframe = 1_000_000\n[inputs]\ncounts = "tall.xlsx"\n[[pot]]\nname = "Alt"\nrest = true\n'
        'spread = "flat"\n'
    )
    code = (
        "import sys\n"
        "from allocation.cli.app import main\n"
        f"assert main(['run', {str(plain)!r}, '--out', {str(tmp_path / 'ut')!r}, '-q']) == 0\n"
        f"loaded = [m for m in {OPTIONAL_MODULES!r} if m in sys.modules]\n"
        "assert loaded == [], loaded\n"
    )
    _passes_alone(code)
