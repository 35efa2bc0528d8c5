"""Figures and dates with the words around them, for the figures panel and the export."""

from __future__ import annotations

from ..models import EntitySpan

#: Labels whose spans are figures rather than names.
FIGURE_LABELS = frozenset(("NUMBER", "DATE"))


def _clip_left(text: str, width: int) -> str:
    """The last ``width`` characters of ``text``, cut at a word boundary, on one line."""
    line = text.rsplit("\n", 1)[-1]
    if len(line) > width:
        line = line[-width:]
        cut = line.find(" ")
        line = line[cut + 1 :] if 0 <= cut < len(line) - 1 else line
    return " ".join(line.split())


def _clip_right(text: str, width: int) -> str:
    line = text.split("\n", 1)[0]
    if len(line) > width:
        line = line[:width]
        cut = line.rfind(" ")
        line = line[:cut] if cut > 0 else line
    return " ".join(line.split())


def figure_contexts(
    text: str, spans: list[EntitySpan], width: int = 60
) -> list[tuple[EntitySpan, str, str]]:
    """``(span, words before, words after)`` for each NUMBER and DATE span, in text order.

    The context stays within the span's line (paragraph) and about ``width`` characters
    on each side, cut at word boundaries.
    """
    out: list[tuple[EntitySpan, str, str]] = []
    for span in sorted(spans, key=lambda s: s.start):
        if span.label not in FIGURE_LABELS:
            continue
        before = _clip_left(text[max(0, span.start - width - 20) : span.start], width)
        after = _clip_right(text[span.end : span.end + width + 20], width)
        out.append((span, before, after))
    return out
