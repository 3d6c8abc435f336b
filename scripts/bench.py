"""Benchmark: the tool against a LibCST parse floor, its peers and its own targets, in one run.

Everything is measured in this run, on this machine, as real command lines (start-up,
discovery, workers, output and all), each under a wrapper that reports the CPU time and the
peak memory of the command and every process it starts:

* ``floor`` -- ``libcst.parse_module(text).code`` of every file, in 2 worker processes;
* ``cold`` -- ``codemods diff -j 2 --no-cache`` on a copy of Nova, all four codemods; its
  output is compared byte for byte with the reference engine's (the commit before this
  round's performance work, via ``scripts/reference.py``);
* ``clean`` -- the same after ``codemods apply`` wrote every fix (``--no-cache``);
* ``warm`` -- ``codemods diff -j 2`` twice with a fresh cache; the second run;
* ``-j 1`` -- the cold run with one worker (wall time, for the speed-up);
* ``one file`` -- ``codemods apply --force-exclude FILE`` on one small Nova file, as the
  pre-commit hook runs it (wall time, median), and what ``python -X importtime`` shows;
* per codemod -- ``--select ID`` cold;
* peers -- ``autoflake --remove-unused-variables`` then ``autopep8 --select E101,E11,W191``
  on a copy (two of our four jobs), and ruff (``--select F841 --fix``, ``--select D1``),
  installed in a virtualenv under the corpus cache;
* scale -- generated modules of 1, 5 and 10 MB (time per MB, peak memory);
* start methods -- ``--select resize-guard`` on all of Nova, ``-j 2``, under ``fork``,
  ``spawn`` and ``forkserver`` (wall time against ``fork``'s; the output must be identical),
  and the cost of the state resize-guard's ``prepare`` hands to each worker under ``spawn``
  (reading the project, its pickled size, pickling and unpickling it once per worker).

Ratios are of CPU seconds (user + system, all processes) unless marked wall. The run prints
one table and exits 1 when a target is missed. Usage::

    python scripts/bench.py [--repeat N] [--skip-peers] [--skip-scale] [--only-start-methods]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpora  # noqa: E402
import reference  # noqa: E402

PROJECT = Path(__file__).resolve().parent.parent
CODEMODS = [sys.executable, "-m", "codemods"]
CODEMOD_IDS = ("indentation", "unused-variables", "resize-guard", "docstring-stubs")
PEERS = ("autoflake==2.4.0", "autopep8==2.3.2", "ruff==0.17.6")
SMALL_FILE = "nova/tests/functional/regressions/test_bug_1825537.py"

MEASURE = r"""
import json, resource, subprocess, sys, time
start = time.perf_counter()
errors = sys.argv[1] + ".stderr" if sys.argv[1] != "/dev/null" else "/dev/null"
with open(sys.argv[1], "wb") as out, open(errors, "wb") as err:
    code = subprocess.call(sys.argv[3:], stdout=out, stderr=err, cwd=sys.argv[2])
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": code, "wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                  "rss_mb": usage.ru_maxrss / 1024}))
"""
"""Runs a command (argv[3:], in directory argv[2], stdout to argv[1], stderr beside it) and prints its wall
time, the CPU time and the peak RSS of it and every process it started (RUSAGE_CHILDREN)."""

FLOOR = r"""
import multiprocessing, os, sys
import libcst

def parse_and_render(path):
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    try:
        return len(libcst.parse_module(text).code)
    except Exception:
        return 0

if __name__ == "__main__":
    paths = [line.rstrip("\n") for line in open(sys.argv[1], encoding="utf-8")]
    with multiprocessing.Pool(2) as pool:
        pool.map(parse_and_render, paths, chunksize=16)
"""
"""The floor: LibCST's parse and code generation of every file, in 2 worker processes."""


@dataclasses.dataclass(frozen=True)
class Measure:
    """One command's wall time, CPU time (all processes) and peak RSS, and its exit code."""

    wall: float
    cpu: float
    rss_mb: float
    code: int


def measure(command: Sequence[str], cwd: Path, stdout: Path | None = None) -> Measure:
    """Run ``command`` under the measuring wrapper and return what it reports."""
    out = stdout or Path(os.devnull)
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(out), str(cwd), *command],
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ, PYTHONPATH=str(PROJECT)),
    )
    return Measure(**json.loads(done.stdout))


def median_of(
    repeat: int, command: Sequence[str], cwd: Path, stdout: Path | None = None
) -> Measure:
    """Run ``command`` ``repeat`` times; return the run with the median CPU time."""
    runs = sorted((measure(command, cwd, stdout) for _ in range(repeat)), key=lambda m: m.cpu)
    return runs[len(runs) // 2]


def fresh_copy(source: Path, work: Path, name: str) -> Path:
    """Return a fresh copy of the tree ``source`` under ``work``."""
    target = work / name
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    return target


def python_files(root: Path) -> list[Path]:
    """Return the ``*.py`` files under ``root``, sorted."""
    return sorted(root.rglob("*.py"))


def peers_environment() -> Path:
    """Return a virtualenv with the peer tools (made once under the corpus cache)."""
    venv = corpora.cache_dir() / "bench-peers"
    marker = venv / ".installed"
    if marker.exists() and marker.read_text() == " ".join(PEERS):
        return venv
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", *PEERS]
    subprocess.run(pip, check=True)
    marker.write_text(" ".join(PEERS))
    return venv


def generated_module(megabytes: int) -> str:
    """Return a module of about ``megabytes`` MB: undocumented functions, classes, dead stores."""
    pieces = ['"""A generated module for the scaling benchmark."""\n\n']
    size = len(pieces[0])
    number = 0
    while size < megabytes * 1_000_000:
        piece = (
            f"\n\ndef compute_{number}(value, factor=2):\n"
            f"    unused_{number} = value + 1\n"
            "    total = value * factor\n"
            "    for item in range(3):\n"
            "        total += item\n"
            "    return total\n"
            f"\n\nclass Holder{number}:\n"
            "    def __init__(self, value):\n"
            "        self.value = value\n\n"
            "    def doubled(self):\n"
            "        result = self.value * 2\n"
            "        return result\n"
        )
        pieces.append(piece)
        size += len(piece)
        number += 1
    return "".join(pieces)


class Report:
    """The rows of the table, and the targets met or missed."""

    def __init__(self) -> None:
        """Start empty."""
        self.rows: list[tuple[str, str, str]] = []
        self.missed: list[str] = []

    def row(self, name: str, value: str, target: str = "", met: bool | None = None) -> None:
        """Add a row; ``met`` False records a missed target."""
        verdict = "" if met is None else ("yes" if met else "NO")
        self.rows.append((name, value, f"{target} {verdict}".strip()))
        if met is False:
            self.missed.append(name)

    def print(self) -> None:
        """Print the table as Markdown (it goes into docs/measurements/performance.md)."""
        print("| measure | value | target met |")
        print("| --- | --- | --- |")
        for name, value, target in self.rows:
            print(f"| {name} | {value} | {target} |")


def machine() -> str:
    """Describe the machine: CPU model, cores, memory, Python."""
    model = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cores = len(os.sched_getaffinity(0))
    return f"{model}, {cores} cores, {memory:.0f} GiB, Python {platform.python_version()}"


def main(argv: list[str]) -> int:
    """Run every measurement, print the table, and exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (median)")
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument(
        "--only-start-methods", action="store_true", help="measure the start methods only"
    )
    args = parser.parse_args(argv)
    report = Report()
    nova = reference.corpus_directory("nova")
    megabytes = sum(path.stat().st_size for path in python_files(nova)) / 1e6
    print(f"machine: {machine()}", file=sys.stderr)
    print(
        f"corpus: Nova {corpora.NOVA_VERSION}, {len(python_files(nova))} files, "
        f"{megabytes:.1f} MB",
        file=sys.stderr,
    )
    work = corpora.cache_dir() / "bench-work"  # a fixed place: diff headers name the paths
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    tree = fresh_copy(nova.parent, work, "tree") / "nova"
    listing = work / "files.txt"
    listing.write_text("".join(f"{p}\n" for p in python_files(tree)))
    if args.only_start_methods:
        start_methods(report, work, tree, args.repeat)
        return finish(report, megabytes)
    floor = median_of(args.repeat, [sys.executable, "-c", FLOOR, str(listing)], work)
    report.row(
        "floor: LibCST parse + code, 2 workers",
        f"{floor.cpu:.1f} s CPU ({floor.cpu / megabytes:.2f} s/MB)",
    )

    diff = [*CODEMODS, "diff", "-j", "2", "--no-cache", "--color=never"]
    out = work / "cold.diff"
    cold = median_of(args.repeat, [*diff, str(tree)], work, out)
    ratio = cold.cpu / floor.cpu
    report.row(
        "cold, all four codemods, -j 2",
        f"{cold.cpu:.1f} s CPU, {cold.wall:.1f} s wall, {ratio:.2f}x floor",
        "<= 0.6x",
        ratio <= 0.6,
    )
    expected = reference.reference_output(reference.REFERENCE_REV, "tree", tree, ["-j", "2"])
    identical = out.read_bytes() + Path(f"{out}.stderr").read_bytes() == expected
    report.row(
        "output identical to the reference engine", "yes" if identical else "no", "yes", identical
    )
    report.row("peak RSS, all Nova -j 2", f"{cold.rss_mb:.0f} MB", "< 1024 MB", cold.rss_mb < 1024)

    serial = median_of(args.repeat, [*CODEMODS, "diff", "-j", "1", "--no-cache", str(tree)], work)
    speedup = serial.wall / cold.wall
    report.row(
        "-j 2 against -j 1 (wall)",
        f"{serial.wall:.1f} s / {cold.wall:.1f} s = {speedup:.2f}x",
        ">= 1.7x",
        speedup >= 1.7,
    )

    for codemod_id in CODEMOD_IDS:
        alone = median_of(args.repeat, [*diff, "--select", codemod_id, str(tree)], work)
        report.row(f"cold, --select {codemod_id}", f"{alone.cpu / floor.cpu:.2f}x floor")

    cache_dir = work / "cache"
    warm_command = [
        *CODEMODS,
        "diff",
        "-j",
        "2",
        "--color=never",
        "--cache-dir",
        str(cache_dir),
        str(tree),
    ]
    warm_runs = []
    for _ in range(args.repeat):
        shutil.rmtree(cache_dir, ignore_errors=True)
        measure(warm_command, work)
        warm_runs.append(measure(warm_command, work, work / "warm.diff"))
    warm = sorted(warm_runs, key=lambda m: m.cpu)[len(warm_runs) // 2]
    warm_ratio = warm.cpu / cold.cpu
    report.row(
        "warm re-run, nothing changed",
        f"{warm.cpu:.2f} s CPU, {warm.wall:.2f} s wall, {warm_ratio:.3f}x cold",
        "<= 0.03x",
        warm_ratio <= 0.03,
    )
    same = (work / "warm.diff").read_bytes() == out.read_bytes()
    report.row("warm output identical to cold", "yes" if same else "no", "yes", same)

    subprocess.run(
        [*CODEMODS, "apply", "-q", "-j", "2", "--no-cache", str(tree)],
        check=True,
        env=dict(os.environ, PYTHONPATH=str(PROJECT)),
    )
    clean = median_of(args.repeat, [*diff, str(tree)], work)
    clean_ratio = clean.cpu / floor.cpu
    report.row(
        "clean tree (after apply), --no-cache",
        f"{clean.cpu:.1f} s CPU, {clean_ratio:.2f}x floor",
        "<= 0.15x",
        clean_ratio <= 0.15,
    )

    small = work / "small" / "test_bug_1825537.py"
    small.parent.mkdir()
    shutil.copy(nova.parent / SMALL_FILE, small)
    hook = [*CODEMODS, "apply", "--force-exclude", "--no-cache", str(small)]
    walls = []
    for _ in range(max(5, args.repeat)):
        shutil.copy(nova.parent / SMALL_FILE, small)
        walls.append(measure(hook, small.parent).wall)
    one = statistics.median(walls)
    report.row(
        "one small file, as the pre-commit hook runs it (wall)",
        f"{one:.3f} s",
        "<= 0.3 s",
        one <= 0.3,
    )
    print(importtime_summary(small), file=sys.stderr)

    if not args.skip_peers:
        compare_peers(report, work, nova.parent, cold, args.repeat)
    if not args.skip_scale:
        scale(report, work, args.repeat)
    start_methods(report, work, tree, args.repeat)
    return finish(report, megabytes)


def finish(report: Report, megabytes: float) -> int:
    """Print the table; return 1 when a target was missed."""
    print(f"machine: {machine()}; corpus: Nova {corpora.NOVA_VERSION} ({megabytes:.1f} MB)")
    report.print()
    if report.missed:
        print(f"targets missed: {', '.join(report.missed)}", file=sys.stderr)
        return 1
    return 0


UNDER_METHOD = (
    "import multiprocessing, sys\n"
    "multiprocessing.set_start_method(sys.argv.pop(1))\n"
    "sys.argv[0] = 'codemods'\n"
    "from codemods.cli import main\n"
    "main()\n"
)
"""Runs the CLI with the start method named by its first argument, as Python's default."""

HANDOVER = r"""
import json, pickle, sys, time
from pathlib import Path
from codemods.fixes.resize_guard import ResizeGuard
paths = sorted(Path(sys.argv[1]).rglob("*.py"))
start = time.perf_counter()
state = ResizeGuard().prepare(paths)
prepared = time.perf_counter() - start
start = time.perf_counter()
for _ in range(2):  # one copy per worker, as spawn pickles the initializer's arguments
    data = pickle.dumps(state)
    ResizeGuard().receive_prepared(pickle.loads(data))
handed = time.perf_counter() - start
print(json.dumps({"prepare": prepared, "handover": handed, "mb": len(data) / 1e6,
                  "files": len(state.paths)}))
"""
"""Times resize-guard's ``prepare`` on a tree and the hand-over of its state to 2 workers."""


def start_methods(report: Report, work: Path, tree: Path, repeat: int) -> None:
    """Measure ``-j 2`` under each start method against ``fork``, and the prepared state.

    Wall time: under ``forkserver`` the workers are the fork server's children, whose CPU
    time never reaches this process's RUSAGE_CHILDREN.
    """
    command = ["diff", "-j", "2", "--no-cache", "--color=never", "--unsafe-fixes"]
    command += ["--select", "resize-guard", str(tree)]
    walls: dict[str, float] = {}
    outputs: dict[str, bytes] = {}
    for method in ("fork", "spawn", "forkserver"):
        out = work / f"start-{method}.diff"
        run = [sys.executable, "-c", UNDER_METHOD, method, *command]
        walls[method] = statistics.median(measure(run, work, out).wall for _ in range(repeat))
        outputs[method] = out.read_bytes() + Path(f"{out}.stderr").read_bytes()
    for method in ("spawn", "forkserver"):
        same = outputs[method] == outputs["fork"]
        report.row(
            f"{method}: --select resize-guard -j 2 (wall)",
            f"{walls[method]:.1f} s, {walls[method] / walls['fork']:.2f}x fork's "
            f"{walls['fork']:.1f} s; output {'identical' if same else 'DIFFERENT'}",
            "identical",
            same,
        )
    done = subprocess.run(
        [sys.executable, "-c", HANDOVER, str(tree)],
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ, PYTHONPATH=str(PROJECT)),
    )
    cost = json.loads(done.stdout)
    report.row(
        "resize-guard prepare: read the project once",
        f"{cost['files']} files, {cost['prepare']:.2f} s",
    )
    report.row(
        "its state handed to 2 spawn workers (pickle + unpickle)",
        f"{cost['mb']:.1f} MB each, {cost['handover']:.2f} s, "
        f"{cost['handover'] / walls['spawn']:.3f}x the spawn run",
        "<= 0.05x",
        cost["handover"] / walls["spawn"] <= 0.05,
    )


def importtime_summary(small: Path) -> str:
    """Return the ten slowest imports of a one-file run (``python -X importtime``)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *CODEMODS[1:], "check", "--no-cache", str(small)],
        capture_output=True,
        text=True,
        check=False,
        env=dict(os.environ, PYTHONPATH=str(PROJECT)),
    )
    rows = []
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = line.split("|")
            if cumulative.strip().isdigit():
                rows.append((int(cumulative), name.rstrip()))
    top = sorted(rows, reverse=True)[:10]
    return "slowest imports (cumulative us):\n" + "\n".join(
        f"  {us:>8} {name}" for us, name in top
    )


def compare_peers(report: Report, work: Path, nova_root: Path, cold: Measure, repeat: int) -> None:
    """Time the autoflake + autopep8 chain and ruff on copies of Nova."""
    venv = peers_environment()
    tool = lambda name: str(venv / "bin" / name)  # noqa: E731
    chains = []
    for _ in range(repeat):
        tree = fresh_copy(nova_root, work, "peers") / "nova"
        in_place = ["--in-place", "-r", "-j", "2", str(tree)]
        flake = measure([tool("autoflake"), "--remove-unused-variables", *in_place], work)
        pep8 = measure([tool("autopep8"), "--select", "E101,E11,W191", *in_place], work)
        chains.append((flake.cpu + pep8.cpu, flake.wall + pep8.wall))
    chain_cpu, chain_wall = sorted(chains)[len(chains) // 2]
    report.row(
        "autoflake then autopep8, -j 2 (two of our four jobs)",
        f"{chain_cpu:.1f} s CPU, {chain_wall:.1f} s wall",
        f"ours {cold.cpu:.1f} s CPU: faster",
        cold.cpu < chain_cpu,
    )
    tree = fresh_copy(nova_root, work, "peers") / "nova"
    f841 = median_of(
        repeat,
        [
            tool("ruff"),
            "check",
            "--no-cache",
            "--select",
            "F841",
            "--fix",
            "--unsafe-fixes",
            "--exit-zero",
            str(tree),
        ],
        work,
    )
    d1 = median_of(
        repeat,
        [tool("ruff"), "check", "--no-cache", "--select", "D1", "--exit-zero", str(tree)],
        work,
    )
    report.row(
        "ruff --select F841 --fix (native, for scale)",
        f"{f841.cpu:.2f} s CPU, {f841.wall:.2f} s wall",
    )
    report.row("ruff --select D1 (reports only)", f"{d1.cpu:.2f} s CPU, {d1.wall:.2f} s wall")


def scale(report: Report, work: Path, repeat: int) -> None:
    """Time generated modules of 1, 5 and 10 MB; check time per MB and peak memory."""
    per_mb = {}
    for size in (1, 5, 10):
        module = work / "scale" / f"generated_{size}mb.py"
        module.parent.mkdir(exist_ok=True)
        text = generated_module(size)
        module.write_text(text)
        run = median_of(
            max(1, repeat if size == 1 else 1),
            [*CODEMODS, "diff", "-j", "1", "--no-cache", str(module)],
            work,
        )
        per_mb[size] = run.cpu / (len(text) / 1e6)
        report.row(
            f"generated {size} MB module",
            f"{run.cpu:.1f} s CPU ({per_mb[size]:.2f} s/MB), {run.rss_mb:.0f} MB peak",
            "< 1024 MB" if size == 10 else "",
            run.rss_mb < 1024 if size == 10 else None,
        )
    growth = per_mb[10] / per_mb[1]
    report.row(
        "time per MB, 10 MB against 1 MB", f"{growth:.2f}x", "<= 1.3x (linear)", growth <= 1.3
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
