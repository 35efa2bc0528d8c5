"""The command line's contract: errors on stderr with a non-zero exit and no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.__main__ import main


def write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


@pytest.fixture
def library(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    write(lib, "a.txt", "Rain over Lisbon\n\nIt rained all week in Lisbon.\n")
    write(lib, "b.txt", "Rain over Lisbon again\n\nIt rained again.\n")
    write(lib, "c.txt", "Harvest in Alentejo\n\nThe grapes came in early.\n")
    return lib


def run(library: Path, *argv: str) -> int:
    return main(["--no-seeds", "--library", str(library), *argv])


def test_a_bad_settings_file_is_reported_and_defaults_are_used(
    tmp_path: Path, library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("theme = \n[keys\n", encoding="utf-8")
    assert run(library, "--config", str(config), "list") == 0
    captured = capsys.readouterr()
    assert "Harvest in Alentejo" in captured.out
    assert f"reader: warning: {config}: line 1" in captured.err


def test_an_unknown_article_is_an_error_with_candidates(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(library, "show", "zzzz qqqq") == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("reader: no article matches 'zzzz qqqq'")
    assert "Traceback" not in captured.err


def test_an_ambiguous_article_lists_the_candidates(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(library, "show", "Rain over Lisbon") == 0  # an exact title wins
    assert capsys.readouterr().out.startswith("Rain over Lisbon\n")
    assert run(library, "show", "rain lisbon") == 1
    err = capsys.readouterr().err
    assert "matches more than one article" in err
    assert "Rain over Lisbon" in err and "Rain over Lisbon again" in err


def test_a_fuzzy_title_resolves_to_one_article(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(library, "show", "harvset alentejo") == 0
    assert capsys.readouterr().out.startswith("Harvest in Alentejo")
