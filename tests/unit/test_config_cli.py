"""`reader config`: the file's path, the settings in effect, and --init."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from unit_helpers import run_command, use_private_dirs

from reader.cli import config as config_cli
from reader.config import ConfigExists


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_private_dirs(monkeypatch, tmp_path, tmp_path / "config" / "config.toml")


def run(*argv: str) -> int:
    return run_command(config_cli.register, *argv)


def test_config_prints_path_and_defaults(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("config") == 0
    out = capsys.readouterr().out
    assert str(tmp_path / "config" / "config.toml") in out
    assert "not created yet" in out
    assert "textual-dark" in out
    assert not (tmp_path / "config").exists()


def test_init_writes_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "config" / "config.toml"
    assert run("config", "--init") == 0
    assert path.read_text(encoding="utf-8").startswith("# Settings for reader.")
    with pytest.raises(ConfigExists):
        run("config", "--init")
    path.write_text('theme = "nord"\n', encoding="utf-8")
    assert run("config", "--init", "--force") == 0
    assert "theme = " not in path.read_text(encoding="utf-8").split("\n# theme")[0]


def test_json_and_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "config" / "config.toml"
    path.parent.mkdir()
    path.write_text('theme = "nord"\nwat = 1\n[keys]\n"app.quit" = "ctrl+q"\n', encoding="utf-8")
    assert run("config", "--json") == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["settings"]["theme"] == "nord"
    assert payload["settings"]["keys"] == {"app.quit": "ctrl+q"}
    assert any("line 2" in w for w in payload["warnings"])
    assert payload["locations"]["config"] == str(path)
    assert run("config") == 0
    captured = capsys.readouterr()
    assert "app.quit" in captured.out
    assert "wat" in captured.err


def test_path_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("config", "--path") == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "config" / "config.toml")
