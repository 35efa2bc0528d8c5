"""The database file: what serialize writes, parse_own_layout reads back, exactly."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.atomic_storage import Encoder, parse_database, parse_own_layout, serialize

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
    assert json.loads(raw) == data
    parsed = parse_own_layout(raw)
    assert parsed is not None
    assert parsed[0] == data
    assert list(parsed[0]) == list(json.loads(raw))


@settings(max_examples=50, deadline=None)
@given(databases.filter(bool), st.data())
def test_damaged_files_are_never_taken_for_good_ones(data: dict[str, Any], draw: Any) -> None:
    raw = serialize(data)
    cut = draw.draw(st.integers(0, len(raw) - 1))
    damaged = raw[:cut] + raw[cut + 1 :]  # one byte gone
    parsed = parse_own_layout(damaged)
    if parsed is not None:  # only if it is still valid JSON meaning the same thing
        assert parsed[0] == json.loads(damaged)
    truncated = parse_own_layout(raw[:cut])
    assert truncated is None or truncated[0] == parse_database(raw[:cut], None)  # type: ignore[arg-type]


def test_seeded_encoder_writes_the_same_bytes() -> None:
    data = {"meta": {"1": {"schema": 1}}, "notes": {"1": {"t": "é\u2028x"}, "2": {"t": "y"}}}
    raw = serialize(data)
    parsed = parse_own_layout(raw)
    assert parsed is not None
    encoder = Encoder()
    encoder.seed(parsed[1])
    assert encoder.encode(parsed[0]) == raw
    parsed[0]["notes"]["3"] = {"t": "new"}
    encoder.changed("notes", "3")
    assert encoder.encode(parsed[0]) == serialize(parsed[0])


def test_foreign_layouts_fall_back() -> None:
    compact = json.dumps({"notes": {"1": {"a": 1}}}).encode()
    assert parse_own_layout(compact) is None
    assert parse_database(compact, None) == {"notes": {"1": {"a": 1}}}  # type: ignore[arg-type]
    indented = json.dumps({"notes": {"1": {"a": 1}}}, indent=1).encode()
    assert parse_own_layout(indented) is None
