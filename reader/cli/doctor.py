"""``reader doctor``: check the annotation database and repair what can be repaired.

It works on the file directly, without opening the store, because the store refuses a
damaged file.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.workspace import Workspace


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "doctor",
        help="check the annotation database, recover a damaged one",
        description=(
            "Check the annotation database. A damaged file is copied aside "
            "(<name>.corrupt-<time>) and a fresh one is written with everything that could be "
            "recovered; entries that break the rules are repaired after a copy is kept."
        ),
    )
    parser.add_argument("--check", action="store_true", help="only report; change nothing")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ws: Workspace) -> int:
    from reader.doctor import examine

    report = examine(ws.locations.db, repair=not args.check)
    print(report.render())
    return 0 if report.ok else 1
