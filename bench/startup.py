"""Start-up: from launching reader to its first painted library screen, as a whole process,
beside the minimal Textual app (``bench/minimal_app.py``) in the same run.

Runs alternate reader / minimal / reader / minimal..., and the medians are compared. The
library index is built by one run first, so the figure is the everyday, warm start; the
cold start (no index: every article read) is reported too.

    .venv/bin/python bench/startup.py [--articles N] [--notes N] [--repeats N]
    .venv/bin/python bench/startup.py --drive ARGS...   # one reader run (used by the above)

The driver does what ``reader`` does (parse the command line, make the workspace, run
``make_app(ws)`` through ``App.run``) headless at 120x40, and stops once the library's
rows have been painted. It also counts the article files read during the scan, which
proves the warm runs use the index.

The first rows come from the library index; the scan and the store's data (read marks,
tags, notes) replace them a moment later. Separate runs, not timed against the minimal
app, wait for that too and report when it came ("filled").
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import (
    BENCH,
    OUT,
    PYTHON,
    SPAWNED_AT,
    alternate,
    home_env,
    median,
    report_peak_rss,
    run_headless,
    run_process,
    session_args,
    size_parser,
)


def drive(argv: list[str]) -> int:
    """One start of reader, to the first paint of the library's rows, then exit.

    Prints the number of files read and when each stage was reached, in seconds since the
    parent spawned this process: imports done, library screen mounted, rows shown, painted;
    with ``UNTIL_FILLED`` set in the environment, it runs on until the rows show the
    store's data ("filled"), and the files are counted by then.
    """
    spawned = float(os.environ.get(SPAWNED_AT, "nan"))
    import reader.library
    from reader.__main__ import skip_final_collection
    from reader.cli import build_parser
    from reader.ui.app import make_app
    from reader.workspace import Workspace

    stages = {"imports": time.time() - spawned}

    reads = 0
    read_record = reader.library.read_record

    def counting(path: Path, st: os.stat_result) -> dict[str, Any]:
        nonlocal reads
        reads += 1
        return read_record(path, st)

    reader.library.read_record = counting

    args = build_parser().parse_args(argv)
    ws = Workspace.from_args(args)
    try:
        app = make_app(ws)
        shown: list[int] = []

        until_filled = bool(os.environ.get(UNTIL_FILLED))

        def ready(app: object) -> bool:
            if _rows(app) >= 0:
                stages.setdefault("screen", time.time() - spawned)
            if not rows_painted(app, shown):
                return False
            stages.setdefault("rows", time.time() - spawned)
            if until_filled:
                if app.screen.snapshot.pending:  # type: ignore[attr-defined]
                    return False
                stages["filled"] = time.time() - spawned
            return True

        run_headless(app, ready)
        stages["painted"] = time.time() - spawned
        rows = shown[-1]
        atexit.register(skip_final_collection)  # as reader's main does once the app closes
    finally:
        ws.close()
    report_peak_rss()
    print(json.dumps({"files_read": reads, "rows": rows, "stages": stages}))
    return 0


#: Environment variable: the driver waits for the store's data in the rows too.
UNTIL_FILLED = "READER_BENCH_UNTIL_FILLED"


def _rows(app: object) -> int:
    from reader.ui.screens.library import LibraryScreen
    from reader.ui.widgets.library_table import LibraryTable

    screen = app.screen  # type: ignore[attr-defined]
    if not isinstance(screen, LibraryScreen) or not screen.is_mounted:
        return -1
    return screen.query_one(LibraryTable).row_count


def rows_painted(app: object, shown: list[int]) -> bool:
    """The library screen is up and shows its articles (their number goes in ``shown``)."""
    rows = _rows(app)
    shown.append(rows)
    return rows > 0


# -- measuring -------------------------------------------------------------------------------


def measure(
    articles: int | None, notes: int, repeats: int, warmup: int = 1, cold_repeats: int = 1
) -> dict[str, float]:
    """Warm and cold start-up of reader and the minimal app's, in seconds (medians).

    ``articles=None`` means the bundled seeds and an empty database.
    """
    work = Path(tempfile.mkdtemp(prefix="startup-", dir=OUT))
    try:
        env = home_env(work / "home")
        # Bytecode is written by the warm-up round, as an installed reader has it: with
        # PYTHONDONTWRITEBYTECODE set, every run would compile reader's sources again
        # (Textual's, which the minimal app imports, are compiled when installed).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        cache = work / "home" / "cache"
        drive_cmd = [
            PYTHON,
            str(BENCH / "startup.py"),
            "--drive",
            *session_args(work, articles, notes),
        ]
        minimal_cmd = [PYTHON, str(BENCH / "minimal_app.py")]

        cold: list[float] = []
        for _ in range(cold_repeats):
            shutil.rmtree(cache, ignore_errors=True)
            cold_run = run_process(drive_cmd, env)
            cold.append(cold_run.seconds)
        cold_read = json.loads(cold_run.stdout.splitlines()[-1])["files_read"]

        warm_reads: list[int] = []
        stages: list[dict[str, float]] = []

        def run_reader() -> float:
            result = run_process(drive_cmd, env)
            figures = json.loads(result.stdout.splitlines()[-1])
            warm_reads.append(figures["files_read"])
            stages.append(figures["stages"])
            return result.seconds

        def run_minimal() -> float:
            return run_process(minimal_cmd, env).seconds

        times = alternate({"reader": run_reader, "minimal": run_minimal}, repeats, warmup)
        filled: list[float] = []
        filled_reads: list[int] = []
        for _ in range(repeats):
            result = run_process(drive_cmd, {**env, UNTIL_FILLED: "1"})
            figures = json.loads(result.stdout.splitlines()[-1])
            filled.append(figures["stages"]["filled"])
            filled_reads.append(figures["files_read"])
        return {
            "reader_s": median(times["reader"]),
            "minimal_s": median(times["minimal"]),
            "cold_s": median(cold),
            "cold_files_read": float(cold_read),
            "warm_files_read": float(max(warm_reads)),
            "filled_s": median(filled),
            "filled_files_read": float(max(filled_reads)),
            **{
                f"{stage}_s": median([s[stage] for s in stages[-repeats:]])
                for stage in ("imports", "screen", "rows", "painted")
            },
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--drive"]:
        return drive(argv[1:])
    args = size_parser("reader start-up beside a minimal Textual app", repeats=5).parse_args(argv)
    r = measure(args.articles, args.notes, args.repeats)
    what = "bundled seeds" if args.articles is None else f"{args.articles} articles"
    print(
        f"{what}: reader {r['reader_s']:.3f} s, minimal app {r['minimal_s']:.3f} s,"
        f" ratio {r['reader_s'] / r['minimal_s']:.2f}x; cold {r['cold_s']:.3f} s"
        f" ({r['cold_files_read']:.0f} files read; warm runs read {r['warm_files_read']:.0f})"
    )
    print(
        f"stages: imports {r['imports_s']:.3f} s, library screen {r['screen_s']:.3f} s,"
        f" rows {r['rows_s']:.3f} s, painted {r['painted_s']:.3f} s;"
        f" filled with the store's data {r['filled_s']:.3f} s"
        f" (separate runs; files read by then: {r['filled_files_read']:.0f})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
