"""Fuzzy jumping: one ranked list over titles, sources, tags, entities, notes and text.

Also the typo-tolerant find within one article and the title ranking that resolves
ARTICLE arguments. Plain Python: nothing here imports Textual.
"""

from __future__ import annotations

from reader.search.hits import KIND_ORDER, Hit, Kind
from reader.search.index import Doc, SearchIndex
from reader.search.prefixes import PREFIXES
from reader.search.titles import rank_titles

__all__ = ["KIND_ORDER", "PREFIXES", "Doc", "Hit", "Kind", "SearchIndex", "rank_titles"]
