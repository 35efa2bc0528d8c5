"""Jump quality: top-1 and top-3 accuracy on a query set, beside the baselines.

    .venv/bin/python bench/jump.py [--queries bench/queries/dev.jsonl] [--misses]
    .venv/bin/python bench/jump.py --speed 10000 [--notes 10000]

Each query names the article it was made from (see ``bench/queries/generate.py``); a
method scores a hit at k when that article is among the first k distinct articles it
returns. Baselines: ``textual.fuzzy.Matcher`` on titles (on whole texts it exhausts
memory), rapidfuzz ``WRatio`` on titles, ``fzf --filter`` on title and text (skipped when
fzf is not installed) and rapidfuzz ``partial_ratio`` on each article's title and whole text.

``--speed N`` times one keystroke instead: every prefix of a sample of the queries (all
kinds), typed into an index of N synthetic articles (``bench/synthetic.py``, made once and
kept in ``bench/out/``) with as many notes and tagged articles, beside
``textual.fuzzy.Matcher`` over the same articles' titles. Progress goes to stderr.
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
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from rapidfuzz import fuzz, process, utils  # noqa: E402

from reader.models import Note  # noqa: E402
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


def keystrokes(queries: list[Record], count: int, seed: int = 1) -> list[str]:
    """Every prefix of ``count`` queries, as many of each kind as can be: what typing asks.

    Queries are drawn kind by kind in turn (seeded), so short names and long phrases are
    both typed whatever the size of the sample.
    """
    import random

    rng = random.Random(seed)
    by_kind: dict[str, list[Record]] = defaultdict(list)
    for q in queries:
        by_kind[q["kind"]].append(q)
    pools = [rng.sample(v, len(v)) for _, v in sorted(by_kind.items())]
    chosen: list[Record] = []
    while len(chosen) < count and any(pools):
        for pool in pools:
            if pool and len(chosen) < count:
                chosen.append(pool.pop())
    return [q["query"][:i] for q in chosen for i in range(1, len(q["query"]) + 1)]


def percentiles(times: list[float]) -> tuple[float, float]:
    """Median and 95th percentile, in milliseconds."""
    ordered = sorted(times)
    return 1000 * statistics.median(ordered), 1000 * ordered[int(0.95 * (len(ordered) - 1))]


def cached_records(n_articles: int, n_notes: int) -> tuple[list[Any], list[Any]]:
    """The synthetic library, made once and kept under ``bench/out/`` (a few seconds saved)."""
    import pickle

    from synthetic import synthetic_records

    path = ROOT / "bench" / "out" / f"jump-records-{n_articles}-{n_notes}.pickle"
    if path.exists():
        articles, notes = pickle.loads(path.read_bytes())
        return articles, notes
    articles, notes = synthetic_records(n_articles, n_notes)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps((articles, notes)))
    return articles, notes


def speed(
    n_articles: int, n_notes: int, queries: list[Record], sample: int, every: int
) -> dict[str, float]:
    """Build time and per-keystroke latency of reader.search and textual's Matcher.

    Ours is timed on every keystroke; Matcher (hundreds of ms a keystroke at 10,000 titles)
    on every ``every``-th one, right after ours on the same keystroke, so a change in the
    machine's load falls on both. The ratios use those shared keystrokes only.
    """
    from textual.fuzzy import Matcher

    articles, notes = cached_records(n_articles, n_notes)
    start = time.perf_counter()
    index = SearchIndex(
        [Doc(a.id, a.title, a.text, a.source) for a in articles],
        [Note(f"n{k:06d}", n.article_id, n.text, n.anchor, n.tags) for k, n in enumerate(notes)],
        {a.id: a.tags for a in articles if a.tags},
    )
    build = time.perf_counter() - start
    print(f"index of {n_articles} articles built in {build:.1f} s", file=sys.stderr, flush=True)
    typed = keystrokes(queries, sample)
    titles = [a.title for a in articles]
    ours: list[float] = []
    shared: list[float] = []
    theirs: list[float] = []
    began = time.perf_counter()
    for k, text in enumerate(typed):
        start = time.perf_counter()
        index.query(text, limit=50)
        ours.append(time.perf_counter() - start)
        if k % every == 0:
            shared.append(ours[-1])
            start = time.perf_counter()
            matcher = Matcher(text)
            sorted(((matcher.match(t), i) for i, t in enumerate(titles)), reverse=True)[:50]
            theirs.append(time.perf_counter() - start)
        if (k + 1) % 200 == 0:
            print(
                f"  {k + 1}/{len(typed)} keystrokes, {time.perf_counter() - began:.0f} s",
                file=sys.stderr,
                flush=True,
            )
    med, p95 = percentiles(ours)
    smed, sp95 = percentiles(shared)
    tmed, tp95 = percentiles(theirs)
    return {
        "articles": n_articles,
        "notes": len(notes),
        "keystrokes": len(typed),
        "shared_keystrokes": len(theirs),
        "build_s": build,
        "median_ms": med,
        "p95_ms": p95,
        "shared_median_ms": smed,
        "shared_p95_ms": sp95,
        "matcher_median_ms": tmed,
        "matcher_p95_ms": tp95,
    }


def print_speed(r: dict[str, float]) -> None:
    print(
        f"{r['articles']:.0f} articles, {r['notes']:.0f} notes; index built in"
        f" {r['build_s']:.1f} s; {r['keystrokes']:.0f} keystrokes, Matcher timed on"
        f" {r['shared_keystrokes']:.0f} of them\n"
    )
    print("| method | keystrokes | median ms | p95 ms | median / Matcher | p95 / Matcher |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| reader.search (all kinds) | {r['keystrokes']:.0f} | {r['median_ms']:.2f}"
        f" | {r['p95_ms']:.2f} | | |"
    )
    print(
        f"| reader.search (all kinds) | {r['shared_keystrokes']:.0f} | {r['shared_median_ms']:.2f}"
        f" | {r['shared_p95_ms']:.2f} | {r['shared_median_ms'] / r['matcher_median_ms']:.3f}"
        f" | {r['shared_p95_ms'] / r['matcher_p95_ms']:.3f} |"
    )
    print(
        f"| textual Matcher (titles) | {r['shared_keystrokes']:.0f}"
        f" | {r['matcher_median_ms']:.2f} | {r['matcher_p95_ms']:.2f} | 1 | 1 |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Jump quality beside the baselines.")
    parser.add_argument("--queries", type=Path, default=ROOT / "bench" / "queries" / "dev.jsonl")
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--entities", action="store_true", help="index reader.entities names")
    parser.add_argument("--misses", action="store_true", help="list reader.search's misses")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--speed", type=int, metavar="N", help="time keystrokes at N articles")
    parser.add_argument("--notes", type=int, default=10000, help="notes for --speed")
    parser.add_argument("--sample", type=int, default=40, help="queries typed for --speed")
    parser.add_argument(
        "--every", type=int, default=4, help="time Matcher on every N-th keystroke (--speed)"
    )
    args = parser.parse_args(argv)
    corpus = args.corpus or shared_dir() / "corpus" / "dev.jsonl"
    if not corpus.exists():
        print(f"skipped: corpus not found at {corpus} (set READER_SHARED)")
        return 0
    docs = read_jsonl(corpus)
    queries = read_jsonl(args.queries)
    if args.speed:
        figures = speed(args.speed, args.notes, queries, args.sample, max(1, args.every))
        print(json.dumps(figures, indent=2)) if args.json else print_speed(figures)
        return 0
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
        misses: list[tuple[Record, int, list[str]]] = results["reader.search"]["misses"]  # type: ignore[assignment]
        for q, pos, top in misses:
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
