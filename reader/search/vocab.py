"""The vocabulary shared by every index, and a query word's expansion into it.

A query word stands for the vocabulary words it could mean: itself, words one or two
typos away (rapidfuzz ``ratio`` within a length band) and, for the word being typed, the
words it begins. Expansions are cached per word, so typing one more letter costs one new
expansion, not a new search.
"""

from __future__ import annotations

import bisect
from collections import defaultdict

from rapidfuzz import fuzz, process

#: Similarity (0-100) a typo'd word needs, by its length; shorter words must match exactly.
FUZZY_CUTOFF = {4: 75.0, 5: 80.0}
#: A prefix that begins more words than this is expanded to the most frequent ones only.
MAX_PREFIX_WORDS = 200
#: Expansions kept in the cache before it is emptied (one is up to a few hundred words).
CACHE_SIZE = 512

Expansion = dict[int, float]


def fuzzy_cutoff(length: int) -> float | None:
    """The ``ratio`` a vocabulary word needs to stand for a query word of ``length``."""
    if length < 4:
        return None
    return FUZZY_CUTOFF.get(length, 80.0)


class Vocabulary:
    """Words to ids, with document frequencies for choosing among prefix expansions."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.words: list[str] = []
        self.df: list[int] = []
        self._by_len: dict[int, list[str]] = defaultdict(list)
        # Sorted lazily on the first prefix look-up, then kept sorted word by word.
        self._sorted: list[str] = []
        self._sorted_ok = False
        self._cache: dict[tuple[str, bool], Expansion] = {}

    def __len__(self) -> int:
        return len(self.words)

    def intern(self, word: str) -> int:
        """The id of ``word``, adding it if new."""
        wid = self.ids.get(word)
        if wid is None:
            wid = len(self.words)
            self.ids[word] = wid
            self.words.append(word)
            self.df.append(0)
            self._by_len[len(word)].append(word)
            if self._sorted_ok:
                bisect.insort(self._sorted, word)
            self._cache.clear()
        return wid

    def expand(self, word: str, prefix: bool = False) -> Expansion:
        """Vocabulary ids ``word`` may stand for, with a similarity of 0-100.

        ``prefix`` adds the words that begin with ``word`` (the word still being typed).
        """
        key = (word, prefix)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        found: Expansion = {}
        exact = self.ids.get(word)
        if exact is not None:
            found[exact] = 100.0
        cutoff = fuzzy_cutoff(len(word))
        if cutoff is not None:
            n = len(word)
            for length in range(n - 2, n + 3):
                bucket = self._by_len.get(length)
                if not bucket:
                    continue
                for other, score, _ in process.extract(
                    word, bucket, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
                ):
                    wid = self.ids[other]
                    if score > found.get(wid, 0.0):
                        found[wid] = score
        if prefix:
            for wid, score in self._prefixed(word).items():
                if score > found.get(wid, 0.0):
                    found[wid] = score
        if len(self._cache) >= CACHE_SIZE:
            self._cache.clear()
        self._cache[key] = found
        return found

    def _prefixed(self, word: str) -> Expansion:
        """Words beginning with ``word``, scored by how much of them it covers."""
        if not self._sorted_ok:
            self._sorted = sorted(self.words)
            self._sorted_ok = True
        lo = bisect.bisect_left(self._sorted, word)
        hi = bisect.bisect_left(self._sorted, word + "\U0010ffff")
        ids = [self.ids[w] for w in self._sorted[lo:hi]]
        most = MAX_PREFIX_WORDS if len(word) > 2 else MAX_PREFIX_WORDS // 10 * len(word)
        if len(ids) > most:
            ids.sort(key=lambda i: -self.df[i])
            ids = ids[:most]
        n = len(word)
        return {i: 80.0 + 20.0 * n / len(self.words[i]) for i in ids}
