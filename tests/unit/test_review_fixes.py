"""Regression tests for defects found in review."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.export.folder import choose_path
from reader.filenames import is_safe_name, safe_stem


@pytest.mark.parametrize("title", ["Con. Law Review", "CON.txt", "Aux. notes", "nul"])
def test_reserved_device_name_before_a_dot_gives_a_usable_name(title: str) -> None:
    stem = safe_stem(title)
    assert is_safe_name(stem + ".md")


def test_export_path_for_a_title_starting_with_a_device_name(tmp_path: Path) -> None:
    path = choose_path(tmp_path, "Con. Law Review", "abcdef1234", set())
    assert path.parent == tmp_path
    assert path.name.startswith("Con_")
