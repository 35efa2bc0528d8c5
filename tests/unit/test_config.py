"""The settings file: never fatal, every problem named with its line."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from unit_helpers import use_private_dirs

from reader.config import (
    DEFAULT_CONFIG,
    ConfigExists,
    Settings,
    load_settings,
    save_theme,
    write_default,
)


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_private_dirs(monkeypatch, tmp_path, tmp_path / "config" / "config.toml")


def test_missing_file_gives_defaults_without_warning(tmp_path: Path) -> None:
    settings, warnings = load_settings(tmp_path / "nope.toml")
    assert settings == Settings()
    assert warnings == []
    assert not (tmp_path / "nope.toml").exists()


def test_full_file(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        'library_dirs = ["~/Articles", "rel"]\n'
        'db = "/tmp/x.json"\n'
        'export_dir = "out"\n'
        'theme = "nord"\n'
        'entities = "spacy:en_core_web_sm"\n'
        "[keys]\n"
        '"app.quit" = "ctrl+q"\n'
        'reader.next_block = "j,down"\n',
        encoding="utf-8",
    )
    settings, warnings = load_settings(path)
    assert warnings == []
    assert settings.library_dirs == [Path("~/Articles").expanduser(), tmp_path / "rel"]
    assert settings.db == Path("/tmp/x.json")
    assert settings.export_dir == tmp_path / "out"
    assert settings.theme == "nord"
    assert settings.entities == "spacy:en_core_web_sm"
    assert settings.keys == {"app.quit": "ctrl+q", "reader.next_block": "j,down"}


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('theme = "nord"\n\nlibrary_dirs = [\n  "a",\n  oops\n]\n', encoding="utf-8")
    settings, warnings = load_settings(path)
    assert settings == Settings()
    assert len(warnings) == 1
    assert str(path) in warnings[0]
    assert "line 5" in warnings[0]


def test_unknown_key_and_wrong_type_named_with_line(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('theme = "nord"\ncolour = "red"\nentities = 3\n', encoding="utf-8")
    settings, warnings = load_settings(path)
    assert settings.theme == "nord"
    assert settings.entities == "builtin"
    assert any("line 2" in w and "colour" in w for w in warnings)
    assert any("line 3" in w and "entities" in w for w in warnings)


def test_bad_keys_table(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[keys]\n"app.quit" = 5\n"app.help" = "f1"\n', encoding="utf-8")
    settings, warnings = load_settings(path)
    assert settings.keys == {"app.help": "f1"}
    assert any("line 2" in w and "app.quit" in w for w in warnings)


def test_unreadable_and_not_utf8_files_warn(tmp_path: Path) -> None:
    folder = tmp_path / "dir.toml"
    folder.mkdir()
    assert load_settings(folder)[1]
    path = tmp_path / "c.toml"
    path.write_bytes(b'theme = "nord"\ntheme2 = "\xff"\n')
    settings, warnings = load_settings(path)
    assert settings == Settings()
    assert "line 2" in warnings[0]


def test_control_characters_in_bad_file_do_not_reach_warnings(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('"\\u001b[31mevil" = 1\n', encoding="utf-8")
    _, warnings = load_settings(path)
    assert warnings and all("\x1b" not in w for w in warnings)


def test_default_file_is_valid_and_gives_defaults(tmp_path: Path) -> None:
    assert tomllib.loads(DEFAULT_CONFIG) == {"keys": {}}
    path = tmp_path / "sub" / "config.toml"
    write_default(path)
    assert load_settings(path) == (Settings(), [])
    with pytest.raises(ConfigExists):
        write_default(path)
    write_default(path, force=True)


def test_save_theme_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(DEFAULT_CONFIG.replace('# "app.quit"', '"app.quit"'), encoding="utf-8")
    save_theme(path, "nord")
    text = path.read_text(encoding="utf-8")
    assert "# Settings for reader." in text
    settings, warnings = load_settings(path)
    assert warnings == []
    assert settings.theme == "nord"
    assert settings.keys == {"app.quit": "ctrl+q"}
    save_theme(path, 'gruv"box')
    settings, _ = load_settings(path)
    assert settings.theme == 'gruv"box'
    assert path.read_text(encoding="utf-8").count("\ntheme = ") == 1


@pytest.mark.parametrize(
    "line",
    [
        'theme = "nord"  # the one I like',
        '"theme" = "nord"  # the one I like',
        "'theme'='nord'  # the one I like",
        'theme = "a # not a comment"  # the one I like',
    ],
)
def test_save_theme_finds_a_quoted_key_and_keeps_the_comment(tmp_path: Path, line: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(f"{line}\n\n[keys]\n", encoding="utf-8")
    save_theme(path, "gruvbox")
    text = path.read_text(encoding="utf-8")
    assert text.count("theme") == 1 and text.rstrip().endswith("[keys]")
    assert '"gruvbox"  # the one I like' in text
    settings, warnings = load_settings(path)
    assert warnings == [] and settings.theme == "gruvbox"


def test_save_theme_creates_file_and_folder_only_when_writing(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.toml"
    load_settings(path)
    assert not path.parent.exists()
    save_theme(path, "dracula")
    assert load_settings(path)[0].theme == "dracula"
    path.write_text('theme = "nord"', encoding="utf-8")
    save_theme(path, "gruvbox")
    assert load_settings(path) == (Settings(theme="gruvbox"), [])
