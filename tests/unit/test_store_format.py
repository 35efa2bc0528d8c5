"""The database file: what serialize writes, read_own_layout reads back, exactly."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader import atomic_storage
from reader.atomic_storage import (
    META_ID,
    META_TABLE,
    FileWriter,
    LineTable,
    digest_of,
    parse_database,
    read_own_layout,
    serialize,
    tables_of,
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
documents = st.dictionaries(st.text(max_size=8), json_values, max_size=4)
keys = st.integers(1, 10**6).map(str) | st.text(min_size=1, max_size=4)
tables = st.dictionaries(keys, documents, max_size=5)
databases = st.dictionaries(st.text(min_size=1, max_size=10), tables, max_size=4)


def decoded(tables: dict[str, LineTable]) -> dict[str, dict[str, Any]]:
    return {name: dict(table.items()) for name, table in tables.items()}


def meta_first(data: dict[str, Any]) -> list[str]:
    return sorted(data, key=lambda name: name != "meta")  # stable: the rest keep their order


def written(tables: dict[str, LineTable]) -> bytes:
    return b"".join(FileWriter(tables).pieces())


@settings(max_examples=150, deadline=None)
@given(databases)
def test_own_layout_round_trips(data: dict[str, Any]) -> None:
    raw = serialize(data)
    parsed = parse_database(raw, None)  # type: ignore[arg-type]
    assert parsed == data and list(parsed) == meta_first(data)
    read = read_own_layout(raw)
    assert read is not None or not data  # {} is written as "{\n\n}\n": parsed in full
    if read is not None:
        assert decoded(read) == data and list(read) == meta_first(data)
        assert all(list(read[name]) == list(data[name]) for name in data)
        assert written(read) == raw


@settings(max_examples=100, deadline=None)
@given(databases, st.integers(1, 200), st.integers(1, 3))
def test_pieces_and_batches_of_any_size_give_the_same_results(
    data: dict[str, Any], size: int, batch: int
) -> None:
    """Written a few bytes at a time, read back a few bytes and lines at a time."""
    whole = serialize(data)
    saved = atomic_storage.CHUNK_BYTES, atomic_storage.DECODE_BATCH
    atomic_storage.CHUNK_BYTES, atomic_storage.DECODE_BATCH = size, batch
    try:
        assert serialize(data) == whole
        assert written(tables_of(data)) == whole
        read = read_own_layout(whole)
        assert read is not None or not data
        if read is not None:
            assert decoded(read) == data and written(read) == whole
            for name, table in read.items():
                ids, (texts,) = table.columns(("t",))
                assert ids == list(data[name])
                strings = [doc.get("t") for doc in data[name].values()]
                assert texts == [t if isinstance(t, str) else "" for t in strings]
    finally:
        atomic_storage.CHUNK_BYTES, atomic_storage.DECODE_BATCH = saved
    assert parse_database(whole, None) == data  # type: ignore[arg-type]


def test_lines_read_back_are_written_as_they_are() -> None:
    data = {"meta": {"1": {"schema": 1}}, "notes": {"1": {"t": "é\u2028x"}, "2": {"t": "y"}}}
    raw = serialize(data)
    read = read_own_layout(raw)
    assert read is not None
    assert written(read) == raw
    read["notes"]["3"] = {"t": "new"}
    del read["notes"]["1"]
    data["notes"]["3"] = {"t": "new"}
    del data["notes"]["1"]
    assert written(read) == serialize(data)


def test_foreign_layouts_are_not_read_line_by_line() -> None:
    for raw in (
        json.dumps({"notes": {"1": {"a": 1}}}).encode(),
        json.dumps({"notes": {"1": {"a": 1}}}, indent=1).encode(),
        b'{\n "notes": {\n  "1": {"a": 1,\n   "b": 2}\n }\n}\n',
        b'{\n "notes": {\n  "1": {"a": 1}\n }\n}',  # no final newline
        b'{\n "notes": {\n  "1": {"a": 1},\n }\n}\n',  # a comma after the last document
        b'{\n "notes": {\n  "1": {"a": 1}\n  }\n}\n',
        b'{\n "notes": {\n  "1": {"a": 1}\n }\n}\n\n',
        b'{\n "notes": {\n  "1": {"a": 1}\n }\n}\n{}',
        b'{\n "notes": {\n  "1": {"a": 1}\n  "2": {"a": 2}\n }\n}\n',  # a comma missing
        b'{\n "notes": {\n  "1": {"a": 1} }\n}\n',
        b'{\n "notes": {}\n "tags": {}\n}\n',
    ):
        assert read_own_layout(raw) is None, raw


def test_broken_lines_without_a_matching_digest_are_not_read() -> None:
    for raw in (
        b'{\n "notes": {\n  "1": {"a": 1,}\n }\n}\n',
        b'{\n "notes": {\n  "1": {"a": "\xff"}\n }\n}\n',
        b'{\n "meta": {\n  "1": {"digest": "0",,}\n }\n}\n',
    ):
        assert read_own_layout(raw) is None, raw


def _stamped(data: dict[str, Any]) -> bytes:
    """``data`` as a save writes it: the meta document carries the lines' digest."""
    digest = digest_of(tables_of(data))
    data[META_TABLE] = {META_ID: {"schema": 1, "rev": "ab" * 8, "digest": digest}}
    return serialize(data)


def _notes_decoded_while_reading(raw: bytes, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many notes (documents with an "id") reading ``raw`` decodes."""
    decoded = 0
    real = json.loads

    def counting(text: bytes) -> Any:
        nonlocal decoded
        decoded += text.count(b'{"id": ')
        return real(text)

    with monkeypatch.context() as patch:
        patch.setattr(atomic_storage.json, "loads", counting)
        assert read_own_layout(raw) is not None
    return decoded


def test_lines_with_a_matching_digest_are_not_decoded_to_check_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data: dict[str, Any] = {"notes": {str(i): {"id": f"n{i}", "text": "x"} for i in range(50)}}
    raw = _stamped(data)
    assert _notes_decoded_while_reading(raw, monkeypatch) == 0
    edited = raw.replace(b'"id": "n7", "text": "x"', b'"id": "n7", "text": "y"')
    assert edited != raw
    assert _notes_decoded_while_reading(edited, monkeypatch) == 50  # changed: all checked


def test_a_broken_line_under_a_stale_digest_is_found() -> None:
    raw = _stamped({"notes": {"1": {"a": 1}, "2": {"a": 2}}})
    broken = raw.replace(b'{"a": 2}', b'{"a": 2,}')
    assert read_own_layout(broken) is None


def test_columns_read_the_first_strings_or_decode() -> None:
    docs = {
        "1": {"id": "a1", "article": "x", "text": "t"},
        "2": {"id": 'q"uote', "article": "x"},  # escaped: decoded instead
        "3": {"article": "y", "id": "a3"},  # another order: decoded instead
        "4": {"id": "a4"},  # missing: ""
        "6": {"id": 6, "article": ["x"]},  # not strings: ""
        "5": {"id": "é", "article": "ü\u2028"},
    }
    assert LineTable.of(docs).columns(("id", "article")) == (
        ["1", "2", "3", "4", "6", "5"],
        [["a1", 'q"uote', "a3", "a4", "", "é"], ["x", "x", "y", "", "", "ü\u2028"]],
    )
    plain = LineTable.of({"1": docs["1"], "7": docs["5"]})
    assert plain.columns(("id", "article")) == (["1", "7"], [["a1", "é"], ["x", "ü\u2028"]])
    assert plain.columns(("id",)) == (["1", "7"], [["a1", "é"]])
    assert LineTable().columns(("id", "article")) == ([], [[], []])


def test_documents_read_from_a_table_are_copies() -> None:
    table = LineTable.of({"1": {"tags": ["a"]}})
    table["1"]["tags"].append("b")
    assert table["1"] == {"tags": ["a"]}
    before = table.digest
    table["1"] = {"tags": ["a", "b"]}
    table["1"] = {"tags": ["a"]}
    assert table.digest == before


def test_a_deleted_last_number_is_not_handed_out_again() -> None:
    table = LineTable.of({"1": {"n": 1}, "2": {"n": 2}, "3": {"n": 3}})
    del table["3"]
    assert table.next_number() == 4
    table["4"] = {"n": 4}  # after the slot still marked for 3: the keys stay ascending
    assert table._index is None
    assert dict(table.items()) == {"1": {"n": 1}, "2": {"n": 2}, "4": {"n": 4}}


def test_a_deleted_last_number_is_not_handed_out_again_with_odd_keys() -> None:
    table = LineTable.of({"x": {}, "7": {}})
    del table["7"]
    assert table.next_number() == 8
