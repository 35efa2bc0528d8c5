"""The jump index keeps texts and notes packed: same answers, no Python objects held on to.

The index is the largest thing a session keeps besides the database; these tests pin what
it must not keep (the notes and texts it is given) and that what it keeps instead gives
back exactly what it was given.
"""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from unit_helpers import MOSUL, VOTEL, make_index

from reader.models import Anchor, EntitySpan, Note
from reader.search import Doc, SearchIndex
from reader.search.normalize import joined_words, tokens
from reader.search.notes import NoteTable
from reader.search.packed import PackedTexts, StringPool

AWKWARD = [
    "",
    "plain",
    "curly ’quotes’ and é",
    "emoji 👩‍👩‍👧 and \u0000 nul",
    "lone \udc80 surrogate",
]


@pytest.mark.parametrize("text", AWKWARD)
def test_packed_texts_give_back_what_they_were_given(text: str) -> None:
    texts = PackedTexts()
    texts.append("before")
    at = texts.append(text)
    texts.append("after")
    assert (texts[at], texts[0], texts[2]) == (text, "before", "after")
    texts.clear(at)
    assert texts[at] == "" and texts[2] == "after"


def test_string_pool_gives_back_every_string() -> None:
    pool = StringPool()
    ids = [pool.append(s) for s in AWKWARD * 3]
    assert [pool[i] for i in ids] == AWKWARD * 3
    assert len(pool) == len(AWKWARD) * 3


def test_note_table_tells_an_edit_and_keeps_the_anchor() -> None:
    anchor = Anchor("the passage", "before ", " after", 10, 21)
    note = Note("n1", "a1", "text", anchor)
    displays = {5: "the passage"}
    table = NoteTable()
    table.put(note, 4, 5)
    assert table.holds(note)
    assert not table.holds(Note("n1", "a1", "edited text", anchor))
    assert table.anchor("n1", displays.__getitem__) == anchor
    assert table.pop("n1") == [4, 5]
    assert not table.holds(note) and table.anchor("n1", displays.__getitem__) is None
    assert table.pop("n1") == []
    table.put(Note("n2", "a1", "no passage"), None, None)
    assert table.anchor("n2", displays.__getitem__) is None and table.pop("n2") == []
    # A passage without words has no quote item: its text is kept in the table.
    dashes = Note("n3", "a1", "text", Anchor("—", "a ", " b", 3, 4))
    table.put(dashes, 6, None)
    assert table.anchor("n3", displays.__getitem__) == dashes.anchor


def test_the_index_keeps_no_reference_to_notes_or_texts() -> None:
    text = "".join(["A text made for this test alone, about the harbour of Valletta."])
    doc = Doc("a9", "Valletta harbour", text, "Times of Malta")
    note = Note("n9", "a9", "Ferries every hour", Anchor("harbour of Valletta", start=45, end=64))
    held = sys.getrefcount(text), sys.getrefcount(note), sys.getrefcount(note.anchor)
    index = SearchIndex([doc], [note])
    del doc
    assert (sys.getrefcount(text) + 1, sys.getrefcount(note), sys.getrefcount(note.anchor)) == (
        held[0],
        held[1],
        held[2],
    )
    assert index.text("a9") == text
    assert index.query(">ferries every hour")[0].note_id == "n9"


def test_sync_notes_adds_edits_and_removes() -> None:
    index = make_index()
    kept = Note("n2", "a1", "Follow up on the humanitarian corridor")
    index.sync_notes([kept, Note("n3", "a3", "Pomegranate orchards near the village")])
    assert sorted(index.note_ids()) == ["n2", "n3"]
    assert not index.query(">territory figure monthly report")
    assert index.query(">pomegranate orchards")[0].note_id == "n3"
    index.sync_notes([kept, Note("n3", "a3", "Olive groves near the village")])
    assert not index.query(">pomegranate orchards")
    assert index.query(">olive groves")[0].note_id == "n3"


def test_shared_items_follow_their_articles() -> None:
    spans = {
        "a1": [EntitySpan(0, 6, "PERSON")],
        "a2": [EntitySpan(5, 11, "PERSON")],
    }
    index = SearchIndex(
        [
            Doc("a1", "First", "Tobias Ellwood spoke."),
            Doc("a2", "Second", "Then Tobias spoke again."),
            Doc("a3", "Third", "Tobias once more.", "Same source"),
            Doc("a4", "Fourth", "Nothing here.", "Same source"),
        ],
        tags={"a1": ["iraq"], "a2": ["iraq"], "a3": ["iraq"]},
        entities=spans,
    )
    assert {h.article_id for h in index.query("@tobias")} == {"a1", "a2"}
    assert [h.offset for h in index.query("@tobias") if h.article_id == "a2"] == [5]
    assert {h.article_id for h in index.query("#iraq")} == {"a1", "a2", "a3"}
    index.set_tags("a1", ())
    index.remove_article("a2")
    assert {h.article_id for h in index.query("#iraq")} == {"a3"}
    assert {h.article_id for h in index.query("@tobias")} == {"a1"}
    index.set_entities("a1", ())
    assert not index.query("@tobias")
    assert {h.article_id for h in index.query(":same source")} == {"a3", "a4"}
    index.remove_article("a3")
    assert {h.article_id for h in index.query(":same source")} == {"a4"}


def test_entity_names_are_read_from_the_packed_text() -> None:
    votel = VOTEL.text.index("Joseph Votel")
    index = SearchIndex([MOSUL, VOTEL])
    index.set_entities("a2", [EntitySpan(votel, votel + 12, "PERSON")])
    hit = index.query("@joseph votel")[0]
    assert (hit.matched, hit.offset) == ("Joseph Votel", votel)


def test_a_note_with_an_impossible_offset_is_found_without_a_place() -> None:
    index = make_index()
    index.add_note(Note("n7", "a1", "Barges on the river", Anchor("x", start=2**40, end=2**40)))
    hit = index.query(">barges on the river")[0]
    assert hit.note_id == "n7" and hit.offset is None


def test_an_offset_too_large_for_any_column_keeps_the_table_in_step() -> None:
    table = NoteTable()
    huge = Note("big", "a1", "text", Anchor("x", "p", "s", 2**70, 2**70 + 1))
    table.put(huge, 1, None)
    table.put(Note("next", "a1", "text", Anchor("y", "q", "t", 7, 8)), 2, None)
    assert table.anchor("next", str) == Anchor("y", "q", "t", 7, 8)
    assert table.anchor("big", str) == huge.anchor  # kept on disk as written, not clamped
    index = make_index()
    index.add_note(huge)
    assert index.place(index.query(">text")[0]) is None  # no such place in the text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=40) | st.text(alphabet="ab -_\x00\n\t.Z9é’", max_size=20)))
def test_joined_words_are_the_words_of_each_string(texts: list[str]) -> None:
    assert joined_words(texts) == [" ".join(tokens(t)) for t in texts]


def test_kept_norms_never_outgrow_their_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    import reader.search.fields as fields

    monkeypatch.setattr(fields, "NORM_CACHE", 3)
    index = make_index()
    for query in ("mosul", "coalition", "iraq", "territory figure", "mosul coalition"):
        assert index.query(query) == make_index().query(query)


def test_kept_processed_texts_are_capped_by_their_length(monkeypatch: pytest.MonkeyPatch) -> None:
    import reader.search.textscan as textscan
    from reader.search.vocab import Vocabulary

    monkeypatch.setattr(textscan, "PROC_CACHE_CHARS", 1_000)
    index = textscan.TextIndex(Vocabulary())
    docs = [index.add(f"a{n}", f"river barges {n} " * 30) for n in range(10)]  # ~500 chars
    for doc in docs:
        assert index.processed(doc).original == index.text(doc)
    kept = index._procs
    assert 1 <= len(kept) <= 2 and index._proc_chars == sum(len(p.original) for p in kept.values())
    index.remove(docs[-1])
    assert index._proc_chars == sum(len(p.original) for p in kept.values())
