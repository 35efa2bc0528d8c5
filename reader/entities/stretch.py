"""Entities of one stretch of an article: what a reader sees first, before the whole pass.

The article-wide pass votes each name's label and key over all its mentions, so it needs
the whole text: half a second for a 100,000-word article. The few paragraphs on screen
take milliseconds alone. Their labels are only what those paragraphs say, so the whole
pass replaces them when it is done.
"""

from __future__ import annotations

from collections.abc import Callable

from ..models import Article, EntitySpan


def stretch_around(article: Article, offset: int, before: int, after: int) -> tuple[int, int]:
    """(start, end) of the whole paragraphs from ``before`` characters above ``offset`` to
    ``after`` below it. A paragraph longer than that is cut at a space instead, so one
    enormous paragraph does not turn the stretch into the whole article."""
    text = article.text
    # A saved place or a stored note offset may lie beyond a text edited shorter since.
    offset = min(max(offset, 0), len(text))
    low = max(0, offset - before)
    high = min(len(text), offset + max(after, 1))
    start, end = low, high
    if article.blocks:
        first = article.blocks[article.block_at(low)]
        last = article.blocks[article.block_at(max(low, high - 1))]
        start = first.start if first.start >= low - before else low
        end = last.end if last.end <= high + after else high
    if start > 0 and not text[start - 1].isspace():
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 else 0
    if end < len(text) and not text[end].isspace():
        space = text.find(" ", end)
        end = space if space >= 0 else len(text)
    return start, max(start, end)


def entities_in(
    finder: Callable[[str], list[EntitySpan]], text: str, start: int, end: int
) -> list[EntitySpan]:
    """``finder``'s entities of ``text[start:end]``, as offsets into the whole ``text``."""
    return [
        EntitySpan(s.start + start, s.end + start, s.label, s.fine, s.key)
        for s in finder(text[start:end])
    ]
