"""``reader note add|list|rm|edit``: the same notes the app shows, from the shell."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from reader.cells import clip
from reader.errors import ReaderError
from reader.models import ArticleMeta, PlacedNote
from reader.safety import visible

if TYPE_CHECKING:
    from reader.workspace import Workspace

#: Quotes longer than this are shortened in the plain listing (never in --json).
QUOTE_WIDTH = 80


class QuoteNotFound(ReaderError):
    """``--quote`` names a passage the article does not contain."""

    def __init__(self, quote: str, title: str) -> None:
        shown = visible(" ".join(quote.split()))
        super().__init__(
            f"the passage {shown!r} is not in {title!r} (case and spacing do not matter; "
            "check the words)"
        )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "note",
        help="add, list, edit and remove notes",
        description="Notes on whole articles or on passages, shared with the app.",
    )
    actions = parser.add_subparsers(dest="note_action", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="add a note to an article")
    add.add_argument("article", metavar="ARTICLE", help="an id, id prefix or title")
    add.add_argument("text", metavar="TEXT", help="the note")
    add.add_argument("--quote", metavar="PASSAGE", help="attach the note to this passage")
    add.add_argument(
        "--tag", action="append", default=[], metavar="T", help="tag the note; repeatable"
    )
    add.set_defaults(handler=run_add)

    listing = actions.add_parser("list", help="list notes, of one article or all")
    listing.add_argument("article", nargs="?", metavar="ARTICLE", help="only this article")
    listing.add_argument("--json", action="store_true", help="JSON, one list of notes")
    listing.set_defaults(handler=run_list)

    rm = actions.add_parser("rm", help="remove a note")
    rm.add_argument("note_id", metavar="NOTE_ID", help="a note id or its first characters")
    rm.set_defaults(handler=run_rm)

    edit = actions.add_parser("edit", help="replace a note's text")
    edit.add_argument("note_id", metavar="NOTE_ID", help="a note id or its first characters")
    edit.add_argument("text", metavar="TEXT", help="the new text")
    edit.set_defaults(handler=run_edit)


def run_add(args: argparse.Namespace, ws: Workspace) -> int:
    meta = ws.resolve_article(args.article)
    anchor = None
    if args.quote is not None:
        from reader.anchoring import find_quote, make_anchor

        article = ws.load(meta)
        span = find_quote(article.text, args.quote)
        if span is None:
            raise QuoteNotFound(args.quote, meta.title)
        anchor = make_anchor(article.text, *span)
    note = ws.store.add_note(meta.id, args.text, anchor, args.tag)
    print(f"added note {note.id} to {meta.title}")
    return 0


def run_rm(args: argparse.Namespace, ws: Workspace) -> int:
    note = ws.store.delete_note(args.note_id)
    print(f"removed note {note.id}: {_one_line(note.text, QUOTE_WIDTH)}")
    return 0


def run_edit(args: argparse.Namespace, ws: Workspace) -> int:
    note = ws.store.update_note(args.note_id, text=args.text)
    print(f"updated note {note.id}")
    return 0


def _one_line(text: str, width: int) -> str:
    return clip(visible(" ".join(text.split())), width)


def _placed(ws: Workspace, article_id: str | None) -> list[tuple[str, str, bool, PlacedNote]]:
    """(article id, title, in library, placed note) for the notes asked for."""
    from reader.anchoring import place_notes

    if article_id is not None:
        groups = {article_id: ws.store.notes(article_id)}
    else:
        groups = {}
        for note in ws.store.notes():
            groups.setdefault(note.article_id, []).append(note)
    metas: dict[str, ArticleMeta] = {m.id: m for m in ws.articles()}
    rows: list[tuple[str, str, bool, PlacedNote]] = []
    for aid, notes in groups.items():
        meta = metas.get(aid)
        article = ws.load_if_readable(meta) if meta is not None else None
        if meta is not None and article is not None:
            title, present = meta.title, True
            placed = place_notes(notes, article.text)
        else:
            record = ws.store.record(aid)
            title = meta.title if meta else record.title if record and record.title else aid
            present = meta is not None
            placed = [PlacedNote(n) for n in notes]
        rows.extend((aid, title, present, p) for p in placed)
    rows.sort(key=lambda r: (r[1].casefold(), r[0]))  # stable: keeps reading order inside
    return rows


def run_list(args: argparse.Namespace, ws: Workspace) -> int:
    article_id = ws.resolve_article(args.article).id if args.article else None
    rows = _placed(ws, article_id)
    if args.json:
        out: list[dict[str, Any]] = []
        for aid, title, present, placed in rows:
            note = placed.note
            out.append(
                {
                    "id": note.id,
                    "article_id": aid,
                    "article_title": title,
                    "article_in_library": present,
                    "quote": note.anchor.exact if note.anchor else None,
                    "start": placed.start if placed.start >= 0 else None,
                    "end": placed.end if placed.end >= 0 else None,
                    "orphaned": placed.orphaned,
                    "text": note.text,
                    "tags": list(note.tags),
                    "created": note.created,
                    "updated": note.updated,
                }
            )
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if not rows:
        print("no notes yet")
        return 0
    current = None
    for aid, title, present, placed in rows:
        if aid != current:
            if current is not None:
                print()
            missing = "" if present else "  (not in the library)"
            print(f"== {visible(title)}  [{visible(aid)}]{missing}")
            current = aid
        note = placed.note
        tags = "  " + " ".join(f"#{visible(t)}" for t in note.tags) if note.tags else ""
        if note.anchor is None:
            where = "(whole article)"
        else:
            where = f"“{_one_line(note.anchor.exact, QUOTE_WIDTH)}”"
            if placed.orphaned:
                where += "  [orphaned: passage not found]"
        print(f"{visible(note.id)}  {where}{tags}")
        for line in (note.text or "").splitlines() or [""]:
            print(f"    {visible(line)}")
    return 0
