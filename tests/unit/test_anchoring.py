"""Passage anchors: made, found again after edits, placed in reading order."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reader.anchoring import (
    CONTEXT,
    find_quote,
    locate,
    make_anchor,
    place_notes,
    snap_to_clusters,
)
from reader.models import Anchor, Note

TEXT = (
    "The siege of Homs began in May 2011. Residents of Baba Amr lived under fire for months. "
    "By 2014 the old city had emptied, and the siege of Homs ended with an evacuation deal. "
    "Aid groups said the siege of Homs was among the longest of the war."
)


def span_of(text: str, quote: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return start, start + len(quote)


def test_make_anchor_keeps_quote_and_context() -> None:
    start, end = span_of(TEXT, "Baba Amr")
    anchor = make_anchor(TEXT, start, end)
    assert anchor.exact == "Baba Amr"
    assert anchor.prefix == TEXT[start - CONTEXT : start]
    assert anchor.suffix == TEXT[end : end + CONTEXT]
    assert (anchor.start, anchor.end) == (start, end)


def test_make_anchor_refuses_bad_spans() -> None:
    for start, end in ((5, 5), (-1, 3), (3, 2), (0, len(TEXT) + 1)):
        with pytest.raises(ValueError):
            make_anchor(TEXT, start, end)


def test_unchanged_text_uses_offsets() -> None:
    anchor = make_anchor(TEXT, *span_of(TEXT, "siege of Homs", 1))
    assert locate(anchor, TEXT) == span_of(TEXT, "siege of Homs", 1)


def test_repeated_quote_after_insertion_picks_matching_context() -> None:
    anchor = make_anchor(TEXT, *span_of(TEXT, "siege of Homs", 1))
    edited = "Editor's note: updated. " + TEXT
    assert locate(anchor, edited) == span_of(edited, "siege of Homs", 1)


def test_repeated_quote_with_context_gone_picks_nearest() -> None:
    anchor = Anchor("siege of Homs", "zzz", "qqq", 90, 103)
    assert locate(anchor, TEXT) == span_of(TEXT, "siege of Homs", 1)


def test_lightly_edited_quote_is_found_fuzzily() -> None:
    quote = "Residents of Baba Amr lived under fire for months"
    anchor = make_anchor(TEXT, *span_of(TEXT, quote))
    edited = TEXT.replace(quote, "Residents of Baba Amr lived under shelling for months")
    found = locate(anchor, edited)
    assert found is not None
    start, end = found
    assert edited[start:end].startswith("Residents of Baba Amr")
    assert abs(start - edited.index("Residents")) <= 2


def test_removed_passage_is_not_found() -> None:
    anchor = make_anchor(TEXT, *span_of(TEXT, "Residents of Baba Amr lived under fire"))
    assert locate(anchor, "A completely different article about gardening.") is None
    assert locate(Anchor(""), TEXT) is None


def test_fuzzy_search_outside_the_window() -> None:
    quote = "a rather distinctive sentence about lentils"
    text = "x " * 10000 + quote + " end"
    anchor = Anchor(quote, "", "", 5, 5 + len(quote))
    edited = text.replace("lentils", "lentil")
    found = locate(anchor, edited)
    assert found is not None and edited[found[0] : found[1]].startswith("a rather")


@pytest.mark.parametrize(
    "text, quote",
    [
        ("كتب المراسل من حمص أن الحصار طال", "حمص أن"),
        ("café naïve e\u0301le\u0300ve", "e\u0301le\u0300ve"),
        ("family 👨\u200d👩\u200d👧 and 👍🏽 thumbs", "👨\u200d👩\u200d👧"),
        ("עברית עם English mixed", "עם English"),
    ],
)
def test_scripts_and_clusters(text: str, quote: str) -> None:
    start, end = span_of(text, quote)
    anchor = make_anchor(text, start, end)
    assert anchor.exact == quote
    assert locate(anchor, "intro " + text) == (start + 6, end + 6)


def test_anchor_never_splits_a_cluster() -> None:
    text = "a👍🏽b e\u0301x 👨\u200d👩\u200d👧 z"
    thumbs = text.index("👍")
    assert make_anchor(text, thumbs, thumbs + 1).exact == "👍🏽"
    accent = text.index("\u0301")
    assert make_anchor(text, accent, accent + 1).exact == "e\u0301"
    family = text.index("👩")
    assert make_anchor(text, family, family + 1).exact == "👨\u200d👩\u200d👧"
    assert snap_to_clusters(text, 0, len(text)) == (0, len(text))


def note(nid: str, anchor: Anchor | None, created: str = "2024-01-01T00:00:00Z") -> Note:
    return Note(nid, "art", f"note {nid}", anchor, (), created, created)


def test_place_notes_order() -> None:
    late = make_anchor(TEXT, *span_of(TEXT, "evacuation deal"))
    early = make_anchor(TEXT, *span_of(TEXT, "Baba Amr"))
    gone = Anchor("words that were cut from the article", "", "", 3, 40)
    notes = [
        note("1", late),
        note("2", None, "2024-01-02T00:00:00Z"),
        note("3", gone),
        note("4", early),
        note("5", None, "2024-01-01T00:00:00Z"),
    ]
    placed = place_notes(notes, TEXT)
    assert [p.note.id for p in placed] == ["5", "2", "4", "1", "3"]
    assert placed[-1].orphaned and placed[-1].start == -1
    assert not any(p.orphaned for p in placed[:-1])
    assert TEXT[placed[2].start : placed[2].end] == "Baba Amr"


def test_find_quote_is_tolerant() -> None:
    text = "He said “don’t   go” —\nthen left. The END."
    assert find_quote(text, "DON'T go") == span_of(text, "don’t   go")
    assert find_quote(text, '"don\'t go" - then') is not None
    assert find_quote(text, "the end") == span_of(text, "The END")
    assert find_quote(text, "not there") is None
    assert find_quote(text, "   ") is None
    assert find_quote(text, "(") is None


# -- properties --------------------------------------------------------------------------

texts = st.text(min_size=1, max_size=300)


@st.composite
def text_and_span(draw: st.DrawFn) -> tuple[str, int, int]:
    text = draw(texts)
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return text, start, end


@settings(max_examples=300, deadline=None)
@given(text_and_span())
def test_anchor_locates_back_on_the_same_text(case: tuple[str, int, int]) -> None:
    text, start, end = case
    anchor = make_anchor(text, start, end)
    assert anchor.start <= start and anchor.end >= end
    assert locate(anchor, text) == (anchor.start, anchor.end)


@settings(max_examples=300, deadline=None)
@given(text_and_span(), st.text(min_size=1, max_size=50), st.booleans())
def test_anchor_survives_an_insertion_elsewhere(
    case: tuple[str, int, int], inserted: str, before: bool
) -> None:
    text, start, end = case
    anchor = make_anchor(text, start, end)
    if before:
        cut = anchor.start
        edited = text[:cut] + inserted + text[cut:]
        expected = (anchor.start + len(inserted), anchor.end + len(inserted))
    else:
        edited = text[: anchor.end] + inserted + text[anchor.end :]
        expected = (anchor.start, anchor.end)
    # Only a passage that is unambiguous in the edited text has one right answer.
    assume(edited.count(anchor.exact) == 1)
    assume(snap_to_clusters(edited, *expected) == expected)
    assert locate(anchor, edited) == expected
