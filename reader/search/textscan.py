"""Article texts behind a word index, with the exact match found in a few windows.

The index maps each word to the articles containing it; a query's words (and their typo'd
or begun forms) pick a few dozen candidate articles, weighted by how rare the words are.
Only in those, and only around the places where the query's rarer words occur, does
rapidfuzz's ``partial_ratio_alignment`` look for the query: the quality of
``partial_ratio`` over whole texts at a small part of its cost.
"""

from __future__ import annotations

import heapq
import math
import re
from array import array
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from reader.search.fields import QueryWord
from reader.search.normalize import proc, tokens
from reader.search.vocab import Vocabulary

#: Articles looked at closely per query.
CANDIDATES = 24
#: Query words (the rarest) that choose the candidates.
PICKING_WORDS = 3
#: Windows per article given to ``partial_ratio_alignment``.
WINDOWS = 4
#: Occurrences of query words read per article (a long article stops here).
MAX_OCCURRENCES = 4000
#: Processed texts kept for the next keystroke.
PROC_CACHE = 64


@dataclass(frozen=True, slots=True)
class TextMatch:
    """The best place of the query in one article: score 0-100 and offsets."""

    doc: int
    score: float
    start: int
    end: int


class TextIndex:
    """Article texts: words -> the articles holding them (one small array per word)."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.ids: list[str] = []
        self.texts: list[str] = []
        self.alive: list[bool] = []
        self._postings: dict[int, array[int]] = {}
        self._procs: OrderedDict[int, str] = OrderedDict()
        self._patterns: dict[frozenset[str], re.Pattern[str]] = {}

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
            self.alive.append(True)
            added.append(doc)
            for word in set(tokens(text)):
                gathered[word].append(doc)
        df = self.vocab.df
        for word, holders in gathered.items():
            wid = self.vocab.intern(word)
            df[wid] += len(holders)
            existing = self._postings.get(wid)
            if existing is None:
                self._postings[wid] = array("i", holders)
            else:
                existing.extend(holders)
        return added

    def remove(self, doc: int) -> None:
        """Hide an article; its postings stay until the next rebuild."""
        self.alive[doc] = False
        self._procs.pop(doc, None)

    def processed(self, doc: int) -> str:
        text = self._procs.get(doc)
        if text is None:
            text = proc(self.texts[doc])
            self._procs[doc] = text
            if len(self._procs) > PROC_CACHE:
                self._procs.popitem(last=False)
        else:
            self._procs.move_to_end(doc)
        return text

    def search(self, words: list[QueryWord], query: str) -> list[TextMatch]:
        """The best place of ``query`` in each candidate article, best first."""
        n = max(1, sum(self.alive))
        weights: list[float] = []
        per_word: list[dict[int, float]] = []
        spans = [sum(len(self._postings.get(w, ())) for w in q.expansion) for q in words]
        # The rarest words choose the candidates; partial_ratio then reads every word.
        chosen = sorted((i for i, df in enumerate(spans) if df), key=lambda i: spans[i])
        chosen = chosen[:PICKING_WORDS]
        if not chosen:
            return []
        for i in chosen:
            best: dict[int, float] = {}
            for wid, sim in words[i].expansion.items():
                for doc in self._postings.get(wid, ()):
                    if sim > best.get(doc, 0.0):
                        best[doc] = sim
            per_word.append(best)
            weights.append(words[i].weight * math.log(1.0 + n / max(1, len(best))))
        total: dict[int, float] = defaultdict(float)
        for weight, best in zip(weights, per_word, strict=True):
            for doc, sim in best.items():
                total[doc] += weight * sim
        top = heapq.nlargest(
            CANDIDATES,
            ((s, -d) for d, s in total.items() if self.alive[d]),
        )
        pattern = self._pattern({self.vocab.words[w] for i in chosen for w in words[i].expansion})
        word_of = {
            self.vocab.words[w]: (k, sim)
            for k, i in enumerate(chosen)
            for w, sim in words[i].expansion.items()
        }
        full = sum(weights) * 100.0
        matches = []
        for cover, neg_doc in top:
            found = self._best_place(-neg_doc, pattern, word_of, weights, full, query)
            if found is not None:
                score, start, end = found
                # A hair for how much of the query the article holds anywhere: breaks ties.
                matches.append(TextMatch(-neg_doc, score + 0.01 * cover / full, start, end))
        matches.sort(key=lambda m: (-m.score, m.doc))
        return matches

    def _pattern(self, words: set[str]) -> re.Pattern[str]:
        key = frozenset(words)
        pattern = self._patterns.get(key)
        if pattern is None:
            alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
            pattern = re.compile(rf"\b(?:{alternation})\b")
            if len(self._patterns) > 256:
                self._patterns.clear()
            self._patterns[key] = pattern
        return pattern

    def _best_place(
        self,
        doc: int,
        pattern: re.Pattern[str],
        word_of: dict[str, tuple[int, float]],
        weights: list[float],
        full: float,
        query: str,
    ) -> tuple[float, int, int] | None:
        """Score and offsets of the best window of ``doc`` for ``query``."""
        text = self.processed(doc)
        hits: list[tuple[int, int, float]] = []
        for m in pattern.finditer(text):
            k, sim = word_of[m.group()]
            hits.append((m.start(), k, sim))
            if len(hits) >= MAX_OCCURRENCES:
                break
        if not hits:
            return None
        reach = len(query) + 8
        windows: list[tuple[float, int]] = []
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
            windows.append((sum(weights[k] * s for k, s in best.items()), start))
        top = heapq.nlargest(WINDOWS, windows, key=lambda w: (w[0], -w[1]))
        result: tuple[float, int, int] | None = None
        for value, anchor in top:
            lo = max(0, anchor - len(query))
            hi = min(len(text), anchor + 2 * len(query) + 8)
            al = fuzz.partial_ratio_alignment(query, text[lo:hi])
            if al is None:
                continue
            score = max(al.score, 0.9 * 100.0 * value / full)
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


def whole_words(text: str, start: int, end: int, most: int = 24) -> tuple[int, int]:
    """Widen ``start:end`` of processed ``text`` to whole words (an alignment may cut one)."""
    floor = max(0, start - most)
    while start > floor and text[start - 1] != " ":
        start -= 1
    ceiling = min(len(text), end + most)
    while end < ceiling and text[end] != " ":
        end += 1
    return start, end
