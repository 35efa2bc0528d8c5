"""Tag rules: trimmed, case-insensitive, refused with a reason when they cannot be tags."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.errors import ReaderError
from reader.tags import MAX_TAG_LENGTH, BadTag, normalize_tag, normalize_tags


@pytest.mark.parametrize(
    "raw, tag",
    [
        ("history", "history"),
        ("  History ", "history"),
        ("#Syria", "syria"),
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),
        ("سوريا", "سوريا"),
        ("cold-war_1960s", "cold-war_1960s"),
        ("e\u0301tude", "\u00e9tude"),
        ("📚", "📚"),
    ],
)
def test_normalized(raw: str, tag: str) -> None:
    assert normalize_tag(raw) == tag


@pytest.mark.parametrize(
    "raw, problem",
    [
        ("", "empty"),
        ("   ", "empty"),
        ("#", "empty"),
        ("two words", "whitespace"),
        ("tab\there", "whitespace"),
        ("new\nline", "whitespace"),
        ("nb\u00a0sp", "whitespace"),
        ("bell\x07", "control"),
        ("esc\x1b[31m", "control"),
        ("rtl\u202eoverride", "control"),
        ("zero\u200bwidth", "control"),
        ("##double", "one '#'"),
        ("x" * (MAX_TAG_LENGTH + 1), "at most"),
    ],
)
def test_refused_with_reason(raw: str, problem: str) -> None:
    with pytest.raises(BadTag) as err:
        normalize_tag(raw)
    assert isinstance(err.value, ReaderError)
    assert problem in str(err.value)
    assert "\x1b" not in str(err.value) and "\x07" not in str(err.value)


def test_many_tags_deduplicated_in_order() -> None:
    assert normalize_tags(["War", "#war", "Peace", "WAR"]) == ("war", "peace")
    assert normalize_tags("single") == ("single",)
    with pytest.raises(BadTag):
        normalize_tags(["fine", "not fine"])


@given(st.text(max_size=80))
def test_any_text_is_a_tag_or_refused(raw: str) -> None:
    try:
        tag = normalize_tag(raw)
    except BadTag:
        return
    assert tag and tag == tag.strip() and not any(ch.isspace() for ch in tag)
    assert normalize_tag(tag) == tag  # idempotent
