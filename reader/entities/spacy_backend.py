"""Optional spaCy backend: a spaCy pipeline's entities mapped onto our labels.

spaCy is imported only when this backend is asked for, so the rest of the program never
pays for it; the same article-level cache as the built-in engine applies.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from ..models import EntitySpan

#: spaCy label -> (our label, fine label).
LABEL_MAP: dict[str, tuple[str, str]] = {
    "PERSON": ("PERSON", ""),
    "ORG": ("ORG", ""),
    "GPE": ("PLACE", ""),
    "LOC": ("PLACE", ""),
    "FAC": ("PLACE", ""),
    "NORP": ("GROUP", ""),
    "DATE": ("DATE", "DATE"),
    "TIME": ("DATE", "TIME"),
    "CARDINAL": ("NUMBER", "CARDINAL"),
    "ORDINAL": ("NUMBER", "ORDINAL"),
    "MONEY": ("NUMBER", "MONEY"),
    "PERCENT": ("NUMBER", "PERCENT"),
    "QUANTITY": ("NUMBER", "QUANTITY"),
}


class SpacyMissing(ImportError):
    """spaCy (or the named model) is not installed."""


def load_pipeline(model: str) -> Any:
    try:
        import spacy
    except ImportError as exc:
        raise SpacyMissing(
            "the spaCy entity backend needs spaCy: pip install 'reading-room[spacy]'"
        ) from exc
    try:
        return spacy.load(model)
    except OSError as exc:
        raise SpacyMissing(
            f"spaCy model {model!r} is not installed: python -m spacy download {model}"
        ) from exc


def spans_from_doc(doc: Any) -> list[EntitySpan]:
    """Our spans from a spaCy ``Doc``: mapped labels, leading "the" and titles left out."""
    out: list[EntitySpan] = []
    for ent in doc.ents:
        mapped = LABEL_MAP.get(ent.label_)
        if mapped is None:
            continue
        label, fine = mapped
        tokens = list(ent)
        if label not in ("DATE", "NUMBER"):
            while tokens and tokens[0].lower_ == "the":
                tokens = tokens[1:]
            while tokens and tokens[-1].text in ("'s", "’s"):
                tokens = tokens[:-1]
        if not tokens:
            continue
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        out.append(EntitySpan(start, end, label, fine, doc.text[start:end]))
    return _consistent(out)


def _consistent(spans: list[EntitySpan]) -> list[EntitySpan]:
    """One label per name in the article: the most frequent one wins."""
    votes: dict[str, dict[str, int]] = {}
    for s in spans:
        if s.label not in ("DATE", "NUMBER"):
            tally = votes.setdefault(s.key, {})
            tally[s.label] = tally.get(s.label, 0) + 1
    out = []
    for s in spans:
        if s.key in votes:
            tally = votes[s.key]
            best = max(tally, key=lambda lab: (tally[lab], lab == s.label))
            s = EntitySpan(s.start, s.end, best, "", s.key)
        out.append(s)
    return out


def finder_for(nlp: Any, cache_size: int = 64) -> Callable[[str], list[EntitySpan]]:
    """A finder around an already loaded pipeline (tests use a blank one with a ruler)."""
    cache: OrderedDict[bytes, list[EntitySpan]] = OrderedDict()

    def find(text: str) -> list[EntitySpan]:
        key = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        hit = cache.get(key)
        if hit is None:
            hit = spans_from_doc(nlp(text))
            cache[key] = hit
            while len(cache) > cache_size:
                cache.popitem(last=False)
        else:
            cache.move_to_end(key)
        return list(hit)

    return find


def spacy_finder(model: str) -> Callable[[str], list[EntitySpan]]:
    """A finder for ``spacy:MODEL``; raises :class:`SpacyMissing` with an install hint."""
    if not model:
        raise ValueError("name the spaCy model: spacy:MODEL, e.g. spacy:en_core_web_sm")
    return finder_for(load_pipeline(model))
