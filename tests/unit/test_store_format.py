"""The database file: what serialize writes, parse_own_layout reads back, exactly."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from reader import atomic_storage
from reader.atomic_storage import Encoder, own_lines, parse_database, serialize

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
documents = st.dictionaries(st.text(max_size=8), json_values, max_size=4)
tables = st.dictionaries(st.integers(1, 10**6).map(str), documents, max_size=5)
databases = st.dictionaries(st.text(min_size=1, max_size=10), tables, max_size=4)


@settings(max_examples=100, deadline=None)
@given(databases)
def test_own_layout_round_trips(data: dict[str, Any]) -> None:
    raw = serialize(data)
    parsed = parse_database(raw, None)  # type: ignore[arg-type]
    assert parsed == data and list(parsed) == list(data)
    lines = own_lines(raw, parsed)
    assert lines is not None
    encoder = Encoder()
    encoder.seed(lines)
    assert b"".join(encoder.encode(parsed)) == raw


@settings(max_examples=100, deadline=None)
@given(databases, st.integers(1, 200))
def test_pieces_join_to_the_same_file_whatever_their_size(data: dict[str, Any], size: int) -> None:
    whole = serialize(data)
    saved = atomic_storage.CHUNK_BYTES
    atomic_storage.CHUNK_BYTES = size
    try:
        assert serialize(data) == whole
    finally:
        atomic_storage.CHUNK_BYTES = saved
    assert parse_database(whole, None) == data  # type: ignore[arg-type]


def test_seeded_encoder_writes_the_same_bytes() -> None:
    data = {"meta": {"1": {"schema": 1}}, "notes": {"1": {"t": "é\u2028x"}, "2": {"t": "y"}}}
    raw = serialize(data)
    parsed = parse_database(raw, None)  # type: ignore[arg-type]
    lines = own_lines(raw, parsed)
    assert lines is not None
    encoder = Encoder()
    encoder.seed(lines)
    assert b"".join(encoder.encode(parsed)) == raw
    parsed["notes"]["3"] = {"t": "new"}
    encoder.changed("notes", "3")
    assert b"".join(encoder.encode(parsed)) == serialize(parsed)


def test_foreign_layouts_are_not_seeded() -> None:
    for raw in (
        json.dumps({"notes": {"1": {"a": 1}}}).encode(),
        json.dumps({"notes": {"1": {"a": 1}}}, indent=1).encode(),
        b'{\n "notes": {\n  "1": {"a": 1,\n   "b": 2}\n }\n}\n',
    ):
        data = parse_database(raw, None)  # type: ignore[arg-type]
        assert own_lines(raw, data) is None
