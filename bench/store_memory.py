"""Resident memory of the annotation store on a big database, opened and used as the app does.

Opens a copy of a database (by default the synthetic 10,000-article, 100,000-note library's),
then reads what the library screen and the jump box read (note counts, tags, reading states,
one article's notes, every note a batch at a time) and saves four notes. Prints, for each
step, how much the process's resident size grew from where it stood after the imports, and
its peak during the step (``VmRSS`` and ``VmHWM`` in ``/proc/self/status``, after a garbage
collection; the peak is reset before each step through ``/proc/self/clear_refs``).

    python bench/store_memory.py
    python bench/store_memory.py --db path/to/reader.json
"""

from __future__ import annotations

import argparse
import gc
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.store import Store  # noqa: E402

DEFAULT_DB = ROOT / "bench" / "out" / "lib-a10000-n100000-s0-9b04b23b" / "reader.json"


def _status(field: str) -> float:
    """A ``/proc/self/status`` figure in MB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def _reset_peak() -> None:
    """Start a new peak from the present size (Linux: 5 to clear_refs)."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


class Steps:
    """Runs steps and prints the resident size each leaves and the peak each reached."""

    def __init__(self) -> None:
        gc.collect()
        self.base = _status("VmRSS")
        self.worst = 0.0
        print(f"{'step':44s} {'held':>9s} {'peak':>9s} {'time':>9s}")

    def run(self, name: str, work: Callable[[], Any]) -> Any:
        gc.collect()
        _reset_peak()
        started = time.perf_counter()
        result = work()
        took = time.perf_counter() - started
        peak = _status("VmHWM") - self.base
        gc.collect()
        held = _status("VmRSS") - self.base
        self.worst = max(self.worst, peak)
        print(f"{name:44s} {held:+8.1f}M {peak:+8.1f}M {took * 1000:7.0f}ms", flush=True)
        return result


def iterate_notes(store: Store) -> int:
    """Every note, a batch at a time if the store can, else as one list."""
    batches = getattr(store, "iter_notes", None)
    if batches is None:
        return len(store.notes())
    return sum(len(batch) for batch in batches())


def session(db: Path) -> None:
    steps = Steps()
    store: Store = steps.run("open", lambda: Store.open(db))
    steps.run("note_counts (result dropped)", lambda: len(store.note_counts()))
    steps.run("tags_by_article (result dropped)", lambda: len(store.tags_by_article()))
    steps.run("reading_states (result dropped)", lambda: len(store.reading_states()))
    article = next(iter(store.note_counts()))
    steps.run("notes of one article", lambda: len(store.notes(article)))
    for i in range(4):
        steps.run(f"add_note #{i + 1}", lambda: store.add_note(article, "a new note"))
    steps.run("every note, in batches", lambda: iterate_notes(store))
    steps.run("close", store.close)
    print(f"worst peak over the imports: {steps.worst:+.1f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--session", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.session:
        session(args.session)
        return 0
    with tempfile.TemporaryDirectory(prefix="reader-bench-") as tmp:
        db = Path(tmp) / "reader.json"
        shutil.copyfile(args.db, db)
        # Each session in a process of its own, so the first leaves nothing to the second.
        print(f"{args.db} ({db.stat().st_size / 1e6:.1f} MB), as given:", flush=True)
        subprocess.run([sys.executable, __file__, "--session", str(db)], check=True)
        print("\nthe same file after a save (its lines checked by their digest):", flush=True)
        subprocess.run([sys.executable, __file__, "--session", str(db)], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
