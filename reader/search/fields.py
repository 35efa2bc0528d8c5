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

from rapidfuzz import fuzz, process

try:  # rapidfuzz's cdist and the per-item arrays; without it, plain Python loops
    import numpy as np
except ImportError:  # pragma: no cover - numpy comes with the spacy extra
    np = None  # type: ignore[assignment]

from reader.search.hits import Kind
from reader.search.normalize import proc, tokens, word_spans
from reader.search.vocab import Expansion, Vocabulary

#: Items scored with rapidfuzz after the coverage pass.
SHORTLIST = 300
#: Query words (the rarest) that choose the shortlist when numpy is missing.
PICKING_WORDS = 3
#: Word vectors kept for the next keystroke (each is one float per item).
VECTOR_CACHE = 64
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


def top_indices(values: np.ndarray, count: int) -> np.ndarray:
    """Indices of the ``count`` largest positive ``values``, lower index first on a tie."""
    positive = np.flatnonzero(values > 0)
    if len(positive) <= count:
        return positive
    kth = np.partition(values[positive], -count)[-count]
    above = positive[values[positive] > kth]
    tied = positive[values[positive] == kth][: count - len(above)]
    return np.concatenate([above, tied])


def spread_vector(
    size: int, expansion: Expansion, postings: list[dict[int, set[int]]]
) -> np.ndarray:
    """One value per item: the best similarity of any of ``expansion``'s words it holds.

    Words are written from the least to the most similar, so the best one stays.
    """
    vector = np.zeros(size, dtype=np.float32)
    for wid, sim in sorted(expansion.items(), key=lambda t: t[1]):
        for kind_postings in postings:
            holders = kind_postings.get(wid)
            if holders:
                vector[np.fromiter(holders, dtype=np.int64, count=len(holders))] = sim
    return vector


class FieldIndex:
    """Items by kind, and for each kind the items holding each vocabulary word."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.items: dict[int, Item] = {}
        self._next = 0
        self._postings: dict[Kind, dict[int, set[int]]] = defaultdict(dict)
        self._shared: dict[tuple[Kind, str], int] = {}
        # (kinds, query word) -> (its expansion, its vector); emptied by every change.
        self._vectors: dict[tuple[frozenset[Kind], str], tuple[Expansion, np.ndarray]] = {}

    def add(
        self,
        kind: Kind,
        display: str,
        article_id: str,
        offset: int | None = None,
        note_id: str = "",
    ) -> int | None:
        """Index ``display`` as a ``kind`` of ``article_id``; the item id, None if empty."""
        self._vectors.clear()
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
        self._vectors.clear()
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

        Coverage is summed over whole arrays (one per query word, kept between keystrokes,
        so typing one more letter builds one); rapidfuzz then reads the shortlist only.
        """
        if np is None:
            return self._search_plain(words, query, kinds)
        total = sum(w.weight for w in words) or 1.0
        covered = np.zeros(self._next, dtype=np.float32)
        for word in words:
            covered += np.float32(word.weight / total) * self._vector(word, kinds)
        picked = top_indices(covered, SHORTLIST)
        if not len(picked):
            return []
        items = [self.items[int(i)] for i in picked]
        norms = [item.norm for item in items]
        whole = np.maximum(
            process.cdist([query], norms, scorer=fuzz.ratio, dtype=np.float32)[0],
            0.95 * process.cdist([query], norms, scorer=fuzz.token_sort_ratio, dtype=np.float32)[0],
        )
        scores = np.maximum(whole, 0.92 * covered[picked] + 0.08 * whole)
        order = sorted(range(len(items)), key=lambda k: (-scores[k], int(picked[k])))
        return [(float(scores[k]), items[k]) for k in order]

    def _search_plain(
        self, words: list[QueryWord], query: str, kinds: frozenset[Kind]
    ) -> list[tuple[float, Item]]:
        """:meth:`search` without numpy: the rarest words pick the shortlist, in Python."""
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

    def _vector(self, word: QueryWord, kinds: frozenset[Kind]) -> np.ndarray:
        """``word``'s similarity per item of ``kinds`` (0 where it does not occur)."""
        key = (kinds, word.text)
        cached = self._vectors.get(key)
        if cached is not None and cached[0] is word.expansion and len(cached[1]) == self._next:
            return cached[1]
        postings = [self._postings[k] for k in kinds if k in self._postings]
        vector = spread_vector(self._next, word.expansion, postings)
        if len(self._vectors) >= VECTOR_CACHE:
            self._vectors.clear()
        self._vectors[key] = (word.expansion, vector)
        return vector


def highlights(display: str, wanted: set[int], vocab: Vocabulary) -> list[tuple[int, int]]:
    """Spans of ``display`` whose word is one the query stands for."""
    out = []
    processed = proc(display)
    for start, end in word_spans(processed):
        wid = vocab.ids.get(processed[start:end])
        if wid is not None and wid in wanted:
            out.append((start, end))
    return out
