"""``reader entities``: an article's people, places and figures, or a JSON-lines filter.

``--jsonl`` turns {"id", "text"} lines on stdin into {"id", "entities"} lines on stdout,
one per input line, flushed as it goes; it never opens the library or the database.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, TextIO

from reader.errors import ReaderError
from reader.models import LABELS, EntitySpan

if TYPE_CHECKING:
    from reader.entities import EntityFinder
    from reader.workspace import Workspace


class EntitiesUsage(ReaderError):
    """The command line names neither an article nor ``--jsonl``."""

    exit_code = 2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "entities",
        help="list an article's entities, or tag JSON lines from stdin",
        description=(
            "Show the people, organisations, places, groups, dates and figures of ARTICLE, "
            "grouped by label with counts and spellings; or, with --jsonl, read "
            '{"id", "text"} lines on stdin and write {"id", "entities"} lines on stdout.'
        ),
    )
    parser.add_argument("article", nargs="?", metavar="ARTICLE", help="an id, id prefix or title")
    parser.add_argument(
        "--jsonl", action="store_true", help="filter JSON lines from stdin to stdout"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ws: Workspace) -> int:
    if args.jsonl:  # --entities, else the settings file's backend; no library is scanned
        return tag_lines(sys.stdin, sys.stdout, ws.entity_finder)
    if not args.article:
        raise EntitiesUsage("name an ARTICLE, or pass --jsonl to read JSON lines from stdin")
    article = ws.load(ws.resolve_article(args.article))
    spans = ws.entities(article)
    sys.stdout.write(render_table(article.text, spans, article.title))
    return 0


def tag_lines(source: TextIO, sink: TextIO, finder: EntityFinder) -> int:
    """Stream: one output line per input line, in order; blank lines are skipped."""
    for number, line in enumerate(source, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            doc_id, text = record["id"], record["text"]
        except (ValueError, KeyError, TypeError) as exc:
            raise EntitiesUsage(f"line {number}: expected a JSON object with id and text") from exc
        entities = [
            {
                "start": s.start,
                "end": s.end,
                "label": s.label,
                "fine": s.fine,
                "text": text[s.start : s.end],
            }
            for s in finder(text)
        ]
        sink.write(json.dumps({"id": doc_id, "entities": entities}, ensure_ascii=False) + "\n")
        sink.flush()
    return 0


def render_table(text: str, spans: list[EntitySpan], title: str = "") -> str:
    """Entities grouped by label, most mentioned first, with the spellings seen."""
    by_label: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for s in spans:
        by_label[s.label][s.key or text[s.start : s.end]][text[s.start : s.end]] += 1
    lines = [title, ""] if title else []
    for label in LABELS:
        groups = by_label.get(label)
        if not groups:
            continue
        total = sum(sum(c.values()) for c in groups.values())
        lines.append(f"{label} ({total})")
        ranked = sorted(groups.items(), key=lambda kv: (-sum(kv[1].values()), kv[0].lower()))
        for key, spellings in ranked:
            count = sum(spellings.values())
            others = [v for v in spellings if v != key]
            suffix = f"  (also: {', '.join(others)})" if others else ""
            lines.append(f"  {count:>4}  {key}{suffix}")
        lines.append("")
    if not spans:
        lines.append("No entities found.")
    return "\n".join(lines).rstrip("\n") + "\n"
