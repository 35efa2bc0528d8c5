"""File names from titles: safe on every OS and never outside the export folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.filenames import (
    MAX_STEM_BYTES,
    MAX_STEM_CHARS,
    contained_path,
    is_safe_name,
    name_key,
    safe_stem,
)

FORBIDDEN = set('/\\:*?"<>|') | {chr(c) for c in range(32)} | {"\x7f"}


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Syrian rebels leave Homs", "Syrian rebels leave Homs"),
        ("../../etc/passwd", "etc-passwd"),
        ("/etc/passwd", "etc-passwd"),
        ("C:\\Windows\\system32", "C - Windows-system32"),
        ("..", "untitled"),
        (".", "untitled"),
        ("", "untitled"),
        ("   ", "untitled"),
        (".hidden", "hidden"),
        ("trailing dots...", "trailing dots"),
        ("CON", "CON_"),
        ("nul", "nul_"),
        ("com1.txt", "com1_.txt"),
        ("LPT9", "LPT9_"),
        ("Console", "Console"),
        ("a\x00b\x1bc\u202ed", "abcd"),
        ("line\nbreak\ttab", "line break tab"),
        ('What? "Yes": <no> | *maybe*', "What 'Yes' - no - maybe"),
        ("C# [draft] ^1", "C (draft) 1"),
        ("Title…", "Title"),
    ],
)
def test_safe_stem(title: str, expected: str) -> None:
    assert safe_stem(title) == expected


def test_long_titles_are_cut_at_a_word_within_both_limits() -> None:
    stem = safe_stem("word " * 100)
    assert len(stem) <= MAX_STEM_CHARS and stem.endswith("word")
    wide = safe_stem("漢字" * 200)
    assert len(wide.encode()) <= MAX_STEM_BYTES


def test_fallback_is_made_safe_too() -> None:
    assert safe_stem("///", fallback="../id") == "id"


def test_name_key_folds_case_and_normalisation() -> None:
    assert name_key("Café.md") == name_key("CAFE\u0301.MD")


@pytest.mark.parametrize(
    "name", ["../x.md", "/abs.md", "a/b.md", "..", ".", "", "x\x00.md", "NUL.md", "x.md ", ".x"]
)
def test_contained_path_refuses_unsafe_names(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError):
        contained_path(tmp_path, name)


def test_contained_path_refuses_a_symlink_leading_out(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "link.md").symlink_to(tmp_path / "out" / "target.md")
    with pytest.raises(ValueError):
        contained_path(folder, "link.md")
    assert contained_path(folder, "fine.md") == folder / "fine.md"


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_any_title_gives_a_safe_name_inside_the_folder(title: str) -> None:
    stem = safe_stem(title)
    name = f"{stem}.md"
    assert stem and not FORBIDDEN & set(stem)
    assert is_safe_name(name)
    assert len(stem.encode("utf-8")) <= MAX_STEM_BYTES
    assert stem == stem.strip(" .")
    folder = Path("/tmp/reader-export-test")
    assert contained_path(folder, name).parent == folder
