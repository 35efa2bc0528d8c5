"""Regression tests for defects found in review."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.export.folder import choose_path
from reader.filenames import is_safe_name, safe_stem
from reader.workspace import Workspace


@pytest.mark.parametrize("title", ["Con. Law Review", "CON.txt", "Aux. notes", "nul"])
def test_reserved_device_name_before_a_dot_gives_a_usable_name(title: str) -> None:
    stem = safe_stem(title)
    assert is_safe_name(stem + ".md")


def test_export_path_for_a_title_starting_with_a_device_name(tmp_path: Path) -> None:
    path = choose_path(tmp_path, "Con. Law Review", "abcdef1234", set())
    assert path.parent == tmp_path
    assert path.name.startswith("Con_")


def _library_with_a_vanished_file(tmp_path: Path) -> Workspace:
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "kept.md").write_text("# Kept article\n\nThe walrus sleeps on the ice.\n")
    (lib / "gone.md").write_text("# Gone article\n\nThis file is deleted after the scan.\n")
    ws = Workspace.for_paths(tmp_path / "db.json", [lib], include_seeds=False)
    assert len(ws.articles()) == 2
    (lib / "gone.md").unlink()
    return ws


def test_jump_index_skips_an_article_whose_file_vanished_after_the_scan(tmp_path: Path) -> None:
    from reader.search import SearchIndex

    ws = _library_with_a_vanished_file(tmp_path)
    index = SearchIndex.from_workspace(ws, with_entities=False)
    hits = index.query("walrus")
    assert any(h.kind == "text" and "walrus" in h.matched.lower() for h in hits)
    assert any(h.title == "Gone article" for h in index.query("Gone article"))
    ws.close()


def test_background_jump_index_survives_a_vanished_file(tmp_path: Path) -> None:
    from reader.ui.search_service import SearchService

    ws = _library_with_a_vanished_file(tmp_path)
    service = SearchService(ws)
    service.build()
    assert service.error == ""
    assert service.index is not None
    assert any("walrus" in h.matched.lower() for h in service.query("walrus"))
    ws.close()


def test_entities_jsonl_uses_the_backend_of_the_settings_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    import reader.entities
    from reader.__main__ import main
    from reader.entities import EntityFinder, find_entities

    asked: list[str] = []

    def fake_get_finder(name: str) -> EntityFinder:
        asked.append(name)
        return find_entities

    monkeypatch.setattr(reader.entities, "get_finder", fake_get_finder)
    config = tmp_path / "config.toml"
    config.write_text('entities = "spacy:custom_model"\n')
    monkeypatch.setattr("sys.stdin", io.StringIO('{"id": "a", "text": "Anna Smith went."}\n'))
    args = ["--config", str(config), "--db", str(tmp_path / "db.json"), "entities", "--jsonl"]
    assert main(args) == 0
    assert asked == ["spacy:custom_model"]
    assert '"id": "a"' in capsys.readouterr().out


def test_cli_reports_a_library_folder_it_cannot_list(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    unlistable_library: Path,
) -> None:
    from reader.__main__ import main

    lib = unlistable_library
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    args = ["--db", str(tmp_path / "db.json"), "--library", str(lib), "--no-seeds"]
    assert main([*args, "--config", str(tmp_path / "none.toml"), "list"]) == 0
    err = capsys.readouterr().err
    assert "locked" in err and "cannot be listed" in err


def test_a_backup_with_a_non_boolean_read_flag_is_refused(tmp_path: Path) -> None:
    import json

    from reader.backup import BadBackup, load_backup, restore, write_backup
    from reader.store import Store

    store = Store.open(tmp_path / "a.json")
    store.set_read("abcdef0123456789", True)
    target = tmp_path / "backup.json"
    write_backup(store, target)
    store.close()
    data = json.loads(target.read_text(encoding="utf-8"))
    data["reading"][0]["read"] = "false"
    target.write_text(json.dumps(data), encoding="utf-8")
    fresh = Store.open(tmp_path / "b.json")
    with pytest.raises(BadBackup, match="read must be true or false"):
        restore(fresh, load_backup(target.read_bytes()))
    assert not fresh.reading_state("abcdef0123456789").read
    fresh.close()
