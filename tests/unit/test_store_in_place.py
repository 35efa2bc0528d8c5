"""Another program rewriting the open database in place (same inode, same revision)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from tinydb import TinyDB

from reader import atomic_storage
from reader.atomic_storage import DatabaseChanged
from reader.errors import ReaderError
from reader.store import Store

ARTICLE = "a" * 16


def _make(path: Path, n: int = 50) -> list[str]:
    with Store.open(path) as store, store.batch():
        return [store.add_note(ARTICLE, f"note number {i} " + "x" * 40).id for i in range(n)]


def _edit_in_place(path: Path, old: str, new: str) -> None:
    """As nano or TinyDB's own storage save: the same file written over and truncated."""
    text = path.read_text()
    assert old in text
    with open(path, "r+") as f:
        f.write(text.replace(old, new, 1))
        f.truncate()


def test_a_rewrite_in_place_is_seen_by_refresh(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    _make(path)
    with Store.open(path) as store:
        _edit_in_place(path, "note number 0 ", "note number 0! ")
        assert store.refresh()
        assert any(n.text.startswith("note number 0!") for n in store.notes(ARTICLE))


def test_tinydb_writing_in_place_is_seen_and_kept_by_the_next_save(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    ids = _make(path)
    with Store.open(path) as store:
        db = TinyDB(path)
        db.table("reading").insert({"article": "b" * 16, "position": 3, "read": False})
        db.close()
        store.add_note("c" * 16, "after the outside write")
    json.loads(path.read_bytes())
    with Store.open(path) as again:
        assert again.reading_state("b" * 16).position == 3
        assert len(again.notes()) == len(ids) + 1


def test_a_save_refuses_to_copy_from_a_file_changed_in_place(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    ids = _make(path)
    with Store.open(path) as store:
        with pytest.raises(DatabaseChanged), store.batch():
            store.add_note("c" * 16, "lost: the file changed under the batch")
            _edit_in_place(path, "note number 10 ", "note number 10 (fixed) ")
        json.loads(path.read_bytes())  # the hand edit's file, untouched
        # the failed save read the file afresh: the next one keeps the hand edit
        store.update_note(ids[20], text="changed by the app")
    with Store.open(path) as again:
        texts = [n.text for n in again.notes()]
    assert len(texts) == len(ids)
    assert any("(fixed)" in t for t in texts)
    assert "changed by the app" in texts


def test_a_file_changed_in_place_while_it_is_written_is_not_renamed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "db.json"
    _make(path)
    pieces = atomic_storage.FileWriter.pieces

    def edited_meanwhile(self: atomic_storage.FileWriter) -> Iterator[bytes]:
        for i, piece in enumerate(pieces(self)):
            if i == 1:
                _edit_in_place(path, "note number 10 ", "note number 10 (fixed) ")
            yield piece

    with Store.open(path) as store:
        monkeypatch.setattr(atomic_storage.FileWriter, "pieces", edited_meanwhile)
        with pytest.raises(DatabaseChanged):
            store.add_note("c" * 16, "not saved")
    assert "(fixed)" in json.loads(path.read_bytes())["notes"]["11"]["text"]
    assert not list(tmp_path.glob(".db.json.*.tmp"))


@pytest.mark.parametrize("new", ["note number 10 (fixed) ", "n10 "])
def test_reading_lines_of_a_file_changed_in_place_is_a_reader_error(
    tmp_path: Path, new: str
) -> None:
    path = tmp_path / "db.json"
    ids = _make(path)
    with Store.open(path) as store:
        _edit_in_place(path, "note number 10 ", new)  # longer, then shorter: cut short
        with pytest.raises(DatabaseChanged) as caught:
            for note_id in reversed(ids):
                store.get_note(note_id)
        assert isinstance(caught.value, ReaderError)
        assert "changed on disk" in str(caught.value)
        store.refresh()
        assert len(store.notes()) == len(ids)
