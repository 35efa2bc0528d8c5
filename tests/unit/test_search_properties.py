"""Arbitrary Unicode never makes a jump or a find raise, offsets stay in range, and the fast
folding and word splitting equal the regular expressions they stand for."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.models import Anchor, Note
from reader.search import Doc, SearchIndex
from reader.search.find import find_in_text
from reader.search.normalize import WORD, fold, proc, word_starts

texts = st.text(max_size=300)


@settings(max_examples=60, deadline=None)
@given(title=texts, body=texts, note=texts, tag=st.text(min_size=1, max_size=20), query=texts)
def test_query_never_raises_and_offsets_are_in_range(
    title: str, body: str, note: str, tag: str, query: str
) -> None:
    index = SearchIndex(
        [Doc("a", title, body, "src"), Doc("b", "Mosul", "Mosul " + body)],
        notes=[Note("n", "a", note, Anchor(body[:5], start=0, end=min(5, len(body))))],
        tags={"a": [tag]},
    )
    for prefix in ("", "#", "@", ">", "/", ":"):
        for hit in index.query(prefix + query, limit=10):
            assert 0 <= hit.score <= 100
            for start, end in hit.highlights:
                assert 0 <= start <= end <= len(hit.matched)
            if hit.offset is not None and hit.kind == "text":
                text = body if hit.article_id == "a" else "Mosul " + body
                assert hit.end is not None
                assert 0 <= hit.offset <= hit.end <= len(text)


@settings(max_examples=100, deadline=None)
@given(text=texts, query=texts)
def test_find_never_raises_and_offsets_are_in_range(text: str, query: str) -> None:
    previous_end = 0
    for start, end in find_in_text(text, query):
        assert previous_end <= start < end <= len(text)
        previous_end = end


@settings(max_examples=60, deadline=None)
@given(text=texts)
def test_exact_substring_is_always_found(text: str) -> None:
    needle = text[len(text) // 3 : len(text) // 3 + 6]
    if needle.strip() and needle.strip() == needle:
        spans = find_in_text(text, needle)
        assert any(text[s:e].lower() == needle.lower() for s, e in spans) or not spans


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_word_starts_are_the_words_of_the_folded_text(text: str) -> None:
    folded = proc(text)
    words, starts = word_starts(folded)
    found = [(m.group(), m.start()) for m in WORD.finditer(folded)]
    assert list(zip(words, starts, strict=True)) == found


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=300) | st.text(alphabet=st.characters(exclude_categories=()), min_size=50))
def test_proc_is_the_regular_expression_replacement(text: str) -> None:
    folded = proc(text)
    assert folded == re.sub(r"[\W_]", " ", fold(text))
    assert len(folded) == len(text)


def test_proc_of_a_text_of_many_symbols() -> None:
    symbols = "".join(chr(c) for c in range(0x2190, 0x2190 + 300)) + "Word_x"
    assert proc(symbols) == " " * 300 + "word x"
