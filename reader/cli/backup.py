"""``reader backup`` and ``reader restore``: every annotation to one JSON file and back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.workspace import Workspace


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backup = subparsers.add_parser(
        "backup",
        help="write every note, tag and reading position to a JSON file",
        description="Back up all annotations as JSON (format: docs/backup-format.md).",
    )
    backup.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="the backup file ('-': stdout)"
    )
    backup.set_defaults(handler=run_backup)

    restore = subparsers.add_parser(
        "restore",
        help="merge a backup into the database",
        description=(
            "Merge a backup: missing notes are added, a note on both sides keeps the version "
            "edited last, nothing is duplicated."
        ),
    )
    restore.add_argument("file", type=Path, metavar="FILE", help="a file written by backup")
    restore.set_defaults(handler=run_restore)


def run_backup(args: argparse.Namespace, ws: Workspace) -> int:
    from reader.backup import write_backup

    if args.output == "-":
        write_backup(ws.store, sys.stdout.buffer)
        return 0
    path = Path(args.output).expanduser()
    counts = write_backup(ws.store, path)
    print(
        f"wrote {path}: {counts['notes']} notes, {counts['articles']} article records, "
        f"{counts['reading']} reading positions"
    )
    return 0


def run_restore(args: argparse.Namespace, ws: Workspace) -> int:
    from reader.backup import restore_file

    report = restore_file(ws.store, args.file.expanduser())
    print(f"restored {args.file}")
    print(report.summary())
    return 0
