"""``reader jump QUERY``: the app's jump box on the command line, one result per line."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING

from reader.safety import visible

if TYPE_CHECKING:
    from reader.workspace import Workspace

PREFIX_HELP = (
    "Searches titles, sources, tags, entity names, notes, quoted passages and article text, "
    "all ranked together. Prefixes narrow it: #tag, @entity, >note text, /article text, "
    ":title or source."
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "jump", help="find articles, notes and passages (fuzzy)", description=PREFIX_HELP
    )
    parser.add_argument("query", metavar="QUERY", nargs="+", help="words; typos are fine")
    parser.add_argument("--limit", type=int, default=10, metavar="N", help="results (10)")
    parser.add_argument("--json", action="store_true", help="JSON: a list of results")
    parser.add_argument(
        "--no-entities", action="store_true", help="skip entity names (faster on big libraries)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ws: Workspace) -> int:
    from reader.search import SearchIndex  # heavy (rapidfuzz); only this command needs it

    index = SearchIndex.from_workspace(ws, with_entities=not args.no_entities)
    hits = index.query(" ".join(args.query), limit=max(0, args.limit))
    if args.json:
        json.dump([asdict(h) for h in hits], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if not hits:
        print("no matches", file=sys.stderr)
        return 1
    for hit in hits:
        where = f"  @{hit.offset}" if hit.offset is not None else ""
        title = visible(hit.title)
        print(f"{hit.score:6.1f}  {hit.kind:<6}  {hit.article_id[:12]}  {title}{where}")
        if hit.kind != "title":
            print(f"        {visible(hit.matched)}")
    return 0
