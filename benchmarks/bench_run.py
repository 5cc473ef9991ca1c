"""Benchmark: how long a whole run takes, against what the libraries cost anyway.

Run from the project root:

    uv run python benchmarks/bench_run.py            # figures
    uv run python benchmarks/bench_run.py --profile  # plus a cProfile of the national case

Three cases are generated into ``benchmarks/_data/`` (git-ignored), all
deterministic (``random.Random(2024)``):

* county: 11 networks, about 60 owner rows (a typical county);
* national: 10 000 owner rows over 400 networks and 357 municipalities;
* forms: 1 000 networks, each with one application form (sheet ``Søknad``,
  written by ``allocation.templates.write_form``), granted by application.

Every timing is the median of ``--repeat`` runs (default 5), each in a fresh
subprocess started with the current interpreter. The variants are run
interleaved, round by round, after one untimed warm-up round, so that page
cache and drift in machine load affect them alike. By default the
subprocesses get a private bytecode cache (see ``subprocess_env``) so that
imports are timed as on a normal second run; ``--no-bytecode-cache`` times
them in the inherited environment instead. The variants:

* run: ``run_allocation.py run CONFIG --out NEWDIR`` (new folder each time,
  deleted afterwards), wall clock around the subprocess;
* strict import floor: only the libraries a run imports (pandas,
  pandera.pandas, xlsxwriter, python-calamine; python-stdnum with
  applications), pandera's pandas backend as a run loads it on first use
  (without hypothesis), without the cyclic collector (as a run's own process)
  and with no shutdown collection over the import-time heap;
* strict read-and-write floor: the same, plus reading every input of the run
  (each file's bytes once, every sheet with python-calamine), copying the input
  bytes into a folder, and writing with xlsxwriter a workbook of the same
  sheets with as many number and text cells as the run's own workbook has
  (counted from one run beforehand): the unavoidable reading and writing of
  the same amount of data.

The run reads 64 or more application files on two processors where it can (a forked copy of
the process reads the second half: ``allocation/read/helper.py``); the floors use one, so the
forms case depends on the second processor being free.

Targets: county run within 1.15x of the strict import floor; national run
within 1.2x of its strict read-and-write floor; forms within 1.5x of its
strict read-and-write floor; peak memory (max RSS) of the national run at
most 115 MB.

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
LIBS = "pandas, pandera.pandas, xlsxwriter, python_calamine"  # what a run imports (not openpyxl)
FORM_LIBS = "stdnum.no.kontonr, stdnum.no.orgnr"  # and with applications, for the payment lines
COUNTY_TARGET = 1.15
NATIONAL_TARGET = 1.2
FORMS_TARGET = 1.5
MEMORY_TARGET_MB = 115

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
    out["forms"] = _generate_forms(rng)
    return out


FORMS_CONFIG_EXTRA = """
[applications]
folder = "skjema"
policy = "redistribute"
redistribution_key = "elevtall"
fund = "report"
deadline = 2025-02-01
max_coordination_share = 20
note = "Benchmark: ubrukt ramme omfordeles etter samme nøkkel"
"""


def _generate_forms(rng: random.Random, networks: int = 1_000) -> Path:
    """1 000 networks with one owner each and one application form per network."""
    import datetime as dt

    from allocation.write.templates import write_form

    folder = DATA / "forms"
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "skjema").mkdir(parents=True)
    rows = _rows(rng, networks, networks, 357, 4)
    _write_counts(folder / "tall.xlsx", rows)
    for i, net in enumerate(sorted({r[0] for r in rows}), start=1):
        owner, uh = rng.randrange(100, 900) * 1_000, rng.randrange(50, 500) * 1_000
        values = {
            "network": net,
            "tiltak": f"Tiltak {i}",
            "contact": f"Kontakt {i}",
            "email": f"kontakt{i}@example.no",
            "confirmed": "Ja",
            "owner": f"Eier {i:05d}",
            "owner_orgnr": "915000002",
            "owner_account": "1505 00 00009",
            "owner_ref": f"Kompetanseløftet {net}",
            "uh": "DMMH",
            "uh_orgnr": "972000000",
            "uh_account": "7692.00.00009",
            "uh_ref": f"KL {net}",
            "owner_y1": owner,
            "owner_y2": f"{owner:,} (anslag)".replace(",", " "),
            "uh_y1": uh,
            "share_kartlegging": "5 %",
            "share_planlegging": "15 %",
            "share_gjennomforing": "65 %",
            "share_koordinator": "15 %",
            "coord_amount": (owner + uh) * 15 // 100,
            "fund_owner": 0,
            "received": dt.date(2025, 1, 20),
        }
        write_form(folder / "skjema" / f"søknad-{i:04d}.xlsx", values)
    config = folder / "modell.toml"
    text = CONFIG_TEMPLATE.format(label="forms", frame="400_000_000", extra="Nettverk 0001") + FORMS_CONFIG_EXTRA
    config.write_text(text, encoding="utf-8")
    return config


# ---------------------------------------------------------------------- subprocesses

# pandera loads its pandas backend on the first validation, not on import; a run keeps
# hypothesis (installed for the tests) out of it, and so does the floor. A run's process
# works without the cyclic collector (gc.disable, from its first import) and skips the
# interpreter's shutdown collection over its heap (gc.freeze), and so does the floor.
LOAD_BACKENDS = """\
sys.modules.setdefault("hypothesis", None)
from pandera.backends.pandas.register import register_pandas_backends
register_pandas_backends("pandas.core.frame.DataFrame")
"""
IMPORT_FLOOR = f"""\
import gc, sys
gc.disable()
import {LIBS}
{LOAD_BACKENDS}
gc.freeze()
"""

RW_FLOOR = f"""\
import gc, io, json, sys
gc.disable()
from pathlib import Path
import {LIBS}
{LOAD_BACKENDS}
for lib in json.loads(sys.argv[4]):
    __import__("importlib").import_module(lib)
from python_calamine import CalamineWorkbook

files, out, shape = json.loads(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
out.mkdir()
(out / "inputs").mkdir()
cells = 0
for f in files:
    src = Path(f)
    data = src.read_bytes()  # one read of each input
    if src.suffix == ".xlsx":
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for name in wb.sheet_names:
            cells += sum(len(r) for r in wb.get_sheet_by_name(name).to_python(skip_empty_area=False))
        wb.close()
    (out / "inputs" / src.name).write_bytes(data)
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
gc.freeze()
"""


def rw_floor(py: str, config: Path, inputs: list[Path], libs: list[str]) -> list[str]:
    return [py, "-c", RW_FLOOR, json.dumps([str(p) for p in inputs]), "{OUT}", workbook_shape(config), json.dumps(libs)]


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


def _run_one(args: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """(wall seconds, peak RSS in MB, exit status, output) of one subprocess."""
    with tempfile.TemporaryFile() as log:
        t0 = time.perf_counter()
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
    return elapsed, usage.ru_maxrss / 1024, proc.returncode, output


def time_variants(
    variants: dict[str, list[str]], repeat: int, env: dict[str, str]
) -> tuple[dict[str, float], dict[str, float]]:
    """Median wall-clock seconds and median peak memory (MB) per variant.

    A variant is a command; the token ``{OUT}`` is replaced by a new output
    folder each time (deleted afterwards). One untimed warm-up round, then
    ``repeat`` rounds that run every variant once each, interleaved so that
    drift in machine load affects all variants alike.
    """
    outs = _Outdirs()
    samples: dict[str, list[float]] = {name: [] for name in variants}
    memory: dict[str, list[float]] = {name: [] for name in variants}
    try:
        for rnd in range(repeat + 1):
            for name, cmd in variants.items():
                args = [str(outs.next()) if a == "{OUT}" else a for a in cmd]
                elapsed, rss, status, output = _run_one(args, env)
                outs.cleanup()
                if status != 0:
                    raise SystemExit(f"{name} failed ({status}): {' '.join(args[:3])}\n{output}")
                if rnd > 0:
                    samples[name].append(elapsed)
                    memory[name].append(rss)
    finally:
        outs.close()
    return (
        {name: statistics.median(ts) for name, ts in samples.items()},
        {name: statistics.median(ms) for name, ms in memory.items()},
    )


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
    county, national, forms = configs["county"], configs["national"], configs["forms"]
    cache = not args.no_bytecode_cache
    print(
        f"Data in {DATA.relative_to(ROOT)}/ (county: 11 networks, 60 rows; "
        f"national: 400 networks, 10 000 rows, 357 municipalities; forms: 1 000 networks and forms)"
    )
    print(
        f"Python {sys.version.split()[0]}; median of {args.repeat} fresh subprocesses per figure, "
        f"interleaved, after one warm-up round; bytecode cache: "
        f"{'yes (private PYTHONPYCACHEPREFIX)' if cache else 'as inherited'}\n"
    )

    py = sys.executable
    form_files = sorted((forms.parent / "skjema").glob("*.xlsx"))
    forms_inputs = [forms, forms.parent / "tall.xlsx", *form_files]
    med, mem = time_variants(
        {
            "import floor": [py, "-c", IMPORT_FLOOR],
            "county run": [py, "run_allocation.py", "run", str(county), "--out", "{OUT}"],
            "national run": [py, "run_allocation.py", "run", str(national), "--out", "{OUT}"],
            "national read+write floor": rw_floor(py, national, [national, national.parent / "tall.xlsx"], []),
            "forms run": [py, "run_allocation.py", "run", str(forms), "--out", "{OUT}"],
            "forms read+write floor": rw_floor(py, forms, forms_inputs, FORM_LIBS.split(", ")),
        },
        args.repeat,
        subprocess_env(cache),
    )

    rows = [
        ("county", "import", med["county run"], med["import floor"], COUNTY_TARGET),
        ("national", "read+write", med["national run"], med["national read+write floor"], NATIONAL_TARGET),
        ("forms", "read+write", med["forms run"], med["forms read+write floor"], FORMS_TARGET),
    ]
    print("| case | run s | floor | floor s | ratio | target | met |")
    print("|---|---:|---|---:|---:|---:|---|")
    for case, kind, run_s, floor_s, target in rows:
        ratio = run_s / floor_s
        print(
            f"| {case} | {run_s:.3f} | strict {kind} | {floor_s:.3f} | {ratio:.2f} | {target:.2f}x | "
            f"{'yes' if ratio <= target else 'NO'} |"
        )
    peak = mem["national run"]
    print(
        f"| national peak memory | {peak:.0f} MB | strict read+write | {mem['national read+write floor']:.0f} MB | "
        f"{peak / mem['national read+write floor']:.2f} | <= {MEMORY_TARGET_MB} MB | "
        f"{'yes' if peak <= MEMORY_TARGET_MB else 'NO'} |"
    )
    print()
    print("All medians (s): " + ", ".join(f"{k} {v:.3f}" for k, v in med.items()))
    print("Peak memory (MB): " + ", ".join(f"{k} {v:.0f}" for k, v in mem.items()))
    print()
    in_process(national, args.profile, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
