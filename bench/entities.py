"""Entity engine speed, start-up and quality, measured against spaCy in the same run.

Speed: words per second of the built-in engine (uncached) and of ``spacy.blank("en")``'s
tokenizer alone, on the dev corpus texts and on a ~100,000-word article made by joining
them. The two take turns, best of ``REPEATS`` each, by wall clock and by CPU time (the
machine is shared, and CPU time is less disturbed by other jobs). The first, cold pass of
the engine (word lists and caches still empty) is shown apart.

Ready: from ``import reader.entities`` to the first ``find_entities`` result on a short
text, in a fresh process each time (``reader.models`` imported before the clock starts),
median of ``READY_RUNS``; once as the environment runs Python, and once with bytecode
written to a temporary cache, as an installed package has it.

Quality: ``ner_score.py`` on the dev corpus and the seed article. Corpus folder:
``../shared`` beside the repository, or ``$READER_SHARED``.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reader.entities.engine import extract  # noqa: E402

SYNTHETIC_WORDS = 100_000
REPEATS = 9
READY_RUNS = 9
#: The short text of the start-up measurement: a name, a title, a place, a date, a figure.
READY_TEXT = "President Bashar Assad met officials in Damascus on Monday, with 1,500 troops."
_READY_SCRIPT = f"""
import time
import reader.models
t0 = time.perf_counter()
from reader.entities import find_entities
find_entities({READY_TEXT!r})
print(time.perf_counter() - t0)
"""


def shared_dir() -> Path:
    return Path(os.environ.get("READER_SHARED") or ROOT.parent / "shared")


def timed(func: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one call."""
    w0, c0 = time.perf_counter(), time.process_time()
    func()
    return time.perf_counter() - w0, time.process_time() - c0


def speed(name: str, texts: list[str], tokenizer: Callable[[str], object] | None) -> None:
    """Best of REPEATS runs each, the two engines taking turns so load hits both alike."""
    words = sum(len(t.split()) for t in texts)
    cold, _ = timed(lambda: [extract(t) for t in texts])
    ours = theirs = (float("inf"), float("inf"))
    for _ in range(REPEATS):
        wall, cpu = timed(lambda: [extract(t) for t in texts])
        ours = (min(ours[0], wall), min(ours[1], cpu))
        if tokenizer is not None:
            wall, cpu = timed(lambda: [tokenizer(t) for t in texts])
            theirs = (min(theirs[0], wall), min(theirs[1], cpu))
    line = f"{name:<22} {words:>7} words  builtin {words / ours[0]:>9,.0f} words/s"
    if tokenizer is not None:
        line += f"  spacy.blank {words / theirs[0]:>9,.0f} words/s"
        line += f"  ratio {theirs[0] / ours[0]:.2f}x (CPU time {theirs[1] / ours[1]:.2f}x)"
    print(f"{line}  [cold first pass {words / cold:,.0f} words/s]")


def ready(bytecode: bool) -> str:
    """Median seconds from import to the first result, each run in a fresh process."""
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as cache:
        if bytecode:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = cache
            subprocess.run(  # writes the bytecode
                [sys.executable, "-c", _READY_SCRIPT],
                env=env,
                cwd=ROOT,
                capture_output=True,
                check=True,
            )
        runs = [
            float(
                subprocess.run(
                    [sys.executable, "-c", _READY_SCRIPT],
                    env=env,
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            )
            for _ in range(READY_RUNS)
        ]
    return f"median {statistics.median(runs) * 1000:.0f} ms (min {min(runs) * 1000:.0f} ms)"


def score(gold: Path) -> str:
    scorer = shared_dir() / "tools" / "ner_score.py"
    command = [sys.executable, "-m", "reader.entities"]
    proc = subprocess.run(
        [sys.executable, str(scorer), str(gold), "--", *command],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    lines = proc.stdout.strip().splitlines()
    return lines[-1] if proc.returncode == 0 and lines else f"failed: {proc.stderr[-500:]}"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main() -> int:
    corpus = shared_dir() / "corpus"
    dev = corpus / "dev.jsonl"
    print(f"machine: {os.cpu_count()} cores, {cpu_model()}, Python {sys.version.split()[0]}")
    if hasattr(os, "getloadavg"):
        print("load average: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    print(f"ready (as run here)    {ready(bytecode=False)}")
    print(f"ready (with bytecode)  {ready(bytecode=True)}")
    if not dev.exists():
        print(f"skipped: no corpus at {corpus} (set READER_SHARED to the shared folder)")
        return 0
    texts = [json.loads(line)["text"] for line in dev.open(encoding="utf-8") if line.strip()]
    synthetic: list[str] = []
    while sum(len(t.split()) for t in synthetic) < SYNTHETIC_WORDS:
        synthetic.extend(texts)
    article = "\n".join(synthetic)
    try:
        import spacy

        tokenizer: Callable[[str], object] | None = spacy.blank("en").tokenizer
    except ImportError:
        print("spaCy is not installed: speed is shown without the comparison")
        tokenizer = None
    speed("dev corpus (60 texts)", texts, tokenizer)
    speed("synthetic article", [article], tokenizer)
    print(f"dev   {score(dev)}")
    print(f"seed  {score(corpus / 'seed_gold.jsonl')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
