"""Differences between two manifests, named as a reader of the run folder knows them."""

from __future__ import annotations

import json
import re
from typing import Any

from .verify_workbook import quote

MISSING = object()


def diff(a: Any, b: Any, path: tuple) -> Any:
    if isinstance(a, dict) and isinstance(b, dict):
        for k in [*a, *(k for k in b if k not in a)]:
            yield from diff(a.get(k, MISSING), b.get(k, MISSING), (*path, k))
    elif isinstance(a, list) and isinstance(b, list):
        for i in range(max(len(a), len(b))):
            yield from diff(a[i] if i < len(a) else MISSING, b[i] if i < len(b) else MISSING, (*path, i))
    elif not (type(a) is type(b) and a == b):
        yield path, a, b


LIST_NAMES = {
    "networks": "nettverk",
    "recipients": "mottaker",
    "pots": "pott",
    "payments": "utbetaling",
    "applications": "søknad",
    "findings": "funn",
    "inputs": "inndata",
}


def label(m: dict[str, Any], path: tuple) -> str:
    """A reader's name for a place in the manifest: «nettverk «Fosen», parts», «utbetaling 3 (Fosen, Eier)»."""
    if len(path) >= 2 and path[0] in LIST_NAMES and isinstance(path[1], int):
        items = m.get(path[0])
        item = items[path[1]] if isinstance(items, list) and path[1] < len(items) else None
        what = LIST_NAMES[path[0]]
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            head = f"{what} {quote(item['name'], 60)}"
        elif isinstance(item, dict) and isinstance(item.get("network"), str):
            role = f", {item['role']}" if isinstance(item.get("role"), str) else ""
            head = f"{what} {path[1] + 1} ({quote(item['network'], 60)}{role})"
        else:
            head = f"{what} {path[1] + 1}"
        rest = ".".join(str(p) for p in path[2:])
        return f"{head}, {rest}" if rest else head
    if path and path[0] == "trace" and len(path) >= 2:
        return f"sporing for nettverk {quote(str(path[1]), 60)}"
    return ".".join(str(p) for p in path) or "manifestet"


def path_text(path: tuple) -> str:
    out = ""
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(p)):
            out += f".{p}" if out else str(p)
        else:
            out += f"[{json_text(p)}]"
    return out


def show(value: Any) -> str:
    from ..model.formatting import format_kroner

    if value is MISSING:
        return "mangler"
    if type(value) is int and abs(value) < 10**15:
        return format_kroner(value)
    if isinstance(value, str):
        return quote(value)
    return quote(json_text(value), 80)


def json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def value_at(m: dict[str, Any], key: str) -> Any:
    cur: Any = m
    for part in re.findall(r"[^.\[\]]+", key):
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        elif isinstance(cur, list) and part.isdigit() and int(part) < len(cur):
            cur = cur[int(part)]
        else:
            return MISSING
    return cur
