"""Backup and restore: documented JSON, merged back without duplicates or losses."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.backup import (
    FORMAT,
    VERSION,
    BadBackup,
    backup_data,
    dumps,
    load_backup,
    restore,
    restore_file,
    write_backup,
)
from reader.models import Anchor, Note
from reader.store import Store
from reader.tags import BadTag, normalize_tag


def fill(store: Store) -> None:
    aid = store.identify("f" * 20, "/lib/homs.md", "The Siege of Homs", 1234)
    store.add_tags(aid, ["history", "syria"])
    store.add_note(aid, "on the whole article")
    store.add_note(aid, "a passage", Anchor("siege", "The ", " of", 4, 9), tags=["quote"])
    store.set_position(aid, 321)
    store.set_read(aid)


def comparable(store: Store) -> dict[str, object]:
    data = backup_data(store)
    data.pop("created")
    return data


def test_backup_document_shape(tmp_path: Path) -> None:
    with Store.open(tmp_path / "db.json") as store:
        fill(store)
        target = tmp_path / "out" / "backup.json"
        counts = write_backup(store, target)
    assert counts == {"articles": 1, "notes": 2, "reading": 1}
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["format"] == FORMAT and data["version"] == VERSION
    note = next(n for n in data["notes"] if n["anchor"])
    assert set(note) == {"id", "article_id", "text", "anchor", "tags", "created", "updated"}
    assert set(note["anchor"]) == {"exact", "prefix", "suffix", "start", "end"}
    assert data["articles"][0]["tags"] == ["history", "syria"]
    assert data["reading"][0] == {
        "article_id": data["articles"][0]["id"],
        "position": 321,
        "read": True,
        "opened": data["reading"][0]["opened"],
    }


def test_round_trip_into_empty_database(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.json") as source:
        fill(source)
        stream = io.BytesIO()
        write_backup(source, stream)
        expected = comparable(source)
    with Store.open(tmp_path / "b.json") as target:
        report = restore(target, load_backup(stream.getvalue()))
        assert report.notes["added"] == 2 and report.articles["added"] == 1
        assert comparable(target) == expected


def test_restore_twice_duplicates_nothing(tmp_path: Path) -> None:
    with Store.open(tmp_path / "db.json") as store:
        fill(store)
        write_backup(store, tmp_path / "b.json")
        before = comparable(store)
        report = restore_file(store, tmp_path / "b.json")
        assert report.notes == {"kept": 2}
        assert comparable(store) == before


def test_restore_merges_by_id_keeping_the_newer(tmp_path: Path) -> None:
    with Store.open(tmp_path / "db.json") as store:
        older = store.add_note("art", "old text")
        kept_local = store.add_note("art", "local newer")
        data = backup_data(store)
        for entry in data["notes"]:
            if entry["id"] == older.id:
                entry["text"], entry["updated"] = "backup newer", "2999-01-01T00:00:00Z"
            else:
                entry["text"], entry["updated"] = "backup older", "2000-01-01T00:00:00Z"
        data["notes"].append(
            {"id": "feedfacecafe0001", "article_id": "art", "text": "only in backup",
             "anchor": None, "tags": ["x"], "created": "2001-01-01T00:00:00Z",
             "updated": "2001-01-01T00:00:00Z"}
        )  # fmt: skip
        report = restore(store, load_backup(dumps(data)))
        assert report.notes == {"updated": 1, "kept": 1, "added": 1}
        assert store.get_note(older.id).text == "backup newer"
        assert store.get_note(kept_local.id).text == "local newer"
        assert store.get_note("feedfacecafe0001").tags == ("x",)
        assert len(store.notes()) == 3


def test_restore_unions_tags_and_keeps_local_paths(tmp_path: Path) -> None:
    with Store.open(tmp_path / "db.json") as store:
        aid = store.identify("e" * 20, "/new/place.md", "T", 1)
        store.add_tags(aid, ["local"])
        data = backup_data(store)
        data["articles"][0].update(path="/old/place.md", tags=["remote"], hashes=["z" * 20])
        restore(store, load_backup(dumps(data)))
        record = store.record(aid)
        assert record is not None
        assert record.tags == ("local", "remote")
        assert record.path == "/new/place.md"
        assert record.hashes == ("e" * 20, "z" * 20)


@pytest.mark.parametrize(
    "raw, problem",
    [
        (b"{not json", "line 1"),
        (b"[]", "not a reader backup"),
        (b'{"format": "other"}', "not a reader backup"),
        (b'{"format": "reader-backup", "version": 99}', "version 99"),
        (b'{"format": "reader-backup", "version": 1, "notes": {}}', '"notes" must be a list'),
        (b"\xff\xfe", "UTF-8"),
    ],
)
def test_bad_backups_are_refused(raw: bytes, problem: str) -> None:
    with pytest.raises(BadBackup, match=problem):
        load_backup(raw)


def test_bad_entry_changes_nothing(tmp_path: Path) -> None:
    with Store.open(tmp_path / "db.json") as store:
        data = {
            "format": FORMAT,
            "version": 1,
            "notes": [
                {"id": "a1", "article_id": "x", "text": "fine"},
                {"id": "a2", "article_id": "x", "text": "bad tag", "tags": ["two words"]},
            ],
        }
        with pytest.raises(BadBackup, match="note #2"):
            restore(store, data)
        assert store.notes() == []


# -- properties ----------------------------------------------------------------------------


def valid_tag(raw: str) -> bool:
    try:
        normalize_tag(raw)
    except BadTag:
        return False
    return True


tag_text = st.text(alphabet=st.characters(blacklist_categories=("Z", "C")), min_size=1, max_size=12)
tags = st.lists(tag_text.filter(valid_tag), max_size=4)
notes = st.lists(st.tuples(st.text(min_size=1, max_size=200), tags, st.booleans()), max_size=8)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(notes=notes, article_tags=tags)
def test_any_notes_and_tags_round_trip(
    tmp_path_factory: pytest.TempPathFactory,
    notes: list[tuple[str, list[str], bool]],
    article_tags: list[str],
) -> None:
    folder = tmp_path_factory.mktemp("rt")
    with Store.open(folder / "a.json") as source:
        with source.batch():
            if article_tags:
                source.add_tags("article", article_tags)
            for text, note_tags, anchored in notes:
                anchor = Anchor(text, "p", "s", 0, len(text)) if anchored else None
                if not anchored and not text.strip():
                    text = "x" + text
                source.add_note("article", text, anchor, note_tags)
        expected = comparable(source)
        original: list[Note] = source.notes()
        write_backup(source, folder / "backup.json")
    with Store.open(folder / "b.json") as target:
        restore_file(target, folder / "backup.json")
        assert comparable(target) == expected
        assert target.notes() == original
