"""JSON text exactly as ``json.dumps(data, ensure_ascii=False, indent=2)`` writes it, made faster.

With ``indent`` set, :mod:`json` uses its pure-Python encoder for the whole document. Here
json's C encoder does the work: a container of leaves (numbers, strings, booleans, None) is
written in one call, with the line break and indentation of its depth as the item separator,
and so is a list of such containers (a table's rows) and each run of leaves (or empty
containers) among a container's items; only the containers around them are walked in Python.
Strings, numbers, keys and errors (circular data, objects JSON cannot hold, keys of other
types) come out as :func:`json.dumps` gives them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

INDENT = "  "
_CONTAINERS = (list, tuple, dict)
_LEAVES = frozenset({str, int, float, bool, type(None)})
_encode_string = json.encoder.encode_basestring  # the C version where there is one, as json uses
_Encoder = Callable[[Any, int], list[str]]
_encoders: list[_Encoder] = []  # by depth
_c_make_encoder: Any = getattr(json.encoder, "c_make_encoder", None)


def dumps_indented(data: Any) -> str:
    """``json.dumps(data, ensure_ascii=False, indent=2)``."""
    if _c_make_encoder is None:  # no C accelerator: nothing to gain
        return json.dumps(data, ensure_ascii=False, indent=len(INDENT))
    return _text(data, 0, set())


def _encoder(depth: int) -> _Encoder:
    """json's C encoder as ``json.dumps`` makes it, with the line break and indentation of the
    items of a container at ``depth`` as its item separator (for leaves and containers of leaves)."""
    while len(_encoders) <= depth:
        _encoders.append(
            _c_make_encoder(
                None,  # no circular check: a container of leaves holds no container
                json.JSONEncoder().default,  # raises json's TypeError for what JSON cannot hold
                _encode_string,
                None,  # indent: none, the separator carries it
                ": ",
                ",\n" + INDENT * (len(_encoders) + 1),
                False,  # sort_keys
                False,  # skipkeys
                True,  # allow_nan
            )
        )
    return _encoders[depth]


def _text(value: Any, depth: int, open_: set[int]) -> str:
    if type(value) in _LEAVES or not value or not isinstance(value, _CONTAINERS):
        return "".join(_encoder(depth)(value, 0))
    if id(value) in open_:
        raise ValueError("Circular reference detected")
    open_.add(id(value))
    if isinstance(value, dict):
        text = "{\n" + _lines(_dict_pieces(value, depth, open_), depth) + "}"
    else:
        text = "[\n" + _lines(_list_pieces(value, depth, open_), depth) + "]"
    open_.discard(id(value))
    return text


def _lines(pieces: list[str], depth: int) -> str:
    inner = INDENT * (depth + 1)
    return inner + (",\n" + inner).join(pieces) + "\n" + INDENT * depth


def _rows(value: list[Any] | tuple[Any, ...], depth: int) -> str | None:
    """A list of containers of leaves, all dicts or all lists (a table's rows), in one C call; None
    for any other list. Written with the rows' own separator, the rows are then told apart by
    what comes between two of them (a closing bracket, that separator, an opening bracket), which
    nothing inside a row can contain (no raw line break inside a JSON string, no container in a row)."""
    kind = type(value[0])
    if kind is dict:
        if not all(type(r) is dict and r and _LEAVES.issuperset(map(type, r.values())) for r in value):
            return None
        start, end = "{", "}"
    elif kind is list or kind is tuple:
        if not all(type(r) in (list, tuple) and r and _LEAVES.issuperset(map(type, r)) for r in value):
            return None
        start, end = "[", "]"
    else:
        return None
    outer, inner = INDENT * (depth + 1), INDENT * (depth + 2)
    text = "".join(_encoder(depth + 1)(value, 0))[2:-2]  # without the list's bracket and the first row's
    between = f"\n{outer}{end},\n{outer}{start}\n{inner}"
    return start + "\n" + inner + text.replace(end + ",\n" + inner + start, between) + "\n" + outer + end


def _dict_pieces(value: dict[Any, Any], depth: int, open_: set[int]) -> list[str]:
    """The items' text: an item whose value is a container alone, each run of the others in one C call."""
    encode = _encoder(depth)
    if _LEAVES.issuperset(map(type, value.values())):  # leaves only: one C call
        return ["".join(encode(value, 0))[1:-1]]
    pieces: list[str] = []
    run: dict[Any, Any] = {}
    for key, item in value.items():
        if type(item) in _LEAVES or not item or not isinstance(item, _CONTAINERS):  # a leaf
            run[key] = item
            continue
        if run:
            pieces.append("".join(encode(run, 0))[1:-1])
            run = {}
        pieces.append(_key(key) + ": " + _text(item, depth + 1, open_))
    if run:
        pieces.append("".join(encode(run, 0))[1:-1])
    return pieces


def _list_pieces(value: list[Any] | tuple[Any, ...], depth: int, open_: set[int]) -> list[str]:
    """The items' text: a container alone, each run of leaves in one C call."""
    encode = _encoder(depth)
    if _LEAVES.issuperset(map(type, value)):  # leaves only: one C call
        return ["".join(encode(value, 0))[1:-1]]
    if (rows := _rows(value, depth)) is not None:
        return [rows]
    pieces: list[str] = []
    run: list[Any] = []
    for item in value:
        if type(item) in _LEAVES or not item or not isinstance(item, _CONTAINERS):  # a leaf
            run.append(item)
            continue
        if run:
            pieces.append("".join(encode(run, 0))[1:-1])
            run = []
        pieces.append(_text(item, depth + 1, open_))
    if run:
        pieces.append("".join(encode(run, 0))[1:-1])
    return pieces


def _key(key: Any) -> str:
    """A dict key as json writes it: a string; numbers, booleans and None by their JSON text."""
    if isinstance(key, str):
        return _encode_string(key)
    if key is None or isinstance(key, int | float):  # bool is an int: 'true'/'false'
        return _encode_string(json.dumps(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")
