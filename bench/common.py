"""What the performance scripts share: synthetic libraries cached on disk, timing statistics,
child processes measured with their own resource usage, and the machine's description.

Every figure in the suite is a ratio against a baseline measured in the same run, because
the machines it runs on are shared and noisy; the helpers here exist to make that cheap.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
OUT = BENCH / "out"
PYTHON = sys.executable

#: Terminal size used by every UI measurement (reader and baselines alike).
SIZE = (120, 40)
#: Environment variable carrying the wall-clock time a child was spawned, so the child can
#: tell how far into its own start-up each stage came.
SPAWNED_AT = "READER_BENCH_SPAWNED_AT"


def shared_dir() -> Path:
    """``/work/shared`` beside the repository, or ``$READER_SHARED``."""
    env = os.environ.get("READER_SHARED")
    return Path(env) if env else ROOT.parent / "shared"


def corpus_available() -> bool:
    return (shared_dir() / "corpus" / "dev.jsonl").is_file()


# -- synthetic libraries -------------------------------------------------------------------


@dataclass(frozen=True)
class Lib:
    """A generated library on disk: ``articles/`` and ``reader.json`` under ``root``."""

    root: Path
    articles: int
    notes: int

    @property
    def articles_dir(self) -> Path:
        return self.root / "articles"

    @property
    def db(self) -> Path:
        return self.root / "reader.json"


def _generator_stamp() -> str:
    """A short digest of the generator's source: a changed generator makes new libraries."""
    return hashlib.sha256((BENCH / "synthetic.py").read_bytes()).hexdigest()[:8]


def library(articles: int, notes: int, seed: int = 0) -> Lib:
    """The synthetic library of this size and seed, generated once and kept in bench/out/.

    A ``done`` file is written last, so an interrupted run never leaves a half-made library
    to be mistaken for a whole one: without it the folder is made again.
    """
    root = OUT / f"lib-a{articles}-n{notes}-s{seed}-{_generator_stamp()}"
    if not (root / "done").exists():
        sys.path.insert(0, str(BENCH))
        from synthetic import make_library

        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        make_library(root, articles, notes, seed)
        (root / "done").write_text("ok\n")
    return Lib(root, articles, notes)


def home_env(home: Path) -> dict[str, str]:
    """Environment that keeps reader's data, cache and settings inside ``home``."""
    env = dict(os.environ)
    env.update(
        READER_DATA_DIR=str(home / "data"),
        READER_CONFIG=str(home / "config.toml"),
        READER_CACHE_DIR=str(home / "cache"),
        READER_DB=str(home / "data" / "annotations.json"),
        READER_EXPORT_DIR=str(home / "exports"),
    )
    env.pop("READER_LIBRARY", None)
    return env


# -- statistics ----------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def alternate(
    runs: dict[str, Callable[[], float]], repeats: int, warmup: int = 1
) -> dict[str, list[float]]:
    """Run each callable in turn, A/B/A/B..., ``repeats`` times; the first ``warmup`` rounds
    are thrown away (they fill the page cache and compile bytecode)."""
    results: dict[str, list[float]] = {name: [] for name in runs}
    for k in range(warmup + repeats):
        for name, run in runs.items():
            value = run()
            if k >= warmup:
                results[name].append(value)
    return results


# -- child processes -----------------------------------------------------------------------


@dataclass(frozen=True)
class ProcessRun:
    """One child process: wall time from spawn to exit, its own peak RSS (as it reported
    with :func:`report_peak_rss`; NaN if it did not), and what it printed."""

    seconds: float
    max_rss_mb: float
    stdout: str


def reader_args(lib_dir: Path | None, db: Path | None) -> list[str]:
    """``reader``'s command-line arguments for this library folder and database."""
    args: list[str] = []
    if db is not None:
        args += ["--db", str(db)]
    if lib_dir is not None:
        args += ["--no-seeds", "--library", str(lib_dir)]
    return args


def session_args(work: Path, articles: int | None, notes: int) -> list[str]:
    """``reader``'s arguments for a run in ``work``: the bundled seeds and an empty database
    (``articles=None``), or the synthetic library with a copy of its database."""
    if articles is None:
        return reader_args(None, work / "annotations.json")
    lib = library(articles, notes)
    db = work / "reader.json"
    shutil.copyfile(lib.db, db)
    return reader_args(lib.articles_dir, db)


def size_parser(description: str, repeats: int) -> argparse.ArgumentParser:
    """The options of a script measuring reader on a synthetic library of some size."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--articles", type=int, default=None, help="synthetic library size")
    parser.add_argument("--notes", type=int, default=10000)
    parser.add_argument("--repeats", type=int, default=repeats)
    return parser


def run_process(
    args: Sequence[str], env: dict[str, str] | None = None, timeout: float = 600
) -> ProcessRun:
    """Run ``args`` to its end and time it, from spawn to exit.

    Output goes to temporary files rather than pipes, so nothing has to be read while the
    child runs and the parent can wait for exactly this child.
    """
    env = dict(os.environ if env is None else env)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        env[SPAWNED_AT] = repr(time.time())
        proc = subprocess.Popen(
            list(args), env=env, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=out, stderr=err
        )
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status = os.waitpid(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        if proc.returncode != 0:
            tail = err.read().decode(errors="replace")[-3000:]
            raise RuntimeError(f"exit {proc.returncode}: {' '.join(args)}\n{tail}")
    return ProcessRun(seconds, _reported_peak(stdout), stdout)


def _reported_peak(stdout: str) -> float:
    for line in stdout.splitlines():
        if line.startswith(PEAK_PREFIX):
            return float(line[len(PEAK_PREFIX) :])
    return float("nan")


#: How a child reports its peak RSS on its standard output.
PEAK_PREFIX = "peak_rss_mb="


def report_peak_rss() -> None:
    """Print this process's peak RSS (``VmHWM``) for :func:`run_process` to read.

    Read from ``/proc/self/status`` rather than taken from ``wait4``'s rusage: Linux carries
    the parent's peak over into a child it forks, so a small child of a large benchmark
    process would report the parent's figure.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            print(f"{PEAK_PREFIX}{int(line.split()[1]) / 1024:.1f}", flush=True)
            return


# -- the machine ---------------------------------------------------------------------------


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    from importlib.metadata import version

    return {
        "cores": str(os.cpu_count()),
        "memory": memory,
        "cpu": cpu,
        "python": platform.python_version(),
        "textual": version("textual"),
        "tinydb": version("tinydb"),
        "rapidfuzz": version("rapidfuzz"),
    }


# -- running an app until it is painted ----------------------------------------------------

#: How often the readiness test runs while an app starts (seconds).
POLL_SECONDS = 0.005


def run_headless(app: Any, ready: Callable[[Any], bool], timeout: float = 300) -> float:
    """Run ``app`` through ``App.run`` (headless, :data:`SIZE`) until ``ready(app)`` holds
    and the screen has been painted once more, then exit. Returns seconds from this call to
    that paint.

    The same driver runs reader and the baselines, so the way an app is stopped costs them
    all the same.
    """
    import asyncio

    start = time.perf_counter()
    painted_at: list[float] = []

    async def pilot(pilot: Any) -> None:
        deadline = time.perf_counter() + timeout
        while not ready(app):
            if time.perf_counter() > deadline:
                raise TimeoutError("the app never became ready")
            await asyncio.sleep(POLL_SECONDS)
        painted = asyncio.Event()
        app.screen.call_after_refresh(painted.set)
        await painted.wait()
        painted_at.append(time.perf_counter())
        app.exit()

    app.run(headless=True, size=SIZE, auto_pilot=pilot)
    if not painted_at:
        raise RuntimeError("the app exited before it was painted")
    return painted_at[0] - start
