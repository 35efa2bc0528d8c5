"""``reader tag add|rm|list``: article tags, shared with the app."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from reader.cells import cells, fit
from reader.safety import visible

if TYPE_CHECKING:
    from reader.workspace import Workspace


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "tag",
        help="tag and untag articles, list tags",
        description="Tags are case-insensitive single words; a leading # is optional.",
    )
    actions = parser.add_subparsers(dest="tag_action", metavar="ACTION", required=True)
    for name, helptext, handler in (
        ("add", "tag an article", run_add),
        ("rm", "remove tags from an article", run_rm),
    ):
        action = actions.add_parser(name, help=helptext)
        action.add_argument("article", metavar="ARTICLE", help="an id, id prefix or title")
        action.add_argument("tags", nargs="+", metavar="TAG")
        action.set_defaults(handler=handler)
    listing = actions.add_parser("list", help="every tag with its number of articles")
    listing.add_argument("--json", action="store_true", help="JSON: [{tag, articles}]")
    listing.set_defaults(handler=run_list)


def _show(title: str, tags: tuple[str, ...]) -> None:
    shown = " ".join(f"#{visible(t)}" for t in tags) if tags else "(no tags)"
    print(f"{visible(title)}: {shown}")


def run_add(args: argparse.Namespace, ws: Workspace) -> int:
    meta = ws.resolve_article(args.article)
    _show(meta.title, ws.store.add_tags(meta.id, args.tags))
    return 0


def run_rm(args: argparse.Namespace, ws: Workspace) -> int:
    meta = ws.resolve_article(args.article)
    _show(meta.title, ws.store.remove_tags(meta.id, args.tags))
    return 0


def run_list(args: argparse.Namespace, ws: Workspace) -> int:
    counts = ws.store.all_tags()
    if args.json:
        rows = [{"tag": tag, "articles": n} for tag, n in counts.items()]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if not counts:
        print("no tags yet")
        return 0
    width = max(cells(visible(tag)) for tag in counts)
    for tag, n in counts.items():
        print(f"{fit(visible(tag), width)}  {n}")
    return 0
