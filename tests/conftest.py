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


@pytest.fixture
def unlistable_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A library folder with one article and a subfolder ``locked`` that cannot be listed.

    Tests run as root, where permissions stop nothing, so listing is refused by patching
    ``os.scandir`` for that one folder.
    """
    import os

    lib = tmp_path / "lib"
    (lib / "locked").mkdir(parents=True)
    (lib / "ok.md").write_text("# Fine\n\nbody\n", encoding="utf-8")
    real_scandir = os.scandir

    def guarded(path: object) -> object:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", guarded)
    return lib
