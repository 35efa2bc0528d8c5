"""The fast paths of the jump index give the answers of the plain ones.

Caches kept from one keystroke to the next, the window scan that stops early, and a note
re-placed through its anchor when the article's text has moved it. No timings here:
bench/jump.py has those.
"""

from __future__ import annotations

from itertools import permutations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from unit_helpers import MOSUL, VOTEL, make_index

from reader.models import Anchor, Note
from reader.search import Doc, Hit, SearchIndex
from reader.search.textscan import WINDOWS, TextIndex, best_alignment
from reader.search.vocab import Vocabulary

QUERIES = [
    "elwood mosul",
    "centcom reinforces",
    "18,000 square",
    "territory figure",
    "#iraq",
    "@votel",
    ">corridor",
    "/retake mosul",
    "barazi said the coalition",
]


def typed(index: SearchIndex, query: str) -> list[Hit]:
    """``query`` typed one key at a time; the last keystroke's results."""
    hits: list[Hit] = []
    for i in range(1, len(query) + 1):
        hits = index.query(query[:i])
    return hits


@pytest.mark.parametrize("query", QUERIES)
def test_typing_gives_what_a_fresh_index_gives(query: str) -> None:
    warm = make_index()
    for other in QUERIES:
        typed(warm, other)
    assert typed(warm, query) == make_index().query(query)


def test_kept_caches_follow_updates() -> None:
    index = make_index()
    assert not index.query(">pomegranate harvest")
    index.add_note(Note("n3", "a3", "The pomegranate harvest in the village"))
    assert index.query(">pomegranate harvest")[0].note_id == "n3"
    index.add_article(Doc("a4", "Pomegranate harvest report", "Pomegranates ripen late."))
    assert {h.article_id for h in index.query("pomegranate harvest")} >= {"a3", "a4"}
    index.remove_article("a4")
    assert "a4" not in {h.article_id for h in index.query("pomegranate harvest")}


def test_note_is_placed_through_its_anchor_when_the_text_moved() -> None:
    exact = "18,000 square kilometers"
    old_start = VOTEL.text.index(exact)
    moved = Doc(VOTEL.id, VOTEL.title, "A new first paragraph.\n\n" + VOTEL.text, VOTEL.source)
    note = Note(
        "n9",
        VOTEL.id,
        "Compare with the spring figure",
        Anchor(
            exact,
            VOTEL.text[old_start - 20 : old_start],
            VOTEL.text[old_start + len(exact) : old_start + len(exact) + 20],
            old_start,
            old_start + len(exact),
        ),
    )
    index = SearchIndex([MOSUL, moved], [note])
    hit = index.query(">spring figure")[0]
    assert hit.note_id == "n9" and hit.offset == old_start
    start, end = index.place(hit) or (0, 0)
    assert moved.text[start:end] == exact


def test_place_of_other_hits_is_their_offset() -> None:
    index = make_index()
    title = index.query("elwood mosul")[0]
    assert title.kind == "title" and index.place(title) is None
    text = index.query("/retake mosul")[0]
    assert index.place(text) == (text.offset, text.end)


WINDOW_WORDS = ["alpha", "bravo", "charlie", "delta", "echo"]


def every_window(
    index: TextIndex,
    word_of: dict[str, tuple[int, float]],
    weights: list[float],
    full: float,
    query: str,
) -> tuple[float, int, int] | None:
    """The plain form of ``_best_place``: every window valued, the best ones at least a
    window's reach apart aligned (by the index's own ``best_alignment``)."""
    _, text, words, starts = index.processed(0)
    hits = [(starts[i], *word_of[w]) for i, w in enumerate(words) if w in word_of]
    if not hits:
        return None
    reach, windows = len(query) + 8, []
    for start, _, _ in hits:
        best: dict[int, float] = {}
        for other, k, sim in hits:
            if start <= other < start + reach:
                best[k] = max(sim, best.get(k, 0.0))
        windows.append((sum(weights[k] * s for k, s in best.items()), start))
    chosen: list[tuple[float, int]] = []
    for value, start in sorted(windows, key=lambda w: (-w[0], w[1])):
        if len(chosen) < WINDOWS and all(abs(start - o) >= reach for _, o in chosen):
            chosen.append((value, start))
    return best_alignment(text, query, chosen, full)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([*WINDOW_WORDS, "zz", "zzzzzzzzzz"]), min_size=1, max_size=60),
    st.lists(st.sampled_from(WINDOW_WORDS), min_size=1, max_size=3, unique=True),
    st.lists(st.sampled_from([1.0, 2.0, 4.0]), min_size=3, max_size=3),
    st.sampled_from([None, *WINDOW_WORDS]),
)
def test_window_scan_is_the_plain_scan(
    text_words: list[str], query_words: list[str], weights: list[float], typo: str | None
) -> None:
    """Weights and similarities exact in binary, so no sum depends on its order."""
    index = TextIndex(Vocabulary())
    index.add("a", " ".join(text_words))
    word_of = {w: (k, 100.0) for k, w in enumerate(query_words)}
    if typo is not None and typo not in word_of:
        word_of[typo] = (0, 75.0)  # a typo'd form of the first query word
    weights = weights[: len(query_words)]
    full, query = sum(weights) * 100.0, " ".join(query_words)
    found = index._best_place(0, word_of, weights, full, query)
    assert found == every_window(index, word_of, weights, full, query)


def test_the_exact_words_after_many_full_windows_are_found() -> None:
    """Every order of the query's words, the query's own last: the windows first in the
    text all hold every word, yet the exact phrase at the end is what is shown."""
    orders = [" ".join(p) for p in permutations(["echo", "gamma", "coalition"])]
    text = ". ".join([p for p in orders if p != "echo gamma coalition"] + ["echo gamma coalition"])
    hit = SearchIndex([Doc("a", "t", text + ".")]).query("/echo gamma coalition")[0]
    assert hit.offset is not None and hit.end is not None
    assert text[hit.offset : hit.end] == "echo gamma coalition"
