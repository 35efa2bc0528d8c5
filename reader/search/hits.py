"""What a jump returns: one row of results, ready to display and to open."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["title", "source", "tag", "entity", "note", "quote", "text"]

#: Kinds in the order they win a tie: what the reader most likely meant comes first.
KIND_ORDER: tuple[Kind, ...] = ("title", "tag", "entity", "note", "quote", "source", "text")


@dataclass(frozen=True, slots=True)
class Hit:
    """One result of a jump.

    ``matched`` is the string to display (a title, a tag, an entity name, a note or a
    snippet of the text) and ``highlights`` the spans within it that matched, as
    ``(start, end)`` pairs, end exclusive. ``context`` says where the match is (the
    article title for notes, quotes, entities and text; empty for a title). ``offset``
    and ``end`` locate the match in ``Article.text`` when it has a place there (text,
    entity, quote, passage note); ``None`` means "open the article where it was left".
    ``score`` is 0-100 and comparable across kinds.
    """

    kind: Kind
    article_id: str
    title: str
    score: float
    matched: str
    context: str = ""
    offset: int | None = None
    end: int | None = None
    highlights: tuple[tuple[int, int], ...] = ()
    note_id: str = ""


def snippet(text: str, start: int, end: int, width: int = 90) -> tuple[str, int]:
    """A one-line excerpt of ``text`` around ``start:end`` and where it begins.

    Line breaks become spaces one for one, so ``start - begin`` is the match's place in
    the excerpt; the cut is moved to a word boundary when one is near.
    """
    before = max(12, (width - (end - start)) // 3)
    begin = max(0, start - before)
    if begin > 0:
        space = text.rfind(" ", begin - 12, begin + 1)
        if space != -1 and space < start:
            begin = space + 1
    stop = min(len(text), max(end, begin + width))
    if stop < len(text):
        space = text.find(" ", stop - 12, stop + 1)
        if space != -1 and space >= end:
            stop = space
    excerpt = text[begin:stop].replace("\n", " ").replace("\r", " ").replace("\t", " ")
    return excerpt, begin
