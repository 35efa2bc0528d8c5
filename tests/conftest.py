"""Shared test set-up: nothing a test does may touch the developer's own reader folders."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_locations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every reader location at a fresh temporary folder, per test."""
    home = tmp_path / "reader-home"
    monkeypatch.setenv("READER_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("READER_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("READER_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("READER_DB", str(home / "data" / "annotations.json"))
    monkeypatch.setenv("READER_EXPORT_DIR", str(home / "exports"))
    monkeypatch.delenv("READER_LIBRARY", raising=False)
    return home
