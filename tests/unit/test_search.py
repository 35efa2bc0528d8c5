"""Jump ranking: every kind of result, prefixes, typos, offsets and incremental updates."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from unit_helpers import MOSUL, VOTEL, make_index

from reader.models import ArticleMeta, Note
from reader.search import Hit, rank_titles


def top(hits: list[Hit]) -> Hit:
    assert hits, "expected at least one hit"
    return hits[0]


def test_title_with_typos_finds_the_article() -> None:
    hit = top(make_index().query("Minister Elwood statment on Mosul"))
    assert (hit.kind, hit.article_id) == ("title", "a1")


def test_title_with_dropped_and_swapped_words() -> None:
    index = make_index()
    assert top(index.query("Syrian Coalition CENTCOM")).article_id == "a2"
    assert top(index.query("Mosul statement Ellwood")).article_id == "a1"


def test_text_match_carries_an_offset_onto_the_matched_text() -> None:
    hit = top(make_index().query("/retook more than 18,000 square"))
    assert hit.kind == "text" and hit.article_id == "a2"
    assert hit.offset is not None and hit.end is not None
    assert VOTEL.text[hit.offset : hit.end].startswith("retook more than 18,000")
    start, end = hit.highlights[0]
    assert hit.matched[start:end] == VOTEL.text[hit.offset : hit.end]


def test_typo_in_text_is_tolerated() -> None:
    hit = top(make_index().query("/General Abdul Barazi"))
    assert hit.article_id == "a1"
    assert hit.offset is not None and hit.end is not None
    assert "Barrazi" in MOSUL.text[hit.offset : hit.end]


def test_note_text_prefix_finds_notes_only() -> None:
    hits = make_index().query(">territory figure")
    assert {h.kind for h in hits} <= {"note", "quote"}
    hit = top(hits)
    assert (hit.kind, hit.note_id, hit.article_id) == ("note", "n1", "a2")
    assert hit.context == VOTEL.title
    assert hit.offset == VOTEL.text.index("18,000")


def test_quote_is_searchable() -> None:
    hit = top(make_index().query(">square kilometers"))
    assert hit.kind == "quote" and hit.note_id == "n1"
    assert hit.offset is not None and hit.end is not None
    assert VOTEL.text[hit.offset : hit.end] == "18,000 square kilometers"


def test_tag_prefix_lists_every_tagged_article() -> None:
    hits = make_index().query("#iraq")
    assert {h.kind for h in hits} == {"tag"}
    assert sorted(h.article_id for h in hits) == ["a1", "a3"]
    assert hits[0].matched == "#iraq"
    start, end = hits[0].highlights[0]
    assert hits[0].matched[start:end] == "iraq"


def test_entity_prefix_and_offset() -> None:
    hit = top(make_index().query("@Josef Votel"))
    assert hit.kind == "entity" and hit.article_id == "a2"
    assert hit.offset is not None and hit.end is not None
    assert VOTEL.text[hit.offset : hit.end] == "Joseph Votel"


def test_source_is_searchable() -> None:
    hit = top(make_index().query(":UK Government"))
    assert (hit.kind, hit.article_id) == ("source", "a1")


def test_mixed_kinds_rank_together() -> None:
    kinds = {h.kind for h in make_index().query("Mosul", limit=20)}
    assert {"title", "tag", "text"} <= kinds


def test_title_highlights_cover_matched_words() -> None:
    hit = top(make_index().query("Hibhib"))
    assert hit.kind == "title"
    assert [hit.matched[s:e] for s, e in hit.highlights] == ["Hibhib"]


def test_incremental_note_updates() -> None:
    index = make_index()
    assert not index.query(">pomegranate harvest")
    index.add_note(Note("n3", "a3", "The pomegranate harvest in the village"))
    assert top(index.query(">pomegranate harvest")).note_id == "n3"
    index.add_note(Note("n3", "a3", "Olive groves instead"))
    assert not [h for h in index.query(">pomegranate") if h.note_id == "n3"]
    index.remove_note("n3")
    assert not index.query(">olive groves")


def test_set_tags_replaces_tags() -> None:
    index = make_index()
    index.set_tags("a3", ["mountains"])
    assert [h.article_id for h in index.query("#iraq")] == ["a1"]
    assert [h.article_id for h in index.query("#mountains")] == ["a3"]


def test_remove_article() -> None:
    index = make_index()
    index.remove_article("a3")
    assert all(h.article_id != "a3" for h in index.query("Hibhib"))
    assert len(index) == 2


def test_empty_and_punctuation_queries_return_nothing() -> None:
    index = make_index()
    assert index.query("") == []
    assert index.query("   ") == []
    assert index.query("#") == []
    assert index.query("?!") == []
    assert index.query("Mosul", limit=0) == []


def test_concurrent_queries_and_updates() -> None:
    index = make_index()
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            for _ in range(30):
                index.query("Mosul statement")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    for k in range(30):
        index.add_note(Note(f"x{k}", "a1", f"note number {k} on Mosul"))
    for t in threads:
        t.join()
    assert not errors


def meta(article_id: str, title: str) -> ArticleMeta:
    return ArticleMeta(id=article_id, path=Path(f"{article_id}.txt"), title=title)


def test_rank_titles_typos_and_ids() -> None:
    metas = [meta("abcd1234", MOSUL.title), meta("ef567890", VOTEL.title)]
    best, score = rank_titles("Elwood statment Mosul", metas)[0]
    assert best.id == "abcd1234" and score >= 60
    assert rank_titles("ef56", metas)[0] == (metas[1], 100.0)
    assert len(rank_titles("x", metas, limit=1)) == 1
    assert rank_titles("   ", metas) == []


def test_rank_titles_scores_are_in_range_and_sorted() -> None:
    metas = [meta(f"id{i}", t) for i, t in enumerate([MOSUL.title, VOTEL.title, "Hibhib"])]
    ranked = rank_titles("coalition", metas)
    scores = [s for _, s in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 100 for s in scores)


@pytest.mark.parametrize("query", ["Mosul", "#iraq", "@Votel", ">report", "/Hamrin", ":CENTCOM"])
def test_scores_are_between_0_and_100(query: str) -> None:
    for hit in make_index().query(query):
        assert 0 <= hit.score <= 100
