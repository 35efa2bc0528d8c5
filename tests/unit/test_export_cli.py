"""``reader export`` end to end through ``reader.__main__.main`` with private folders."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_export_structure import assert_safe, split_front_matter
from unit_helpers import use_private_dirs

from reader.__main__ import main
from reader.anchoring import make_anchor
from reader.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_28f3cce3a5980af7.txt"


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the developer's own data, settings and cache out of every test."""
    use_private_dirs(monkeypatch, tmp_path, tmp_path / "config.toml", clear=True)


@pytest.fixture
def library(tmp_path: Path) -> dict[str, str]:
    """The seed with a passage note, an article note and tags; a second tagged article;
    a third with nothing. Returns article ids by file name."""
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / SEED.name).write_bytes(SEED.read_bytes())
    (lib / "b.txt").write_text("Second article\n\nA paragraph about Damascus in 2011.\n")
    (lib / "c.txt").write_text("Third article\n\nNothing noted here.\n")
    ws = Workspace.for_paths(db=tmp_path / "db.json", libraries=[lib], include_seeds=False)
    ids = {m.path.name: m.id for m in ws.articles()}
    seed = ws.load(ids[SEED.name])
    start = seed.text.index("Talal al-Barazi")
    anchor = make_anchor(seed.text, start, start + 15)
    ws.store.add_note(ids[SEED.name], "who?\n# not a heading", anchor)
    ws.store.add_note(ids[SEED.name], "General note.")
    ws.store.add_tags(ids[SEED.name], ["syria", "news"])
    ws.store.add_tags(ids["b.txt"], ["news"])
    ws.close()
    return ids


def run(tmp_path: Path, *args: str) -> int:
    base = ["--db", str(tmp_path / "db.json"), "--library", str(tmp_path / "lib"), "--no-seeds"]
    return main([*base, "export", *args])


def test_one_article_to_stdout(
    tmp_path: Path, library: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tmp_path, library[SEED.name]) == 0
    data, body = split_front_matter(capsys.readouterr().out)
    assert data["reader_id"] == library[SEED.name]
    assert data["notes"] == 2 and sorted(data["tags"]) == ["news", "syria"]
    assert_safe(body)


def test_all_skips_articles_without_notes_or_tags(
    tmp_path: Path, library: dict[str, str], capsys
) -> None:
    assert run(tmp_path, "--all") == 0
    out = capsys.readouterr().out
    data, body = split_front_matter(out)
    assert data["articles"] == 2
    assert "# Second article" in body and "Third article" not in body


def test_tag_into_a_folder(
    tmp_path: Path, library: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "vault" / "reading"
    assert run(tmp_path, "--tag", "NEWS", "-o", f"{out_dir}/") == 0
    names = sorted(p.name for p in out_dir.iterdir())
    assert len(names) == 2 and "Second article.md" in names
    printed = capsys.readouterr().out.split("\n")
    assert all(str(out_dir) in line for line in printed if line)


def test_existing_folder_without_slash(tmp_path: Path, library: dict[str, str]) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    assert run(tmp_path, library["b.txt"], "Third article", "-o", str(out_dir)) == 0
    assert sorted(p.name for p in out_dir.iterdir()) == ["Second article.md", "Third article.md"]


def test_one_combined_file(tmp_path: Path, library: dict[str, str]) -> None:
    target = tmp_path / "notes" / "all.md"
    assert run(tmp_path, "--all", "--entities", "--wikilinks", "--figures", "-o", str(target)) == 0
    data, body = split_front_matter(target.read_text(encoding="utf-8"))
    assert data["articles"] == 2
    assert body.count("## Entities") == 2 and body.count("## Figures") == 2
    assert "[[Damascus]]" in body
    assert_safe(body)


def test_since(tmp_path: Path, library: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path, "--all", "--since", "2999-01-01") == 0
    captured = capsys.readouterr()
    assert captured.out == "" and "nothing to export" in captured.err
    assert run(tmp_path, "--all", "--since", "2000-01-01") == 0
    data, body = split_front_matter(capsys.readouterr().out)
    assert data["changed_since"].startswith("2000-01-01")
    assert "Second article" not in body  # its only change is a tag, not a note


def test_usage_errors(
    tmp_path: Path, library: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tmp_path) == 2
    assert "say what to export" in capsys.readouterr().err
    assert run(tmp_path, "--all", "--since", "yesterday") == 2
    assert "not a date" in capsys.readouterr().err
    assert run(tmp_path, "no such article at all zzz") == 1


def test_an_unwritable_target_is_a_clear_error(
    tmp_path: Path, library: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file.md"
    blocker.write_text("x")
    assert run(tmp_path, "--all", "-o", f"{blocker}/") == 1
    assert "cannot write" in capsys.readouterr().err
