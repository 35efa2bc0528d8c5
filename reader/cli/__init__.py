"""Command-line interface: one module per command group, each with ``register(subparsers)``.

Every handler has the signature ``handler(args, ws) -> int`` and works through the same
:class:`reader.workspace.Workspace` as the TUI. The parser is built on every run, the app's
included, so a command module imports what only its handlers use (the store, anchoring,
backups) inside them.
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

from reader import __version__

#: Command modules, in the order their commands appear in ``reader --help``.
COMMAND_MODULES: tuple[str, ...] = (
    "library",
    "notes",
    "tags",
    "entities",
    "jump",
    "export",
    "backup",
    "doctor",
    "config",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader",
        description="A terminal reading room for articles. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    add_global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"reader.cli.{name}")
        module.register(sub)
    return parser


def add_global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", type=Path, metavar="PATH", help="annotation database (env READER_DB)"
    )
    parser.add_argument(
        "--library",
        type=Path,
        action="append",
        metavar="DIR",
        help="an extra library folder; repeatable (env READER_LIBRARY, a path list)",
    )
    parser.add_argument(
        "--config", type=Path, metavar="PATH", help="settings file (env READER_CONFIG)"
    )
    parser.add_argument(
        "--export-dir", type=Path, metavar="DIR", help="export folder (env READER_EXPORT_DIR)"
    )
    parser.add_argument(
        "--entities",
        metavar="BACKEND",
        help="entity backend: builtin (default) or spacy:MODEL",
    )
    parser.add_argument(
        "--no-seeds", action="store_true", help="leave the bundled articles out of the library"
    )
