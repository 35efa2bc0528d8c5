"""Folding and word splitting that keep offsets: a folded string indexes like the original.

rapidfuzz's ``default_process`` trims and may change lengths, which would make match
offsets useless for highlighting; these helpers fold one code point to one code point.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rapidfuzz.utils import default_process

#: A word: letters and digits, with inner apostrophes, hyphens and dots ("al-Waer", "U.S").
WORD_RE = re.compile(r"\w+(?:['’.\-]\w+)*")


def fold(text: str) -> str:
    """Lower-case ``text`` one code point for one, so offsets stay valid."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(lc := c.lower()) != 1 else lc for c in text)


def process(text: str) -> str:
    """rapidfuzz's ``default_process``: lower case, punctuation to spaces, trimmed."""
    return default_process(text)


def words(text: str) -> Iterator[tuple[int, int]]:
    """Start and end of each word in ``text``."""
    for m in WORD_RE.finditer(text):
        yield m.start(), m.end()
