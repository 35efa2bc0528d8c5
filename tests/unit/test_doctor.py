"""reader doctor: reports, keeps the original, recovers what can be recovered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.atomic_storage import serialize
from reader.doctor import examine, salvage
from reader.models import Anchor
from reader.store import CorruptDatabase, Store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "annotations.json"
    with Store.open(path) as store:
        aid = store.identify("c" * 20, "/lib/a.md", "A", 10)
        store.add_tags(aid, ["keep"])
        with store.batch():
            for i in range(10):
                store.add_note(aid, f"note {i}", Anchor(f"q{i}", "", "", i, i + 2))
        store.set_position(aid, 5)
    return path


def test_healthy_database(db: Path) -> None:
    report = examine(db)
    assert report.ok and report.status.startswith("ok") and "10 notes" in report.status
    assert not report.actions


def test_missing_database(tmp_path: Path) -> None:
    report = examine(tmp_path / "none.json")
    assert report.ok and "no database yet" in report.status
    assert not (tmp_path / "none.json").exists()


def test_damaged_line_is_recovered(db: Path) -> None:
    lines = db.read_bytes().split(b"\n")
    damaged = next(i for i, line in enumerate(lines) if b"note 3" in line)
    lines[damaged] = lines[damaged][:30]
    bad = b"\n".join(lines)
    db.write_bytes(bad)
    with pytest.raises(CorruptDatabase):
        Store.open(db)

    checked = examine(db, repair=False)
    assert not checked.ok and db.read_bytes() == bad

    report = examine(db)
    assert report.ok and report.status == "recovered"
    copies = list(db.parent.glob("annotations.json.corrupt-*"))
    assert len(copies) == 1 and copies[0].read_bytes() == bad
    text = report.render()
    assert "line" in text and "9 notes" in text and "could not be read" in text
    with Store.open(db) as store:
        assert sorted(n.text for n in store.notes()) == [f"note {i}" for i in range(10) if i != 3]
        assert store.all_tags() == {"keep": 1}
        assert store.reading_states()[0].position == 5


def test_truncated_file_is_recovered(db: Path) -> None:
    raw = db.read_bytes()
    db.write_bytes(raw[: len(raw) * 2 // 3])
    report = examine(db)
    assert report.ok
    with Store.open(db) as store:
        assert 0 < len(store.notes()) < 10


def test_garbage_file_becomes_empty_database(db: Path) -> None:
    db.write_bytes(b"\x00\x01 not json at all \xff")
    report = examine(db)
    assert report.ok and report.status == "recovered"
    with Store.open(db) as store:
        assert store.notes() == []


def test_complete_temp_file_adds_to_recovery(db: Path) -> None:
    data = json.loads(db.read_text())
    data["notes"]["99"] = {
        "id": "fromtemp00000001", "article": "x", "text": "only in the temp file",
        "anchor": None, "tags": [], "created": "", "updated": "",
    }  # fmt: skip
    (db.parent / ".annotations.json.123.abc.tmp").write_bytes(serialize(data))
    db.write_bytes(db.read_bytes()[:-5])
    examine(db)
    with Store.open(db) as store:
        assert store.get_note("fromtemp").text == "only in the temp file"
        assert len(store.notes()) == 11


def test_bad_entries_in_valid_file_are_repaired(db: Path) -> None:
    data = json.loads(db.read_text())
    notes = data["notes"]
    first = next(iter(notes.values()))
    notes["50"] = dict(first, text="duplicate, newer", updated="2999-01-01T00:00:00Z")
    notes["51"] = {"text": "no id"}
    notes["52"] = dict(first, id="badtags000000001", tags=["Fine", "not fine"])
    db.write_text(json.dumps(data))
    report = examine(db)
    assert report.status == "repaired"
    assert "digest" not in json.loads(db.read_text())["meta"]["1"]  # it described the old lines
    assert any("appeared twice" in p for p in report.problems)
    assert len(list(db.parent.glob("annotations.json.before-doctor-*"))) == 1
    with Store.open(db) as store:
        assert store.get_note(first["id"]).text == "duplicate, newer"
        assert store.get_note("badtags").tags == ("fine",)
        assert len(store.notes()) == 11
    assert examine(db).status.startswith("ok")


def test_newer_schema_is_left_alone(db: Path) -> None:
    db.write_text('{"meta": {"1": {"schema": 7}}, "notes": {}}')
    before = db.read_bytes()
    report = examine(db)
    assert not report.ok and "newer" in report.status
    assert db.read_bytes() == before


def test_folder_in_place_of_file(tmp_path: Path) -> None:
    (tmp_path / "db.json").mkdir()
    assert not examine(tmp_path / "db.json").ok


def test_salvage_reads_compact_tinydb_files() -> None:
    raw = json.dumps(
        {"_default": {}, "notes": {"1": {"id": "a", "article": "x", "text": "t"},
                                   "2": {"id": "b", "article": "x", "text": "u"}}}
    ).encode()[:-20]  # fmt: skip
    data, lost = salvage(raw)
    assert [d["id"] for d in data["notes"].values()] == ["a"]
    assert lost == 1
