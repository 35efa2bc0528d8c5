"""Entity spans grouped for the panels, and the arithmetic of moving between mentions.

Plain Python, no Textual: the panels and the reader's keys share it, and it is tested
without an app.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from reader.models import LABELS, EntitySpan


@dataclass(frozen=True, slots=True)
class EntityGroup:
    """Every mention of one entity in one article."""

    label: str
    key: str
    spans: tuple[EntitySpan, ...]
    #: The distinct spellings, most frequent first.
    variants: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.spans)

    @property
    def first(self) -> int:
        return self.spans[0].start if self.spans else 0


def group_key(span: EntitySpan, text: str) -> str:
    """The entity a span belongs to; a span without a key stands for its own spelling."""
    return span.key or text[span.start : span.end]


def group_entities(text: str, spans: Sequence[EntitySpan]) -> list[EntityGroup]:
    """Groups in legend order, then most mentioned first, then by name."""
    buckets: dict[tuple[str, str], list[EntitySpan]] = {}
    for span in spans:
        buckets.setdefault((span.label, group_key(span, text)), []).append(span)
    groups: list[EntityGroup] = []
    for (label, key), members in buckets.items():
        members.sort(key=lambda s: s.start)
        tally: dict[str, int] = {}
        for span in members:
            spelling = text[span.start : span.end]
            tally[spelling] = tally.get(spelling, 0) + 1
        variants = tuple(sorted(tally, key=lambda v: (-tally[v], v)))
        groups.append(EntityGroup(label, key, tuple(members), variants))
    order = {label: i for i, label in enumerate(LABELS)}
    groups.sort(key=lambda g: (order.get(g.label, len(order)), -g.count, g.key.casefold()))
    return groups


def label_counts(spans: Sequence[EntitySpan]) -> dict[str, int]:
    """Mentions per label, every label present (zero when absent)."""
    counts = dict.fromkeys(LABELS, 0)
    for span in spans:
        counts[span.label] = counts.get(span.label, 0) + 1
    return counts


def step_span(
    spans: Sequence[EntitySpan], offset: int, forward: bool, current: EntitySpan | None = None
) -> EntitySpan | None:
    """The mention after (or before) the current one, or after ``offset`` when there is none.

    ``spans`` must be sorted by start. Stops at the ends instead of wrapping, so a reader
    knows they have seen the last one.
    """
    if not spans:
        return None
    starts = [s.start for s in spans]
    if current is not None:
        pivot = current.start
        if forward:
            i = bisect.bisect_right(starts, pivot)
            return spans[i] if i < len(spans) else None
        i = bisect.bisect_left(starts, pivot) - 1
        return spans[i] if i >= 0 else None
    if forward:
        i = bisect.bisect_left(starts, offset)
        return spans[i] if i < len(spans) else None
    i = bisect.bisect_left(starts, offset) - 1
    return spans[i] if i >= 0 else None


def same_entity(spans: Sequence[EntitySpan], current: EntitySpan, text: str) -> list[EntitySpan]:
    """The mentions of the entity ``current`` belongs to, in reading order."""
    key = group_key(current, text)
    return [s for s in spans if s.label == current.label and group_key(s, text) == key]
