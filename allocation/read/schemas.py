"""pandera models for the validated tables (one per sheet).

pandera and pandas are imported only here and only when a table is
validated, so ``--help`` and ``templates`` stay fast.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

import pandas as pd
import pandera.pandas as pa

from ..model.config import COUNT_COLUMNS

# Optional packages pandera imports when they are installed, or tries to import again and again
# when they are not, that a run never needs: hypothesis (a test tool; pandera's pandas backend
# imports it on the first validation, 0.07-0.09 s, only to offer data synthesis) and geopandas
# (tried on each look-up of a column's type, a search of the whole import path each time; no
# column here is a geometry).
_NOT_NEEDED = ("hypothesis", "geopandas")


@contextmanager
def _without_optional_packages() -> Iterator[None]:
    """Keep the packages of ``_NOT_NEEDED`` out of a validation: an import of one fails at once.
    One already loaded (hypothesis in the test suite) stays as it is."""
    blocked = [name for name in _NOT_NEEDED if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # "import name" fails
    try:
        yield
    finally:
        for name in blocked:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


@cache
def _counts_schema(columns: tuple[str, ...]) -> pa.DataFrameSchema:
    """Sheet ``Tall`` after parsing: one row per owner or network, with the count ``columns``.
    (A schema object rather than a class-based model: the same checks, without the model's
    class machinery at import and pandera's typing modules for other engines at first use,
    about 15 ms of a county's run; built whole rather than extended, which copies it.)"""
    return pa.DataFrameSchema(
        {
            "Nettverk": pa.Column(str, pa.Check.str_length(min_value=1), nullable=False),
            "Kommunenummer": pa.Column(str, pa.Check.str_matches(r"^\d{4}$"), nullable=True),
            **{c: pa.Column("Int64", pa.Check.ge(0), nullable=True, name=c) for c in columns},
        },
        strict=False,
        coerce=False,
        name="CountsModel",
        description="Sheet ``Tall`` after parsing: one row per owner or network.",
    )


def validate_counts(records: list[dict[str, Any]], columns: list[str]) -> list[tuple[int | None, str, str, Any]]:
    """Validate parsed count rows; returns (sheet row, column, check, value) per failure."""
    cols = [c for c in dict.fromkeys([*COUNT_COLUMNS, *columns])]
    present = [c for c in cols if not records or c in records[0]]
    frame = pd.DataFrame.from_records(records, columns=["_row", "Nettverk", "Kommunenummer", *present])
    frame = frame.set_index("_row")
    frame["Nettverk"] = frame["Nettverk"].astype("string").astype(object)
    frame["Kommunenummer"] = frame["Kommunenummer"].astype(object)
    for c in present:
        frame[c] = frame[c].astype("Int64")
    try:
        with _without_optional_packages():
            _counts_schema(tuple(present)).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        out = []
        for _, fc in exc.failure_cases.iterrows():
            idx = fc["index"]
            row = int(idx) if idx is not None and not pd.isna(idx) else None
            out.append((row, str(fc["column"]), str(fc["check"]), fc["failure_case"]))
        return sorted(out, key=lambda t: (t[0] if t[0] is not None else -1, t[1]))
    return []
