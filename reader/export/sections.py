"""The optional parts of an article's export: its entities and its figures."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from reader.export.markup import escape_inline
from reader.filenames import safe_stem
from reader.models import LABELS, Article, EntitySpan

#: Section headings for each label, in :data:`reader.models.LABELS` order.
LABEL_TITLES: dict[str, str] = {
    "PERSON": "People",
    "ORG": "Organisations",
    "PLACE": "Places",
    "GROUP": "Groups",
    "DATE": "Dates",
    "NUMBER": "Numbers",
}
#: Labels of things with a name, which get a ``[[wikilink]]``; dates and numbers do not.
NAMED_LABELS = frozenset({"PERSON", "ORG", "PLACE", "GROUP"})
FIGURE_LABELS = frozenset({"NUMBER", "DATE"})
_SPACES = re.compile(r"\s+")


@dataclass
class EntityGroup:
    """All mentions of one entity: its key, how often it occurs, and its spellings."""

    key: str
    label: str
    first: int
    count: int = 0
    variants: list[str] = field(default_factory=list)


def group_entities(text: str, spans: Iterable[EntitySpan]) -> dict[str, list[EntityGroup]]:
    """Mentions grouped by label then by :attr:`EntitySpan.key`, most mentioned first."""
    groups: dict[tuple[str, str], EntityGroup] = {}
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        surface = _one_line(text[span.start : span.end])
        key = _one_line(span.key) or surface
        if not key:
            continue
        group = groups.setdefault((span.label, key), EntityGroup(key, span.label, span.start))
        group.count += 1
        if surface and surface not in group.variants:
            group.variants.append(surface)
    by_label: dict[str, list[EntityGroup]] = {}
    for group in groups.values():
        by_label.setdefault(group.label, []).append(group)
    for members in by_label.values():
        members.sort(key=lambda g: (-g.count, g.key.casefold(), g.key))
    return by_label


def entities_section(article: Article, spans: list[EntitySpan], wikilinks: bool) -> list[str]:
    """``## Entities``: one subsection per label, each entity with count and spellings."""
    by_label = group_entities(article.text, spans)
    lines = ["## Entities", ""]
    if not by_label:
        return [*lines, "No entities found.", ""]
    labels = [*LABELS, *sorted(set(by_label) - set(LABELS))]
    for label in labels:
        if label not in by_label:
            continue
        lines += [f"### {escape_inline(LABEL_TITLES.get(label, label.title()))}", ""]
        for group in by_label[label]:
            lines.append(f"- {_entity_line(group, wikilinks)}")
        lines.append("")
    return lines


def _entity_line(group: EntityGroup, wikilinks: bool) -> str:
    if wikilinks and group.label in NAMED_LABELS:
        name = f"[[{wikilink_target(group.key)}]]"
    else:
        name = f"**{escape_inline(group.key)}**"
    times = "1 mention" if group.count == 1 else f"{group.count} mentions"
    others = [v for v in group.variants if v != group.key]
    also = f" (also: {', '.join(escape_inline(v) for v in others)})" if others else ""
    return f"{name} · {times}{also}"


def wikilink_target(key: str) -> str:
    """A note name Obsidian can link to and create: no ``[]|#^``, safe as a file name."""
    return safe_stem(key, fallback="entity")


def figures_section(article: Article, spans: list[EntitySpan], width: int) -> list[str]:
    """``## Figures``: every number and date with the words around it (within its
    paragraph), in reading order."""
    figures = sorted((s for s in spans if s.label in FIGURE_LABELS), key=lambda s: s.start)
    lines = ["## Figures", ""]
    if not figures:
        return [*lines, "No figures found.", ""]
    for span in figures:
        index = article.block_at(span.start)
        block = article.blocks[index] if article.blocks else None
        lo, hi = (block.start, block.end) if block else (0, len(article.text))
        before, figure, after = figure_context(article.text, span, width, lo, hi)
        kind = (span.fine or span.label).lower()
        shown = escape_inline(figure)
        context = f"{escape_inline(before)}**{shown}**{escape_inline(after)}"
        lines.append(f"- ¶ {index + 1} · **{shown}** ({kind}) — {context}")
    return [*lines, ""]


def figure_context(
    text: str, span: EntitySpan, width: int, lo: int = 0, hi: int | None = None
) -> tuple[str, str, str]:
    """(words before, the figure, words after) on one line: about ``width`` characters each
    side, cut at word boundaries, never outside ``text[lo:hi]``; ``…`` marks a cut."""
    hi = len(text) if hi is None else hi
    start = max(lo, span.start - width)
    end = min(hi, span.end + width)
    before = text[start : span.start]
    after = text[span.end : end]
    if start > lo:
        before = "…" + (before[before.index(" ") + 1 :] if " " in before else before)
    if end < hi:
        after = (after[: after.rindex(" ")] if " " in after else after) + "…"
    return (
        _one_line(before, strip=False).lstrip(),
        _one_line(text[span.start : span.end]),
        _one_line(after, strip=False).rstrip(),
    )


def _one_line(text: str, strip: bool = True) -> str:
    line = _SPACES.sub(" ", text)
    return line.strip() if strip else line
