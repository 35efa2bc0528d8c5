"""Text -> sorted, non-overlapping entity spans, the same way every time for the same text.

``find_entities`` is the built-in engine (rules and compact word lists, no model);
``get_finder`` picks it or the optional spaCy adapter by name.
"""

from __future__ import annotations

from _thread import allocate_lock
from collections import OrderedDict
from collections.abc import Callable

from ..models import EntitySpan
from .engine import extract

try:  # hashlib's own blake2b, without importing OpenSSL's bindings (10 ms) to get it
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - Pythons built without it
    from hashlib import blake2b

EntityFinder = Callable[[str], list[EntitySpan]]
Finder = EntityFinder

#: How many articles' results stay cached, and how many spans they may hold in all (the
#: newest :data:`CACHE_KEPT` are kept whatever their size, so going back and forth between
#: two long articles finds both cached): a reader moves between a few articles, while the
#: jump index passes over every article once and gains nothing from keeping them.
CACHE_SIZE = 32
CACHE_SPANS = 8_192
CACHE_KEPT = 2

_cache: OrderedDict[bytes, list[EntitySpan]] = OrderedDict()
_cached_spans = 0
_lock = allocate_lock()  # what threading.Lock gives, without importing threading


def _digest(text: str) -> bytes:
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def find_entities(text: str) -> list[EntitySpan]:
    """Entities of ``text``, cached by content so reopening an article costs nothing."""
    key = _digest(text)
    with _lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            return list(hit)
    spans = extract(text)
    global _cached_spans
    with _lock:
        if key not in _cache:
            _cache[key] = spans
            _cached_spans += len(spans)
        while len(_cache) > CACHE_KEPT and (
            len(_cache) > CACHE_SIZE or _cached_spans > CACHE_SPANS
        ):
            _cached_spans -= len(_cache.popitem(last=False)[1])
    return list(spans)


def cache_clear() -> None:
    """Forget cached results (tests, or after the word lists change)."""
    global _cached_spans
    with _lock:
        _cache.clear()
        _cached_spans = 0


def get_finder(name: str = "builtin") -> EntityFinder:
    """``"builtin"`` or ``"spacy:MODEL"``; raises ``ValueError`` for anything else."""
    if name in ("", "builtin"):
        return find_entities
    if name.startswith("spacy:"):
        from .spacy_backend import spacy_finder

        return spacy_finder(name.partition(":")[2])
    raise ValueError(f"unknown entity finder {name!r}: use 'builtin' or 'spacy:MODEL'")


__all__ = ["EntityFinder", "EntitySpan", "Finder", "cache_clear", "find_entities", "get_finder"]
