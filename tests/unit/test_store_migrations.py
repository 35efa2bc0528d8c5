"""Older schemas are carried forward on open, after the original is copied aside."""

from __future__ import annotations

import json
from pathlib import Path

from reader.migrations import CURRENT_SCHEMA, migrate, schema_of
from reader.models import Anchor
from reader.store import Store

SCHEMA_0 = {
    "articles": {
        "1": {"id": "homs0000000000ab", "path": "/lib/homs.md", "title": "Homs", "hash": "h0"},
    },
    "tags": {
        "1": {"article": "homs0000000000ab", "tag": "Syria"},
        "2": {"article": "homs0000000000ab", "tag": "#War"},
        "3": {"article": "homs0000000000ab", "tag": "not a tag"},
        "4": {"article": "gone000000000000", "tag": "Orphan"},
    },
    "notes": {
        "1": {"id": "n1", "article": "homs0000000000ab", "text": "passage note",
              "quote": "the siege", "offset": 12, "tags": "History, Siege",
              "time": "2020-01-02T03:04:05Z"},
        "2": {"id": "n2", "article": "homs0000000000ab", "text": "article note",
              "quote": None, "offset": None, "tags": "", "time": "2020-02-02T00:00:00Z"},
    },
    "positions": {"1": {"article": "homs0000000000ab", "position": 77, "read": True}},
}  # fmt: skip


def write(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")


def test_schema_detection() -> None:
    assert schema_of({}) is None
    assert schema_of({"notes": {}}) is None
    assert schema_of(SCHEMA_0) == 0  # type: ignore[arg-type]
    assert schema_of({"meta": {"1": {"schema": 1}}}) == 1


def test_migration_step() -> None:
    data = migrate(json.loads(json.dumps(SCHEMA_0)), 0)
    assert data["meta"]["1"]["schema"] == CURRENT_SCHEMA
    notes = {d["id"]: d for d in data["notes"].values()}
    assert notes["n1"]["anchor"] == {
        "exact": "the siege", "prefix": "", "suffix": "", "start": 12, "end": 21,
    }  # fmt: skip
    assert notes["n1"]["tags"] == ["history", "siege"]
    assert notes["n1"]["created"] == notes["n1"]["updated"] == "2020-01-02T03:04:05Z"
    assert notes["n2"]["anchor"] is None
    records = {d["id"]: d for d in data["articles"].values()}
    assert records["homs0000000000ab"]["tags"] == ["syria", "war"]
    assert records["homs0000000000ab"]["hashes"] == ["h0"]
    assert records["gone000000000000"]["tags"] == ["orphan"]
    assert list(data["reading"].values()) == [
        {"article": "homs0000000000ab", "position": 77, "read": True, "opened": ""}
    ]


def test_open_migrates_and_keeps_a_copy(tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    write(db, SCHEMA_0)
    original = db.read_bytes()
    with Store.open(db) as store:
        note = store.get_note("n1")
        assert note.anchor == Anchor("the siege", "", "", 12, 21)
        assert note.tags == ("history", "siege")
        assert store.tags("homs0000000000ab") == ("syria", "war")
        assert store.reading_state("homs0000000000ab").position == 77
        store.add_note("homs0000000000ab", "new after migration")
    copies = list(tmp_path.glob("annotations.json.schema0-*.bak"))
    assert len(copies) == 1 and copies[0].read_bytes() == original
    data = json.loads(db.read_text())
    assert data["meta"]["1"]["schema"] == CURRENT_SCHEMA
    assert "tags" not in data and "positions" not in data
    with Store.open(db) as again:  # a second open does not migrate again
        assert len(again.notes()) == 3
    assert len(list(tmp_path.glob("annotations.json.schema0-*.bak"))) == 1
