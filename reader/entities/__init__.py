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

#: How many articles' results stay cached.
CACHE_SIZE = 256

_cache: OrderedDict[bytes, list[EntitySpan]] = OrderedDict()
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
    with _lock:
        _cache[key] = spans
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return list(spans)


def cache_clear() -> None:
    """Forget cached results (tests, or after the word lists change)."""
    with _lock:
        _cache.clear()


def get_finder(name: str = "builtin") -> EntityFinder:
    """``"builtin"`` or ``"spacy:MODEL"``; raises ``ValueError`` for anything else."""
    if name in ("", "builtin"):
        return find_entities
    if name.startswith("spacy:"):
        from .spacy_backend import spacy_finder

        return spacy_finder(name.partition(":")[2])
    raise ValueError(f"unknown entity finder {name!r}: use 'builtin' or 'spacy:MODEL'")


__all__ = ["EntityFinder", "EntitySpan", "Finder", "cache_clear", "find_entities", "get_finder"]
