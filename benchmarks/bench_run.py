"""Benchmark: how long a whole run takes, against what the libraries cost anyway.

Run from the project root:

    uv run python benchmarks/bench_run.py            # figures
    uv run python benchmarks/bench_run.py --profile  # plus a cProfile of the national case

Two cases are generated into ``benchmarks/_data/`` (git-ignored), both
deterministic (``random.Random(2024)``):

* county: 11 networks, about 60 owner rows (a typical county);
* national: 10 000 owner rows over 400 networks and 357 municipalities.

Every timing is the median of ``--repeat`` runs (default 5), each in a fresh
subprocess started with the current interpreter. The variants are run
interleaved, round by round, after one untimed warm-up round, so that page
cache and drift in machine load affect them alike. By default the
subprocesses get a private bytecode cache (see ``subprocess_env``) so that
imports are timed as on a normal second run; ``--no-bytecode-cache`` times
them in the inherited environment instead. The variants:

* run: ``run_allocation.py run CONFIG --out NEWDIR`` (new folder each time,
  deleted afterwards), wall clock around the subprocess;
* import floor: ``import pandas, pandera.pandas, openpyxl, xlsxwriter, python_calamine``
  and pandera's pandas backend, which pandera loads on first use;
* read-and-write floor: the same imports, read sheet ``Tall`` with
  python-calamine, copy the input bytes into a folder, and write with
  xlsxwriter a workbook of the same sheets with as many number and text cells
  as the run's own workbook has (counted from one run beforehand): the
  unavoidable reading and writing of the same amount of data.

Targets: county run within 1.3x of the import floor; national run within
1.5x of its read-and-write floor.

Finally one in-process breakdown of the national case (prepare, allocate,
write_run) using the library directly.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import xlsxwriter

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "_data"
HEADERS = [
    "Nettverk",
    "Eier",
    "Kommunenummer",
    "Barn i barnehage",
    "Elever i grunnskolen",
    "Elever og lærlinger i vgs",
]
LIBS = "pandas, pandera.pandas, openpyxl, xlsxwriter, python_calamine"
COUNTY_TARGET = 1.3
NATIONAL_TARGET = 1.5

CONFIG_TEMPLATE = """\
# Benchmark model ({label}), adapted from config/trondelag.toml.

[run]
name = "Benchmark {label}"
county = "{label}"
year = 2025
unit = 1
frame = {frame}
frame_note = "Benchmark frame"

[inputs]
counts = "tall.xlsx"

[keys.elevtall]
columns = {{ "Barn i barnehage" = 1, "Elever i grunnskolen" = 1, "Elever og lærlinger i vgs" = 1 }}
note = "barnetall + elevtall (lærlinger inkludert)"

[[pot]]
name = "Møtevirksomhet"
amount = 400_000
note = "fast årlig avsetning"

[[pot]]
name = "PPT-ledernettverket"
amount = 200_000
note = "fast årlig avsetning"

[[pot]]
name = "Fellestiltak"
percent = 8
note = "Samarbeidsforum"

[[pot]]
name = "Koordinering"
per_network = 100_000
extra = {{ "{extra}" = 200_000 }}
note = "100 000 per nettverk, 200 000 ekstra til {extra}"

[[pot]]
name = "Grunntilskudd"
per_network = 250_000
note = "grunntilskudd"

[[pot]]
name = "Fordelingsnøkkel"
rest = true
spread = "key"
key = "elevtall"
note = "resten pro rata etter barne- og elevtall"
"""


# --------------------------------------------------------------------------- data


def _write_counts(path: Path, rows: list[list[object]]) -> None:
    wb = xlsxwriter.Workbook(
        str(path),
        {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )
    ws = wb.add_worksheet("Tall")
    for c, h in enumerate(HEADERS):
        ws.write_string(0, c, h)
    for r, row in enumerate(rows, start=1):
        net, owner, muni, barn, grunn, vgs = row
        ws.write_string(r, 0, net)
        ws.write_string(r, 1, owner)
        ws.write_string(r, 2, muni)  # text, keeps the leading zero
        ws.write_number(r, 3, barn)
        ws.write_number(r, 4, grunn)
        ws.write_number(r, 5, vgs)
    wb.close()


def _rows(rng: random.Random, networks: int, owners: int, municipalities: int, width: int) -> list[list[object]]:
    """``owners`` rows; every network and every municipality used at least once."""
    nets = [f"Nettverk {i:0{width}d}" for i in range(1, networks + 1)]
    codes = sorted(rng.sample(range(101, 5700), municipalities))
    munis = [f"{c:04d}" for c in codes]
    net_of = [nets[i % networks] for i in range(owners)]
    muni_of = [munis[i % municipalities] for i in range(owners)]
    rng.shuffle(net_of)
    rng.shuffle(muni_of)
    rows = []
    for i in range(owners):
        rows.append(
            [
                net_of[i],
                f"Eier {i + 1:05d}",
                muni_of[i],
                rng.randint(0, 2_000),
                rng.randint(0, 3_000),
                rng.randint(0, 1_500),
            ]
        )
    rows.sort(key=lambda r: (r[0], r[1]))
    return rows


def generate() -> dict[str, Path]:
    """Write both cases; returns case -> config path."""
    rng = random.Random(2024)
    cases = {
        "county": dict(networks=11, owners=60, municipalities=38, width=2, frame=32_000_000),
        "national": dict(networks=400, owners=10_000, municipalities=357, width=3, frame=500_000_000),
    }
    out = {}
    for case, spec in cases.items():
        folder = DATA / case
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        rows = _rows(rng, spec["networks"], spec["owners"], spec["municipalities"], spec["width"])
        _write_counts(folder / "tall.xlsx", rows)
        extra = f"Nettverk {1:0{spec['width']}d}"
        config = folder / "modell.toml"
        config.write_text(
            CONFIG_TEMPLATE.format(label=case, frame=f"{spec['frame']:_}", extra=extra),
            encoding="utf-8",
        )
        out[case] = config
    return out


# ---------------------------------------------------------------------- subprocesses

# pandera loads its pandas backend (and, where hypothesis is installed, as in the
# development environment, its strategies module with hypothesis: 0.13 s here) on the
# first validation, not on import; that is library loading, so the floors include it.
LOAD_BACKENDS = (
    "from pandera.backends.pandas.register import register_pandas_backends; "
    'register_pandas_backends("pandas.core.frame.DataFrame")'
)
IMPORT_FLOOR = f"import {LIBS}; {LOAD_BACKENDS}"

RW_FLOOR = f"""\
import json, sys
from pathlib import Path
import {LIBS}
{LOAD_BACKENDS}
from python_calamine import CalamineWorkbook

src, out, shape = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
rows = CalamineWorkbook.from_path(str(src)).get_sheet_by_name("Tall").to_python()
totals = {{}}
for row in rows[1:]:
    acc = totals.setdefault(row[0], [0, 0, 0])
    for j in range(3):
        acc[j] += int(row[3 + j])
out.mkdir()
(out / "inputs").mkdir()
(out / "inputs" / src.name).write_bytes(src.read_bytes())
wb = xlsxwriter.Workbook(str(out / "fordeling.xlsx"))
kr = wb.add_format({{"num_format": "#,##0"}})
# the same sheets with as many number and text cells as the run's own workbook
for name, numbers, texts in shape:
    ws = wb.add_worksheet(name)
    for i in range(numbers):
        ws.write_number(i // 10, i % 10, 100_000 + i, kr)
    for i in range(texts):
        ws.write_string(i // 10, 10 + i % 10, f"tekst {{i}}")
wb.close()
"""


def workbook_shape(config: Path) -> str:
    """Run once and count each sheet's number and text cells: the floor writes as many."""
    import tempfile

    from python_calamine import CalamineWorkbook

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "run"
        subprocess.run(
            [sys.executable, "run_allocation.py", "run", str(config), "--out", str(out), "-q"],
            check=True,
            capture_output=True,
        )
        wb = CalamineWorkbook.from_path(str(out / "fordeling.xlsx"))
        shape = []
        for name in wb.sheet_names:
            cells = [v for row in wb.get_sheet_by_name(name).to_python() for v in row if v not in ("", None)]
            numbers = sum(1 for v in cells if isinstance(v, (int, float)))
            shape.append((name, numbers, len(cells) - numbers))
    return json.dumps(shape)


class _Outdirs:
    """A new, not yet existing output folder per call; removed by ``cleanup``."""

    def __init__(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="bench-out-"))
        self.n = 0
        self.current: Path | None = None

    def next(self) -> Path:
        self.n += 1
        self.current = self.base / f"out-{self.n:03d}"
        return self.current

    def cleanup(self) -> None:
        if self.current is not None:
            shutil.rmtree(self.current, ignore_errors=True)

    def close(self) -> None:
        shutil.rmtree(self.base, ignore_errors=True)


def subprocess_env(bytecode_cache: bool) -> dict[str, str]:
    """The environment for the timed subprocesses.

    With ``bytecode_cache`` the interpreter may write .pyc files, into a
    private prefix under ``benchmarks/_data/`` (the virtual environment is
    left untouched), so that after the warm-up every variant imports from
    compiled bytecode as on a normal second run. Without it the environment
    is inherited as is (if PYTHONDONTWRITEBYTECODE is set and the venv has no
    .pyc files, every import compiles its source again).
    """
    env = os.environ.copy()
    if bytecode_cache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(DATA / "pycache")
    return env


def time_variants(variants: dict[str, list[str]], repeat: int, env: dict[str, str]) -> dict[str, float]:
    """Median wall-clock seconds per variant.

    A variant is a command; the token ``{OUT}`` is replaced by a new output
    folder each time (deleted afterwards). One untimed warm-up round, then
    ``repeat`` rounds that run every variant once each, interleaved so that
    drift in machine load affects all variants alike.
    """
    outs = _Outdirs()
    samples: dict[str, list[float]] = {name: [] for name in variants}
    try:
        for rnd in range(repeat + 1):
            for name, cmd in variants.items():
                args = [str(outs.next()) if a == "{OUT}" else a for a in cmd]
                t0 = time.perf_counter()
                proc = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
                elapsed = time.perf_counter() - t0
                outs.cleanup()
                if proc.returncode != 0:
                    raise SystemExit(
                        f"{name} failed ({proc.returncode}): {' '.join(args)}\n{proc.stdout}\n{proc.stderr}"
                    )
                if rnd > 0:
                    samples[name].append(elapsed)
    finally:
        outs.close()
    return {name: statistics.median(ts) for name, ts in samples.items()}


# ----------------------------------------------------------------------- in-process


def in_process(config: Path, profile: bool, top: int) -> None:
    import importlib

    for lib in LIBS.split(", "):  # so that prepare is not charged for the imports
        importlib.import_module(lib)
    from allocation.allocate.pots import allocate
    from allocation.audit.publish import write_run
    from allocation.pipeline import prepare

    base = Path(tempfile.mkdtemp(prefix="bench-inproc-"))
    try:
        t0 = time.perf_counter()
        prepared = prepare(config)
        t1 = time.perf_counter()
        result = allocate(prepared.config, prepared.counts)
        t2 = time.perf_counter()
        write_run(
            prepared,
            result,
            out=base / "run",
            base=Path("output"),
            command=["run_allocation.py", "run", str(config)],
        )
        t3 = time.perf_counter()
        print("In-process breakdown, national case (libraries imported beforehand):")
        print(f"  prepare    {t1 - t0:8.3f} s   (read + validate counts, load config)")
        print(f"  allocate   {t2 - t1:8.3f} s")
        print(f"  write_run  {t3 - t2:8.3f} s   (workbook, manifest, input copies)")
        print(f"  total      {t3 - t0:8.3f} s")

        if profile:
            prof = cProfile.Profile()
            prof.enable()
            p2 = prepare(config)
            r2 = allocate(p2.config, p2.counts)
            write_run(
                p2,
                r2,
                out=base / "run-profiled",
                base=Path("output"),
                command=["run_allocation.py"],
            )
            prof.disable()
            _print_profile(prof, top)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _print_profile(prof: cProfile.Profile, top: int) -> None:
    stats = pstats.Stats(prof)
    pkg = str(ROOT / "allocation")
    rows = []
    for (file, line, func), (_cc, nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if file.startswith(pkg):
            rows.append((ct, tt, nc, f"{Path(file).name}:{line}({func})"))
    rows.sort(reverse=True)
    print()
    print(
        f"cProfile (prepare + allocate + write_run), top {top} functions of the allocation package by cumulative time:"
    )
    print(f"  {'cumulative s':>12}  {'own s':>8}  {'calls':>9}  function")
    for ct, tt, nc, name in rows[:top]:
        print(f"  {ct:12.3f}  {tt:8.3f}  {nc:9d}  {name}")
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(top)
    print()
    print(f"Top {top} functions overall by own time:")
    for line in buf.getvalue().splitlines():
        if (
            line.strip()
            and not line.lstrip().startswith(("Ordered by", "List reduced"))
            and "function calls" not in line
        ):
            print("  " + line)


# ----------------------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per figure (median); default 5")
    ap.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="inherit the environment as is instead of giving the subprocesses a .pyc cache",
    )
    ap.add_argument("--profile", action="store_true", help="also cProfile the in-process national run")
    ap.add_argument("--top", type=int, default=15, help="functions to list with --profile")
    args = ap.parse_args()

    configs = generate()
    county, national = configs["county"], configs["national"]
    cache = not args.no_bytecode_cache
    print(
        f"Data in {DATA.relative_to(ROOT)}/ (county: 11 networks, 60 rows; "
        f"national: 400 networks, 10 000 rows, 357 municipalities)"
    )
    print(
        f"Python {sys.version.split()[0]}; median of {args.repeat} fresh subprocesses per figure, "
        f"interleaved, after one warm-up round; bytecode cache: "
        f"{'yes (private PYTHONPYCACHEPREFIX)' if cache else 'as inherited'}\n"
    )

    py = sys.executable
    med = time_variants(
        {
            "import floor": [py, "-c", IMPORT_FLOOR],
            "county run": [py, "run_allocation.py", "run", str(county), "--out", "{OUT}"],
            "county read+write floor": [
                py,
                "-c",
                RW_FLOOR,
                str(county.parent / "tall.xlsx"),
                "{OUT}",
                workbook_shape(county),
            ],
            "national run": [py, "run_allocation.py", "run", str(national), "--out", "{OUT}"],
            "national read+write floor": [
                py,
                "-c",
                RW_FLOOR,
                str(national.parent / "tall.xlsx"),
                "{OUT}",
                workbook_shape(national),
            ],
        },
        args.repeat,
        subprocess_env(cache),
    )

    rows = [
        ("county", "import", med["county run"], med["import floor"], COUNTY_TARGET),
        (
            "national",
            "read+write",
            med["national run"],
            med["national read+write floor"],
            NATIONAL_TARGET,
        ),
    ]
    print(f"{'case':<10} {'run s':>8} {'floor':>11} {'floor s':>8} {'ratio':>7} {'target':>7}  met")
    for case, kind, run_s, floor_s, target in rows:
        ratio = run_s / floor_s
        print(
            f"{case:<10} {run_s:8.3f} {kind:>11} {floor_s:8.3f} {ratio:7.2f} {target:6.1f}x  "
            f"{'yes' if ratio <= target else 'NO'}"
        )
    print()
    print("All medians (s): " + ", ".join(f"{k} {v:.3f}" for k, v in med.items()))
    print()
    in_process(national, args.profile, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
