"""Invariants of the entity engine over arbitrary text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.entities.engine import extract

_NEWSY = st.lists(
    st.sampled_from(
        [
            "Syria",
            "al-Barazi",
            "Talal",
            "U.S.",
            "Gen.",
            "of",
            "the",
            "and",
            "over",
            "1,500",
            "$5",
            "million",
            "May",
            "2016",
            "Forces",
            "ISIL",
            "’s",
            ",",
            ".",
            "\n",
            " ",
            "-",
            "some",
            "around",
            "six",
            "weeks",
            "Dec.",
            "10",
            "%",
            "“",
            "”",
            "(",
            ")",
            "°N",
        ]
    ),
    max_size=40,
).map(" ".join)


def check(text: str) -> None:
    spans = extract(text)
    last = 0
    for s in spans:
        assert 0 <= s.start < s.end <= len(text)
        assert s.start >= last
        last = s.end
        # offsets are code points: slicing never splits a character
        assert text[s.start : s.end] == "".join(list(text)[s.start : s.end])


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_unicode_text(text: str) -> None:
    check(text)


@settings(max_examples=200, deadline=None)
@given(_NEWSY)
def test_news_like_word_salad(text: str) -> None:
    check(text)


def test_astral_and_surrogate_characters() -> None:
    for text in ("𝐀𝐁 Syria 𝐂 over 1,500 😀 Homs", "\ud800 Syria \udfff 2013", "Ω" * 50):
        check(text)
