"""A synthetic library for speed and memory measurements, made from the corpus's sentences.

Articles recombine the corpus's sentences and title words with a fixed seed, so every run
makes the same library; notes quote passages of their article and tags come from a pool.

    python bench/synthetic.py --articles 10000 --notes 10000 OUT_DIR

writes ``OUT_DIR/articles/*.txt`` and ``OUT_DIR/reader.json`` (through ``reader.store``).
:func:`synthetic_records` gives the same data in memory, for benchmarks that need no files.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reader.models import Anchor  # noqa: E402

#: Sentences per article: most are short, a few long.
SENTENCES = (4, 60)
#: Tags to choose from, and tags per tagged article.
TAG_POOL = 300
TAGS_PER_ARTICLE = (1, 3)


@dataclass
class SyntheticArticle:
    id: str
    title: str
    text: str
    source: str
    tags: tuple[str, ...] = ()


@dataclass
class SyntheticNote:
    article_id: str
    text: str
    anchor: Anchor | None
    tags: tuple[str, ...] = ()


@dataclass
class LibraryInfo:
    """What :func:`make_library` wrote."""

    root: Path
    articles_dir: Path
    db: Path
    article_ids: list[str] = field(default_factory=list)
    n_notes: int = 0


def shared_dir() -> Path:
    env = os.environ.get("READER_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared"


def corpus_path() -> Path:
    return shared_dir() / "corpus" / "dev.jsonl"


def _corpus() -> tuple[list[str], list[str], list[str]]:
    path = corpus_path()
    if not path.exists():
        raise SystemExit(f"corpus not found at {path} (set READER_SHARED)")
    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    sentences = [
        s.strip()
        for d in docs
        for s in re.split(r"(?<=[.!?])\s+|\n+", d["text"])
        if len(s.split()) >= 4
    ]
    titles = [d["title"] for d in docs]
    sources = sorted({d["source"].split("/")[1] for d in docs})
    return sentences, titles, sources


def synthetic_records(
    n_articles: int, n_notes: int, seed: int = 0
) -> tuple[list[SyntheticArticle], list[SyntheticNote]]:
    """Articles and notes, deterministic for a seed; article ids are ``syn-00001`` style."""
    rng = random.Random(seed)
    sentences, titles, sources = _corpus()
    title_words = [w for t in titles for w in t.split() if len(w) > 3]
    vocab = sorted({w.lower().strip(".,:;’'\"()") for s in sentences for w in s.split()})
    pool = sorted({w for w in vocab if w.isalpha() and len(w) >= 4})
    tag_pool = rng.sample(pool, min(TAG_POOL, len(pool)))
    articles = []
    for k in range(n_articles):
        base = rng.choice(titles).split()
        base[rng.randrange(len(base))] = rng.choice(title_words)
        title = f"{' '.join(base)} {rng.choice(title_words)}"
        count = min(SENTENCES[1], max(SENTENCES[0], int(rng.expovariate(1 / 14))))
        paragraphs, para = [], []
        for _ in range(count):
            para.append(rng.choice(sentences))
            if rng.random() < 0.3:
                paragraphs.append(" ".join(para))
                para = []
        if para:
            paragraphs.append(" ".join(para))
        text = "\n\n".join(paragraphs)
        tags: tuple[str, ...] = ()
        if k < n_notes or rng.random() < 0.5:
            tags = tuple(sorted(set(rng.sample(tag_pool, rng.randint(*TAGS_PER_ARTICLE)))))
        articles.append(SyntheticArticle(f"syn-{k:06d}", title, text, rng.choice(sources), tags))
    notes = []
    for _ in range(n_notes if articles else 0):
        article = rng.choice(articles)
        words = rng.choice(sentences).split()
        cut = rng.randint(3, max(3, min(len(words), 20)))
        anchor = None
        if rng.random() < 0.7 and len(article.text) > 40:
            start = rng.randrange(0, len(article.text) - 30)
            end = min(len(article.text), start + rng.randint(20, 120))
            anchor = Anchor(
                article.text[start:end],
                article.text[max(0, start - 32) : start],
                article.text[end : end + 32],
                start,
                end,
            )
        note_tags = tuple(rng.sample(tag_pool, 1)) if rng.random() < 0.2 else ()
        notes.append(SyntheticNote(article.id, " ".join(words[:cut]), anchor, note_tags))
    return articles, notes


def make_library(root: Path, n_articles: int, n_notes: int, seed: int = 0) -> LibraryInfo:
    """Write ``n_articles`` .txt files and a database with ``n_notes`` notes and tags.

    Files are ``root/articles/NNNNNN.txt`` (title line, blank line, text); the database is
    ``root/reader.json``, written through ``reader.store.Store`` in one batch. Note anchors
    point into the text after the title line.
    """
    from reader.articles import content_hash
    from reader.store import Store

    articles, notes = synthetic_records(n_articles, n_notes, seed)
    folder = root / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    info = LibraryInfo(root, folder, root / "reader.json", n_notes=len(notes))
    store = Store.open(info.db)
    ids: dict[str, str] = {}
    try:
        with store.batch():
            for k, article in enumerate(articles):
                path = folder / f"{k:06d}.txt"
                data = f"{article.title}\n\n{article.text}\n".encode()
                path.write_bytes(data)
                ids[article.id] = store.identify(content_hash(data), path, article.title, len(data))
                if article.tags:
                    store.add_tags(ids[article.id], article.tags)
            for note in notes:
                store.add_note(ids[note.article_id], note.text, note.anchor, note.tags)
    finally:
        store.close()
    info.article_ids = [ids[a.id] for a in articles]
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic library and database.")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--notes", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("out", type=Path, metavar="OUT_DIR")
    args = parser.parse_args(argv)
    info = make_library(args.out, args.articles, args.notes, args.seed)
    print(f"{len(info.article_ids)} articles in {info.articles_dir}")
    print(f"{info.n_notes} notes and the tags in {info.db}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
