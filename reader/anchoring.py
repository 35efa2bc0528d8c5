"""Passage anchors that survive edits: the W3C TextQuoteSelector idea.

An anchor keeps the quoted passage, about 32 characters on each side and the offsets. To
find it again: the stored offsets if the quote and its context are still there; else every
exact occurrence of the quote, choosing the one whose context matches best (then the one
nearest the old place); else a fuzzy search for a lightly edited quote. A passage that
cannot be found is reported as orphaned, never dropped.

Offsets are Python ``str`` offsets (code points). Anchors are widened to whole grapheme
clusters so a combining accent, an emoji's skin tone or a ZWJ sequence is never cut.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from rapidfuzz import fuzz

from reader.models import Anchor, Note, PlacedNote

#: Characters of context kept on each side of a quote.
CONTEXT = 32
#: Minimum rapidfuzz partial_ratio (0-100) for a fuzzy match of an edited quote.
FUZZY_THRESHOLD = 82.0
#: Quotes shorter than this are only found exactly: a fuzzy match would be noise.
FUZZY_MIN_LENGTH = 8
#: The fuzzy search looks this far around the old place first, then in the whole text.
FUZZY_WINDOW = 4000
#: More exact occurrences than this are not all scored (a quote of one common word).
MAX_OCCURRENCES = 5000

_ZWJ = "\u200d"


def _continues_cluster(ch: str) -> bool:
    """True for a code point that belongs to the grapheme cluster before it."""
    code = ord(ch)
    return (
        unicodedata.category(ch) in ("Mn", "Me", "Mc")
        or ch == _ZWJ
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0x1F3FB <= code <= 0x1F3FF  # emoji skin tones
        or 0xE0020 <= code <= 0xE007F  # emoji tag sequences
        or 0xE0100 <= code <= 0xE01EF  # variation selectors supplement
    )


def snap_to_clusters(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` so neither edge falls inside a grapheme cluster."""
    while 0 < start < len(text) and (_continues_cluster(text[start]) or text[start - 1] == _ZWJ):
        start -= 1
    while 0 < end < len(text) and (_continues_cluster(text[end]) or text[end - 1] == _ZWJ):
        end += 1
    return start, end


def make_anchor(text: str, start: int, end: int) -> Anchor:
    """An anchor for ``text[start:end]`` (widened to whole grapheme clusters)."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"bad passage [{start}, {end}) in a text of {len(text)} characters")
    start, end = snap_to_clusters(text, start, end)
    return Anchor(
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
        start=start,
        end=end,
    )


def _common_tail(a: str, b: str) -> int:
    """Length of the longest common ending of ``a`` and ``b``."""
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_head(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _context_score(anchor: Anchor, text: str, start: int, end: int) -> int:
    before = text[max(0, start - len(anchor.prefix)) : start]
    after = text[end : end + len(anchor.suffix)]
    return _common_tail(anchor.prefix, before) + _common_head(anchor.suffix, after)


def _context_intact(anchor: Anchor, text: str, start: int, end: int) -> bool:
    return _context_score(anchor, text, start, end) == len(anchor.prefix) + len(anchor.suffix)


def _exact(anchor: Anchor, text: str) -> tuple[int, int] | None:
    exact = anchor.exact
    best: tuple[int, int] | None = None
    best_key: tuple[int, int] | None = None
    pos = text.find(exact)
    seen = 0
    while pos != -1 and seen < MAX_OCCURRENCES:
        end = pos + len(exact)
        key = (-_context_score(anchor, text, pos, end), abs(pos - anchor.start))
        if best_key is None or key < best_key:
            best, best_key = (pos, end), key
        seen += 1
        pos = text.find(exact, pos + 1)
    return best


def _fuzzy_in(anchor: Anchor, text: str, offset: int) -> tuple[int, int] | None:
    found = fuzz.partial_ratio_alignment(anchor.exact, text, score_cutoff=FUZZY_THRESHOLD)
    if found is None:
        return None
    start, end = _align(anchor.exact, text, found.dest_start, found.dest_end)
    # Trim whitespace the alignment took in at the edges.
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    return offset + start, offset + end


def _align(exact: str, text: str, start: int, end: int) -> tuple[int, int]:
    """Fit the edges of a fuzzy match: partial_ratio's window is as long as the old quote,
    the edited passage may be longer or shorter."""
    margin = len(exact) // 4 + 8
    lo, hi = max(0, start - margin), min(len(text), end + margin)
    matcher = difflib.SequenceMatcher(None, exact, text[lo:hi], autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size >= 3]
    if not blocks:
        return start, end
    first, last = blocks[0], blocks[-1]
    new_start = lo + max(0, first.b - first.a)
    new_end = lo + min(hi - lo, last.b + last.size + (len(exact) - last.a - last.size))
    return (new_start, new_end) if new_start < new_end else (start, end)


def _fuzzy(anchor: Anchor, text: str) -> tuple[int, int] | None:
    if len(anchor.exact.strip()) < FUZZY_MIN_LENGTH:
        return None
    lo = max(0, anchor.start - FUZZY_WINDOW)
    hi = min(len(text), anchor.end + FUZZY_WINDOW)
    found = _fuzzy_in(anchor, text[lo:hi], lo) if lo < hi else None
    if found is None and (lo > 0 or hi < len(text)):
        found = _fuzzy_in(anchor, text, 0)
    if found is None:
        return None
    return snap_to_clusters(text, *found)


def locate(anchor: Anchor, text: str) -> tuple[int, int] | None:
    """Where the anchored passage is in ``text`` now, or None if it cannot be found."""
    if not anchor.exact:
        return None
    start, end = anchor.start, anchor.end
    if (
        0 <= start < end <= len(text)
        and text[start:end] == anchor.exact
        and _context_intact(anchor, text, start, end)
    ):
        return start, end
    return _exact(anchor, text) or _fuzzy(anchor, text)


def place_notes(notes: list[Note], text: str) -> list[PlacedNote]:
    """Notes resolved against ``text``: article notes, then passages in reading order, then
    orphans (passages that could not be found), each group oldest first."""
    article: list[PlacedNote] = []
    placed: list[tuple[int, int, str, PlacedNote]] = []
    orphans: list[PlacedNote] = []
    for note in sorted(notes, key=lambda n: n.created):
        if note.anchor is None:
            article.append(PlacedNote(note))
            continue
        span = locate(note.anchor, text)
        if span is None:
            orphans.append(PlacedNote(note, orphaned=True))
        else:
            placed.append((span[0], span[1], note.created, PlacedNote(note, span[0], span[1])))
    placed.sort(key=lambda item: item[:3])
    return [*article, *(item[3] for item in placed), *orphans]


# -- finding a passage the user typed ----------------------------------------------------

#: Characters a user may type for one another when quoting (straight vs curly quotes, dashes).
_EQUIVALENT = [
    "'\u2018\u2019\u02bc\u2032",
    '"\u201c\u201d\u201e\u2033',
    "-\u2010\u2011\u2012\u2013\u2014\u2212",
]
_CLASS = {ch: "[" + re.escape(group) + "]" for group in _EQUIVALENT for ch in group}


def find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Where a passage typed by the user occurs in ``text``: case, runs of whitespace,
    curly vs straight quotes and dash kinds do not matter. The first occurrence wins."""
    words = quote.split()
    if not words:
        return None
    pattern = r"\s+".join("".join(_CLASS.get(ch, re.escape(ch)) for ch in w) for w in words)
    match = re.search(pattern, text, re.IGNORECASE)
    if match is None:
        return None
    return match.start(), match.end()
