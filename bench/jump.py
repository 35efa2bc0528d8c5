"""Jump quality: top-1 and top-3 accuracy on a query set, beside the baselines.

    .venv/bin/python bench/jump.py [--queries bench/queries/dev.jsonl] [--misses]

Each query names the article it was made from (see ``bench/queries/generate.py``); a
method scores a hit at k when that article is among the first k distinct articles it
returns. Baselines: ``textual.fuzzy.Matcher`` on titles (on whole texts it exhausts
memory), rapidfuzz ``WRatio`` on titles, ``fzf --filter`` on title and text (skipped when
fzf is not installed) and rapidfuzz ``partial_ratio`` on each article's title and whole text.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process, utils  # noqa: E402

from reader.search import Doc, SearchIndex  # noqa: E402

Ranker = Callable[[str], list[str]]
Record = dict[str, str]


def shared_dir() -> Path:
    """``/work/shared`` beside the repository, or ``READER_SHARED``."""
    env = os.environ.get("READER_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared"


def read_jsonl(path: Path) -> list[Record]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def distinct(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def reader_search(docs: list[Record], entities: bool) -> Ranker:
    spans = None
    if entities:
        from reader.entities import find_entities

        spans = {d["id"]: find_entities(d["text"]) for d in docs}
    index = SearchIndex(
        [Doc(d["id"], d["title"], d["text"], d.get("source", "")) for d in docs],
        entities=spans,
    )
    return lambda q: distinct([h.article_id for h in index.query(q, limit=30)])


def textual_titles(docs: list[Record]) -> Ranker:
    from textual.fuzzy import Matcher

    def rank(q: str) -> list[str]:
        matcher = Matcher(q)
        scored = [(matcher.match(d["title"]), i) for i, d in enumerate(docs)]
        return [docs[i]["id"] for s, i in sorted(scored, key=lambda t: (-t[0], t[1])) if s > 0]

    return rank


def wratio_titles(docs: list[Record]) -> Ranker:
    titles = [utils.default_process(d["title"]) for d in docs]

    def rank(q: str) -> list[str]:
        found = process.extract(utils.default_process(q), titles, scorer=fuzz.WRatio, limit=10)
        return [docs[i]["id"] for _, _, i in found]

    return rank


def partial_ratio_texts(docs: list[Record]) -> Ranker:
    texts = [utils.default_process(d["title"] + "\n" + d["text"]) for d in docs]

    def rank(q: str) -> list[str]:
        found = process.extract(
            utils.default_process(q), texts, scorer=fuzz.partial_ratio, limit=10
        )
        return [docs[i]["id"] for _, _, i in found]

    return rank


def fzf_texts(docs: list[Record], fzf: str) -> Ranker:
    lines = "".join(
        f"{i}\t{d['title']} {d['text']}".replace("\n", " ") + "\n" for i, d in enumerate(docs)
    )

    def rank(q: str) -> list[str]:
        out = subprocess.run(
            [fzf, "--filter", q, "--delimiter", "\t", "--nth", "2.."],
            input=lines,
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        return [docs[int(line.split("\t", 1)[0])]["id"] for line in out.splitlines() if line]

    return rank


def evaluate(rank: Ranker, queries: list[Record]) -> dict[str, object]:
    """Top-1 and top-3 accuracy (%), per kind and overall, and the median time per query."""
    by_kind: dict[str, list[int]] = defaultdict(list)
    times, misses = [], []
    for q in queries:
        start = time.perf_counter()
        ids = rank(q["query"])
        times.append(time.perf_counter() - start)
        pos = ids.index(q["article_id"]) + 1 if q["article_id"] in ids else 0
        by_kind[q["kind"]].append(pos)
        by_kind["all"].append(pos)
        if pos != 1:
            misses.append((q, pos, ids[:3]))

    def pct(pos: list[int], k: int) -> float:
        return 100.0 * sum(1 for p in pos if 0 < p <= k) / max(1, len(pos))

    return {
        "top1": {k: pct(v, 1) for k, v in by_kind.items()},
        "top3": {k: pct(v, 3) for k, v in by_kind.items()},
        "ms": 1000 * statistics.median(times),
        "misses": misses,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Jump quality beside the baselines.")
    parser.add_argument("--queries", type=Path, default=ROOT / "bench" / "queries" / "dev.jsonl")
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--entities", action="store_true", help="index reader.entities names")
    parser.add_argument("--misses", action="store_true", help="list reader.search's misses")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    corpus = args.corpus or shared_dir() / "corpus" / "dev.jsonl"
    if not corpus.exists():
        print(f"skipped: corpus not found at {corpus} (set READER_SHARED)")
        return 0
    docs = read_jsonl(corpus)
    queries = read_jsonl(args.queries)
    methods: list[tuple[str, Ranker]] = [
        ("reader.search", reader_search(docs, args.entities)),
        ("textual Matcher (titles)", textual_titles(docs)),
        ("rapidfuzz WRatio (titles)", wratio_titles(docs)),
    ]
    fzf = shutil.which("fzf")
    if fzf:
        methods.append(("fzf --filter (title+text)", fzf_texts(docs, fzf)))
    else:
        print("fzf not installed: its column is skipped (apt-get install fzf)")
    methods.append(("partial_ratio (title+text)", partial_ratio_texts(docs)))
    results = {name: evaluate(rank, queries) for name, rank in methods}
    if args.json:
        print(
            json.dumps(
                {n: {k: v for k, v in r.items() if k != "misses"} for n, r in results.items()},
                indent=2,
            )
        )
        return 0
    print_table(results, queries, corpus, len(docs))
    if args.misses:
        for q, pos, top in results["reader.search"]["misses"]:  # type: ignore[union-attr]
            print(f"  [{q['kind']}] {q['query']!r} -> rank {pos or '-'}; top {top}")
    return 0


def print_table(
    results: dict[str, dict[str, object]], queries: list[Record], corpus: Path, n: int
) -> None:
    kinds = sorted({q["kind"] for q in queries})
    print(f"{len(queries)} queries over {n} articles ({corpus.name})\n")
    print(f"| method | top-1 % | top-3 % | ms/query | {' | '.join(kinds)} |")
    print("| --- | ---: | ---: | ---: |" + " ---: |" * len(kinds))
    for name, r in results.items():
        top1, top3 = r["top1"], r["top3"]
        assert isinstance(top1, dict) and isinstance(top3, dict)
        per_kind = " | ".join(f"{top1.get(k, 0):.0f}" for k in kinds)
        print(f"| {name} | {top1['all']:.1f} | {top3['all']:.1f} | {r['ms']:.2f} | {per_kind} |")
    print("\n(per-kind columns: top-1 %)")


if __name__ == "__main__":
    raise SystemExit(main())
