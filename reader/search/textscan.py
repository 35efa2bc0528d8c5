"""Article texts behind a word index, with the exact match found in a few windows.

The index maps each word to the articles containing it; a query's words (and their typo'd
or begun forms) pick a few dozen candidate articles, weighted by how rare the words are.
Only in those, and only around the places where the query's rarer words occur, does
rapidfuzz's ``partial_ratio_alignment`` look for the query: the quality of
``partial_ratio`` over whole texts at a small part of its cost.
"""

from __future__ import annotations

import math
import sys
from array import array
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from rapidfuzz import fuzz

from reader.search.fields import QueryWord
from reader.search.normalize import proc, tokens, word_starts
from reader.search.packed import PackedTexts
from reader.search.postings import Postings
from reader.search.scoring import best_sums, holder_count, rarest_levels
from reader.search.spill import SpillFile
from reader.search.vocab import Vocabulary

#: Articles looked at closely per query.
CANDIDATES = 24
#: Windows per article given to ``partial_ratio_alignment``.
WINDOWS = 4
#: Occurrences of query words read per article (a long article stops here).
MAX_OCCURRENCES = 4000
#: Processed texts kept for the next keystroke.
PROC_CACHE = 128
#: ...and their characters at most: a processed text with its words and their places
#: takes about five times its length, so a few long articles must not fill memory.
PROC_CACHE_CHARS = 600_000


@dataclass(frozen=True, slots=True)
class TextMatch:
    """The best place of the query in one article: score 0-100 and offsets."""

    doc: int
    score: float
    start: int
    end: int


class Processed(NamedTuple):
    """An article read for a query: its text, processed (same length), its words (each
    distinct word one shared object) and where each starts."""

    original: str
    text: str
    words: list[str]
    starts: array[int]


class TextIndex:
    """Article texts: words -> the articles holding them (one small array per word).

    The texts themselves are kept compressed, on disk (``spill``); a query unpacks its few
    candidates.
    """

    def __init__(self, vocab: Vocabulary, folder: Path | None = None) -> None:
        self.vocab = vocab
        self.ids: list[str] = []
        self.texts = PackedTexts(SpillFile(folder))
        self._removed: set[int] = set()
        self._postings = Postings(folder)
        self._procs: OrderedDict[int, Processed] = OrderedDict()
        self._proc_chars = 0

    def text(self, doc: int) -> str:
        """The text of ``doc``: unpacked, or kept from a query that just read it."""
        entry = self._procs.get(doc)
        return entry.original if entry is not None else self.texts[doc]

    def nbytes(self) -> int:
        """Bytes in memory of the word arrays and the texts' offsets."""
        arrays = self._postings.nbytes()
        return self.texts.nbytes() + arrays

    def flush(self) -> None:
        """Write the word runs gathered in memory out (after a batch of articles)."""
        self._postings.flush()

    def close(self) -> None:
        self.texts.close()
        self._postings.close()

    def add(self, article_id: str, text: str) -> int:
        return self.add_many([(article_id, text)])[0]

    def add_many(self, docs: Iterable[tuple[str, str]]) -> list[int]:
        """Index many articles; words are gathered first, then interned once each."""
        gathered: dict[str, list[int]] = defaultdict(list)
        added = []
        for article_id, text in docs:
            doc = len(self.ids)
            self.ids.append(article_id)
            self.texts.append(text)
            added.append(doc)
            for word in set(tokens(text)):
                gathered[word].append(doc)
        df = self.vocab.df
        for word, holders in gathered.items():
            wid = self.vocab.intern(word)
            df[wid] += len(holders)
            self._postings.extend(wid, holders)
        return added

    def remove(self, doc: int) -> None:
        """Hide an article; its postings stay until the next rebuild."""
        self._removed.add(doc)
        self.texts.clear(doc)
        gone = self._procs.pop(doc, None)
        if gone is not None:
            self._proc_chars -= len(gone.original)

    def processed(self, doc: int) -> Processed:
        """The text of ``doc``, processed, its words and where each starts.

        Kept for the next keystroke. Splitting runs in C; looking the query's words up in
        the word list is far cheaper than a regular expression of a few hundred
        alternatives run over the text.
        """
        entry = self._procs.get(doc)
        if entry is None:
            original = self.texts[doc]
            text = proc(original)
            words, starts = word_starts(text)
            words = list(map(sys.intern, words))  # one object per distinct word, not per use
            entry = self._procs[doc] = Processed(original, text, words, array("i", starts))
            self._proc_chars += len(original)
            while len(self._procs) > 1 and (
                len(self._procs) > PROC_CACHE or self._proc_chars > PROC_CACHE_CHARS
            ):
                _, oldest = self._procs.popitem(last=False)
                self._proc_chars -= len(oldest.original)
        else:
            self._procs.move_to_end(doc)
        return entry

    def search(self, words: list[QueryWord], query: str) -> list[TextMatch]:
        """The best place of ``query`` in each candidate article, best first."""
        picked = self._candidates(words)
        if picked is None:
            return []
        chosen, weights, top = picked
        word_of = {
            self.vocab.words[w]: (k, sim)
            for k, i in enumerate(chosen)
            for w, sim in words[i].expansion.items()
        }
        full = sum(weights) * 100.0
        matches = []
        for cover, doc in top:
            found = self._best_place(doc, word_of, weights, full, query)
            if found is not None:
                score, start, end = found
                # A hair for how much of the query the article holds anywhere: breaks ties.
                matches.append(TextMatch(doc, score + 0.01 * cover / full, start, end))
        matches.sort(key=lambda m: (-m.score, m.doc))
        return matches

    def _candidates(
        self, words: list[QueryWord]
    ) -> tuple[list[int], list[float], list[tuple[float, int]]] | None:
        """The rarest words, their weights and the best articles for them.

        A word's weight grows with its rarity (how few articles hold any word it stands
        for); an article's score is the weighted sum of each word's best similarity in it.
        """
        n = max(1, len(self.ids) - len(self._removed))
        expansions = [q.expansion for q in words]
        # One word alone: its weight cancels out, so its holders need not all be counted.
        rarest = rarest_levels(expansions, [self._postings], self._removed, CANDIDATES)
        if not rarest:
            return None
        chosen = [i for i, _ in rarest]
        levels = [held for _, held in rarest]
        weights = [
            words[i].weight * math.log(1.0 + n / max(1, holder_count(held)))
            for i, held in zip(chosen, levels, strict=True)
        ]
        return chosen, weights, best_sums(list(zip(weights, levels, strict=True)), CANDIDATES)

    def _best_place(
        self,
        doc: int,
        word_of: dict[str, tuple[int, float]],
        weights: list[float],
        full: float,
        query: str,
    ) -> tuple[float, int, int] | None:
        """Score and offsets of the best window of ``doc`` for ``query``."""
        _, text, words, starts = self.processed(doc)
        wanted = list(map(word_of.__contains__, words))  # loops in C, here and below
        hits = [(starts[i], *word_of[words[i]]) for i in compress(range(len(words)), wanted)]
        if not hits:
            return None
        common = set(compress(words, wanted))
        del hits[MAX_OCCURRENCES:]
        # A window's value is rounded so that the order of a sum never decides a tie.
        most_of: dict[int, float] = {}
        for word in common:
            k, sim = word_of[word]
            most_of[k] = max(sim, most_of.get(k, 0.0))
        ceiling = round(sum(weights[k] * s for k, s in most_of.items()), 9)
        reach = len(query) + 8
        windows: list[tuple[float, int]] = []
        full_apart, last_full = 0, -reach
        j = 0
        for i, (start, _, _) in enumerate(hits):
            if j < i:
                j = i
            while j + 1 < len(hits) and hits[j + 1][0] < start + reach:
                j += 1
            best: dict[int, float] = {}
            for _, k, sim in hits[i : j + 1]:
                if sim > best.get(k, 0.0):
                    best[k] = sim
            value = round(sum(weights[k] * s for k, s in best.items()), 9)
            windows.append((value, start))
            # Once WINDOWS windows apart hold every word at its best, no later window
            # (which loses the tie) can be chosen.
            if value >= ceiling and start >= last_full + reach:
                full_apart, last_full = full_apart + 1, start
                if full_apart == WINDOWS:
                    break
        return best_alignment(text, query, apart(windows, WINDOWS, reach), full)


def best_alignment(
    text: str, query: str, windows: list[tuple[float, int]], full: float
) -> tuple[float, int, int] | None:
    """Score and offsets (whole words) of the best of ``query``'s alignments in the
    ``(value, start)`` windows of processed ``text``; the first on a tie.

    A window scores its alignment, or 90 times the share of the query's words it holds
    (``value`` out of ``full``) when that is higher: words in another order still count.
    """
    result: tuple[float, int, int] | None = None
    for value, anchor in windows:
        lo = max(0, anchor - len(query))
        hi = min(len(text), anchor + 2 * len(query) + 8)
        al = fuzz.partial_ratio_alignment(query, text[lo:hi])
        if al is None:
            continue
        score = max(al.score, round(90.0 * value / full, 6))  # no noise in the last bits
        if result is None or score > result[0]:
            start, end = lo + al.dest_start, lo + al.dest_end
            while start < end and text[start] == " ":
                start += 1
            while end > start and text[end - 1] == " ":
                end -= 1
            if end == start:
                start, end = anchor, anchor + 1
            result = (score, *whole_words(text, start, end))
    return result


def apart(windows: list[tuple[float, int]], count: int, reach: int) -> list[tuple[float, int]]:
    """The ``count`` best ``(value, start)`` windows, the earlier first on a tie, each at
    least ``reach`` from those chosen before it: windows that overlap would have the same
    stretch of text aligned again, while a later one may hold the query's exact words."""
    chosen: list[tuple[float, int]] = []
    for value, start in sorted(windows, key=itemgetter(0), reverse=True):  # stable: by start
        if all(abs(start - other) >= reach for _, other in chosen):
            chosen.append((value, start))
            if len(chosen) == count:
                break
    return chosen


def whole_words(text: str, start: int, end: int, most: int = 24) -> tuple[int, int]:
    """Widen ``start:end`` of processed ``text`` to whole words (an alignment may cut one)."""
    floor = max(0, start - most)
    while start > floor and text[start - 1] != " ":
        start -= 1
    ceiling = min(len(text), end + most)
    while end < ceiling and text[end] != " ":
        end += 1
    return start, end
