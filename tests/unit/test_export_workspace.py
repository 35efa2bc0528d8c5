"""Export through a real Workspace: library, store, anchoring and entities together."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_export_structure import assert_safe, split_front_matter
from unit_helpers import use_private_dirs

from reader.anchoring import make_anchor
from reader.export import (
    ExportOptions,
    annotated_ids,
    export_markdown,
    export_to_folder,
    gather,
    parse_since,
    tagged_ids,
)
from reader.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_28f3cce3a5980af7.txt"
STAMP = "2024-06-01T12:00:00+00:00"


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the developer's own data, settings and cache out of every test."""
    use_private_dirs(monkeypatch, tmp_path, tmp_path / "config.toml", clear=True)


def workspace(tmp_path: Path) -> Workspace:
    return Workspace.for_paths(
        db=tmp_path / "db.json",
        libraries=[tmp_path / "lib"],
        include_seeds=False,
        export_dir=tmp_path / "exports",
    )


def add_article(tmp_path: Path, name: str, text: str) -> None:
    lib = tmp_path / "lib"
    lib.mkdir(exist_ok=True)
    (lib / name).write_text(text, encoding="utf-8")


def note_on(ws: Workspace, article_id: str, needle: str, text: str) -> None:
    article = ws.load(article_id)
    start = article.text.index(needle)
    ws.store.add_note(article_id, text, make_anchor(article.text, start, start + len(needle)))


def by_name(ws: Workspace, name: str) -> str:
    return next(m.id for m in ws.articles() if m.path.name == name)


def test_seed_article_to_the_export_folder(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / SEED.name).write_bytes(SEED.read_bytes())
    ws = workspace(tmp_path)
    aid = by_name(ws, SEED.name)
    note_on(ws, aid, "Talal al-Barazi", "# who is he?\n---")
    ws.store.add_note(aid, "A note on the whole article.")
    ws.store.add_tags(aid, ["syria"])
    assert not ws.locations.export_dir.exists()
    paths = export_to_folder(ws, [aid], exported_at=STAMP)
    assert [p.parent for p in paths] == [ws.locations.export_dir]
    data, body = split_front_matter(paths[0].read_text(encoding="utf-8"))
    assert data["reader_id"] == aid and data["tags"] == ["syria"]
    assert (data["notes"], data["passages"], data["orphans"]) == (2, 1, 0)
    assert "### ¶ 3 · Talal al-Barazi" in body
    assert_safe(body)
    ws.close()


def test_an_edited_passage_is_exported_as_an_orphan(tmp_path: Path) -> None:
    add_article(tmp_path, "a.txt", "First paragraph.\n\nThe passage that will change.\n")
    ws = workspace(tmp_path)
    aid = by_name(ws, "a.txt")
    note_on(ws, aid, "passage that will change", "still here")
    ws.close()
    path = tmp_path / "lib" / "a.txt"
    path.write_text("First paragraph.\n\nSomething else entirely now.\n", encoding="utf-8")
    os.utime(path, ns=(1, 1))
    ws = workspace(tmp_path)
    text = export_markdown(ws, [by_name(ws, "a.txt")], ExportOptions(), STAMP)
    data, body = split_front_matter(text)
    assert data["orphans"] == 1
    assert "## Orphaned notes" in body and "> passage that will change" in body
    ws.close()


HOSTILE_TITLES = [
    "../../etc/passwd",
    "/etc/shadow",
    "..",
    "CON",
    "C:\\Windows\\win.ini",
    "~/.bashrc",
    "a\x00b",
]


def test_titles_never_escape_the_export_folder(tmp_path: Path) -> None:
    for i, title in enumerate(HOSTILE_TITLES):
        add_article(tmp_path, f"{i}.txt", f"{title}\n\nBody {i} of the article.\n")
    ws = workspace(tmp_path)
    ids = [m.id for m in ws.articles()]
    for aid in ids:
        ws.store.add_note(aid, "note")
    folder = tmp_path / "exports"
    paths = export_to_folder(ws, ids, folder, exported_at=STAMP)
    assert len(paths) == len(ids) == len(set(paths))
    assert all(p.parent == folder for p in paths)
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in paths)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["cache", "db.json", "exports", "lib"]
        + [p.name for p in tmp_path.iterdir() if p.name.startswith("db.json.")]
    )
    ws.close()


def test_same_titles_get_id_suffixes_and_keep_them(tmp_path: Path) -> None:
    add_article(tmp_path, "one.txt", "Same Title\n\nFirst body.\n")
    add_article(tmp_path, "two.txt", "Same Title\n\nSecond body.\n")
    ws = workspace(tmp_path)
    ids = sorted(m.id for m in ws.articles())
    for aid in ids:
        ws.store.add_note(aid, "note")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "Same Title.md").write_text("my own note, not an export\n")
    first = export_to_folder(ws, ids, folder, exported_at=STAMP)
    assert (folder / "Same Title.md").read_text() == "my own note, not an export\n"
    assert [p.name for p in first] == [f"Same Title ({aid[:8]}).md" for aid in ids]
    again = export_to_folder(ws, list(reversed(ids)), folder, exported_at=STAMP)
    assert sorted(again) == sorted(first)
    ws.close()


def test_reexport_leaves_a_file_alone_when_only_the_time_changed(tmp_path: Path) -> None:
    add_article(tmp_path, "a.txt", "Title\n\nBody.\n")
    ws = workspace(tmp_path)
    aid = by_name(ws, "a.txt")
    ws.store.add_note(aid, "note")
    [path] = export_to_folder(ws, [aid], exported_at=STAMP)
    os.utime(path, ns=(5, 5))
    assert export_to_folder(ws, [aid], exported_at="2030-01-01T00:00:00+00:00") == [path]
    assert path.stat().st_mtime_ns == 5 and STAMP in path.read_text()
    ws.store.add_note(aid, "another note")
    export_to_folder(ws, [aid], exported_at="2030-01-01T00:00:00+00:00")
    assert "2030-01-01" in path.read_text()
    ws.close()


def test_articles_without_notes_or_tags_are_skipped_unless_kept(tmp_path: Path) -> None:
    add_article(tmp_path, "a.txt", "Title\n\nBody.\n")
    ws = workspace(tmp_path)
    aid = by_name(ws, "a.txt")
    assert export_to_folder(ws, [aid], exported_at=STAMP) == []
    assert not ws.locations.export_dir.exists()
    assert len(gather(ws, [aid], ExportOptions(), keep_empty=True)) == 1
    ws.close()


def test_since_keeps_only_changed_notes(tmp_path: Path) -> None:
    add_article(tmp_path, "a.txt", "Title\n\nBody.\n")
    ws = workspace(tmp_path)
    aid = by_name(ws, "a.txt")
    ws.store.add_note(aid, "note")
    assert gather(ws, [aid], ExportOptions(since=parse_since("2000-01-01")))
    assert not gather(ws, [aid], ExportOptions(since=parse_since("2999-01-01")))
    ws.close()


def test_notes_of_an_article_moved_out_of_the_library_are_still_exported(tmp_path: Path) -> None:
    add_article(tmp_path, "kept.txt", "Kept Title\n\nStill here.\n")
    add_article(tmp_path, "gone.txt", "Gone Title\n\nA passage worth keeping.\n")
    ws = workspace(tmp_path)
    kept, gone = by_name(ws, "kept.txt"), by_name(ws, "gone.txt")
    ws.store.add_note(kept, "kept note")
    note_on(ws, gone, "passage worth keeping", "a note that must survive")
    ws.store.add_tags(gone, ["history"])
    ws.close()
    (tmp_path / "lib" / "gone.txt").rename(tmp_path / "elsewhere.txt")

    ws = workspace(tmp_path)
    assert gone not in ws.library
    assert annotated_ids(ws) == [gone, kept]  # by title: "Gone Title" first
    assert tagged_ids(ws, ["#History"]) == [gone]
    text = export_markdown(ws, [gone], ExportOptions(), exported_at=STAMP)
    assert "a note that must survive" in text
    assert "passage worth keeping" in text  # the stored quote stands in for the text
    assert "no longer in the library" in text
    [path] = export_to_folder(ws, [gone], exported_at=STAMP)
    assert path.name == "Gone Title.md"
    ws.close()


def test_a_long_front_matter_is_still_recognised_as_ours(tmp_path: Path) -> None:
    add_article(tmp_path, "a.txt", "Title\n\nBody.\n")
    ws = workspace(tmp_path)
    aid = by_name(ws, "a.txt")
    ws.store.add_note(aid, "note")
    ws.store.add_tags(aid, [f"tag-{n:04d}-{'x' * 40}" for n in range(400)])
    [first] = export_to_folder(ws, [aid], exported_at=STAMP)
    markdown = first.read_text()
    assert len(markdown[: markdown.index("\n---\n", 3)].encode()) > 16_000
    split_front_matter(markdown)
    ws.store.add_note(aid, "a second note changes the file")
    assert export_to_folder(ws, [aid], exported_at=STAMP) == [first]
    assert sorted(p.name for p in first.parent.iterdir()) == [first.name]
    ws.close()


def test_notes_of_an_article_the_store_has_no_record_of_are_exported(tmp_path: Path) -> None:
    add_article(tmp_path, "a.txt", "Title\n\nBody.\n")
    ws = workspace(tmp_path)
    ws.store.add_note("0123456789abcdef", "restored from a backup")
    assert "0123456789abcdef" in annotated_ids(ws)
    text = export_markdown(ws, ["0123456789abcdef"], ExportOptions(), exported_at=STAMP)
    assert "restored from a backup" in text and "no longer in the library" in text
    ws.close()
