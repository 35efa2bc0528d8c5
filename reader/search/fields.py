"""Short fields (titles, sources, tags, entity names, notes, quotes) behind a word index.

A query reaches only the items sharing a word (or a typo'd or begun word) with it; those
are ranked by how much of the query they cover, word by word, and then by rapidfuzz on the
whole string. Coverage is what lets dropped words, swapped words and typos all score
high without a scorer that is slow on 10,000 titles.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

from reader.search.hits import Kind
from reader.search.normalize import joined_words, proc, tokens, word_spans
from reader.search.packed import StringPool
from reader.search.postings import Postings
from reader.search.scoring import best_sums, rarest_levels
from reader.search.spill import SpillFile
from reader.search.vocab import Expansion, Vocabulary

#: Items scored with rapidfuzz after the coverage pass.
SHORTLIST = 300
#: Items whose joined words are kept for the next keystrokes (a few shortlists).
NORM_CACHE = 4096
#: Kinds whose equal strings share one item (one tag, many articles).
SHARED_KINDS: frozenset[Kind] = frozenset({"source", "tag", "entity"})
#: Kinds as the bytes of the item column; 0 marks a removed item.
FIELD_KINDS: tuple[Kind, ...] = ("title", "source", "tag", "entity", "note", "quote")
KIND_CODES: dict[Kind, int] = {k: i + 1 for i, k in enumerate(FIELD_KINDS)}
KINDS_BY_CODE: dict[int, Kind] = {code: kind for kind, code in KIND_CODES.items()}
SHARED_CODES = frozenset(KIND_CODES[kind] for kind in SHARED_KINDS)
#: An offset column's value for "no offset", and the largest offset the column holds.
NO_OFFSET = -1
MAX_OFFSET = 2**31 - 1


@dataclass(frozen=True, slots=True)
class Item:
    """A searchable string and where it belongs: article id -> offset in its text.

    Made on demand for the few items a query returns; the index itself keeps its items
    as columns (see :class:`FieldIndex`).
    """

    kind: Kind
    display: str
    refs: dict[str, int | None] = field(default_factory=dict)
    #: The note's slot in the index's note table (see :mod:`reader.search.notes`), or -1.
    note: int = -1


@dataclass(frozen=True, slots=True)
class QueryWord:
    """One word of the query: what it expands to and how much it weighs."""

    text: str
    expansion: Expansion
    weight: float


def whole_scores(query: str, norms: list[str]) -> list[float]:
    """rapidfuzz's view of each whole string: typos via ``ratio``, order via token sort
    (``extract_iter`` runs each scorer over the list in C)."""
    ratios = [score for _, score, _ in process.extract_iter(query, norms, scorer=fuzz.ratio)]
    sorts = process.extract_iter(query, norms, scorer=fuzz.token_sort_ratio)
    return [max(ratio, 0.95 * score) for ratio, (_, score, _) in zip(ratios, sorts, strict=True)]


class FieldIndex:
    """Items by kind, and for each kind the items holding each vocabulary word.

    Items are columns rather than objects (a kind byte, the string in a
    :class:`~reader.search.packed.StringPool`, an article number, an offset), and each
    word's items a run of ints (:class:`~reader.search.postings.Postings`). The strings
    and the runs are on disk, in files in ``folder``: a note costs a few numbers in
    memory. An item's words are not kept; removing one splits its string again.
    """

    def __init__(self, vocab: Vocabulary, folder: Path | None = None) -> None:
        self.vocab = vocab
        self._folder = folder
        self._kinds = bytearray()
        self._displays = StringPool(SpillFile(folder))
        self._articles = array("i")
        self._offsets = array("i")
        #: Per item a number into a side table: a note or quote item's note slot (in
        #: the index's note table), a shared item's run in ``_more_refs``; -1 for titles.
        self._links = array("i")
        #: Shared items' articles beyond the first, by the item's link: (article, offset)
        #: pairs, on disk (an entity named in thousands of articles has thousands).
        self._more_refs = Postings(folder)
        self._shared_made = 0
        self._article_ids: list[str] = []
        self._article_no: dict[str, int] = {}
        self._postings: dict[Kind, Postings] = {}
        #: Items removed: still in the word runs, skipped by queries.
        self._removed: set[int] = set()
        self._shared: dict[Kind, dict[str, int]] = defaultdict(dict)
        self._live = 0
        self._norms: dict[int, str] = {}

    def __len__(self) -> int:
        """Items held (removed ones not counted)."""
        return self._live

    @property
    def _next(self) -> int:
        return len(self._kinds)

    def _number(self, article_id: str) -> int:
        no = self._article_no.get(article_id)
        if no is None:
            no = self._article_no[article_id] = len(self._article_ids)
            self._article_ids.append(article_id)
        return no

    def add(
        self,
        kind: Kind,
        display: str,
        article_id: str,
        offset: int | None = None,
        note: int = -1,
    ) -> int | None:
        """Index ``display`` as a ``kind`` of ``article_id``; the item id, None if empty.

        A shared kind's string already indexed gains ``article_id``. The caller adds an
        article to a shared item once (:class:`SearchIndex` removes an article's old tags,
        entities and source first): looking through thousands of articles on every add
        would make building quadratic. Adding the article just added again is ignored.
        """
        # An offset outside any text (from a hand-edited database) is no place to open.
        at = offset if offset is not None and 0 <= offset <= MAX_OFFSET else NO_OFFSET
        if kind in SHARED_KINDS:
            iid = self._shared[kind].get(display)
            if iid is not None:
                no = self._number(article_id)
                link = self._links[iid]
                last = self._more_refs.tail(link, 2)
                if (last[0] if last else self._articles[iid]) != no:
                    self._more_refs.extend(link, (no, at))
                return iid
        words = tokens(display)
        if not words:
            return None
        wids = {self.vocab.intern(w) for w in words}
        iid = self._next
        self._kinds.append(KIND_CODES[kind])
        self._displays.append(display)
        self._articles.append(self._number(article_id))
        self._offsets.append(at)
        if kind in SHARED_KINDS:
            note, self._shared_made = self._shared_made, self._shared_made + 1
        self._links.append(note)
        self._live += 1
        postings = self._postings.get(kind)
        if postings is None:
            postings = self._postings[kind] = Postings(self._folder)
        postings.add_to_each(wids, iid)
        df = self.vocab.df
        for wid in wids:
            df[wid] += 1
        if kind in SHARED_KINDS:
            self._shared[kind][display] = iid
        return iid

    def remove_ref(self, kind: Kind, display: str, article_id: str) -> None:
        """Forget that ``article_id`` has the shared item ``display``."""
        iid = self._shared[kind].get(display)
        if iid is not None:
            self.remove_item_ref(iid, article_id)

    def remove_item_ref(self, iid: int, article_id: str) -> None:
        """Forget that ``article_id`` has the shared item ``iid``; the last one removes it."""
        no = self._article_no.get(article_id)
        if no is None or not self._kinds[iid]:
            return
        link = self._links[iid]
        more = self._more_refs.get(link)
        pairs = list(zip(more[0::2], more[1::2], strict=True))
        if self._articles[iid] == no:
            if not pairs:
                self.remove(iid)
                return
            self._articles[iid], self._offsets[iid] = pairs.pop(0)
        else:
            pairs = [p for p in pairs if p[0] != no]
        self._more_refs.replace(link, array("i", [v for pair in pairs for v in pair]))

    def remove(self, iid: int) -> None:
        code = self._kinds[iid] if 0 <= iid < self._next else 0
        if not code:
            return
        kind = KINDS_BY_CODE[code]
        display = self._displays[iid]
        self._kinds[iid] = 0
        if kind in SHARED_KINDS:
            self._more_refs.replace(self._links[iid], array("i"))
        self._live -= 1
        self._removed.add(iid)
        df = self.vocab.df
        for word in set(tokens(display)):
            wid = self.vocab.ids.get(word)
            if wid is not None:
                df[wid] -= 1
        if kind in SHARED_KINDS and self._shared[kind].get(display) == iid:
            del self._shared[kind][display]

    # -- reading items --------------------------------------------------------------------

    def kind(self, iid: int) -> Kind | None:
        """The kind of item ``iid``; None once removed."""
        return KINDS_BY_CODE.get(self._kinds[iid])

    def display(self, iid: int) -> str:
        return self._displays[iid]

    def norm(self, iid: int) -> str:
        """The item's words joined by spaces: what rapidfuzz compares with the query."""
        return " ".join(tokens(self._displays[iid]))

    def words(self, iid: int) -> set[int]:
        """The vocabulary ids of the item's words."""
        ids = self.vocab.ids
        return {ids[w] for w in tokens(self._displays[iid]) if w in ids}

    def refs(self, iid: int) -> dict[str, int | None]:
        """Article id -> offset (None for none) of each article the item belongs to."""
        ids = self._article_ids
        first = self._offsets[iid]
        refs: dict[str, int | None] = {
            ids[self._articles[iid]]: None if first == NO_OFFSET else first
        }
        link = self._links[iid]
        if self._kinds[iid] in SHARED_CODES and self._more_refs.count(link):
            more = self._more_refs.get(link)  # a tag or a name in thousands of articles: C loops
            offsets: list[int | None] = list(more[1::2])
            if NO_OFFSET in offsets:
                offsets = [None if at == NO_OFFSET else at for at in offsets]
            refs.update(zip(map(ids.__getitem__, more[0::2]), offsets, strict=True))
        return refs

    def item(self, iid: int) -> Item:
        kind = self.kind(iid)
        if kind is None:
            raise KeyError(iid)
        note = self._links[iid] if kind in ("note", "quote") else -1
        return Item(kind, self._displays[iid], self.refs(iid), note)

    def items_of_kind(self, kind: Kind) -> list[int]:
        """Ids of the live items of ``kind`` (a scan of one byte per item)."""
        code = KIND_CODES[kind]
        return [i for i, c in enumerate(self._kinds) if c == code]

    def nbytes(self) -> int:
        """Bytes in memory of the columns and word arrays (not the vocabulary, not Python's
        dicts; not the strings, which are on disk)."""
        arrays = sum(p.nbytes() for p in self._postings.values())
        columns = len(self._kinds) + self._displays.nbytes()
        columns += self._articles.itemsize * len(self._articles)
        columns += sum(c.itemsize * len(c) for c in (self._offsets, self._links))
        columns += self._more_refs.nbytes()
        return arrays + columns

    def flush(self) -> None:
        """Write the word runs gathered in memory out (after a batch of changes)."""
        for postings in self._postings.values():
            postings.flush()
        self._more_refs.flush()

    def close(self) -> None:
        self._displays.close()
        for postings in self._postings.values():
            postings.close()
        self._more_refs.close()

    def search(
        self, words: list[QueryWord], query: str, kinds: frozenset[Kind]
    ) -> list[tuple[float, int]]:
        """Ids of the items of ``kinds`` matching the query, with a 0-100 score, best first.

        The rarest query words pick the shortlist by how much of the query each item
        covers; the other words add to the shortlist's coverage, and rapidfuzz's view of
        the whole strings (:func:`whole_scores`) is read for the shortlist only.
        """
        total = sum(w.weight for w in words) or 1.0
        postings = [self._postings[k] for k in kinds if k in self._postings]
        expansions = [w.expansion for w in words]
        rarest = rarest_levels(expansions, postings, self._removed, SHORTLIST)
        picking = {i for i, _ in rarest}
        picked = [(words[i].weight, levels) for i, levels in rarest]
        shortlist = best_sums(picked, SHORTLIST)
        if not shortlist:
            return []
        rest = [words[i] for i in range(len(words)) if i not in picking]
        norms = self._norms_of([iid for _, iid in shortlist])
        wholes = whole_scores(query, norms)
        ids = self.vocab.ids
        scored: list[tuple[float, int]] = []
        for (amount, iid), norm, whole in zip(shortlist, norms, wholes, strict=True):
            if rest:
                held = {ids[w] for w in norm.split() if w in ids}
                for word in rest:
                    sims = [word.expansion[w] for w in held if w in word.expansion]
                    if sims:
                        amount += word.weight * max(sims)
            scored.append((max(whole, 0.92 * amount / total + 0.08 * whole), iid))
        scored.sort(key=lambda t: (-t[0], t[1]))
        return scored

    def _norms_of(self, iids: list[int]) -> list[str]:
        """:meth:`norm` of each item; kept for the next keystrokes, whose shortlists
        overlap (an item's string never changes, so nothing goes stale)."""
        cache = self._norms
        missing = [i for i in iids if i not in cache]
        if missing:
            if len(cache) + len(missing) > NORM_CACHE:  # start again from this shortlist
                cache = self._norms = {i: cache[i] for i in iids if i in cache}
            cache.update(zip(missing, joined_words(self._displays.many(missing)), strict=True))
        return [cache[i] for i in iids]


def highlights(display: str, wanted: set[int], vocab: Vocabulary) -> list[tuple[int, int]]:
    """Spans of ``display`` whose word is one the query stands for."""
    out = []
    processed = proc(display)
    for start, end in word_spans(processed):
        wid = vocab.ids.get(processed[start:end])
        if wid is not None and wid in wanted:
            out.append((start, end))
    return out
