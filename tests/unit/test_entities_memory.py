"""What the entity finder keeps between articles stays small however many it has seen.

The jump index runs the finder over every article of the library; what it caches on the
way (keys of names, decisions, chunk plans, whole results) must be bounded, not grow with
the library. No timings here (bench/entities.py has those); memory is counted with
tracemalloc.
"""

from __future__ import annotations

import gc
import random
import tracemalloc

import pytest

import reader.entities as entities
from reader.entities import classify, find_entities, names
from reader.entities import lexicon as lx


def _clear_caches() -> None:
    entities.cache_clear()
    lx.norm.cache_clear()
    lx.strip_article.cache_clear()
    classify.by_words.cache_clear()
    for plans in names._plans:
        plans.clear()


def _articles(count: int, names_each: int) -> list[str]:
    """Short articles full of names never seen before, as a large library has."""
    rng = random.Random(7)

    def name() -> str:
        letters = "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3))
        return letters.capitalize()

    out = []
    for _ in range(count):
        sentences = [
            f"{name()} {name()} said the {name()} Forces left {name()} on 3 May 2016."
            for _ in range(names_each // 4)
        ]
        out.append(" ".join(sentences))
    return out


def test_the_caches_stay_bounded_over_many_articles() -> None:
    _clear_caches()
    find_entities("Assad met officials in Damascus and Raqqa on Monday.")  # word lists loaded
    texts = _articles(250, names_each=80)  # some 20,000 distinct names
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for text in texts:
            find_entities(text)
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # Caches sized for a whole library held about 25 MB here, these about 3 MB.
    assert held < 6_000_000
    for cached in (lx.norm, lx.strip_article, classify.by_words):
        info = cached.cache_info()
        assert info.maxsize is not None and info.currsize <= info.maxsize <= 4096
    assert all(len(plans) <= names.PLAN_CACHE_SIZE <= 4096 for plans in names._plans)
    _clear_caches()


def test_results_cache_is_bounded_by_spans(monkeypatch: pytest.MonkeyPatch) -> None:
    entities.cache_clear()
    monkeypatch.setattr(entities, "CACHE_SPANS", 30)
    texts = _articles(6, names_each=8)
    results = [find_entities(text) for text in texts]
    assert all(5 < len(spans) <= 15 for spans in results)
    assert 1 < len(entities._cache) < len(texts)
    assert sum(map(len, entities._cache.values())) <= 30
    assert entities._cached_spans == sum(map(len, entities._cache.values()))
    # the two newest results stay cached even when each alone holds more than the bound,
    # so going back and forth between two long articles finds both
    monkeypatch.setattr(entities, "CACHE_SPANS", 5)
    big = texts[0] + " " + texts[1]
    other = texts[2] + " " + texts[3]
    spans, other_spans = find_entities(big), find_entities(other)
    assert list(entities._cache.values()) == [spans, other_spans]
    calls = []
    real_extract = entities.extract
    monkeypatch.setattr(entities, "extract", lambda text: calls.append(text) or real_extract(text))
    assert find_entities(big) == spans
    assert find_entities(other) == other_spans
    assert calls == []
    entities.cache_clear()
    assert entities._cached_spans == 0


def test_results_cache_keeps_a_few_articles() -> None:
    entities.cache_clear()
    texts = _articles(entities.CACHE_SIZE + 8, names_each=4)
    for text in texts:
        find_entities(text)
    assert len(entities._cache) == entities.CACHE_SIZE
    entities.cache_clear()
