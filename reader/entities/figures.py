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
    """``(span, before, after)`` for each NUMBER and DATE span, in text order.

    Each item is a 3-tuple, not a single context string: ``before`` is the text just
    before the span and ``after`` the text just after it, each within the span's line
    (paragraph), about ``width`` characters long, cut at word boundaries, whitespace
    collapsed, and without the figure itself. A caller that shows one line joins them
    around the figure, e.g. ``f"{before} {text[span.start:span.end]} {after}"``; either
    side may be empty (a figure at the start or end of a paragraph).
    """
    out: list[tuple[EntitySpan, str, str]] = []
    for span in sorted(spans, key=lambda s: s.start):
        if span.label not in FIGURE_LABELS:
            continue
        before = _clip_left(text[max(0, span.start - width - 20) : span.start], width)
        after = _clip_right(text[span.end : span.end + width + 20], width)
        out.append((span, before, after))
    return out
