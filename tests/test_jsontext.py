"""The manifest's JSON text: the fast writer gives json.dumps(..., ensure_ascii=False, indent=2)."""

from __future__ import annotations

import json
import math
from enum import IntEnum
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.audit.jsontext import dumps_indented


def _reference(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),  # any unicode, lone surrogates, control characters, quotes and backslashes
    st.text(alphabet='{}[],:"\\\n\t æøåÅ\u2028'),  # characters that look like structure
)
keys = st.one_of(st.text(), st.integers(), st.floats(), st.booleans(), st.none())
nested = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=6),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(keys, inner, max_size=6),
    ),
    max_leaves=60,
)


@settings(max_examples=400)
@given(data=nested)
def test_same_text_as_json_dumps(data: Any) -> None:
    assert dumps_indented(data) == _reference(data)


@given(data=st.dictionaries(st.text(), st.lists(st.dictionaries(st.text(), leaves), max_size=5), max_size=5))
def test_same_text_for_manifest_shaped_data(data: Any) -> None:
    assert dumps_indented(data) == _reference(data)


tricky = st.text(alphabet='{}[],\n "')  # a row's end and the next row's start, inside strings
row_leaves = st.one_of(leaves, tricky)
rows = st.one_of(
    st.lists(st.dictionaries(st.one_of(st.text(), st.integers(), tricky), row_leaves), max_size=6),
    st.lists(st.one_of(st.lists(row_leaves, max_size=4), st.tuples(row_leaves, row_leaves)), max_size=6),
    st.lists(st.one_of(st.dictionaries(tricky, row_leaves, max_size=3), st.lists(row_leaves, max_size=3)), max_size=6),
)


@settings(max_examples=300)
@given(data=st.lists(rows, max_size=3), depth=st.integers(min_value=0, max_value=3))
def test_same_text_for_tables_of_rows(data: Any, depth: int) -> None:
    for _ in range(depth):
        data = {"x": data, "y": 1}
    assert dumps_indented(data) == _reference(data)


class Role(IntEnum):
    OWNER = 1


@pytest.mark.parametrize(
    "data",
    [
        {},
        [],
        {"a": {}, "b": [], "c": [[]], "d": [{}], "e": [[], {}, 1]},
        {1: "int key", 2.5: "float key", False: "bool key", None: "none key", math.nan: "nan key"},
        [{"a": "},\n    {"}, {"b": 1}],
        [[1, "],\n    ["], [2]],
        {Role.OWNER: Role.OWNER, "x": [Role.OWNER]},
        {"deep": [[[[{"x": [1.0, -0.0, 1e300, math.inf]}]]]]},
        "plain string",
        3,
    ],
)
def test_edge_cases(data: Any) -> None:
    assert dumps_indented(data) == _reference(data)


@pytest.mark.parametrize(
    "data",
    [
        {"a": object()},
        {"a": [{"b": {1, 2}}], "c": [1]},
        {(1, 2): "tuple key"},
        {"a": [{"b": 1}], "c": {(1, 2): 1}},
    ],
)
def test_same_errors(data: Any) -> None:
    with pytest.raises(TypeError) as expected:
        _reference(data)
    with pytest.raises(TypeError) as got:
        dumps_indented(data)
    assert str(got.value) == str(expected.value)


def test_circular_data_is_refused() -> None:
    loop: list[Any] = [1]
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular reference detected"):
        _reference({"x": loop})
    with pytest.raises(ValueError, match="Circular reference detected"):
        dumps_indented({"x": loop})
