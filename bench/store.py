"""How long saving one note takes with 10,000 and 100,000 notes in the database.

Compares, in the same run and on the same data, ``Store.add_note`` (crash-safe: temp file,
fsync, rename, folder fsync, inter-process lock) with TinyDB's default ``JSONStorage``
inserting the same document (in place, one fsync, no lock). Prints median and p95 per size,
the ratio, and what opening the database and the first save after opening cost (time, and
the memory Python holds after opening and at its peak while opening, from ``tracemalloc``).

It also measures how long a save on a worker thread, as the UI makes it, stalls an asyncio
event loop: a probe on the loop sleeps 1 ms at a time and records how late it wakes, during
saves and over an idle stretch of the same length.

    python bench/store.py                     # 10,000 and 100,000 notes
    python bench/store.py --sizes 10000 --saves 50
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tinydb import TinyDB  # noqa: E402

from reader.models import Anchor  # noqa: E402
from reader.store import Store, note_to_doc  # noqa: E402

WORDS = [
    *("siege", "city", "residents", "aid", "convoy", "evacuation", "council", "report"),
    *("minister", "border", "talks", "ceasefire", "water", "hospital", "shelling"),
    *("district", "market", "school", "winter", "refugees", "camp"),
]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def make_note(rng: random.Random, store: Store | None, i: int) -> dict[str, Any]:
    article = f"{rng.randrange(10_000):016x}"
    quote = sentence(rng, 9)
    anchor = Anchor(quote, sentence(rng, 5)[:32], sentence(rng, 5)[:32], i, i + len(quote))
    text = sentence(rng, rng.randrange(8, 30))
    tags = rng.sample(WORDS, rng.randrange(0, 3))
    return {"article": article, "text": text, "anchor": anchor, "tags": tags}


def build(folder: Path, n: int, rng: random.Random) -> tuple[Path, Path, float]:
    """The same n notes in our database and in a TinyDB JSONStorage file."""
    ours = folder / f"ours-{n}.json"
    theirs = folder / f"tinydb-{n}.json"
    started = time.perf_counter()
    with Store.open(ours) as store, store.batch():
        for i in range(n):
            spec = make_note(rng, store, i)
            store.add_note(spec["article"], spec["text"], spec["anchor"], spec["tags"])
    built = time.perf_counter() - started
    with Store.open(ours) as store:
        docs = [note_to_doc(note) for batch in store.iter_notes() for note in batch]
    theirs.write_text(json.dumps({"notes": {str(i): d for i, d in enumerate(docs, 1)}}))
    return ours, theirs, built


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def ms(value: float) -> str:
    return f"{value * 1000:8.1f} ms"


async def _worst_lateness(seconds: float, work: Any = None) -> float:
    """The longest a 1 ms sleep on this loop overslept while ``work`` ran on a thread."""
    worst = 0.0
    done = asyncio.Event()

    async def probe() -> None:
        nonlocal worst
        while not done.is_set():
            before = time.perf_counter()
            await asyncio.sleep(0.001)
            worst = max(worst, time.perf_counter() - before - 0.001)

    task = asyncio.create_task(probe())
    if work is None:
        await asyncio.sleep(seconds)
    else:
        await asyncio.get_running_loop().run_in_executor(None, work)
    done.set()
    await task
    return worst


def stalls(store: Store, specs: list[dict[str, Any]]) -> tuple[float, float]:
    """Worst event-loop lateness during these saves, and over as long idle."""

    async def measure() -> tuple[float, float]:
        started = time.perf_counter()
        during = 0.0
        for spec in specs:
            save = partial(
                store.add_note, spec["article"], spec["text"], spec["anchor"], spec["tags"]
            )
            during = max(during, await _worst_lateness(0, save))
        idle = await _worst_lateness(time.perf_counter() - started)
        return during, idle

    return asyncio.run(measure())


def open_memory(path: Path) -> tuple[float, float]:
    """MB that Python holds after opening the database, and its peak while opening."""
    tracemalloc.start()
    store = Store.open(path)
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    store.close()
    return held / 1e6, peak / 1e6


def run(n: int, saves: int, folder: Path, seed: int) -> dict[str, float]:
    rng = random.Random(seed)
    ours, theirs, built = build(folder, n, rng)
    size_mb = ours.stat().st_size / 1e6

    started = time.perf_counter()
    store = Store.open(ours)
    opened = time.perf_counter() - started
    specs = [make_note(rng, None, i) for i in range(2 * saves + 1)]
    started = time.perf_counter()
    first = specs[0]
    store.add_note(first["article"], first["text"], first["anchor"], first["tags"])
    first_save = time.perf_counter() - started
    our_times = []
    for spec in specs[1 : saves + 1]:
        started = time.perf_counter()
        store.add_note(spec["article"], spec["text"], spec["anchor"], spec["tags"])
        our_times.append(time.perf_counter() - started)
    stall, idle = stalls(store, specs[saves + 1 :])
    store.close()
    held_mb, peak_mb = open_memory(ours)

    db = TinyDB(theirs)
    table = db.table("notes")
    their_times = []
    for i, spec in enumerate(specs[1 : saves + 1]):
        doc = {
            "id": f"{i:016x}",
            "article": spec["article"],
            "text": spec["text"],
            "anchor": {
                "exact": spec["anchor"].exact,
                "prefix": spec["anchor"].prefix,
                "suffix": spec["anchor"].suffix,
                "start": spec["anchor"].start,
                "end": spec["anchor"].end,
            },
            "tags": spec["tags"],
            "created": "2024-01-01T00:00:00Z",
            "updated": "2024-01-01T00:00:00Z",
        }
        started = time.perf_counter()
        table.insert(doc)
        their_times.append(time.perf_counter() - started)
    db.close()

    result = {
        "notes": n,
        "file_mb": round(size_mb, 1),
        "build_s": round(built, 2),
        "open_ms": round(opened * 1000, 1),
        "open_held_mb": round(held_mb, 1),
        "open_peak_mb": round(peak_mb, 1),
        "first_save_ms": round(first_save * 1000, 1),
        "ours_median_ms": round(statistics.median(our_times) * 1000, 1),
        "ours_p95_ms": round(percentile(our_times, 0.95) * 1000, 1),
        "tinydb_median_ms": round(statistics.median(their_times) * 1000, 1),
        "tinydb_p95_ms": round(percentile(their_times, 0.95) * 1000, 1),
        "stall_ms": round(stall * 1000, 1),
        "idle_stall_ms": round(idle * 1000, 1),
    }
    result["ratio_median"] = round(result["ours_median_ms"] / result["tinydb_median_ms"], 3)
    result["ratio_p95"] = round(result["ours_p95_ms"] / result["tinydb_p95_ms"], 3)
    print(f"\n{n:,} notes ({size_mb:.1f} MB file; built in one batch in {built:.1f} s)")
    print(f"  open                         {ms(opened)}   Python memory held {held_mb:.0f} MB,"
          f" peak {peak_mb:.0f} MB")  # fmt: skip
    print(f"  first save after open        {ms(first_save)}  (lines kept from the file)")
    print(
        f"  save a note, Store           median {ms(statistics.median(our_times))}"
        f"   p95 {ms(percentile(our_times, 0.95))}"
    )
    print(
        f"  insert, TinyDB JSONStorage   median {ms(statistics.median(their_times))}"
        f"   p95 {ms(percentile(their_times, 0.95))}"
    )
    print(f"  ratio (Store / TinyDB)       median {result['ratio_median']:.2f}"
          f"      p95 {result['ratio_p95']:.2f}")  # fmt: skip
    print(f"  event loop stall             {ms(stall)} worst while saving on a thread,"
          f" {ms(idle).strip()} idle")  # fmt: skip
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--saves", type=int, default=30, help="timed saves per size")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print a JSON summary last")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="reader-bench-") as tmp:
        for n in args.sizes:
            results.append(run(n, args.saves, Path(tmp), args.seed))
    if args.json:
        print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
