"""The jump index's scoring gives what scoring every item one by one gives.

Levels read until enough holders are found, dict merges and the ``count`` best are the
fast forms of a plain rule (each holder's best similarity, summed over words, the highest
first and the lower id on a tie), so each is checked against that rule on random input.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.search.postings import Postings
from reader.search.scoring import (
    add_scores,
    best_sums,
    holder_count,
    most,
    rarest_levels,
    similarity_levels,
    weighted,
)

ITEMS = 20
#: A few similarities, so that ties (the hard part) are common.
SIMS = st.sampled_from([100.0, 95.0, 90.0, 87.5, 80.0])
WORDS = st.dictionaries(st.integers(0, 11), st.sets(st.integers(0, ITEMS - 1), max_size=4))
EXPANSIONS = st.dictionaries(st.integers(0, 11), SIMS, min_size=1, max_size=6)


def postings_of(words: dict[int, set[int]]) -> Postings:
    postings = Postings()
    for wid, items in sorted(words.items()):
        postings.extend(wid, sorted(items))
    return postings


def plain_best(expansion: dict[int, float], words: dict[int, set[int]]) -> dict[int, float]:
    """Each holder's best similarity, item by item."""
    best: dict[int, float] = {}
    for wid, sim in expansion.items():
        for item in words.get(wid, ()):
            best[item] = max(best.get(item, 0.0), sim)
    return best


def plain_most(count: int, scores: dict[int, float]) -> list[tuple[float, int]]:
    return sorted(((s, i) for i, s in scores.items()), key=lambda p: (-p[0], p[1]))[:count]


@settings(max_examples=200, deadline=None)
@given(WORDS, EXPANSIONS, st.sets(st.integers(0, ITEMS - 1), max_size=5))
def test_levels_hold_each_holder_once_at_its_best(
    words: dict[int, set[int]], expansion: dict[int, float], gone: set[int]
) -> None:
    levels = similarity_levels(expansion, [postings_of(words)], gone)
    expected = {i: s for i, s in plain_best(expansion, words).items() if i not in gone}
    assert weighted(levels, 1.0) == expected
    assert holder_count(levels) == len(expected)
    sims = [sim for sim, _ in levels]
    assert sims == sorted(set(sims), reverse=True)


@settings(max_examples=200, deadline=None)
@given(WORDS, EXPANSIONS, st.integers(1, 12))
def test_reading_until_enough_keeps_the_best(
    words: dict[int, set[int]], expansion: dict[int, float], count: int
) -> None:
    levels = similarity_levels(expansion, [postings_of(words)], enough=count)
    assert best_sums([(1.0, levels)], count) == plain_most(count, plain_best(expansion, words))


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.integers(0, ITEMS), SIMS),
    st.dictionaries(st.integers(0, ITEMS), SIMS),
    st.integers(1, 12),
)
def test_sums_and_the_best_few(a: dict[int, float], b: dict[int, float], count: int) -> None:
    expected = {i: a.get(i, 0.0) + b.get(i, 0.0) for i in a.keys() | b.keys()}
    total = add_scores(dict(a), dict(b))
    assert total == expected
    assert most(count, total) == plain_most(count, expected)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from([1.0, 2.5, 4.0]), WORDS, EXPANSIONS), max_size=3),
    st.integers(1, 12),
)
def test_best_sums_of_several_words(
    query: list[tuple[float, dict[int, set[int]], dict[int, float]]], count: int
) -> None:
    expected: dict[int, float] = {}
    picked = []
    for weight, words, expansion in query:
        for item, sim in plain_best(expansion, words).items():
            expected[item] = expected.get(item, 0.0) + weight * sim
        picked.append((weight, similarity_levels(expansion, [postings_of(words)])))
    best = best_sums(picked, count)
    assert [i for _, i in best] == [i for _, i in plain_most(count, expected)]
    assert [s for s, _ in best] == pytest.approx([s for s, _ in plain_most(count, expected)])


def test_words_in_several_kinds_count_once() -> None:
    titles, notes = postings_of({1: {3, 4}}), postings_of({1: {4, 5}, 2: {6}})
    levels = similarity_levels({1: 100.0, 2: 90.0}, [titles, notes])
    assert levels == [(100.0, {3, 4, 5}), (90.0, {6})]


def test_the_rarest_words_are_read_and_a_lone_one_only_until_enough() -> None:
    postings = postings_of({1: set(range(10)), 2: {1, 2}, 3: {5}, 4: set(range(6)), 5: set()})
    expansions = [{1: 100.0}, {2: 100.0}, {3: 100.0}, {4: 100.0}, {5: 100.0}]
    rarest = rarest_levels(expansions, [postings], frozenset(), count=1)
    assert [i for i, _ in rarest] == [2, 1, 3]  # fewest holders first; none for word 4
    assert [holder_count(levels) for _, levels in rarest] == [1, 2, 6]
    alone = rarest_levels([{1: 100.0, 4: 90.0}], [postings], frozenset(), count=3)
    assert alone == [(0, [(100.0, set(range(10)))])]  # the 90s were not read
