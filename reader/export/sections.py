"""The optional parts of an article's export: its entities and its figures."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from reader.entities.figures import figure_contexts
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
    paragraph), in reading order; ``…`` marks where the context was cut."""
    contexts = figure_contexts(article.text, spans, width)
    lines = ["## Figures", ""]
    if not contexts:
        return [*lines, "No figures found.", ""]
    for span, before, after in contexts:
        index = article.block_at(span.start)
        lo, hi = _paragraph(article, index)
        if before and len(before) < len(_one_line(article.text[lo : span.start])):
            before = f"…{before}"
        if after and len(after) < len(_one_line(article.text[span.end : hi])):
            after = f"{after}…"
        figure = escape_inline(_one_line(article.text[span.start : span.end]))
        kind = (span.fine or span.label).lower()
        context = _join(escape_inline(before), f"**{figure}**", escape_inline(after), article, span)
        lines.append(f"- ¶ {index + 1} · **{figure}** ({kind}) — {context}")
    return [*lines, ""]


def _paragraph(article: Article, index: int) -> tuple[int, int]:
    if not article.blocks:
        return 0, len(article.text)
    block = article.blocks[index]
    return block.start, block.end


def _join(before: str, figure: str, after: str, article: Article, span: EntitySpan) -> str:
    """Glue the context to the figure with the space the text has there (or none)."""
    text = article.text
    left = " " if before and span.start > 0 and text[span.start - 1].isspace() else ""
    right = " " if after and span.end < len(text) and text[span.end].isspace() else ""
    return f"{before}{left}{figure}{right}{after}"


def _one_line(text: str, strip: bool = True) -> str:
    line = _SPACES.sub(" ", text)
    return line.strip() if strip else line
