"""Fuzzy jumping: one ranked list over titles, sources, tags, entities, notes and text.

Also the typo-tolerant find within one article and the title ranking that resolves
ARTICLE arguments. Plain Python: nothing here imports Textual.

The index loads on first use of ``SearchIndex`` or ``Doc``, so that resolving an ARTICLE
argument or opening the app does not pay for it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from reader.search.hits import KIND_ORDER, Hit, Kind
from reader.search.prefixes import PREFIXES
from reader.search.titles import rank_titles

if TYPE_CHECKING:
    from reader.search.index import Doc, SearchIndex

__all__ = ["KIND_ORDER", "PREFIXES", "Doc", "Hit", "Kind", "SearchIndex", "rank_titles"]

_LAZY = {"Doc": "reader.search.index", "SearchIndex": "reader.search.index"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'reader.search' has no attribute {name!r}")
