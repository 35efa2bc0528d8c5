"""The first screen's entities, found before the whole article's so it opens highlighted.

The whole article's pass takes about half a second on 100,000 words; the paragraphs
around the opening place take milliseconds. The reader screen shows the text with these,
then runs the whole pass and replaces them (its article-wide votes may relabel a name).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from reader.entities.stretch import entities_in, stretch_around
from reader.models import Article, EntitySpan
from reader.ui.widgets.article_view import ArticleView

#: Longest the text waits for its first entities: a slow finder (a spaCy model loading)
#: must not hold the text back, so past this the text shows first and they follow.
PREVIEW_WAIT = 0.2
#: Screenfuls of text looked at above and below the opening place: the view may centre
#: it, and the next page down should be highlighted too.
SCREENS_BEFORE = 1
SCREENS_AFTER = 2

Finder = Callable[[str], list[EntitySpan]]


def start_preview(
    finder: Finder, view: ArticleView, article: Article, position: int
) -> asyncio.Future[list[EntitySpan]]:
    """Find, on a thread, the entities of the paragraphs ``view`` opens on at ``position``."""
    screenful = view.screenful()
    start, end = stretch_around(
        article, position, SCREENS_BEFORE * screenful, SCREENS_AFTER * screenful
    )
    return asyncio.ensure_future(asyncio.to_thread(entities_in, finder, article.text, start, end))


async def preview_within(
    preview: asyncio.Future[list[EntitySpan]], wait: float | None = PREVIEW_WAIT
) -> list[EntitySpan] | None:
    """The preview if it is ready within ``wait`` seconds (None: however long it takes),
    else None (it keeps running).

    A preview that failed is None too: the whole pass reports the error.
    """
    done, _ = await asyncio.wait({preview}, timeout=wait)
    if not done or preview.cancelled() or preview.exception() is not None:
        return None
    return preview.result()
