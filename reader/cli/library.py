"""``reader list``, ``reader show``, ``reader import`` and ``reader add``: the library from
the command line, through the same workspace as the app."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.articles import MAX_ARTICLE_BYTES, SNIFF_BYTES, SUFFIXES, binary_reason, content_hash
from reader.cells import fit
from reader.errors import ReaderError
from reader.library import SORT_KEYS, LibraryQuery, write_new_article
from reader.models import Article, ArticleMeta
from reader.safety import visible_line

if TYPE_CHECKING:
    from reader.workspace import Workspace


class ImportRefused(ReaderError):
    """A file given to ``reader import`` that is not an article."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "list",
        help="list the articles of the library",
        description="List the articles: title, source, words, tags, notes and read state.",
    )
    p.add_argument("--tag", metavar="TAG", help="only articles with this tag")
    p.add_argument("--sort", choices=SORT_KEYS, default="title", help="order (default: title)")
    p.add_argument("--reverse", action="store_true", help="the other way round")
    p.add_argument("--json", action="store_true", help="one JSON array, for scripts")
    p.set_defaults(handler=run_list)

    p = subparsers.add_parser(
        "show",
        help="print an article with its metadata",
        description="Print ARTICLE's metadata and text; --json adds blocks and entities.",
    )
    p.add_argument("article", metavar="ARTICLE", help="an id, id prefix or words of the title")
    p.add_argument("--json", action="store_true", help="metadata, text, blocks and entities")
    p.set_defaults(handler=run_show)

    p = subparsers.add_parser(
        "import",
        help="copy article files into your library",
        description=(
            "Copy .txt, .md and .html files into your library folder; a name that is taken "
            "gets a number. Other files are refused with the reason."
        ),
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.set_defaults(handler=run_import)

    p = subparsers.add_parser(
        "add",
        help="download web pages into your library",
        description=(
            "Download each URL, keep the article's text (not the menus and adverts) and save "
            "it into your library as Markdown, with the address and date it came from."
        ),
    )
    p.add_argument("urls", nargs="+", metavar="URL")
    p.set_defaults(handler=run_add)


# -- list ---------------------------------------------------------------------------------


def _query(ws: Workspace) -> LibraryQuery:
    counts = ws.store.note_counts()
    return LibraryQuery(
        ws.articles(),
        tags_of=ws.store.tags,
        notes_of=lambda i: counts.get(i, 0),
        state_of=ws.store.reading_state,
    )


def _state(ws: Workspace, article_id: str) -> str:
    state = ws.store.reading_state(article_id)
    if state.read:
        return "read"
    return "started" if state.position > 0 else "unread"


def meta_record(ws: Workspace, meta: ArticleMeta, notes: int) -> dict[str, Any]:
    """An article's metadata as plain data, as ``--json`` prints it."""
    return {
        "id": meta.id,
        "title": meta.title,
        "source": meta.source,
        "author": meta.author,
        "date": meta.date,
        "url": meta.url,
        "path": str(meta.path),
        "format": meta.fmt,
        "words": meta.words,
        "reading_minutes": meta.reading_minutes,
        "tags": list(ws.store.tags(meta.id)),
        "notes": notes,
        "state": _state(ws, meta.id),
        "problem": meta.problem,
    }


def run_list(args: argparse.Namespace, ws: Workspace) -> int:
    query = _query(ws)
    if args.tag:
        query = query.tagged(args.tag)
    query = query.sorted_by(args.sort, reverse=args.reverse)
    counts = ws.store.note_counts()
    if args.json:
        records = [meta_record(ws, m, counts.get(m.id, 0)) for m in query]
        json.dump(records, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    if not len(query):
        print("no articles" + (f" tagged {visible_line(args.tag)!r}" if args.tag else ""))
        return 0
    for meta in query:
        print(_list_line(ws, meta, counts.get(meta.id, 0)))
    return 0


def _list_line(ws: Workspace, meta: ArticleMeta, notes: int) -> str:
    title = fit(visible_line(meta.title), 60)
    if meta.problem:
        return f"{meta.id[:8]}  {title}  unreadable: {visible_line(meta.problem)}"
    source = fit(visible_line(meta.source), 18)
    tags = " ".join(f"#{visible_line(t)}" for t in ws.store.tags(meta.id))
    note_text = f"{notes} note{'s' if notes != 1 else ''}" if notes else ""
    parts = [
        meta.id[:8],
        title,
        source,
        f"{meta.words:>6} w",
        f"{_state(ws, meta.id):<7}",
        f"{note_text:<8}",
        tags,
    ]
    return "  ".join(parts).rstrip()


# -- show ---------------------------------------------------------------------------------


def run_show(args: argparse.Namespace, ws: Workspace) -> int:
    meta = ws.resolve_article(args.article)
    article = ws.load(meta)
    notes = ws.store.note_counts().get(meta.id, 0)
    if args.json:
        json.dump(show_record(ws, article, notes), sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    sys.stdout.write(render_plain(ws, article, notes))
    return 0


def show_record(ws: Workspace, article: Article, notes: int) -> dict[str, Any]:
    record = meta_record(ws, article.meta, notes)
    record["text"] = article.text
    record["blocks"] = [
        {"start": b.start, "end": b.end, "kind": b.kind, "level": b.level, "ref": b.ref}
        for b in article.blocks
    ]
    record["links"] = list(article.links)
    record["entities"] = [
        {
            "start": s.start,
            "end": s.end,
            "label": s.label,
            "fine": s.fine,
            "key": s.key,
            "text": article.text[s.start : s.end],
        }
        for s in ws.entities(article)
    ]
    return record


def render_plain(ws: Workspace, article: Article, notes: int) -> str:
    """Metadata lines, a blank line, then the text with quotes marked and rules drawn."""
    meta = article.meta
    lines = [visible_line(meta.title), ""]
    for label, value in (
        ("id", meta.id),
        ("source", meta.source),
        ("author", meta.author),
        ("date", meta.date),
        ("url", meta.url),
        ("file", str(meta.path)),
        ("words", f"{meta.words} (about {meta.reading_minutes} min)"),
        ("tags", ", ".join(ws.store.tags(meta.id))),
        ("notes", str(notes) if notes else ""),
        ("state", _state(ws, meta.id)),
    ):
        if value:
            lines.append(f"{label + ':':<8}{visible_line(value)}")
    body = []
    for block in article.blocks:
        text = article.text[block.start : block.end]
        if block.kind == "quote":
            text = "\n".join("> " + line for line in text.split("\n"))
        elif block.kind == "code":
            text = "\n".join("    " + line for line in text.split("\n"))
        elif block.kind == "heading":
            text = "#" * max(1, block.level) + " " + text
        body.append(text)
    return "\n".join(lines) + "\n\n" + "\n\n".join(body) + "\n"


# -- import and add -----------------------------------------------------------------------


def check_importable(path: Path) -> bytes:
    """The bytes of an article file to import; ImportRefused with the reason otherwise."""
    shown = visible_line(str(path))
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        kinds = ", ".join(sorted(set(SUFFIXES)))
        what = f"{visible_line(suffix)} files" if suffix else "files without a suffix"
        raise ImportRefused(f"{shown}: not an article file ({what}; reader reads {kinds})")
    try:
        if not path.is_file():
            raise ImportRefused(f"{shown}: not a file")
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise ImportRefused(f"{shown}: too large ({size // (1024 * 1024)} MB)")
        data = path.read_bytes()
    except OSError as exc:
        raise ImportRefused(f"{shown}: cannot be read ({exc.strerror or exc})") from exc
    reason = binary_reason(data[:SNIFF_BYTES])
    if reason:
        raise ImportRefused(f"{shown}: {reason}")
    return data


def run_import(args: argparse.Namespace, ws: Workspace) -> int:
    folder = ws.locations.user_library
    known = {m.content_hash: m for m in ws.articles() if m.content_hash}
    failed = 0
    added: list[Path] = []
    for path in args.files:
        try:
            data = check_importable(path)
        except ImportRefused as exc:
            print(f"reader: {exc}", file=sys.stderr)
            failed += 1
            continue
        twin = known.get(content_hash(data))
        if twin is not None:
            print(f"already in the library: {visible_line(str(path))} ({twin.id[:8]})")
            continue
        try:
            target = write_new_article(folder, path.stem, path.suffix, data)
        except (OSError, ValueError) as exc:
            print(f"reader: {visible_line(str(path))}: not copied ({exc})", file=sys.stderr)
            failed += 1
            continue
        added.append(target)
        known[content_hash(data)] = ArticleMeta(id="", path=target, title="")
        print(f"imported {visible_line(str(path))} -> {visible_line(str(target))}")
    if added:
        _report_new(ws, added)
    return 1 if failed else 0


def run_add(args: argparse.Namespace, ws: Workspace) -> int:
    from reader.fetch import FetchError, add_url

    folder = ws.locations.user_library
    failed = 0
    saved: list[Path] = []
    for url in args.urls:
        try:
            target = add_url(url, folder)
        except FetchError as exc:
            print(f"reader: {exc}", file=sys.stderr)
            failed += 1
            continue
        except (OSError, ValueError) as exc:
            print(f"reader: {visible_line(url)}: not saved ({exc})", file=sys.stderr)
            failed += 1
            continue
        saved.append(target)
        print(f"saved {visible_line(url)} -> {visible_line(str(target))}")
    if saved:
        _report_new(ws, saved)
    return 1 if failed else 0


def _report_new(ws: Workspace, paths: list[Path]) -> None:
    """Rescan so the new files get their ids, and name them."""
    ws.library.rescan()
    for path in paths:
        meta = ws.library.find_path(path)
        if meta is not None:
            print(f"  {meta.id[:8]}  {visible_line(meta.title)}")
