"""What several unit test modules share: private reader folders, running one CLI command
group through a real workspace, and a small jump index."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reader.cli import add_global_options
from reader.models import Anchor, EntitySpan, Note
from reader.search import Doc, SearchIndex
from reader.workspace import Workspace

#: The locations the root conftest points at its own folders; ``clear=True`` unsets them.
LOCATION_OVERRIDES = ("READER_DB", "READER_LIBRARY", "READER_EXPORT_DIR")


def use_private_dirs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, config: Path, *, clear: bool = False
) -> Path:
    """Data, settings (at ``config``) and cache under ``tmp_path``; returns ``config``."""
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("READER_CONFIG", str(config))
    monkeypatch.setenv("READER_CACHE_DIR", str(tmp_path / "cache"))
    if clear:
        for name in LOCATION_OVERRIDES:
            monkeypatch.delenv(name, raising=False)
    return config


def run_command(register: Callable[[Any], object], *argv: str) -> int:
    """Parse ``argv`` with the global options and one command group, run it, close up."""
    parser = argparse.ArgumentParser(prog="reader")
    add_global_options(parser)
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(list(argv))
    ws = Workspace.from_args(args)
    try:
        return int(args.handler(args, ws))
    finally:
        ws.close()


# -- a small jump index --------------------------------------------------------------------

MOSUL = Doc(
    "a1",
    "Minister Ellwood statement on Mosul",
    "Tobias Ellwood comments on the start of the Iraqi military operation to retake Mosul.\n"
    "General Abdul Barrazi said the coalition was ready.",
    "UK Government",
)
VOTEL = Doc(
    "a2",
    "CENTCOM reinforces support for Syrian Arab Coalition",
    "Gen. Joseph Votel, commander of U.S. Central Command, said the SDF retook more than "
    "18,000 square kilometers of territory.",
    "CENTCOM",
)
HIBHIB = Doc("a3", "Hibhib", "Hibhib is a village in northern Iraq, near the Hamrin Mountains.")


def make_index() -> SearchIndex:
    """Three articles, a passage note, an article note, tags and one entity."""
    figure = VOTEL.text.index("18,000")
    votel = VOTEL.text.index("Joseph Votel")
    return SearchIndex(
        [MOSUL, VOTEL, HIBHIB],
        notes=[
            Note(
                "n1",
                "a2",
                "Check the territory figure against the monthly report",
                Anchor("18,000 square kilometers", start=figure, end=figure + 24),
            ),
            Note("n2", "a1", "Follow up on the humanitarian corridor"),
        ],
        tags={"a1": ["iraq", "mosul"], "a3": ["iraq", "villages"]},
        entities={"a2": [EntitySpan(votel, votel + 12, "PERSON", key="Joseph Votel")]},
    )
