"""Resolving an ARTICLE argument by its title: a small fuzzy ranking, no index needed."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz

from reader.models import ArticleMeta
from reader.search.normalize import process


def title_score(query: str, title: str) -> float:
    """0-100: how well processed ``query`` names processed ``title``.

    ``WRatio`` handles typos and partial titles; ``token_set_ratio`` handles dropped and
    swapped words. The better of the two wins; an exact title is 100.
    """
    if not query or not title:
        return 0.0
    if query == title:
        return 100.0
    return max(fuzz.WRatio(query, title), fuzz.token_set_ratio(query, title) * 0.98)


def rank_titles(
    query: str, metas: Sequence[ArticleMeta], limit: int = 10
) -> list[tuple[ArticleMeta, float]]:
    """The ``limit`` articles whose title (or id) best matches ``query``, best first.

    Scores are 0-100; an id equal to the query, or starting with it (four characters or
    more), scores 100. Ties keep library order, so the result is deterministic.
    """
    q = process(query)
    raw = query.strip()
    if not q and not raw:
        return []
    scored: list[tuple[float, int, ArticleMeta]] = []
    for i, meta in enumerate(metas):
        score = title_score(q, process(meta.title))
        if raw and (meta.id == raw or (len(raw) >= 4 and meta.id.startswith(raw))):
            score = 100.0
        scored.append((score, i, meta))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [(meta, round(score, 2)) for score, _, meta in scored[: max(0, limit)]]
