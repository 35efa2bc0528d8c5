"""Make the jump query set from the corpus: seeded, so the same file comes out every time.

Each query names the article it was made from. Kinds: a title with typos, a title with
words dropped, a title with two words swapped, a capitalised multi-word name from the text
(as typed, and with a typo) and a distinctive phrase of the text (as typed, and with a
typo). Names and phrases are kept only when no other article contains them, so every
query has one right answer.

    python bench/queries/generate.py [--seed N] [--out bench/queries/dev.jsonl]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORD = r"(?:[A-Z]\.|[A-Z](?:[\w’'-]|\.(?=\w))*)"
NAME = re.compile(rf"\b{WORD}(?: (?:(?:al|bin|ibn|de|el|of)[- ])?{WORD})+")
CALENDAR = (
    "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April"
    "|May|June|July|August|September|October|November|December"
)
LEADING = re.compile(rf"^(?:(?:The|A|An|On|In|At|For|This|That|But|And|{CALENDAR}) )+")
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def shared_dir() -> Path:
    """``/work/shared`` beside the repository, or ``READER_SHARED``."""
    env = os.environ.get("READER_SHARED")
    return Path(env) if env else HERE.parents[1].parent / "shared"


def load_corpus(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def typo(word: str, rng: random.Random) -> str:
    """One keyboard slip: a letter dropped, doubled, swapped with the next or replaced."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice(("drop", "double", "swap", "replace"))
    if op == "drop":
        return word[:i] + word[i + 1 :]
    if op == "double":
        return word[:i] + word[i] + word[i:]
    if op == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice(LETTERS) + word[i + 1 :]


def with_typos(text: str, count: int, rng: random.Random) -> str:
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    for i in rng.sample(long, min(count, len(long))):
        words[i] = typo(words[i], rng)
    return " ".join(words)


def unique(snippet: str, doc_id: str, haystacks: dict[str, str]) -> bool:
    needle = snippet.casefold()
    return not any(needle in hay for other, hay in haystacks.items() if other != doc_id)


def title_queries(title: str, rng: random.Random) -> list[tuple[str, str]]:
    words = title.split()
    out = [("title-typo", with_typos(title, 1 if len(words) <= 5 else 2, rng))]
    if len(words) >= 4:
        keep = sorted(rng.sample(range(len(words)), len(words) - max(1, len(words) // 3)))
        out.append(("title-dropped", " ".join(words[i] for i in keep)))
    if len(words) >= 2:
        i, j = sorted(rng.sample(range(len(words)), 2))
        words[i], words[j] = words[j], words[i]
        out.append(("title-swapped", " ".join(words)))
    return out


def names(text: str) -> list[str]:
    found = []
    for m in NAME.finditer(text):
        name = LEADING.sub("", m.group())
        if len(name.split()) >= 2 and name not in found:
            found.append(name)
    return found


def phrase(text: str, doc_id: str, haystacks: dict[str, str], rng: random.Random) -> str | None:
    sentences = [s.split() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if len(s.split()) >= 6]
    for _ in range(40):
        if not sentences:
            return None
        words = rng.choice(sentences)
        size = rng.randint(4, 6)
        start = rng.randrange(0, len(words) - size + 1)
        candidate = " ".join(words[start : start + size]).strip(',;:."“”()')
        if len(candidate) >= 15 and unique(candidate, doc_id, haystacks):
            return candidate
    return None


def make(docs: list[dict[str, str]], seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    haystacks = {d["id"]: (d["title"] + "\n" + d["text"]).casefold() for d in docs}
    queries: list[dict[str, str]] = []

    def add(kind: str, query: str, doc: dict[str, str]) -> None:
        queries.append({"query": query, "article_id": doc["id"], "kind": kind})

    for doc in sorted(docs, key=lambda d: d["id"]):
        for kind, query in title_queries(doc["title"], rng):
            add(kind, query, doc)
        own = [
            n
            for n in names(doc["text"])
            if n.casefold() != doc["title"].casefold() and unique(n, doc["id"], haystacks)
        ]
        for k, name in enumerate(rng.sample(own, min(2, len(own)))):
            add(
                "name" if k == 0 else "name-typo", name if k == 0 else with_typos(name, 1, rng), doc
            )
        for k in range(2):
            found = phrase(doc["text"], doc["id"], haystacks, rng)
            if found:
                add(
                    "phrase" if k == 0 else "phrase-typo",
                    found if k == 0 else with_typos(found, 1, rng),
                    doc,
                )
    return queries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=HERE / "dev.jsonl")
    args = parser.parse_args(argv)
    corpus = args.corpus or shared_dir() / "corpus" / "dev.jsonl"
    if not corpus.exists():
        print(f"corpus not found at {corpus}; set READER_SHARED", file=sys.stderr)
        return 1
    queries = make(load_corpus(corpus), args.seed)
    with args.out.open("w", encoding="utf-8") as f:
        for q in queries:
            f.write(json.dumps(q, ensure_ascii=False) + "\n")
    print(f"{len(queries)} queries -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
