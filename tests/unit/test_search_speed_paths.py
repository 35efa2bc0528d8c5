"""The fast paths of the jump index give the answers of the plain ones.

Caches kept from one keystroke to the next, and a note re-placed through
its anchor when the article's text has moved it. No timings here: bench/jump.py has those.
"""

from __future__ import annotations

import pytest
from unit_helpers import MOSUL, VOTEL, make_index

from reader.models import Anchor, Note
from reader.search import Doc, Hit, SearchIndex

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
