"""Entity engine speed and quality, measured against spaCy in the same run.

Speed: words per second of the built-in engine (uncached) and of ``spacy.blank("en")``'s
tokenizer alone, on the dev corpus texts and on a ~100,000-word article made by joining
them. Quality: ``ner_score.py`` on the dev corpus and the seed article. Corpus folder:
``../shared`` beside the repository, or ``$READER_SHARED``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reader.entities.engine import extract  # noqa: E402

SYNTHETIC_WORDS = 100_000
REPEATS = 5


def shared_dir() -> Path:
    return Path(os.environ.get("READER_SHARED") or ROOT.parent / "shared")


def seconds(func: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    func()
    return time.perf_counter() - t0


def speed(name: str, texts: list[str], tokenizer: Callable[[str], object] | None) -> None:
    """Best of REPEATS runs each, the two engines taking turns so load hits both alike."""
    words = sum(len(t.split()) for t in texts)
    ours = theirs = float("inf")
    for _ in range(REPEATS):
        ours = min(ours, seconds(lambda: [extract(t) for t in texts]))
        if tokenizer is not None:
            theirs = min(theirs, seconds(lambda: [tokenizer(t) for t in texts]))
    line = f"{name:<24} {words:>7} words  builtin {words / ours:>9,.0f} words/s"
    if tokenizer is not None:
        line += f"  spacy.blank tokenizer {words / theirs:>9,.0f} words/s"
        line += f"  ratio {theirs / ours:.2f}x"
    print(line)


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


def main() -> int:
    corpus = shared_dir() / "corpus"
    dev = corpus / "dev.jsonl"
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
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    speed("dev corpus (60 texts)", texts, tokenizer)
    speed("synthetic article", [article], tokenizer)
    print(f"dev   {score(dev)}")
    print(f"seed  {score(corpus / 'seed_gold.jsonl')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
