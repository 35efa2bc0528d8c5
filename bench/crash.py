"""Kill writers at random moments and check that nothing acknowledged is lost or damaged.

Writer processes add, edit and delete notes in a loop on one database. Each prints
``BEGIN`` before a store call and ``ACK`` after it returns: an acknowledged change must
survive. The checker kills the writers with SIGKILL at random moments, then opens the
database and compares it with every acknowledged change. A change that was in flight at the
kill may or may not be there; nothing else may differ.

    python bench/crash.py                 # 200 kills, two writers at a time
    python bench/crash.py --kills 20      # the size CI runs

Prints one line per round and a JSON summary last: kills, corruptions, lost, injected.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.atomic_storage import StorageError  # noqa: E402
from reader.store import Store  # noqa: E402


def writer(db: Path, name: str, seed: int) -> None:
    """Change this writer's notes forever, acknowledging each change on stdout."""
    rng = random.Random(seed)
    store = Store.open(db)
    article = f"writer-{name}"
    mine = [n.id for n in store.notes(article)]
    counter = 0
    out = sys.stdout
    while True:
        counter += 1
        text = f"{name}.{seed}.{counter}"
        roll = rng.random()
        if not mine or roll < 0.5:
            out.write(f"BEGIN add - {text}\n")
            out.flush()
            note = store.add_note(article, text)
            mine.append(note.id)
            out.write(f"ACK add {note.id} {text}\n")
        elif roll < 0.8:
            nid = rng.choice(mine)
            out.write(f"BEGIN edit {nid} {text}\n")
            out.flush()
            store.update_note(nid, text=text)
            out.write(f"ACK edit {nid} {text}\n")
        else:
            nid = mine.pop(rng.randrange(len(mine)))
            out.write(f"BEGIN delete {nid} -\n")
            out.flush()
            store.delete_note(nid)
            out.write(f"ACK delete {nid} -\n")
        out.flush()


@dataclass
class Model:
    """What the database must hold: acknowledged notes, and what may be there besides."""

    notes: dict[str, str | None] = field(default_factory=dict)  # id -> text, None: deleted
    maybe_added: set[str] = field(default_factory=set)  # texts of unacknowledged adds
    in_flight: dict[str, str | None] = field(default_factory=dict)  # id -> possible new state

    def feed(self, lines: list[str]) -> None:
        pending: tuple[str, str, str] | None = None
        for line in lines:
            parts = line.split(" ", 3)
            if len(parts) != 4:
                continue  # a line cut by the kill
            kind, op, nid, text = parts
            if kind == "BEGIN":
                pending = (op, nid, text)
            elif kind == "ACK":
                pending = None
                self.notes[nid] = None if op == "delete" else text
                self.in_flight.pop(nid, None)
        if pending is not None:
            op, nid, text = pending
            if op == "add":
                self.maybe_added.add(text)
            else:
                self.in_flight[nid] = None if op == "delete" else text

    def check(self, actual: dict[str, str]) -> tuple[int, int]:
        """(lost, injected) for the database's notes ``actual`` (id -> text)."""
        lost = 0
        for nid, want in self.notes.items():
            have = actual.get(nid)
            if have == want:
                continue
            if nid in self.in_flight and have == self.in_flight[nid]:
                self.notes[nid] = have  # the in-flight change made it: now it is the truth
                continue
            lost += 1
            print(f"  LOST {nid}: want {want!r}, have {have!r}", flush=True)
        injected = 0
        for nid, have in actual.items():
            if nid in self.notes:
                continue
            if have in self.maybe_added or nid in self.in_flight:
                self.notes[nid] = have
                continue
            injected += 1
            print(f"  INJECTED {nid}: {have!r}", flush=True)
        self.in_flight.clear()
        return lost, injected


def seed_database(db: Path, n: int) -> None:
    """Unrelated notes, so each save takes long enough to be killed in the middle."""
    with Store.open(db) as store, store.batch():
        for i in range(n):
            store.add_note("ballast", f"ballast note {i} " + "lorem ipsum " * 20)


def read_notes(db: Path) -> dict[str, str]:
    with Store.open(db) as store:
        return {
            n.id: n.text
            for batch in store.iter_notes()
            for n in batch
            if n.article_id.startswith("writer-")
        }


def run(kills: int, writers: int, ballast: int, folder: Path, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    db = folder / "annotations.json"
    seed_database(db, ballast)
    model = Model()
    summary = {"kills": 0, "corruptions": 0, "lost": 0, "injected": 0, "acknowledged": 0}
    round_no = 0
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    while summary["kills"] < kills:
        round_no += 1
        procs = [
            subprocess.Popen(
                [sys.executable, __file__, "--writer", str(db), f"w{k}", str(rng.randrange(10**9))],
                stdout=subprocess.PIPE,
                text=True,
                env=env,
            )
            for k in range(writers)
        ]
        time.sleep(rng.uniform(0.5, 1.8))
        for proc in procs:
            time.sleep(rng.uniform(0, 0.05))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                summary["kills"] += 1
        acks = 0
        for proc in procs:
            out, _ = proc.communicate()
            lines = out.splitlines()
            acks += sum(line.startswith("ACK ") for line in lines)
            model.feed(lines)
        summary["acknowledged"] += acks
        try:
            json.loads(db.read_bytes())
            actual = read_notes(db)
        except (ValueError, StorageError) as exc:
            summary["corruptions"] += 1
            print(f"round {round_no}: CORRUPT {exc}", flush=True)
            break
        lost, injected = model.check(actual)
        summary["lost"] += lost
        summary["injected"] += injected
        print(
            f"round {round_no}: kills {summary['kills']}, acknowledged {acks}, "
            f"notes {len(actual)}, lost {lost}, injected {injected}",
            flush=True,
        )
    leftovers = [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]
    summary["leftover_temp_files"] = len(leftovers)
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--ballast", type=int, default=2000, help="unrelated notes to start with")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, help="work folder (default: a temporary one)")
    parser.add_argument("--writer", nargs=3, metavar=("DB", "NAME", "SEED"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.writer:
        db, name, seed = args.writer
        writer(Path(db), name, int(seed))
        return 0
    with tempfile.TemporaryDirectory(prefix="reader-crash-") as tmp:
        folder = args.dir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        summary = run(args.kills, args.writers, args.ballast, folder, args.seed)
        summary["seconds"] = round(time.monotonic() - started)
    print(json.dumps(summary))
    ok = summary["corruptions"] == 0 and summary["lost"] == 0 and summary["injected"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
