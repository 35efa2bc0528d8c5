"""Short fields (titles, sources, tags, entity names, notes, quotes) behind a word index.

A query reaches only the items sharing a word (or a typo'd or begun word) with it; those
are ranked by how much of the query they cover, word by word, and then by rapidfuzz on the
whole string. Coverage is what lets dropped words, swapped words and typos all score
high without a scorer that is slow on 10,000 titles.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from reader.search.hits import Kind
from reader.search.normalize import proc, tokens, word_spans
from reader.search.vocab import Expansion, Vocabulary

#: Items scored with rapidfuzz after the coverage pass.
SHORTLIST = 300
#: Query words (the rarest) that choose the shortlist.
PICKING_WORDS = 3
#: Kinds whose equal strings share one item (one tag, many articles).
SHARED_KINDS: frozenset[Kind] = frozenset({"source", "tag", "entity"})


@dataclass(slots=True)
class Item:
    """A searchable string and where it belongs: article id -> offset in its text."""

    kind: Kind
    display: str
    norm: str
    words: frozenset[int]
    refs: dict[str, int | None] = field(default_factory=dict)
    note_id: str = ""


@dataclass(frozen=True, slots=True)
class QueryWord:
    """One word of the query: what it expands to and how much it weighs."""

    text: str
    expansion: Expansion
    weight: float


def whole_score(query: str, norm: str) -> float:
    """rapidfuzz's view of the whole strings: typos via ``ratio``, order via token sort."""
    return max(fuzz.ratio(query, norm), 0.95 * fuzz.token_sort_ratio(query, norm))


class FieldIndex:
    """Items by kind, and for each kind the items holding each vocabulary word."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.items: dict[int, Item] = {}
        self._next = 0
        self._postings: dict[Kind, dict[int, set[int]]] = defaultdict(dict)
        self._shared: dict[tuple[Kind, str], int] = {}

    def add(
        self,
        kind: Kind,
        display: str,
        article_id: str,
        offset: int | None = None,
        note_id: str = "",
    ) -> int | None:
        """Index ``display`` as a ``kind`` of ``article_id``; the item id, None if empty."""
        key = (kind, display)
        if kind in SHARED_KINDS and key in self._shared:
            iid = self._shared[key]
            refs = self.items[iid].refs
            if article_id not in refs:
                refs[article_id] = offset
            return iid
        words = tokens(display)
        if not words:
            return None
        wids = frozenset(self.vocab.intern(w) for w in words)
        iid = self._next
        self._next += 1
        self.items[iid] = Item(kind, display, " ".join(words), wids, {article_id: offset}, note_id)
        postings = self._postings[kind]
        for wid in wids:
            postings.setdefault(wid, set()).add(iid)
            self.vocab.df[wid] += 1
        if kind in SHARED_KINDS:
            self._shared[key] = iid
        return iid

    def remove_ref(self, kind: Kind, display: str, article_id: str) -> None:
        """Forget that ``article_id`` has the shared item ``display``."""
        iid = self._shared.get((kind, display))
        if iid is None:
            return
        refs = self.items[iid].refs
        refs.pop(article_id, None)
        if not refs:
            self.remove(iid)

    def remove(self, iid: int) -> None:
        item = self.items.pop(iid, None)
        if item is None:
            return
        postings = self._postings[item.kind]
        for wid in item.words:
            holders = postings.get(wid)
            if holders is not None:
                holders.discard(iid)
                if not holders:
                    del postings[wid]
            self.vocab.df[wid] -= 1
        if item.kind in SHARED_KINDS:
            self._shared.pop((item.kind, item.display), None)

    def search(
        self, words: list[QueryWord], query: str, kinds: frozenset[Kind]
    ) -> list[tuple[float, Item]]:
        """Items of ``kinds`` matching the query, with a 0-100 score, best first.

        Only the query's rarest words pick the shortlist (a common word would touch most
        items); every word then counts in the shortlisted items' coverage.
        """
        total = sum(w.weight for w in words) or 1.0
        postings = [self._postings[k] for k in kinds if k in self._postings]
        spread = [sum(len(p.get(wid, ())) for p in postings for wid in w.expansion) for w in words]
        order = sorted((i for i, n in enumerate(spread) if n), key=lambda i: spread[i])
        picking = order[:PICKING_WORDS]
        covered: dict[int, float] = defaultdict(float)
        for i in picking:
            word = words[i]
            best: dict[int, float] = {}
            for kind_postings in postings:
                for wid, sim in word.expansion.items():
                    for iid in kind_postings.get(wid, ()):
                        if sim > best.get(iid, 0.0):
                            best[iid] = sim
            for iid, sim in best.items():
                covered[iid] += word.weight * sim
        shortlist = heapq.nlargest(SHORTLIST, ((v, -k) for k, v in covered.items()))
        rest = [words[i] for i in range(len(words)) if i not in picking]
        scored: list[tuple[float, Item]] = []
        for amount, neg_iid in shortlist:
            item = self.items[-neg_iid]
            for word in rest:
                sims = [word.expansion[w] for w in item.words if w in word.expansion]
                if sims:
                    amount += word.weight * max(sims)
            whole = whole_score(query, item.norm)
            coverage = amount / total
            scored.append((max(whole, 0.92 * coverage + 0.08 * whole), item))
        scored.sort(key=lambda t: -t[0])
        return scored


def highlights(display: str, wanted: set[int], vocab: Vocabulary) -> list[tuple[int, int]]:
    """Spans of ``display`` whose word is one the query stands for."""
    out = []
    processed = proc(display)
    for start, end in word_spans(processed):
        wid = vocab.ids.get(processed[start:end])
        if wid is not None and wid in wanted:
            out.append((start, end))
    return out
