"""Terminal cell widths for the command line's aligned columns.

Wide East Asian characters take two cells and combining marks none, so padding a title
by its length in characters misaligns every column after a Chinese or Japanese title.
The app's widgets measure with Rich; the command line stays free of the UI's packages.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

#: Characters that take no cell of their own (joiners, variation selectors).
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff") | frozenset(
    chr(c) for c in range(0xFE00, 0xFE10)
)


@lru_cache(maxsize=4096)
def char_cells(ch: str) -> int:
    """Cells one character takes: 0, 1 or 2."""
    if ch in _ZERO_WIDTH or unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def cells(text: str) -> int:
    """Cells ``text`` takes on one line."""
    if text.isascii():
        return len(text)
    return sum(map(char_cells, text))


def clip(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` cells, ending in "…" when cut. Combining marks
    take no cell, so a cut never parts a letter from them."""
    if cells(text) <= width:
        return text
    room, used, end = width - 1, 0, 0
    for i, ch in enumerate(text):
        used += char_cells(ch)
        if used > room:
            break
        end = i + 1
    return text[:end] + "…" if width > 0 else ""


def fit(text: str, width: int) -> str:
    """``text`` clipped to ``width`` cells and padded to exactly ``width``."""
    clipped = clip(text, width)
    return clipped + " " * (width - cells(clipped))
