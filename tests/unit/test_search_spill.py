"""The jump index keeps its bulk on disk: what it writes there comes back exactly, the
file goes away with the index, and a note costs a few numbers in memory.

No timings here (bench/jump.py has those); memory is counted with tracemalloc.
"""

from __future__ import annotations

import gc
import os
import random
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reader.search.spill as spill
from reader.models import Anchor, Note
from reader.search import Doc, SearchIndex
from reader.search.noteids import NoteIds
from reader.search.notes import decode_anchor, encode_anchor
from reader.search.packed import PackedTexts, StringPool
from reader.search.spill import SpillFile

#: Any code point, lone surrogates included (Hypothesis leaves them out by default).
ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=()), max_size=60)


def open_files_in(folder: Path) -> list[str]:
    """What this process's open descriptors point at inside ``folder``."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(folder)):
            found.append(target)
    return found


@pytest.fixture
def small_buffer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Flush every few bytes, so reads cross the file and the buffer."""
    monkeypatch.setattr(spill, "BUFFER", 7)


def test_spilled_bytes_come_back_from_file_and_buffer(small_buffer: None, tmp_path: Path) -> None:
    kept = SpillFile(tmp_path / "cache")
    chunks = [bytes([k]) * k for k in range(20)]
    offsets = [kept.append(c) for c in chunks]
    assert kept.on_disk > 0 and len(kept) == sum(map(len, chunks))
    assert [kept.read(o, len(c)) for o, c in zip(offsets, chunks, strict=True)] == chunks
    assert kept.read(0, len(kept)) == b"".join(chunks)  # across the file and the buffer
    assert (tmp_path / "cache").is_dir() and not list((tmp_path / "cache").iterdir())
    kept.close()
    with pytest.raises(ValueError):
        kept.read(0, 1)


def test_a_folder_that_cannot_be_made_falls_back_to_the_system_temp(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    made = spill.open_spill(blocker / "cache")
    try:
        assert not open_files_in(tmp_path)
    finally:
        made.close()


@settings(max_examples=60, deadline=None)
@given(st.lists(ANY_TEXT, max_size=30))
def test_string_pool_gives_back_any_string(texts: list[str]) -> None:
    pool = StringPool(SpillFile())
    ids = [pool.append(t) for t in texts]
    assert [pool[i] for i in ids] == texts
    assert pool.many(reversed(ids)) == texts[::-1]
    pool.close()


@settings(max_examples=30, deadline=None)
@given(st.lists(ANY_TEXT, max_size=10))
def test_packed_texts_give_back_any_text(texts: list[str]) -> None:
    packed = PackedTexts(SpillFile())
    ids = [packed.append(t * 50) for t in texts]
    assert [packed[i] for i in ids] == [t * 50 for t in texts]
    packed.close()


@given(ANY_TEXT, ANY_TEXT, ANY_TEXT, st.integers(), st.integers(), st.booleans())
def test_an_anchor_is_encoded_in_one_string_and_back(
    exact: str, prefix: str, suffix: str, start: int, end: int, keep: bool
) -> None:
    anchor = Anchor(exact, prefix, suffix, start, end)
    decoded, kept = decode_anchor(encode_anchor(anchor, exact if keep else ""))
    assert kept == bool(keep and exact)
    assert decoded == (anchor if keep else Anchor("", prefix, suffix, start, end))


def test_the_spill_files_go_with_the_index(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    index = SearchIndex(
        [Doc("a1", "Harbour", "The ferry leaves the harbour. " * 5000)], spill_dir=folder
    )
    index.add_note(Note("n1", "a1", "Ferries every hour " * 5000))
    assert open_files_in(folder) and all(f.endswith("(deleted)") for f in open_files_in(folder))
    assert index.query("/ferry leaves")[0].article_id == "a1"
    del index
    gc.collect()
    assert open_files_in(folder) == []


def test_closing_the_index_deletes_its_files(tmp_path: Path) -> None:
    index = SearchIndex(
        [Doc("a1", "Harbour", "The ferry leaves the harbour. " * 5000)], spill_dir=tmp_path
    )
    index.add_note(Note("n1", "a1", "Ferries every hour " * 5000))
    assert open_files_in(tmp_path)
    index.close()
    assert open_files_in(tmp_path) == []


# -- note ids ------------------------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.booleans(),
            st.sampled_from(["0000000000000000", "ffffffffffffffff", "00000000000000ff"])
            | st.integers(0, 2**64 - 1).map(lambda n: f"{n:016x}")
            | st.sampled_from(["n1", "", "ABCDEF0123456789", "0x00000000000001", " 123"])
            | ANY_TEXT,
        ),
        max_size=80,
    )
)
def test_note_ids_behave_like_a_dict(steps: list[tuple[bool, str]]) -> None:
    ids, model = NoteIds(), {}
    for adding, note_id in steps:
        if adding and note_id not in model:
            model[note_id] = ids.add(note_id)
        elif not adding:
            assert ids.remove(note_id) == model.pop(note_id, None)
        assert len(ids) == len(model)
    assert {i: ids.get(i) for i in model} == model
    assert sorted(ids.ids()) == sorted(model)
    assert all(ids.id_of(slot) == i for i, slot in model.items())


def test_many_note_ids_are_found_after_the_table_grows() -> None:
    ids = NoteIds()
    names = [f"{random.Random(k).getrandbits(64):016x}" for k in range(5000)] + ["odd", "Odd"]
    slots = [ids.add(n) for n in names]
    for name in names[::3]:
        ids.remove(name)
    kept = {n: s for n, s in zip(names, slots, strict=True)}
    for name in names[::3]:
        del kept[name]
    assert all(ids.get(n) == s for n, s in kept.items())
    assert all(ids.get(n) is None for n in names[::3])
    with pytest.raises(KeyError):
        ids.add(names[1])


# -- notes in the index ---------------------------------------------------------------------


def notes_for(count: int, seed: int = 3) -> list[Note]:
    rng = random.Random(seed)
    words = [
        "harbour",
        "ferry",
        "valletta",
        "river",
        "barge",
        "market",
        "olive",
        "grove",
        "orchard",
        "spring",
    ]

    def sentence(n: int) -> str:
        return " ".join(rng.choice(words) for _ in range(n))

    return [
        Note(
            f"{rng.getrandbits(64):016x}",
            f"a{k % 20}",
            sentence(14),
            Anchor(sentence(8), sentence(5), sentence(5), 10, 60),
        )
        for k in range(count)
    ]


def test_a_note_costs_a_few_numbers_in_memory() -> None:
    """Was about 480 bytes a note (strings, ids and anchors in memory); now the strings
    are on disk and the ids numbers."""
    notes = notes_for(3000)
    index = SearchIndex([Doc(f"a{k}", f"Article {k}", "harbour ferry") for k in range(20)])
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        index.sync_notes(notes)
        held, peak = (m - before for m in tracemalloc.get_traced_memory())
    finally:
        tracemalloc.stop()
    assert held < 250 * len(notes)
    assert peak < 300 * len(notes)
    assert len(index.note_ids()) == len(notes)


def test_store_ids_and_other_ids_are_found_edited_and_removed() -> None:
    hexed = "0123456789abcdef"
    odd = "Restored-Note ✓"
    index = SearchIndex([Doc("a1", "Harbour", "The ferry leaves the harbour at noon.")])
    index.add_note(
        Note(hexed, "a1", "pomegranate harvest", Anchor("ferry leaves", start=4, end=16))
    )
    index.add_note(Note(odd, "a1", "olive groves"))
    assert index.query(">pomegranate")[0].note_id == hexed
    assert index.query(">olive groves")[0].note_id == odd
    hit = index.query(">pomegranate")[0]
    assert index.place(hit) == (4, 16)
    index.add_note(Note(odd, "a1", "almond trees"))  # edited
    assert not index.query(">olive groves")
    assert index.query(">almond trees")[0].note_id == odd
    index.sync_notes([Note(odd, "a1", "almond trees")])  # the other note is gone
    assert index.note_ids() == [odd]
    assert not index.query(">pomegranate")


def test_a_sweep_keeps_notes_added_while_it_ran() -> None:
    index = SearchIndex([Doc("a1", "Harbour", "text")])
    old, kept = notes_for(2, seed=5)
    index.add_notes([old, kept])
    sweep = index.start_sweep()
    index.add_notes([kept], sweep)
    late = notes_for(1, seed=9)[0]
    index.add_note(late)  # written while the sync ran: not the sweep's to remove
    index.end_sweep(sweep)
    assert sorted(index.note_ids()) == sorted([kept.id, late.id])


# -- word runs on disk -----------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 30), st.lists(st.integers(0, 2**31 - 1), max_size=5)),
        max_size=60,
    ),
    st.integers(1, 8),
)
def test_word_runs_give_back_every_id_in_order(
    steps: list[tuple[int, list[int]]], recent: int
) -> None:
    import reader.search.postings as postings_module

    model: dict[int, list[int]] = {}
    runs = postings_module.Postings()
    old = postings_module.RECENT
    postings_module.RECENT = recent  # written out every few ids: runs rewritten, garbage dropped
    try:
        for wid, ids in steps:
            if len(ids) == 1:
                runs.add(wid, ids[0])
            else:
                runs.extend(wid, ids)
            model.setdefault(wid, []).extend(ids)
            assert runs.count(wid) == len(model[wid])
        for wid in range(32):
            assert list(runs.get(wid)) == model.get(wid, [])
        runs.flush()
        assert {w: list(runs.get(w)) for w in model} == model
        assert runs.disk_bytes() <= 4 * 3 * sum(map(len, model.values())) + 4
    finally:
        postings_module.RECENT = old
        runs.close()


def test_removed_items_and_articles_are_not_found(tmp_path: Path) -> None:
    index = SearchIndex(
        [
            Doc("a1", "Harbour ferries", "The ferry leaves the harbour."),
            Doc("a2", "Olive groves", ""),
        ],
        spill_dir=tmp_path,
    )
    index.set_tags("a1", ["boats"])
    index.set_tags("a1", [])
    assert not index.query("#boats")
    index.remove_article("a1")
    assert not index.query("harbour ferries") and not index.query("/ferry leaves")
    index.add_article(Doc("a1", "Harbour ferries again", "The ferry leaves at noon."))
    assert index.query("harbour ferries")[0].article_id == "a1"
    assert index.query("/leaves at noon")[0].article_id == "a1"


def test_an_index_of_a_workspace_keeps_its_files_in_the_cache_folder(tmp_path: Path) -> None:
    from reader.workspace import Workspace

    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "ferry.md").write_text("# Ferry timetable\n\nThe ferry leaves the harbour at noon.\n")
    ws = Workspace.for_paths(tmp_path / "db.json", [lib], include_seeds=False)
    try:
        (meta,) = ws.articles()
        ws.store.add_note(meta.id, "Pomegranate harvest notes " * 4000)
        ws.store.add_note("not-in-the-library", "Olive groves by the sea")
        index = SearchIndex.from_workspace(ws, with_entities=False)
        assert index.query(">pomegranate harvest")[0].article_id == meta.id
        assert index.query(">olive groves")[0].article_id == "not-in-the-library"
        assert open_files_in(ws.locations.cache)
        index.close()
        assert open_files_in(ws.locations.cache) == []
    finally:
        ws.close()


def test_an_articles_entities_are_replaced_and_removed_with_it(tmp_path: Path) -> None:
    from reader.models import EntitySpan

    text = "Joseph Votel met Ashton Carter in Baghdad."
    index = SearchIndex([Doc("a1", "Meeting", text), Doc("a2", "Other", text)], spill_dir=tmp_path)
    votel, carter = EntitySpan(0, 12, "PERSON"), EntitySpan(17, 30, "PERSON")
    index.set_entities("a1", [votel, carter])
    index.set_entities("a2", [carter])
    assert {h.article_id for h in index.query("@ashton carter")} == {"a1", "a2"}
    index.set_entities("a1", [votel])  # the article was edited: Carter is gone from it
    assert {h.article_id for h in index.query("@ashton carter")} == {"a2"}
    assert index.query("@joseph votel")[0].article_id == "a1"
    index.remove_article("a1")
    assert not index.query("@joseph votel")
    assert index.query("@ashton carter")[0].article_id == "a2"
    index.set_entities("unknown", [votel])  # an article the index does not hold: ignored
    assert not index.query("@joseph votel")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["add", "replace", "flush"]),
            st.integers(0, 5),
            st.lists(st.integers(-5, 2**31 - 1), max_size=4),
        ),
        max_size=40,
    )
)
def test_word_runs_replaced_and_read_from_the_end(steps: list[tuple[str, int, list[int]]]) -> None:
    from array import array

    from reader.search.postings import Postings

    runs, model = Postings(), {}
    for action, key, ids in steps:
        if action == "add":
            runs.extend(key, ids)
            model.setdefault(key, []).extend(ids)
        elif action == "replace":
            runs.replace(key, array("i", ids))
            model[key] = list(ids)
        else:
            runs.flush()
        for n in (1, 2, 5):
            assert list(runs.tail(key, n)) == model.get(key, [])[-n:]
    assert {k: list(runs.get(k)) for k in range(6)} == {k: model.get(k, []) for k in range(6)}
    runs.close()


def test_a_tag_on_many_articles_keeps_each_articles_place() -> None:
    docs = [Doc(f"a{k}", f"Article number {k}", "") for k in range(40)]
    index = SearchIndex(docs, tags={f"a{k}": ["harbour"] for k in range(40)})
    hits = index.query("#harbour", limit=100)
    assert {h.article_id for h in hits} == {f"a{k}" for k in range(40)}
    for k in range(0, 40, 2):
        index.set_tags(f"a{k}", [])
    assert {h.article_id for h in index.query("#harbour", limit=100)} == {
        f"a{k}" for k in range(1, 40, 2)
    }
    for k in range(1, 40, 2):
        index.set_tags(f"a{k}", [])
    assert not index.query("#harbour")
    index.set_tags("a3", ["harbour"])
    assert [h.article_id for h in index.query("#harbour")] == ["a3"]


def _disk_full_once(monkeypatch: pytest.MonkeyPatch, on_call: int = 1) -> None:
    """``os.pwrite`` fails with ENOSPC on its ``on_call``-th call, then works again."""
    import errno

    real = os.pwrite
    calls = [0]

    def flaky(fd: int, data: bytes, offset: int) -> int:
        calls[0] += 1
        if calls[0] == on_call:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, data, offset)

    monkeypatch.setattr(os, "pwrite", flaky)


def test_a_full_disk_keeps_the_bytes_and_every_note_its_own_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A write that failed once left the bytes in the buffer unrecorded: every later
    # string was read one place off, and a query could raise IndexError.
    monkeypatch.setattr(spill, "BUFFER", 1)
    index = SearchIndex()
    index.add_note(Note("0000000000000001", "a", "first apple"))
    _disk_full_once(monkeypatch)
    index.add_note(Note("0000000000000002", "a", "second banana"))
    index.add_note(Note("0000000000000003", "a", "third cherry"))
    for word, text, nid in (
        ("apple ", "first apple", "0000000000000001"),
        ("banana ", "second banana", "0000000000000002"),
        ("cherry ", "third cherry", "0000000000000003"),
    ):
        assert [(h.matched, h.note_id) for h in index.query(word)] == [(text, nid)]


def test_word_runs_stay_whole_when_a_write_fails_while_they_are_flushed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reader.search.postings import Postings

    monkeypatch.setattr(spill, "BUFFER", 1)
    runs = Postings()
    for wid in (3, 2, 1, 0):
        runs.extend(wid, range(wid * 10, wid * 10 + 5))
        runs.flush()
    for _ in range(3):  # replaced runs leave garbage, so the next flush rewrites the file
        for wid in range(4):
            runs.replace(wid, runs.get(wid))
    want = {wid: list(runs.get(wid)) for wid in range(4)}
    runs.add(0, 999)
    _disk_full_once(monkeypatch, on_call=3)
    runs.flush()
    assert {wid: list(runs.get(wid)) for wid in range(4)} == {**want, 0: [*want[0], 999]}


def test_a_closed_spill_file_refuses_reads_of_what_was_buffered() -> None:
    spilled = SpillFile()
    at = spilled.append(b"kept")
    spilled.close()
    with pytest.raises(ValueError):
        spilled.read(at, 4)
