"""The database's lines stay in the file: what the store keeps, reads back and writes."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader import atomic_storage
from reader.atomic_storage import AtomicJSONStorage, CorruptDatabase, SaveFailed, serialize
from reader.errors import ReaderError
from reader.slot_index import SlotIndex
from reader.store import Store

ROOT = Path(__file__).resolve().parents[2]


def _fill(db: Path, notes: int, text: str = "x") -> list[str]:
    with Store.open(db) as s, s.batch():
        return [s.add_note(f"{i % 50:016x}", f"{text} {i}").id for i in range(notes)]


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


# -- what is kept in memory -----------------------------------------------------------------


def test_an_opened_database_keeps_its_lines_in_the_file(tmp_path: Path) -> None:
    """Python memory held after opening 3,000 notes of ~900 bytes is far below the file."""
    db = tmp_path / "reader.json"
    _fill(db, 3000, "a long note " * 75)
    size = db.stat().st_size
    assert size > 2_500_000
    gc.collect()
    tracemalloc.start()
    try:
        store = Store.open(db)
        gc.collect()
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    try:
        assert held < size / 5, (held, size)  # lines held as bytes would be the file's size
        assert len(store.notes(f"{7:016x}")) == 60  # and they read back from the file
    finally:
        store.close()


def test_no_file_descriptor_is_left_open(tmp_path: Path) -> None:
    db = tmp_path / "reader.json"
    _fill(db, 20)
    before = _open_fds()
    for i in range(300):
        store = Store.open(db)
        if i % 50 == 0:
            store.add_note("a", "one more")
        store.notes()
        store.close()
    bad = db.with_name("bad.json")  # a damaged file: the scan's descriptor is closed too
    bad.write_bytes(b'{\n "notes": {\n  "1": {x}\n }\n}\n')
    for _ in range(20):
        with pytest.raises(CorruptDatabase):
            Store.open(bad)
    assert _open_fds() == before


# -- another process -----------------------------------------------------------------------


_WRITER = """
import sys
sys.path.insert(0, {root!r})
from reader.store import Store
with Store.open({db!r}) as s:
    for i in range(40):
        s.add_note("other", "from the other process " * 20)
"""


def test_a_file_replaced_by_another_process_leaves_ours_readable(tmp_path: Path) -> None:
    db = tmp_path / "reader.json"
    ids = _fill(db, 200, "ours")
    store = Store.open(db)
    try:
        script = _WRITER.format(root=str(ROOT), db=str(db))
        subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
        # Until it looks again, the store reads the file it loaded, intact.
        assert store.get_note(ids[150]).text == "ours 150"
        assert [n.text for n in store.notes(f"{3:016x}")] == [
            f"ours {i}" for i in range(3, 200, 50)
        ]
        assert "other" not in store.note_counts()
        assert store.refresh()
        assert store.note_counts()["other"] == 40
        store.update_note(ids[150], text="changed")
    finally:
        store.close()
    with Store.open(db) as again:
        assert again.get_note(ids[150]).text == "changed"
        assert again.note_counts()["other"] == 40


# -- saving --------------------------------------------------------------------------------


def test_a_save_that_copies_unchanged_runs_writes_what_a_full_encoding_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(atomic_storage, "CHUNK_BYTES", 300)  # runs read in many pieces
    db = tmp_path / "reader.json"
    ids = _fill(db, 60)
    with Store.open(db) as s, s.batch():
        s.update_note(ids[10], text="edited")
        s.delete_note(ids[20])
        s.delete_note(ids[59])
        s.add_note("new", "added")
        s.update_note(ids[0], text="first edited")
    raw = db.read_bytes()
    expected = json.loads(raw)
    assert raw == serialize(expected)
    texts = [d["text"] for d in expected["notes"].values()]
    assert texts[0] == "first edited" and texts[10] == "edited" and texts[-1] == "added"
    assert len(texts) == 59 and "x 20" not in texts and "x 59" not in texts


def test_a_note_updated_and_saved_reads_back_from_the_new_file(tmp_path: Path) -> None:
    db = tmp_path / "reader.json"
    ids = _fill(db, 30)
    with Store.open(db) as s:
        s.update_note(ids[5], text="after")
        s.add_note("b", "new")
        # The lines now come from the file just written (the old one is closed).
        assert s.get_note(ids[5]).text == "after"
        assert s.get_note(ids[6]).text == "x 6"
        assert [n.text for n in s.notes("b")] == ["new"]
        s.update_note(ids[6], text="again")
        assert s.get_note(ids[6]).text == "again"
    with Store.open(db) as s:
        assert s.get_note(ids[5]).text == "after" and s.get_note(ids[6]).text == "again"


def test_a_failed_save_leaves_the_tables_as_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "reader.json"
    ids = _fill(db, 30)
    store = Store.open(db)
    store.set_read("a")  # the lock file is open from the first write on
    fds = _open_fds()
    try:

        def full(*args: object, **kwargs: object) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(atomic_storage.os, "replace", full)
        with pytest.raises(SaveFailed):
            store.update_note(ids[3], text="lost")
        with pytest.raises(SaveFailed):
            store.delete_note(ids[4])
        monkeypatch.undo()
        assert store.get_note(ids[3]).text == "x 3"
        assert store.get_note(ids[4]).text == "x 4"
        assert _open_fds() == fds
        store.update_note(ids[3], text="kept")
    finally:
        store.close()
    with Store.open(db) as s:
        assert s.get_note(ids[3]).text == "kept" and len(s.notes()) == 30


# -- order and keys ------------------------------------------------------------------------


def _storage_file(path: Path, notes: dict[str, Any]) -> None:
    path.write_bytes(serialize({"meta": {"1": {"schema": 1}}, "notes": notes}))


def test_order_is_the_files_with_replacements_in_place_and_new_ones_last(tmp_path: Path) -> None:
    db = tmp_path / "reader.json"
    _storage_file(db, {str(i): {"n": i} for i in range(1, 8)})
    storage = AtomicJSONStorage(db)
    try:
        with storage.transaction():
            notes = storage.tables()["notes"]
            notes["3"] = {"n": "three"}
            del notes["5"]
            notes["20"] = {"n": 20}
            notes["10"] = {"n": 10}  # a smaller key after a larger one
            storage.mark_dirty()
        expected = ["1", "2", "3", "4", "6", "7", "20", "10"]
        assert list(storage.tables()["notes"]) == expected
        assert storage.tables()["notes"]["3"] == {"n": "three"}
        assert list(json.loads(db.read_bytes())["notes"]) == expected
    finally:
        storage.close()
    storage = AtomicJSONStorage(db)
    try:
        assert list(storage.tables()["notes"]) == expected
        assert storage.tables()["notes"]["10"] == {"n": 10}
    finally:
        storage.close()


def test_keys_that_are_not_plain_numbers_are_found(tmp_path: Path) -> None:
    db = tmp_path / "reader.json"
    odd = {"007": {"a": 1}, "b": {"a": 2}, "10": {"a": 3}, "2": {"a": 4}, "é\u2028": {"a": 5}}
    _storage_file(db, odd)
    raw = db.read_bytes()
    storage = AtomicJSONStorage(db)
    try:
        notes = storage.tables()["notes"]
        assert list(notes) == list(odd)
        assert all(notes[k] == v for k, v in odd.items())
        assert "7" not in notes and "1" not in notes
        with storage.transaction():
            notes["7"] = {"a": 6}
            storage.mark_dirty()
        odd["7"] = {"a": 6}
        assert notes["007"] == {"a": 1} and notes["7"] == {"a": 6}
    finally:
        storage.close()
    written = json.loads(db.read_bytes())
    assert written["notes"] == odd and raw != db.read_bytes()


def test_a_key_twice_in_the_file_is_parsed_in_full(tmp_path: Path) -> None:
    db = tmp_path / "reader.json"
    db.write_bytes(b'{\n "notes": {\n  "1": {"a": 1},\n  "1": {"a": 2}\n }\n}\n')
    storage = AtomicJSONStorage(db)
    try:
        assert dict(storage.tables()["notes"].items()) == {"1": {"a": 2}}  # as json.loads
    finally:
        storage.close()


def test_of_two_notes_with_one_id_the_later_counts(tmp_path: Path) -> None:
    db = tmp_path / "reader.json"
    doc = {"article": "a", "text": "first", "created": "2024-01-01T00:00:00Z"}
    _storage_file(
        db,
        {
            "1": {"id": "0123456789abcdef", **doc},
            "2": {"id": "0123456789abcdef", **doc, "article": "b", "text": "second"},
            "3": {"id": "odd", **doc, "text": "odd first"},
            "4": {"id": "odd", **doc, "text": "odd second"},
        },
    )
    with Store.open(db) as s:
        assert s.get_note("0123456789abcdef").text == "second"
        assert s.get_note("odd").text == "odd second"
        assert s.note_counts() == {"b": 1, "a": 1}
        assert [n.text for n in s.notes("a")] == ["odd second"]
        assert sorted(n.text for batch in s.iter_notes() for n in batch) == [
            "odd second",
            "second",
        ]


def test_deleting_a_note_whose_id_is_there_twice_deletes_both(tmp_path: Path) -> None:
    db = tmp_path / "reader.json"
    doc = {"id": "0123456789abcdef", "article": "a", "created": "2024-01-01T00:00:00Z"}
    _storage_file(
        db,
        {
            "1": {**doc, "text": "older copy"},
            "2": {**doc, "id": "fedcba9876543210", "text": "another"},
            "3": {**doc, "text": "newer copy"},
        },
    )
    with Store.open(db) as s:
        assert s.delete_note("0123456789abcdef").text == "newer copy"
        assert [n.text for n in s.notes()] == ["another"]
    with Store.open(db) as s:
        assert [n.text for n in s.notes()] == ["another"]


def test_iter_notes_gives_every_note_in_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "reader.json"
    ids = _fill(db, 25)
    monkeypatch.setattr(atomic_storage, "DECODE_BATCH", 10)
    import reader.store

    monkeypatch.setattr(reader.store, "DECODE_BATCH", 10)
    with Store.open(db) as s:
        s.delete_note(ids[3])
        batches = list(s.iter_notes())
        assert [len(b) for b in batches] == [10, 10, 4]
        assert [n.id for b in batches for n in b] == ids[:3] + ids[4:]
        some = list(s.iter_notes([f"{1:016x}", "none"]))
        assert [len(b) for b in some] == [1, 0]


# -- a property: any sequence of changes, saves and reloads ----------------------------------

keys = st.integers(1, 40).map(str) | st.sampled_from(["a", "007", "é"])
steps = st.lists(
    st.one_of(
        st.tuples(st.just("put"), keys, st.integers(0, 9)),
        st.tuples(st.just("delete"), keys),
        st.tuples(st.just("save")),
        st.tuples(st.just("reload")),
    ),
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(steps)
def test_changes_saves_and_reloads_agree_with_a_dict(
    tmp_path_factory: pytest.TempPathFactory, script: list[tuple[Any, ...]]
) -> None:
    db = tmp_path_factory.mktemp("prop") / "reader.json"
    _storage_file(db, {str(i): {"v": i} for i in range(1, 30, 3)})
    model: dict[str, Any] = {str(i): {"v": i} for i in range(1, 30, 3)}
    saved = dict(model)
    storage = AtomicJSONStorage(db)
    try:
        for step in script:
            table = storage.tables()["notes"]
            if step[0] == "put":
                table[step[1]] = {"v": step[2]}
                model.pop(step[1], None) if step[1] not in model else None
                model[step[1]] = {"v": step[2]}
                storage.mark_dirty()
            elif step[0] == "delete" and step[1] in model:
                del table[step[1]]
                del model[step[1]]
                storage.mark_dirty()
            elif step[0] == "save":
                with storage.transaction(reload=False):
                    storage.mark_dirty()
                saved = dict(model)
            elif step[0] == "reload":
                storage._dirty = False
                storage._load()
                model = dict(saved)
            table = storage.tables()["notes"]
            assert dict(table.items()) == model and list(table) == list(model)
        with storage.transaction(reload=False):
            storage.mark_dirty()
        raw = db.read_bytes()
        assert json.loads(raw)["notes"] == model and raw == serialize(json.loads(raw))
    finally:
        storage.close()


# -- the slot index ------------------------------------------------------------------------


def test_slot_index_keeps_hex_ids_as_numbers_and_others_aside() -> None:
    index = SlotIndex()
    index.extend(["00000000000000ff", "ffffffffffffffff", "00000000000000ff"], [5, 1, 2])
    index.extend(["Odd", "00000000000000fF"], [3, 4])
    index.sort()
    assert index.slots("00000000000000ff") == [2, 5]
    assert index.last("ffffffffffffffff") == 1 and index.last("Odd") == 3
    assert index.last("00000000000000fF") == 4 and index.last("nothing") is None
    assert index.shadowed() == [("00000000000000ff", 2)]
    assert index.counts() == {
        "00000000000000ff": 2,
        "ffffffffffffffff": 1,
        "Odd": 1,
        "00000000000000fF": 1,
    }
    assert sorted(index.starting_with("0000")) == [2, 4, 5]
    assert sorted(index.starting_with("f")) == [1]
    assert sorted(index.starting_with("")) == [1, 2, 3, 4, 5]
    assert index.starting_with("odd") == [3]
    index.remove("00000000000000ff", 5)
    index.remove("Odd", 3)
    index.remove("Odd", 3)
    index.add("0000000000000100", 9)
    assert index.slots("00000000000000ff") == [2] and "Odd" not in index
    assert index.last("0000000000000100") == 9 and len(index) == 4


def test_of_two_records_with_one_id_the_later_counts(tmp_path: Path) -> None:
    db = tmp_path / "reader.json"
    record = {"id": "0123456789abcdef", "path": "/a", "title": "A", "size": 1, "hashes": []}
    db.write_bytes(
        serialize(
            {
                "meta": {"1": {"schema": 1}},
                "articles": {
                    "1": {**record, "tags": ["old"]},
                    "2": {**record, "tags": ["new"]},
                    "3": {**record, "id": "other", "tags": ["x"]},
                },
            }
        )
    )
    with Store.open(db) as s:
        assert s.tags("0123456789abcdef") == ("new",)
        assert s.tags_by_article() == {"0123456789abcdef": ("new",), "other": ("x",)}
        assert s.all_tags() == {"new": 1, "x": 1}
        assert [r.tags for r in s.records()] == [("new",), ("x",)]
        s.add_tags("0123456789abcdef", ["more"])
        assert s.tags("0123456789abcdef") == ("new", "more")


def test_tags_are_read_from_record_lines_whatever_their_layout(tmp_path: Path) -> None:
    db = tmp_path / "reader.json"
    base = {"path": "/a", "title": "A", "size": 1, "hashes": ["h]"]}
    articles = {
        "1": {"id": "a1", **base, "tags": ["x", "y"]},
        "2": {"id": "a2", **base, "tags": []},
        "3": {"id": 'q"uote', **base, "tags": ["z"]},  # an escape in the id
    }
    db.write_bytes(serialize({"meta": {"1": {"schema": 1}}, "articles": articles}))
    with Store.open(db) as s:
        assert s.tags_by_article() == {"a1": ("x", "y"), 'q"uote': ("z",)}
    articles = {
        "1": {"id": "a1", **base, "hashes": [], "tags": ["x", "y"]},
        "2": {"tags": ["w]"], "id": "a2", **base, "hashes": []},  # another order; a "]"
        "3": {"id": "a3", **base, "hashes": [], "tags": ["w]"]},
    }
    db.write_bytes(serialize({"meta": {"1": {"schema": 1}}, "articles": articles}))
    with Store.open(db) as s:
        assert s.tags_by_article() == {"a1": ("x", "y"), "a2": ("w]",), "a3": ("w]",)}
        assert s.all_tags() == {"w]": 2, "x": 1, "y": 1}


def test_reading_a_closed_store_says_it_is_closed(tmp_path: Path) -> None:
    db = tmp_path / "reader.json"
    ids = _fill(db, 3)
    store = Store.open(db)
    store.close()
    with pytest.raises(ReaderError, match="closed"):
        store.get_note(ids[0])
    with pytest.raises(ReaderError, match="closed"):
        store.note_counts()


def test_tag_counts_follow_every_change(tmp_path: Path) -> None:
    db = tmp_path / "reader.json"
    with Store.open(db) as s, Store.open(db) as other:
        s.add_tags("a", ["x"])
        assert s.tags_by_article() == {"a": ("x",)}
        assert s.all_tags() == {"x": 1}  # counted by tags_by_article
        s.add_tags("b", ["x", "y"])
        assert s.all_tags() == {"x": 2, "y": 1}
        s.remove_tags("a", ["x"])
        assert s.all_tags() == {"x": 1, "y": 1}
        other.add_tags("c", ["z"])
        s.refresh()
        assert s.all_tags() == {"x": 1, "y": 1, "z": 1}
        s.merge_record({"id": "d", "path": "", "title": "", "hashes": [], "tags": ["y"]})
        assert s.all_tags() == {"y": 2, "x": 1, "z": 1}
