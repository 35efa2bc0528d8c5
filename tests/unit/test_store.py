"""The annotation store: notes, tags, reading state, identity, file format, errors."""

from __future__ import annotations

import errno
import json
import os
import threading
from pathlib import Path

import pytest
from tinydb import TinyDB

from reader import atomic_storage
from reader.errors import ReaderError
from reader.models import Anchor
from reader.store import (
    AmbiguousNote,
    BadTag,
    CorruptDatabase,
    EmptyNote,
    SaveFailed,
    Store,
    UnknownNote,
    UnreadableDatabase,
    UnsupportedSchema,
)

HASH_A = "a" * 16 + "0123"
HASH_B = "b" * 16 + "4567"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "annotations.json"


@pytest.fixture
def store(db: Path):
    s = Store.open(db)
    yield s
    s.close()


# -- the file ------------------------------------------------------------------------------


def test_open_missing_file_creates_nothing(db: Path) -> None:
    s = Store.open(db)
    assert s.notes() == []
    s.close()
    assert not db.parent.exists()


def test_first_write_creates_folder_and_readable_json(store: Store, db: Path) -> None:
    note = store.add_note("art1", "hello")
    text = db.read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["meta"]["1"]["schema"] == 1
    assert text.startswith('{\n "meta": {\n')
    assert "\n  " in text  # indented, one document a line
    assert [d["id"] for d in data["notes"].values()] == [note.id]


def test_file_opens_with_plain_tinydb(store: Store, db: Path) -> None:
    store.add_note("art1", "hello", Anchor("quote", "p", "s", 1, 6), tags=["x"])
    plain = TinyDB(db)
    try:
        docs = plain.table("notes").all()
    finally:
        plain.close()
    assert docs[0]["text"] == "hello"
    assert docs[0]["anchor"]["exact"] == "quote"


def test_unicode_and_control_characters_round_trip(store: Store, db: Path) -> None:
    text = "ملاحظة \u202e e\u0301 👍🏽 \x1b[31m tab\t nl\n \udcff"
    note = store.add_note("art1", text)
    reopened = Store.open(db)
    try:
        assert reopened.get_note(note.id).text == text
    finally:
        reopened.close()
    assert "\x1b" not in db.read_text(encoding="utf-8")


# -- notes ---------------------------------------------------------------------------------


def test_add_get_update_delete_restore(store: Store) -> None:
    anchor = Anchor("passage", "before ", " after", 7, 14)
    note = store.add_note("art1", "my note", anchor, tags=["#Syria", "syria", "War"])
    assert len(note.id) >= 12
    assert note.tags == ("syria", "war")
    assert note.created.endswith("Z") and len(note.created) == 20
    assert store.get_note(note.id) == note
    assert store.get_note(note.id[:6]) == note

    edited = store.update_note(note.id, text="changed", tags=["peace"])
    assert edited.text == "changed" and edited.tags == ("peace",)
    assert edited.anchor == anchor and edited.created == note.created

    removed = store.delete_note(note.id[:8])
    assert removed == edited
    assert store.notes("art1") == []
    with pytest.raises(UnknownNote):
        store.get_note(note.id)

    store.restore_note(removed)
    assert store.notes("art1") == [removed]


def test_notes_by_article_and_counts(store: Store) -> None:
    a1 = store.add_note("art1", "one")
    a2 = store.add_note("art1", "two")
    b1 = store.add_note("art2", "three")
    assert [n.id for n in store.notes("art1")] == [a1.id, a2.id]
    assert {n.id for n in store.notes()} == {a1.id, a2.id, b1.id}
    assert store.note_counts() == {"art1": 2, "art2": 1}
    store.delete_note(b1.id)
    assert store.note_counts() == {"art1": 2}


def test_ambiguous_and_unknown_prefix(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = iter(["abc111" + "0" * 26, "abc222" + "0" * 26])
    monkeypatch.setattr("reader.store.uuid.uuid4", lambda: type("U", (), {"hex": next(ids)})())
    store.add_note("art1", "first")
    store.add_note("art1", "second")
    with pytest.raises(AmbiguousNote) as err:
        store.get_note("abc")
    assert "abc111" in str(err.value) and "abc222" in str(err.value)
    assert store.get_note("abc2").text == "second"
    with pytest.raises(UnknownNote, match="zzz"):
        store.get_note("zzz")
    with pytest.raises(UnknownNote):
        store.get_note("")


def test_a_restored_id_with_capitals_is_found_whole_or_by_prefix(store: Store) -> None:
    from reader.models import Note

    store.merge_note(
        Note("NoteFromElsewhere01", "art1", "restored", created="2024-01-01T00:00:00Z")
    )
    assert store.get_note("NoteFromElsewhere01").text == "restored"
    assert store.get_note("notefrom").text == "restored"
    assert store.get_note("NOTEFROM").text == "restored"


def test_empty_article_note_refused(store: Store) -> None:
    with pytest.raises(EmptyNote):
        store.add_note("art1", "   ")
    highlight = store.add_note("art1", "", Anchor("q", "", "", 0, 1))
    assert highlight.text == ""


def test_bad_tag_changes_nothing(store: Store, db: Path) -> None:
    with pytest.raises(BadTag):
        store.add_note("art1", "text", tags=["ok", "not ok"])
    assert store.notes() == []
    assert not db.exists()


def test_update_without_change_keeps_timestamp(store: Store) -> None:
    note = store.add_note("art1", "same")
    assert store.update_note(note.id, text="same") == note


# -- tags and reading state ----------------------------------------------------------------


def test_tags(store: Store) -> None:
    assert store.add_tags("art1", ["#History", "war"]) == ("history", "war")
    assert store.add_tags("art1", ["WAR", "syria"]) == ("history", "war", "syria")
    assert store.add_tags("art2", ["war"]) == ("war",)
    assert store.all_tags() == {"war": 2, "history": 1, "syria": 1}
    assert store.remove_tags("art1", ["History"]) == ("war", "syria")
    assert store.tags("art1") == ("war", "syria")
    assert store.tags("unknown") == ()
    with pytest.raises(BadTag):
        store.add_tags("art1", ["fine", ""])
    assert store.tags("art1") == ("war", "syria")
    store.remove_tags("art2", ["war"])
    store.identify("c" * 16, "/lib/untagged.txt", "Untagged", 10)
    assert store.tags_by_article() == {"art1": ("war", "syria")}


@pytest.mark.parametrize(
    "tags",
    [
        (["x]"], ['],["y'], ["z"]),
        (["[wip]"], ["]"], ["a\\]", 'b"]']),
        (["a]"], ["]", "],"], ["[", "]]"]),
    ],
)
def test_tags_holding_brackets_are_read_from_the_file(
    db: Path, tags: tuple[list[str], ...]
) -> None:
    articles = [c * 16 for c in "abc"]
    with Store.open(db) as store:
        for article, its_tags in zip(articles, tags, strict=True):
            store.add_tags(article, its_tags)
    with Store.open(db) as store:  # the records' lines, as saved
        expected = {a: tuple(t) for a, t in zip(articles, tags, strict=True)}
        assert store.tags_by_article() == expected
        counts: dict[str, int] = {}
        for its_tags in tags:
            for tag in its_tags:
                counts[tag] = counts.get(tag, 0) + 1
        assert store.all_tags() == dict(sorted(counts.items(), key=lambda i: (-i[1], i[0])))


def test_reading_state(store: Store, db: Path) -> None:
    assert store.reading_state("art1").position == 0
    store.set_position("art1", 120)
    store.set_read("art1")
    state = store.reading_state("art1")
    assert state.position == 120 and state.read and state.opened
    before = db.stat().st_mtime_ns, db.read_bytes()
    store.set_position("art1", 120)  # no change: no write
    assert (db.stat().st_mtime_ns, db.read_bytes()) == before
    assert store.reading_states() == [state]


# -- identity ------------------------------------------------------------------------------


def test_identify_first_hash_becomes_id(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("x")
    aid = store.identify(HASH_A, path, "Title", 10)
    assert aid == HASH_A[:16]
    assert store.identify(HASH_A, path, "Title", 10) == aid


def test_identify_pure_move_keeps_id(store: Store, tmp_path: Path) -> None:
    old = tmp_path / "a.md"
    aid = store.identify(HASH_A, old, "Title", 10)
    new = tmp_path / "moved" / "b.md"
    assert store.identify(HASH_A, new, "Title", 10) == aid
    record = store.record(aid)
    assert record is not None and record.path == str(new)


def test_identify_edit_in_place_keeps_id(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("x")
    aid = store.identify(HASH_A, path, "Title", 10)
    assert store.identify(HASH_B, path, "New title", 12) == aid
    record = store.record(aid)
    assert record is not None and record.hashes == (HASH_A, HASH_B)


def test_identify_moved_and_edited_keeps_id(store: Store, tmp_path: Path) -> None:
    gone = tmp_path / "gone.md"  # never exists: the file was moved away
    aid = store.identify(HASH_A, gone, "The Siege of Homs", 1000)
    elsewhere = tmp_path / "sub" / "homs.md"
    assert store.identify(HASH_B, elsewhere, "The Siege of Homs", 1010) == aid


def test_identify_same_title_but_old_file_still_there_is_new(store: Store, tmp_path: Path) -> None:
    first = tmp_path / "one.md"
    first.write_text("x")
    aid = store.identify(HASH_A, first, "Daily briefing", 100)
    other = store.identify(HASH_B, tmp_path / "two.md", "Daily briefing", 100)
    assert other != aid


def test_identify_writes_nothing_until_something_else_does(store: Store, db: Path) -> None:
    for i in range(50):
        store.identify(f"{i:016x}", f"/lib/{i}.md", f"T{i}", i)
    assert not db.exists()
    store.flush()
    assert len(json.loads(db.read_text())["articles"]) == 50
    mtime = db.stat().st_mtime_ns
    for i in range(50):
        store.identify(f"{i:016x}", f"/lib/{i}.md", f"T{i}", i)
    store.flush()
    store.refresh()
    assert db.stat().st_mtime_ns == mtime


def test_identify_pending_records_written_on_close(db: Path) -> None:
    s = Store.open(db)
    aid = s.identify(HASH_A, "/lib/a.md", "A", 1)
    s.close()
    again = Store.open(db)
    try:
        assert again.record(aid) is not None
    finally:
        again.close()


def test_identify_pending_survives_another_writer(db: Path) -> None:
    one, two = Store.open(db), Store.open(db)
    try:
        aid = one.identify(HASH_A, "/lib/a.md", "A", 1)
        two.add_tags("other", ["x"])
        one.add_tags(aid, ["mine"])
        three = Store.open(db)
        assert three.tags(aid) == ("mine",) and three.tags("other") == ("x",)
        assert three.record(aid).path == "/lib/a.md"  # type: ignore[union-attr]
        three.close()
    finally:
        one.close()
        two.close()


# -- batches, other processes, threads -----------------------------------------------------


def test_batch_writes_once(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = atomic_storage.write_atomically
    monkeypatch.setattr(
        atomic_storage, "write_atomically", lambda *a: (calls.append(1), real(*a))[1]
    )
    with store.batch():
        for i in range(200):
            store.add_note("art1", f"note {i}")
    assert len(calls) == 1
    assert len(store.notes("art1")) == 200


def test_batch_is_all_or_nothing(store: Store, db: Path) -> None:
    store.add_note("art1", "kept")
    with pytest.raises(RuntimeError), store.batch():
        store.add_note("art1", "dropped")
        raise RuntimeError("boom")
    assert [n.text for n in store.notes()] == ["kept"]
    reopened = Store.open(db)
    assert [n.text for n in reopened.notes()] == ["kept"]
    reopened.close()


def test_refresh_sees_other_writer(db: Path) -> None:
    ui, cli = Store.open(db), Store.open(db)
    try:
        assert ui.refresh() is False
        note = cli.add_note("art1", "from the command line")
        assert ui.refresh() is True
        assert ui.get_note(note.id).text == "from the command line"
        assert ui.refresh() is False
    finally:
        ui.close()
        cli.close()


def test_two_stores_never_lose_each_others_writes(db: Path) -> None:
    one, two = Store.open(db), Store.open(db)
    try:
        for i in range(20):
            one.add_note("art1", f"one {i}")
            two.add_note("art1", f"two {i}")
        n = one.add_note("art1", "edited later")
        two.update_note(n.id, text="edited by two")
        one.add_tags("art1", ["a"])
        two.add_tags("art1", ["b"])
    finally:
        one.close()
        two.close()
    final = Store.open(db)
    try:
        assert len(final.notes()) == 41
        assert final.tags("art1") == ("a", "b")
        assert final.get_note(n.id).text == "edited by two"
    finally:
        final.close()


def test_threads_share_one_store(store: Store) -> None:
    def work(k: int) -> None:
        for i in range(25):
            store.add_note(f"art{k}", f"{k}-{i}")

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.notes()) == 100


def test_closed_store_refuses(db: Path) -> None:
    s = Store.open(db)
    s.close()
    with pytest.raises(ReaderError):
        s.add_note("a", "b")


# -- bad files -----------------------------------------------------------------------------


def test_corrupt_file_is_reported_with_place_and_left_alone(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_text('{\n "notes": {\n  "1": {"id": "x",,}\n }\n}\n')
    before = db.read_bytes()
    with pytest.raises(CorruptDatabase) as err:
        Store.open(db)
    message = str(err.value)
    assert str(db) in message and "line 3" in message and "reader doctor" in message
    assert db.read_bytes() == before


@pytest.mark.parametrize(
    "content",
    [b"[1, 2]", b'{"notes": []}', b'{"notes": {"1": 5}}', b"\xff\xfe{", b'{"meta": {"1": '],
)
def test_wrong_layouts_are_corrupt(db: Path, content: bytes) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(content)
    with pytest.raises(CorruptDatabase):
        Store.open(db)
    assert db.read_bytes() == content


def test_newer_schema_refused(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_text('{"meta": {"1": {"schema": 99}}, "notes": {}}')
    with pytest.raises(UnsupportedSchema) as err:
        Store.open(db)
    assert "99" in str(err.value) and str(db) in str(err.value)


def test_nonsense_schema_is_corrupt(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_text('{"meta": {"1": {"schema": "one"}}}')
    with pytest.raises(CorruptDatabase):
        Store.open(db)


def test_unreadable(db: Path) -> None:
    db.mkdir(parents=True)
    with pytest.raises(UnreadableDatabase, match="folder"):
        Store.open(db)


def test_empty_file_is_an_empty_database(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(b"")
    s = Store.open(db)
    s.add_note("a", "b")
    s.close()
    assert json.loads(db.read_text())["notes"]


# -- a disk that refuses --------------------------------------------------------------------


def _full_disk(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_full_disk_keeps_old_file_and_memory_consistent(
    store: Store, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = store.add_note("art1", "saved")
    store.add_tags("art1", ["old"])
    before = db.read_bytes()
    monkeypatch.setattr(atomic_storage.os, "replace", _full_disk)
    with pytest.raises(SaveFailed) as err:
        store.add_note("art1", "not saved")
    assert "disk is full" in str(err.value) and str(db) in str(err.value)
    with pytest.raises(SaveFailed):
        store.add_tags("art1", ["new"])
    with pytest.raises(SaveFailed):
        store.delete_note(kept.id)
    assert db.read_bytes() == before
    assert [n.text for n in store.notes()] == ["saved"]
    assert store.tags("art1") == ("old",)
    assert not list(db.parent.glob(".*.tmp"))
    monkeypatch.undo()
    store.add_note("art1", "saved later")
    assert [n.text for n in store.notes()] == ["saved", "saved later"]


def test_failing_temp_write_keeps_old_file(
    store: Store, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.add_note("art1", "saved")
    before = db.read_bytes()
    monkeypatch.setattr(atomic_storage.os, "fsync", _full_disk)
    with pytest.raises(SaveFailed):
        store.add_note("art1", "lost")
    assert db.read_bytes() == before
    assert len(store.notes()) == 1


def test_read_only_folder_on_first_write(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    s = Store.open(db)
    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(SaveFailed, match="not writable"):
        s.add_note("art1", "x")
    assert s.notes() == []
    monkeypatch.undo()
    s.add_note("art1", "y")
    s.close()


def test_no_leftover_temp_files(store: Store, db: Path) -> None:
    for i in range(5):
        store.add_note("a", str(i))
    assert sorted(os.listdir(db.parent)) == [db.name, db.name + ".lock"]


def test_incremental_encoding_matches_a_full_encoding(store: Store, db: Path) -> None:
    """Only changed lines are re-encoded; the file must equal encoding everything anew."""
    notes = [store.add_note(f"art{i % 3}", f"note {i}") for i in range(12)]
    with store.batch():
        store.update_note(notes[2].id, text="edited")
        store.delete_note(notes[5].id)
        store.restore_note(notes[5])
        store.delete_note(notes[7].id)
        store.add_tags("art1", ["x"])
        store.set_position("art2", 9)
    store.delete_note(notes[0].id)
    raw = db.read_bytes()
    assert raw == atomic_storage.serialize(json.loads(raw))
    assert len(json.loads(raw)["notes"]) == 10


def test_large_file_is_written_in_pieces(
    store: Store, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No piece of a save is the whole file (one join of it would hold the interpreter lock)."""
    monkeypatch.setattr(atomic_storage, "CHUNK_BYTES", 2_000)
    with store.batch():
        for i in range(100):
            store.add_note(f"art{i % 7}", f"note {i} " + "x" * 100)
    pieces: list[bytes] = []
    real = atomic_storage.write_atomically

    def record(path: Path, chunks: object, tag: str) -> None:
        pieces.extend(chunks)  # type: ignore[call-overload]
        real(path, pieces, tag)

    monkeypatch.setattr(atomic_storage, "write_atomically", record)
    store.add_note("art1", "one more")
    raw = db.read_bytes()
    assert b"".join(pieces) == raw == atomic_storage.serialize(json.loads(raw))
    longest_line = max(len(line) for line in raw.split(b"\n"))
    assert len(raw) > 10 * 2_000
    assert max(len(p) for p in pieces) <= 2_000 + 2 * longest_line


# -- what opening decodes ----------------------------------------------------------------


def _count_decoded_notes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A one-item list counting the notes (documents with an "anchor") decoded from now on."""
    decoded = [0]
    real = json.loads

    def counting(text: str | bytes, *args: object, **kwargs: object) -> object:
        decoded[0] += text.count(b'"anchor": ' if isinstance(text, bytes) else '"anchor": ')
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(atomic_storage.json, "loads", counting)
    return decoded


def test_opening_decodes_no_note_until_one_is_asked_for(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(db) as s, s.batch():
        for i in range(30):
            s.add_note(f"art{i % 3}", f"note {i}", tags=["t"])
        s.add_tags("art1", ["x"])
        s.set_position("art2", 5)
    decoded = _count_decoded_notes(monkeypatch)
    with Store.open(db) as s:
        assert s.note_counts() == {"art0": 10, "art1": 10, "art2": 10}
        assert s.all_tags() == {"x": 1}
        assert [r.position for r in s.reading_states()] == [5]
        assert len(s.records()) == 1
        assert decoded[0] == 0
        assert [n.text for n in s.notes("art1")] == [f"note {i}" for i in range(1, 30, 3)]
        assert decoded[0] == 10
        s.add_note("art0", "one more")
        assert decoded[0] == 10
    with Store.open(db) as s:
        assert s.note_counts()["art0"] == 11
        assert len(s.notes()) == 31


def test_notes_with_unusual_ids_are_indexed_after_reopening(db: Path) -> None:
    odd = ['q"uote', "back\\slash", "tab\there", "ünï", "\u2028", "x" * 300]
    with Store.open(db) as s:
        made = [s.add_note(article, f"on {article}") for article in odd]
    with Store.open(db) as s:
        assert s.note_counts() == dict.fromkeys(odd, 1)
        for article, note in zip(odd, made, strict=True):
            assert s.notes(article) == [note]
            assert s.get_note(note.id) == note


def test_a_file_written_by_plain_tinydb_opens_and_is_kept(db: Path) -> None:
    db.parent.mkdir(parents=True)
    plain = TinyDB(db)
    plain.table("meta").insert({"schema": 1})
    plain.table("notes").insert(
        {"text": "from TinyDB", "article": "a", "id": "0123456789abcdef", "anchor": None,
         "tags": [], "created": "2024-01-01T00:00:00Z", "updated": "2024-01-01T00:00:00Z"}
    )  # fmt: skip
    plain.close()
    with Store.open(db) as s:
        assert s.note_counts() == {"a": 1}
        assert s.get_note("0123").text == "from TinyDB"
        s.add_note("a", "second")
    with Store.open(db) as s:
        assert [n.text for n in s.notes("a")] == ["from TinyDB", "second"]


def test_a_note_edited_by_hand_is_read_as_edited(store: Store, db: Path) -> None:
    note = store.add_note("art1", "before")
    raw = db.read_bytes()
    db.write_bytes(raw.replace(b'"text": "before"', b'"text": "after"'))
    with Store.open(db) as s:
        assert s.get_note(note.id).text == "after"


def test_a_note_broken_by_hand_is_reported_at_opening(store: Store, db: Path) -> None:
    store.add_note("art1", "one")
    store.add_note("art1", "two")
    raw = db.read_bytes()
    line = next(i for i, text in enumerate(raw.split(b"\n"), 1) if b'"text": "two"' in text)
    db.write_bytes(raw.replace(b'"text": "two"', b'"text": two"'))
    with pytest.raises(CorruptDatabase) as err:
        Store.open(db)
    assert err.value.line == line


def test_tinydb_over_the_store_reads_its_documents(store: Store) -> None:
    note = store.add_note("art1", "hello", tags=["x"])
    docs = store.db.table("notes").all()
    assert [d["id"] for d in docs] == [note.id]
    assert docs[0]["tags"] == ["x"]


def test_notes_without_an_id_are_not_indexed_and_an_articles_notes_keep_their_order(
    db: Path,
) -> None:
    stamp = "2024-01-01T00:00:00Z"
    notes = {
        str(i): {"id": nid, "article": article, "text": nid, "created": stamp}
        for i, (nid, article) in enumerate(
            [("n1", "b"), ("", "b"), ("n2", "a"), ("n3", "b"), ("n4", "a")], 1
        )
    }
    notes["9"] = {"article": "b", "text": "no id at all"}
    db.parent.mkdir(parents=True)
    db.write_bytes(atomic_storage.serialize({"meta": {"1": {"schema": 1}}, "notes": notes}))
    with Store.open(db) as s:
        assert s.note_counts() == {"a": 2, "b": 2}
        assert [n.id for n in s.notes("b")] == ["n1", "n3"]
        assert [n.id for n in s.notes("a")] == ["n2", "n4"]


def test_a_change_not_saved_is_never_saved_later_when_the_file_cannot_be_read_back(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(db) as first:
        first.add_note("art1", "first")
    store = Store.open(db)
    real_write, real_open = atomic_storage.write_atomically, atomic_storage.FileLines.open

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    def unreadable(path: object) -> atomic_storage.FileLines:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic_storage, "write_atomically", disk_full)
    monkeypatch.setattr(atomic_storage.FileLines, "open", staticmethod(unreadable))
    with pytest.raises(SaveFailed):
        store.add_note("art1", "NOT SAVED")  # and the rollback cannot read the file
    monkeypatch.setattr(atomic_storage, "write_atomically", real_write)
    with pytest.raises(ReaderError):  # still unreadable: no write
        store.add_note("art1", "refused")
    assert b"NOT SAVED" not in db.read_bytes()
    monkeypatch.setattr(atomic_storage.FileLines, "open", real_open)
    store.add_note("art1", "second")
    assert [n.text for n in store.notes()] == ["first", "second"]
    store.close()
    with Store.open(db) as again:
        assert [n.text for n in again.notes()] == ["first", "second"]
