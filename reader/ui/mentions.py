"""Which other articles mention an entity: the entity panel's "also in" list.

Each article's entity pass is run once per content hash and reduced to a small table of
folded names, so choosing a second entity costs a dictionary lookup per article. It runs
in a worker; ``should_stop`` lets a newer choice cancel an older scan.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from reader.models import Article, ArticleMeta, EntitySpan
from reader.ui.entity_groups import EntityGroup, group_entities

#: Labels that name something; a name may be labelled differently in another article.
NAME_LABELS = frozenset({"PERSON", "ORG", "PLACE", "GROUP"})


@dataclass(frozen=True, slots=True)
class Mention:
    """Another article that mentions the chosen entity."""

    article_id: str
    title: str
    count: int
    #: Where its first mention is, to open the article there.
    offset: int


def fold_name(name: str) -> str:
    """Case and a leading "the" do not make a different entity."""
    folded = " ".join(name.casefold().split())
    return folded[4:] if folded.startswith("the ") else folded


def _kind(label: str) -> str:
    return "name" if label in NAME_LABELS else label


#: (kind, folded name) -> (mentions, first offset)
NameTable = dict[tuple[str, str], tuple[int, int]]


def name_table(text: str, spans: Iterable[EntitySpan]) -> NameTable:
    """Every spelling of every entity in one article, folded, with its entity's count."""
    table: NameTable = {}
    for group in group_entities(text, list(spans)):
        entry = (group.count, group.first)
        for name in (group.key, *group.variants):
            slot = (_kind(group.label), fold_name(name))
            old = table.get(slot)
            if old is None or old[0] < entry[0]:
                table[slot] = entry
    return table


class MentionIndex:
    """Name tables of the library's articles, computed on demand and kept per content."""

    def __init__(
        self,
        metas: Callable[[], list[ArticleMeta]],
        load: Callable[[ArticleMeta], Article],
        entities: Callable[[Article], list[EntitySpan]],
    ) -> None:
        self._metas = metas
        self._load = load
        self._entities = entities
        self._tables: dict[str, NameTable] = {}
        self._lock = threading.Lock()

    def table(self, meta: ArticleMeta) -> NameTable:
        cache_key = meta.content_hash or meta.id
        with self._lock:
            cached = self._tables.get(cache_key)
        if cached is not None:
            return cached
        article = self._load(meta)
        table = name_table(article.text, self._entities(article))
        with self._lock:
            self._tables[cache_key] = table
        return table

    def mentioning(
        self,
        group: EntityGroup,
        exclude: str = "",
        should_stop: Callable[[], bool] = lambda: False,
    ) -> Iterator[Mention]:
        """Articles other than ``exclude`` that mention ``group``, in library order."""
        kind = _kind(group.label)
        names = {fold_name(n) for n in (group.key, *group.variants)}
        for meta in self._metas():
            if should_stop():
                return
            if meta.id == exclude or meta.problem:
                continue
            try:
                table = self.table(meta)
            except Exception:  # an unreadable file is the library's to report, not ours
                continue
            best: tuple[int, int] | None = None
            for name in names:
                hit = table.get((kind, name))
                if hit and (best is None or hit[0] > best[0]):
                    best = hit
            if best is not None:
                yield Mention(meta.id, meta.title, best[0], best[1])
