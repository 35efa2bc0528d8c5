"""One article's notes as a Markdown document: plain data in, a string out.

Nothing here reads a clock, a file or a database, so the same data always gives the same
bytes and the output can be golden-tested and diffed in git.

Layout: YAML front matter, ``# title``, an info line, then ``## Notes on the article``,
``## Passages`` (one ``###`` per passage note, in reading order), ``## Orphaned notes``, and
the optional ``## Entities`` and ``## Figures``. Each passage is a blockquote; each note is an
Obsidian/GitHub callout (``> [!note]``) holding the note's own Markdown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reader.export.markup import (
    code_span,
    escape_inline,
    front_matter,
    guard_line_start,
    prefix_lines,
    quote_block,
)
from reader.export.notebody import CALLOUT, note_lines
from reader.export.options import ExportOptions
from reader.export.sections import entities_section, figures_section
from reader.models import Article, ArticleMeta, EntitySpan, Note, PlacedNote
from reader.safety import visible_line

#: The front matter key that marks a file as this article's export (see ``folder.py``).
ID_KEY = "reader_id"
#: Characters of the quote shown in a passage's heading.
HEADING_EXCERPT = 60
#: A tag Obsidian reads as ``#tag``; others are shown as code so they stay one piece.
_OBSIDIAN_TAG = re.compile(r"^(?=.*[^\d/])[\w/-]+$")
_SAFE_URL = re.compile(r"^https?://[^\s<>`\\]+$")


@dataclass(frozen=True, slots=True)
class NoteGroups:
    """A note list split the way the document shows it, each part in its order."""

    article: list[PlacedNote]
    passages: list[PlacedNote]
    orphans: list[PlacedNote]


def group_notes(notes: list[PlacedNote], placed: bool) -> NoteGroups:
    """Article-level notes by time, passages in reading order, orphans by old position.

    ``placed`` is False when the article text is unavailable: passage notes then keep their
    stored quote and order, and are not called orphans (the text, not the passage, is lost).
    """
    article = sorted((p for p in notes if p.note.anchor is None), key=_time_order)
    anchored = [p for p in notes if p.note.anchor is not None]
    if not placed:
        return NoteGroups(article, sorted(anchored, key=_anchor_order), [])
    passages = sorted((p for p in anchored if not p.orphaned), key=_reading_order)
    orphans = sorted((p for p in anchored if p.orphaned), key=_anchor_order)
    return NoteGroups(article, passages, orphans)


def _time_order(p: PlacedNote) -> tuple[str, str, str]:
    return (p.note.created, p.note.updated, p.note.id)


def _reading_order(p: PlacedNote) -> tuple[int, int, str, str]:
    return (p.start, p.end, p.note.created, p.note.id)


def _anchor_order(p: PlacedNote) -> tuple[int, str, str]:
    anchor = p.note.anchor
    return (anchor.start if anchor else -1, p.note.created, p.note.id)


def render_article_markdown(
    meta: ArticleMeta,
    article: Article | None,
    notes: list[PlacedNote],
    tags: tuple[str, ...],
    options: ExportOptions,
    entities: list[EntitySpan] | None = None,
    *,
    exported_at: str,
) -> str:
    """The whole Markdown file for one article: front matter, then :func:`article_body`."""
    groups = group_notes(notes, placed=article is not None)
    lines = front_matter(front_matter_data(meta, groups, tags, options, exported_at))
    lines += ["", *article_body(meta, article, groups, tags, options, entities)]
    return "\n".join(lines).rstrip("\n") + "\n"


def front_matter_data(
    meta: ArticleMeta,
    groups: NoteGroups,
    tags: tuple[str, ...],
    options: ExportOptions,
    exported_at: str,
) -> dict[str, Any]:
    """The article's properties, as Obsidian and static site tools read them."""
    data: dict[str, Any] = {"title": visible_line(meta.title)}
    for key in ("source", "author", "date", "url"):
        value = getattr(meta, key)
        if value:
            data[key] = visible_line(value)
    data["file"] = visible_line(meta.path.name)
    data[ID_KEY] = visible_line(meta.id)
    data["tags"] = [visible_line(t) for t in tags]
    data["exported"] = visible_line(exported_at)
    if options.since is not None:
        data["changed_since"] = options.since.isoformat()
    data["notes"] = len(groups.article) + len(groups.passages) + len(groups.orphans)
    data["article_notes"] = len(groups.article)
    data["passages"] = len(groups.passages)
    data["orphans"] = len(groups.orphans)
    return data


def article_body(
    meta: ArticleMeta,
    article: Article | None,
    groups: NoteGroups,
    tags: tuple[str, ...],
    options: ExportOptions,
    entities: list[EntitySpan] | None,
) -> list[str]:
    """Everything after the front matter, ending with a blank line."""
    lines = [f"# {escape_inline(meta.title) or 'Untitled'}", ""]
    lines += [info_line(meta, tags), ""]
    if meta.problem or article is None:
        problem = meta.problem or "the article could not be read"
        lines += [
            f"*The article text is unavailable: {escape_inline(problem)}. "
            "Passages are shown as they were when noted.*",
            "",
        ]
    if groups.article:
        lines += ["## Notes on the article", ""]
        for placed in groups.article:
            lines += note_entry(placed.note)
    if groups.passages:
        lines += ["## Passages", ""]
        for placed in groups.passages:
            lines += passage_entry(placed, article)
    if groups.orphans:
        lines += ["## Orphaned notes", ""]
        lines += [
            "*These passages are no longer found in the article's current text; "
            "each is quoted as it was when the note was made.*",
            "",
        ]
        for placed in groups.orphans:
            lines += passage_entry(placed, None, orphaned=True)
    if article is not None and entities is not None:
        if options.show_entities:
            lines += entities_section(article, entities, options.wikilinks)
        if options.figures:
            lines += figures_section(article, entities, options.figure_width)
    return lines


def info_line(meta: ArticleMeta, tags: tuple[str, ...]) -> str:
    """Source, author, date, link, words and tags on one line, for readers of the body."""
    parts = [escape_inline(v) for v in (meta.source, meta.author, meta.date) if v]
    if meta.url:
        url = visible_line(meta.url)
        parts.append(f"<{url}>" if _SAFE_URL.match(url) else escape_inline(url))
    if meta.words:
        parts.append(f"{meta.words:,} words")
    if tags:
        parts.append(tag_list(tags))
    parts.append(f"file {code_span(meta.path.name)}")
    return guard_line_start(" · ".join(parts))


def tag_list(tags: tuple[str, ...]) -> str:
    """Tags as Obsidian ``#tags`` where the name allows it, else as inline code."""
    return " ".join(
        f"#{t}" if _OBSIDIAN_TAG.match(t) else code_span(t) for t in map(visible_line, tags)
    )


def passage_entry(placed: PlacedNote, article: Article | None, orphaned: bool = False) -> list[str]:
    """A ``###`` heading with the place, the passage as a blockquote, then the note."""
    note = placed.note
    anchor = note.anchor
    if article is not None and not orphaned and placed.start >= 0:
        quote = article.text[placed.start : placed.end]
        where = f"¶ {article.block_at(placed.start) + 1}"
    else:
        quote = anchor.exact if anchor else ""
        where = "Orphaned" if orphaned else "Passage"
    lines = [f"### {where} · {escape_inline(excerpt(quote)) or '…'}", ""]
    lines += [*quote_block(quote), ""]
    return lines + note_entry(note, where if where.startswith("¶") else "")


def note_entry(note: Note, where: str = "") -> list[str]:
    """The note as a callout, then one line with its place, tags and dates."""
    body = note_lines(note.text)
    lines = []
    if body:
        lines += [f"> {CALLOUT}", *prefix_lines(body), ""]
    facts = [where] if where else []
    if note.tags:
        facts.append(tag_list(note.tags))
    facts += dates(note)
    if facts:
        lines += [" · ".join(facts), ""]
    return lines


def dates(note: Note) -> list[str]:
    out = []
    if note.created:
        out.append(f"created {show_time(note.created)}")
    if note.updated and note.updated != note.created:
        out.append(f"updated {show_time(note.updated)}")
    return out


def show_time(stamp: str) -> str:
    """An ISO time as ``2024-05-01 10:00`` (plus its offset unless UTC), in the zone it was
    stored in so the output never depends on where the export runs; other text as is."""
    try:
        moment = datetime.fromisoformat(stamp.strip())
    except ValueError:
        return escape_inline(stamp)
    shown = moment.strftime("%Y-%m-%d %H:%M")
    offset = moment.utcoffset()
    if offset:
        shown += " " + moment.strftime("%z")[:3] + ":" + moment.strftime("%z")[3:5]
    return shown


def excerpt(text: str, limit: int = HEADING_EXCERPT) -> str:
    """The start of a quote on one line, cut at a word, for a heading."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:.") + "…"
