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


@contextmanager
def _without_hypothesis() -> Iterator[None]:
    """Keep hypothesis (a test tool) out of a run: pandera's pandas backend, loaded on the
    first validation, imports it when it is installed (0.07-0.09 s), only to offer data
    synthesis. Where hypothesis is already loaded (the test suite) nothing changes."""
    if "hypothesis" in sys.modules:
        yield
        return
    sys.modules["hypothesis"] = None  # type: ignore[assignment]  # "import hypothesis" fails
    try:
        yield
    finally:
        if "hypothesis" in sys.modules and sys.modules["hypothesis"] is None:
            del sys.modules["hypothesis"]


def _base_schema() -> pa.DataFrameSchema:
    """Sheet ``Tall`` after parsing: one row per owner or network. (A schema object rather than a
    class-based model: the same checks, without the model's class machinery at import and
    pandera's typing modules for other engines at first use, about 15 ms of a county's run.)"""
    return pa.DataFrameSchema(
        {
            "Nettverk": pa.Column(str, pa.Check.str_length(min_value=1), nullable=False),
            "Kommunenummer": pa.Column(str, pa.Check.str_matches(r"^\d{4}$"), nullable=True),
        },
        strict=False,
        coerce=False,
        name="CountsModel",
        description="Sheet ``Tall`` after parsing: one row per owner or network.",
    )


@cache
def _counts_schema(columns: tuple[str, ...]) -> pa.DataFrameSchema:
    extra = {c: pa.Column("Int64", pa.Check.ge(0), nullable=True, name=c) for c in columns}
    return _base_schema().add_columns(extra)


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
        with _without_hypothesis():
            _counts_schema(tuple(present)).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        out = []
        for _, fc in exc.failure_cases.iterrows():
            idx = fc["index"]
            row = int(idx) if idx is not None and not pd.isna(idx) else None
            out.append((row, str(fc["column"]), str(fc["check"]), fc["failure_case"]))
        return sorted(out, key=lambda t: (t[0] if t[0] is not None else -1, t[1]))
    return []
