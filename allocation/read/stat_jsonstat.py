"""JSON-stat 2: what Statistics Norway's PxWebApi v2 answers by default (``/tables/{id}/data``).

A dataset: ``id`` (the variables in order), ``size`` (values per variable), ``dimension``
(per variable ``category.index`` — a list of codes or code -> position — and ``category.label``),
``value`` (a flat list in row-major order: the last variable varies fastest; or an object of
position -> value), ``status`` (position -> symbol, where no number is published) and ``role``
(``geo``, ``time``, ``metric``: which variable is the region, the period, the statistic).
SSB gives the count date per statistic in ``dimension.ContentsCode.extension.refperiod``
(e.g. ``"15.12"``) and the table in ``extension.px.tableid``.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from typing import Any

from ..model.findings import ERROR, WARNING, Finding
from ..model.statistics import StatRow, StatTable
from .stat_common import SYMBOLS, Collector, region, table_id

FORMAT = "json-stat2"
_FIX = "Hent tabellen på nytt fra SSB (PxWebApi v2, outputFormat=json-stat2) uten å endre filen."


class _Broken(Exception):
    """A JSON-stat file that cannot be read: where, the value found, and why."""

    def __init__(self, where: str, value: str, why: str):
        super().__init__(why)
        self.where, self.value, self.why = where, value, why


def read_jsonstat(text: str, file: str) -> tuple[StatTable | None, list[Finding]]:
    out = Collector(file, FORMAT)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        _broken(out, _Broken(f"linje {exc.lineno}, tegn {exc.colno}", "", f"filen er ikke gyldig JSON ({exc.msg})"))
        return None, out.findings
    if isinstance(doc, dict) and "class" not in doc and isinstance(doc.get("dataset"), dict):
        doc = doc["dataset"]  # JSON-stat 1 wraps the dataset in a bundle
    try:
        dims = _dimensions(doc)
        values, status = _values(doc, math.prod(len(codes) for _, codes, _ in dims))
    except _Broken as exc:
        _broken(out, exc)
        return None, out.findings
    role = doc.get("role") if isinstance(doc.get("role"), dict) else {}
    ids = [d for d, _, _ in dims]
    geo = _role(role, "geo", ids, ("region", "kommune", "kommunenr"))
    time = _role(role, "time", ids, ("tid", "år", "year"))
    metric = _role(role, "metric", ids, ("contentscode", "statistikkvariabel"))
    if geo is None or time is None:
        missing = "regionen" if geo is None else "perioden (tiden)"
        out.add(
            "statistics.no_unit_column" if geo is None else "statistics.no_period",
            ERROR,
            "role",
            ", ".join(ids),
            f"Datasettet har ingen variabel for {missing} (verken i «role» eller med et kjent navn).",
            "Ta med regionen og tiden (Region og Tid) i uttrekket.",
        )
        return None, out.findings
    _rows(out, dims, values, status, geo, time, metric)
    if not out.rows and not any(f.severity == ERROR for f in out.findings):
        out.empty()
    px = (doc.get("extension") or {}).get("px") or {} if isinstance(doc.get("extension"), dict) else {}
    label = str(doc.get("label") or "")
    tid = str(px.get("tableid") or "") if isinstance(px, dict) else ""
    tid = tid or table_id(label)
    table = StatTable(
        source=f"SSB {tid}" if tid else str(doc.get("source") or "SSB"),
        file=file,
        format=FORMAT,
        count_date=_count_date(doc, metric, out.rows),
        rows=tuple(out.rows),
        title=label,
        updated=str(doc.get("updated") or ""),
    )
    return table, out.findings


def _broken(out: Collector, exc: _Broken) -> None:
    out.add(
        "statistics.bad_json",
        ERROR,
        exc.where,
        exc.value,
        f"Filen kan ikke leses som JSON-stat 2: {exc.why}.",
        _FIX,
        expected="et JSON-stat 2-datasett",
    )


def _dimensions(doc: Any) -> list[tuple[str, list[str], dict[str, str]]]:
    """(variable, its codes in order, code -> label) for each variable in ``id``."""
    if not isinstance(doc, dict) or doc.get("class", "dataset") != "dataset":
        raise _Broken(
            "class", str(doc.get("class") if isinstance(doc, dict) else type(doc).__name__), "det er ikke et datasett"
        )
    ids, size, dims = doc.get("id"), doc.get("size"), doc.get("dimension")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise _Broken("id", str(ids), "«id» skal være en liste med variabelnavn")
    if not isinstance(size, list) or len(size) != len(ids) or not all(isinstance(n, int) for n in size):
        raise _Broken("size", str(size), f"«size» skal være {len(ids)} heltall, ett per variabel i «id»")
    if not isinstance(dims, dict):
        raise _Broken("dimension", str(dims)[:80], "«dimension» mangler")
    result = []
    for name, n in zip(ids, size, strict=True):
        cat = (dims.get(name) or {}).get("category") if isinstance(dims.get(name), dict) else None
        if not isinstance(cat, dict):
            raise _Broken(f"dimension.{name}", "", f"variabelen «{name}» har ingen «category»")
        raw_labels = cat.get("label")
        labels: dict[Any, Any] = raw_labels if isinstance(raw_labels, dict) else {}
        index = cat.get("index")
        if isinstance(index, list):
            codes = [str(c) for c in index]
        elif isinstance(index, dict):
            codes = [str(c) for c, _ in sorted(index.items(), key=lambda kv: kv[1] if isinstance(kv[1], int) else -1)]
        elif index is None and len(labels) == 1:
            codes = [str(next(iter(labels)))]
        else:
            raise _Broken(f"dimension.{name}.category.index", str(index)[:80], "kodene mangler")
        if len(codes) != n:
            raise _Broken(
                f"dimension.{name}.category.index",
                str(len(codes)),
                f"variabelen «{name}» har {len(codes)} koder, men «size» sier {n}",
            )
        result.append((name, codes, {str(k): str(v) for k, v in labels.items()}))
    return result


def _values(doc: dict[str, Any], total: int) -> tuple[list[Any], dict[int, str]]:
    raw = doc.get("value")
    if isinstance(raw, list):
        if len(raw) != total:
            raise _Broken("value", str(len(raw)), f"«value» har {len(raw)} verdier, men variablene gir {total}")
        values = raw
    elif isinstance(raw, dict):
        values = [None] * total
        for k, v in raw.items():
            if not (str(k).isdigit() and int(k) < total):
                raise _Broken(f"value.{k}", str(v), f"nøkkelen «{k}» er ingen plass i datasettet (0–{total - 1})")
            values[int(k)] = v
    else:
        raise _Broken("value", str(raw)[:80], "«value» mangler")
    st = doc.get("status")
    status: dict[int, str] = {}
    if isinstance(st, dict):
        status = {int(k): str(v) for k, v in st.items() if str(k).isdigit()}
    elif isinstance(st, list):
        status = {i: str(v) for i, v in enumerate(st) if v is not None} if len(st) == total else {}
        if len(st) == 1:
            status = dict.fromkeys(range(total), str(st[0]))
    elif isinstance(st, str):
        status = dict.fromkeys(range(total), st)
    return values, status


def _role(role: dict[str, Any], key: str, ids: list[str], names: tuple[str, ...]) -> str | None:
    given = role.get(key)
    if isinstance(given, list) and given and given[0] in ids:
        return str(given[0])
    return next((i for i in ids if i.lower() in names), None)


def _rows(
    out: Collector,
    dims: list[tuple[str, list[str], dict[str, str]]],
    values: list[Any],
    status: dict[int, str],
    geo: str,
    time: str,
    metric: str | None,
) -> None:
    names = [d for d, _, _ in dims]
    g, t = names.index(geo), names.index(time)
    m = names.index(metric) if metric else None
    rest = [k for k in range(len(names)) if k not in (g, t, m)]
    units: dict[str, str | None] = {}  # each region judged once: one warning for a county, not one per value
    for i, codes in enumerate(itertools.product(*(c for _, c, _ in dims))):
        code = codes[g]
        label = dims[g][2].get(code, code)
        if code not in units:
            units[code] = _unit(out, code, label, f"value[{i}]")
        unit = units[code]
        if unit is None:
            continue
        measure = codes[m] if m is not None else ""
        text = dims[m][2].get(measure, measure) if m is not None else ""
        period = codes[t]
        v = values[i]
        value: int | None
        if type(v) is int and v >= 0:  # the common case, without the work of naming a place
            ok, value = True, v
        else:
            ok, value = _value(out, v, status.get(i), f"value[{i}]", f"{unit} {label} ({text}, {period})")
        if ok:
            other = tuple((names[k], codes[k]) for k in rest)
            municipality = unit if len(unit) == 4 else ""
            out.keep(StatRow(unit, label, measure, period, value, f"value[{i}]", other, text, municipality))


def _unit(out: Collector, code: str, label: str, where: str) -> str | None:
    parsed = region(code)
    if parsed is not None and len(parsed[0]) in (4, 9):
        return parsed[0]
    out.add(
        "statistics.not_a_municipality",
        WARNING,
        where,
        f"{code} {label}".strip(),
        f"«{code} {label}» er ikke en kommune (et fylke, en gruppe eller hele landet); verdiene er ikke tatt med.",
        "Velg bare kommuner (eller enheter) når du henter tabellen, så ingenting telles to ganger.",
    )
    return None


def _value(out: Collector, v: Any, symbol: str | None, where: str, what: str) -> tuple[bool, int | None]:
    if v is None:
        if symbol in SYMBOLS:
            return out.count(symbol, where, what)
        out.add(
            "statistics.no_number",
            WARNING,
            where,
            "null",
            f"Kilden publiserer ikke noe tall for {what} (null{f', status «{symbol}»' if symbol else ''}).",
            "Tallet kan ikke summeres; avklar med kilden hvilket tall som gjelder.",
        )
        return True, None
    if isinstance(v, bool) or not isinstance(v, int | float | str):
        return out.count(json.dumps(v, ensure_ascii=False), where, what)
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return out.count(str(v), where, what)


def _count_date(doc: dict[str, Any], metric: str | None, rows: list[StatRow]) -> str | None:
    """The count date SSB states: the statistic's reference day («15.12») in the latest year read."""
    if not metric or not rows:
        return None
    dim = (doc.get("dimension") or {}).get(metric) or {}
    ref = (dim.get("extension") or {}).get("refperiod") if isinstance(dim, dict) else None
    if not isinstance(ref, dict):
        return None
    days = {str(ref.get(r.measure) or "") for r in rows} - {""}
    years = sorted({r.period[:4] for r in rows if re.match(r"^\d{4}$", r.period)})
    if len(days) != 1 or not years:
        return None
    m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.?", days.pop().strip())
    if not m:
        return None
    return f"{years[-1]}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
