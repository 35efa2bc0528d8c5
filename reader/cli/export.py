"""``reader export``: notes as Markdown, to stdout, one file, or one file per article."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from reader.errors import ReaderError

if TYPE_CHECKING:
    from reader.workspace import Workspace


class ExportUsage(ReaderError):
    """The command line does not say what to export."""

    exit_code = 2


class ExportFailed(ReaderError):
    """The export folder or file could not be written."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "export",
        help="export notes as Markdown",
        description=(
            "Export notes, passages and tags as Markdown: to stdout, into one file, or into a "
            "folder as one file per article (when -o names an existing folder or ends with /)."
        ),
    )
    parser.add_argument("articles", nargs="*", metavar="ARTICLE", help="an id, id prefix or title")
    parser.add_argument(
        "--tag", action="append", default=[], metavar="T", help="articles tagged T; repeatable"
    )
    parser.add_argument("--all", action="store_true", help="every article with notes or tags")
    parser.add_argument("-o", "--output", metavar="FILE_OR_DIR", help="where to write")
    parser.add_argument(
        "--entities",
        dest="export_entities",
        action="store_true",
        help="add the article's entities, grouped by label",
    )
    parser.add_argument(
        "--wikilinks", action="store_true", help="entities as [[wikilinks]] (implies --entities)"
    )
    parser.add_argument(
        "--figures", action="store_true", help="add each number and date with its context"
    )
    parser.add_argument(
        "--since", metavar="DATE", help="only notes created or updated on or after DATE"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ws: Workspace) -> int:
    # Imported here: building the command line must not load the Markdown parser.
    from reader.export import (
        ExportOptions,
        gather,
        now_stamp,
        render_collection_markdown,
        write_items,
    )
    from reader.export.folder import write_atomic

    options = ExportOptions(
        entities=args.export_entities,
        wikilinks=args.wikilinks,
        figures=args.figures,
        since=_since(args.since),
    )
    ids = selected_ids(args, ws)
    items = gather(ws, ids, options, keep_empty=bool(args.articles))
    stamp = now_stamp()
    if not items:
        print("reader: nothing to export", file=sys.stderr)
        return 0
    target = args.output
    try:
        if target and (target.endswith(("/", os.sep)) or Path(target).is_dir()):
            for path in write_items(items, Path(target), options, stamp):
                print(path)
            return 0
        text = render_collection_markdown(items, options, exported_at=stamp)
        if target and target != "-":
            path = Path(target)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, text)
            print(path)
        else:
            sys.stdout.write(text)
    except OSError as exc:
        raise ExportFailed(f"cannot write {target}: {exc.strerror or exc}") from None
    return 0


def selected_ids(args: argparse.Namespace, ws: Workspace) -> list[str]:
    """Named articles first, in order, then tagged ones, then (with --all) the rest."""
    if not (args.articles or args.tag or args.all):
        raise ExportUsage("say what to export: ARTICLE..., --tag T or --all")
    ids = [ws.resolve_article(query).id for query in args.articles]
    if args.tag:
        from reader.export import tagged_ids

        ids += tagged_ids(ws, args.tag)
    if args.all:
        from reader.export import annotated_ids

        ids += annotated_ids(ws)
    return list(dict.fromkeys(ids))


def _since(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        from reader.export import parse_since

        return parse_since(text)
    except ValueError as exc:
        raise ExportUsage(str(exc)) from None
