"""A whole session as one process: peak memory, and how long the UI stalls while a note saves.

The session starts reader on a library, waits for the library's rows and for the jump
index (built in the background at every start), opens the jump box once (which reads every
note and tag into the index), types a query and closes it, opens the first article, then
writes a note through the note editor (``n``, text, ``ctrl+s``) and waits until it is
listed. Its peak RSS (``VmHWM``, which each process reports itself at exit) is compared with
the minimal Textual app's (``bench/minimal_app.py``). The resident size and the peak so far
are also taken after each step (:data:`STEPS`), so a growth can be placed; the peak before
the jump box is opened is what a session that never opens it costs.

While a note saves, a probe on the UI's event loop sleeps 1 ms at a time and records how
late it wakes: the largest delay is the longest time typing or scrolling would have
stalled. It is taken three ways: through the editor (closing it redraws the reader screen,
so the same is measured closing it unsaved), for the save alone as the UI makes it (on the
store's thread through ``call_store``, the screen idle), and over an idle stretch.

    .venv/bin/python bench/memory.py [--articles N] [--notes N]
    .venv/bin/python bench/memory.py --drive ARGS...   # one session (used by the above)
"""

from __future__ import annotations

import asyncio
import json
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
    SIZE,
    home_env,
    median,
    report_peak_rss,
    run_process,
    session_args,
    size_parser,
)

#: Longest wait for the jump index, the article or the save (seconds).
TIMEOUT = 900.0
#: The session's steps, in order, for the per-step figures ``rss_mb@STEP``/``peak_mb@STEP``.
STEPS = {
    "imports": "imports (Textual and reader)",
    "library": "library shown",
    "jump_index": "jump index built (articles and entities)",
    "jump_box": "jump box opened: notes and tags indexed, one query",
    "article": "an article opened",
    "notes": "notes written",
}
#: What is typed into the jump box.
JUMP_QUERY = "secretary"
#: Notes saved per session: the first save after opening encodes every line once, so it is
#: reported apart from the others.
SAVES = 4


class LagProbe:
    """Sleeps 1 ms at a time on the event loop and keeps the worst lateness."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.001)
            self.worst = max(self.worst, time.perf_counter() - before - 0.001)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    def stop(self) -> float:
        if self._task is not None:
            self._task.cancel()
        return self.worst


def memory_now() -> tuple[float, float]:
    """This process's resident size and its peak so far (``VmRSS``, ``VmHWM``), in MB."""
    found: dict[str, float] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024
    return found.get("VmRSS", float("nan")), found.get("VmHWM", float("nan"))


async def until(test: Any, what: str, timeout: float = TIMEOUT) -> float:
    """Wait for ``test()`` to hold; the seconds it took."""
    start = time.perf_counter()
    while not test():
        if time.perf_counter() - start > timeout:
            raise TimeoutError(f"waited {timeout:.0f} s for {what}")
        await asyncio.sleep(0.005)
    return time.perf_counter() - start


def drive(argv: list[str]) -> int:
    """One session; prints its figures as JSON."""
    from reader.cli import build_parser
    from reader.ui.app import make_app
    from reader.ui.screens.jump import JumpScreen
    from reader.ui.screens.library import LibraryScreen
    from reader.ui.screens.reader import ReaderScreen
    from reader.ui.search_service import service_for
    from reader.ui.widgets.library_table import LibraryTable
    from reader.workspace import Workspace

    figures: dict[str, float] = {}

    def reached(step: str) -> None:
        figures[f"rss_mb@{step}"], figures[f"peak_mb@{step}"] = memory_now()

    reached("imports")
    ws = Workspace.from_args(build_parser().parse_args(argv))
    app = make_app(ws)

    def rows() -> int:
        screen = app.screen
        if not isinstance(screen, LibraryScreen) or not screen.is_mounted:
            return 0
        return screen.query_one(LibraryTable).row_count

    async def session(pilot: Any) -> None:
        start = time.perf_counter()
        await until(lambda: rows() > 0, "the library")
        reached("library")
        service = service_for(app, ws)
        await until(service.ready.is_set, "the jump index")
        figures["jump_index_s"] = time.perf_counter() - start
        reached("jump_index")
        # The jump box reads every note and tag into the index when it opens.
        opened = time.perf_counter()
        await pilot.press("ctrl+p")
        await until(service.synced.is_set, "the notes to be indexed")
        figures["jump_notes_s"] = time.perf_counter() - opened
        await pilot.press(*JUMP_QUERY)
        await until(
            lambda: isinstance(app.screen, JumpScreen) and app.screen.shown_query == JUMP_QUERY,
            "the jump results",
        )
        figures["jump_hits"] = len(app.screen.hits) if isinstance(app.screen, JumpScreen) else 0
        await pilot.press("escape")
        await until(lambda: isinstance(app.screen, LibraryScreen), "the library again")
        reached("jump_box")
        await pilot.press("enter")
        await until(
            lambda: isinstance(app.screen, ReaderScreen) and app.screen.article is not None,
            "the article",
        )
        await pilot.pause(0.5)
        reached("article")
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        # Closing the editor without saving: what the UI costs on its own.
        await pilot.press("n", *"a note")
        probe = LagProbe()
        probe.start()
        await pilot.press("escape")
        await pilot.pause(0.3)
        figures["cancel_max_lag_ms"] = 1000 * probe.stop()
        # How long the store thread spends inside add_note.
        windows: list[tuple[float, float]] = []
        add_note = ws.store.add_note

        def timed_add_note(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return add_note(*args, **kwargs)
            finally:
                windows.append((began, time.perf_counter()))

        ws.store.add_note = timed_add_note  # type: ignore[method-assign]
        lags, times = [], []
        for _ in range(SAVES):
            before = len(screen.placed)
            await pilot.press("n", *"a note")
            probe = LagProbe()
            probe.start()
            pressed = time.perf_counter()
            await pilot.press("ctrl+s")
            await until(lambda n=before: len(screen.placed) > n, "the note to be saved")
            times.append(time.perf_counter() - pressed)
            lags.append(1000 * probe.stop())
        figures["first_save_s"] = times[0]
        figures["first_save_max_lag_ms"] = lags[0]
        figures["save_s"] = median(times[1:])
        figures["save_max_lag_ms"] = max(lags[1:])
        # The save alone, the way the UI makes it (on the store's thread through
        # call_store), with the reader screen idle: does it hold up the event loop?
        article_id = screen.meta.id
        thread_lags = []
        for k in range(SAVES):
            probe = LagProbe()
            probe.start()
            await app.call_store(ws.store.add_note, article_id, f"note {k}")
            thread_lags.append(1000 * probe.stop())
        figures["store_thread_save_max_lag_ms"] = max(thread_lags)
        figures["store_save_ms"] = median([1000 * (e - b) for b, e in windows[-SAVES:]])
        idle = LagProbe()
        idle.start()
        await asyncio.sleep(max(times[-1], 0.3))
        figures["idle_max_lag_ms"] = 1000 * idle.stop()
        reached("notes")
        app.exit()

    try:
        app.run(headless=True, size=SIZE, auto_pilot=session)
    finally:
        ws.close()
    report_peak_rss()
    print(json.dumps(figures))
    return 0


def measure(
    articles: int | None, notes: int, repeats: int = 1, warm: bool = True
) -> dict[str, float]:
    """Peak RSS (MB) of a session and of the minimal app, and the session's save figures.

    ``warm``: run one session first so the measured ones start with the library index.
    """
    work = Path(tempfile.mkdtemp(prefix="memory-", dir=OUT))
    try:
        env = home_env(work / "home")
        drive_cmd = [
            PYTHON,
            str(BENCH / "memory.py"),
            "--drive",
            *session_args(work, articles, notes),
        ]
        minimal = [run_process([PYTHON, str(BENCH / "minimal_app.py")], env) for _ in range(2)]
        if warm:
            run_process(drive_cmd, env)
        sessions = [run_process(drive_cmd, env) for _ in range(repeats)]
        figures = [json.loads(s.stdout.splitlines()[-1]) for s in sessions]
        result = {key: median([f[key] for f in figures]) for key in figures[0]}
        result["rss_mb"] = max(s.max_rss_mb for s in sessions)
        result["rss_mb_without_jump_box"] = max(f["peak_mb@jump_index"] for f in figures)
        result["minimal_rss_mb"] = max(m.max_rss_mb for m in minimal)
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def step_table(r: dict[str, float]) -> list[str]:
    """Markdown rows: resident size and peak so far after each step, against the minimal app."""
    base = r["minimal_rss_mb"]
    lines = [
        f"| step | resident | peak so far | peak / minimal app ({base:.0f} MB) |",
        "| --- | ---: | ---: | ---: |",
    ]
    for step, label in STEPS.items():
        rss, peak = r.get(f"rss_mb@{step}"), r.get(f"peak_mb@{step}")
        if rss is not None and peak is not None:
            lines.append(f"| {label} | {rss:.0f} MB | {peak:.0f} MB | {peak / base:.2f}x |")
    lines.append(f"| whole session (exit) | | {r['rss_mb']:.0f} MB | {r['rss_mb'] / base:.2f}x |")
    return lines


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--drive"]:
        return drive(argv[1:])
    args = size_parser("peak memory and UI stalls of a session", repeats=1).parse_args(argv)
    r = measure(args.articles, args.notes, args.repeats)
    print(json.dumps(r, indent=2))
    print("\n".join(step_table(r)))
    print(
        f"peak RSS {r['rss_mb']:.0f} MB = {r['rss_mb'] / r['minimal_rss_mb']:.2f}x the minimal"
        f" app ({r['minimal_rss_mb']:.0f} MB); worst UI stall while saving"
        f" {r['save_max_lag_ms']:.1f} ms (idle {r['idle_max_lag_ms']:.1f} ms)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
