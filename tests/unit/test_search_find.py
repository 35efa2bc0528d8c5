"""Find in the current article: exact matches plus typo-tolerant word matches."""

from __future__ import annotations

import itertools

from reader.search.find import find_in_text

TEXT = "The Barrazi family met barazi and BARAZI. Later Hamrin and Barazzi spoke."


def found(text: str, query: str) -> list[str]:
    return [text[s:e] for s, e in find_in_text(text, query)]


def test_barazi_finds_barrazi_and_case_variants() -> None:
    assert found(TEXT, "Barazi") == ["Barrazi", "barazi", "BARAZI", "Barazzi"]


def test_barrazi_finds_barazi() -> None:
    assert "barazi" in found(TEXT, "Barrazi")


def test_multiword_query_with_a_typo() -> None:
    text = "Minister Tobias Ellwood said so. Tobias Ellwood left."
    assert found(text, "Tobias Elwood") == ["Tobias Ellwood", "Tobias Ellwood"]


def test_matches_are_sorted_and_disjoint() -> None:
    spans = find_in_text(TEXT * 3, "barazi")
    assert spans == sorted(spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_short_queries_are_exact_only() -> None:
    assert found("the cat and the hat", "hat") == ["hat"]
    assert found("the cat", "cut") == []


def test_exact_substring_matches_inside_words() -> None:
    assert found("toward the war", "war") == ["war", "war"]


def test_empty_inputs() -> None:
    assert find_in_text("", "x") == []
    assert find_in_text("text", "") == []
    assert find_in_text("text", "   ") == []


def test_unrelated_words_are_not_found() -> None:
    assert found(TEXT, "Hamburg") == []


def test_long_article() -> None:
    text = "word " * 50_000 + "Barrazi " + "other " * 50_000
    spans = find_in_text(text, "Barazi")
    assert [text[s:e] for s, e in spans] == ["Barrazi"]
