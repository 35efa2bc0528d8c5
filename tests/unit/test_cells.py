"""Cell widths for the command line's columns: wide characters count two, marks none."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.cells import cells, fit


def test_widths() -> None:
    assert cells("abc") == 3
    assert cells("東京の港") == 8
    assert cells("e\u0301") == 1  # e + combining acute
    assert cells("") == 0


@given(st.text(), st.integers(min_value=1, max_value=80))
def test_fit_always_takes_exactly_the_width(text: str, width: int) -> None:
    fitted = fit(text, width)
    assert cells(fitted) == width
    if cells(text) <= width:
        assert fitted.rstrip(" ") == text.rstrip(" ")
    else:
        assert fitted.rstrip(" ").endswith("…")


def test_a_cut_keeps_a_letter_with_its_marks() -> None:
    assert fit("abcde\u0301", 4) == "abc…"
    assert fit("ab" + "e\u0301" * 3, 4) == "abe\u0301…"  # the accent stays with its e
    assert fit("東京の港", 4) == "東… "  # a wide character that would overflow is left out


def test_reader_list_columns_line_up_with_wide_titles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reader.__main__ import main

    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "a.txt").write_text(
        "東京の港に新しい船が着いた日のこと、それは長い長い物語の始まりだった\n\nBody.\n"
    )
    (lib / "b.txt").write_text("A plain title\n\nBody.\n")
    args = ["--db", str(tmp_path / "db.json"), "--library", str(lib), "--no-seeds", "list"]
    assert main(args) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if " w " in line + " "]
    assert len(lines) == 2
    # the right-aligned words column ends at the same cell on both lines
    ends = {cells(line[: line.index(" w") + 2]) for line in lines}
    assert len(ends) == 1


def test_clip_cuts_by_cells_without_padding() -> None:
    from reader.cells import clip

    assert clip("東京の港", 5) == "東京…"
    assert clip("short", 10) == "short"
    assert clip("anything", 0) == ""
