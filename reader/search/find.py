"""Find in the current article: every exact match, plus words one typo away.

A reader searching "Barazi" wants "Barrazi" too. Exact case-insensitive matches come
first; then runs of about as many words as the query whose rapidfuzz ``ratio`` to the
query is high. Each distinct word of the article is compared once, and the article's
words are kept for the next keystroke, so a 100,000-word article is searched in
milliseconds once read.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from reader.search.normalize import fold, split_words, tokens

#: Similarity (0-100) a run of words needs to count as a match; longer queries need more.
CUTOFF = 80.0
LONG_CUTOFF = 85.0
LONG_QUERY = 10
#: Looser similarity a single word needs to start a candidate run.
WORD_CUTOFF = 60.0
#: Fewer letters and digits than this: exact matches only.
MIN_FUZZY = 4
#: Articles whose words are kept between calls.
CACHED_TEXTS = 4


@dataclass(frozen=True, slots=True)
class _Words:
    """An article read once: folded text, word spans and where each word occurs."""

    folded: str
    spans: list[tuple[int, int]]
    words: list[str]
    where: dict[str, list[int]]


_cache: OrderedDict[str, _Words] = OrderedDict()
_cache_lock = threading.Lock()


def _read(text: str) -> _Words:
    with _cache_lock:
        found = _cache.get(text)
        if found is not None:
            _cache.move_to_end(text)
            return found
    folded = fold(text)
    words, spans = split_words(folded)
    where: dict[str, list[int]] = defaultdict(list)
    for i, word in enumerate(words):
        where[word].append(i)
    found = _Words(folded, spans, words, dict(where))
    with _cache_lock:
        _cache[text] = found
        while len(_cache) > CACHED_TEXTS:
            _cache.popitem(last=False)
    return found


def find_in_text(text: str, query: str) -> list[tuple[int, int]]:
    """Sorted, non-overlapping ``(start, end)`` matches of ``query`` in ``text``."""
    needle = fold(query.strip())
    if not needle or not text:
        return []
    read = _read(text)
    exact = _exact(read.folded, needle)
    qwords = tokens(needle)
    if sum(map(len, qwords)) < MIN_FUZZY:
        return exact
    taken = sorted(exact)
    result = list(exact)
    for _, start, end in sorted(_fuzzy(read, qwords), key=lambda f: (-f[0], f[1])):
        if not any(s < end and start < e for s, e in taken):
            result.append((start, end))
            taken.append((start, end))
    return sorted(result)


def _exact(haystack: str, needle: str) -> list[tuple[int, int]]:
    found = []
    at = haystack.find(needle)
    while at != -1:
        found.append((at, at + len(needle)))
        at = haystack.find(needle, at + len(needle))
    return found


def _fuzzy(read: _Words, qwords: list[str]) -> list[tuple[float, int, int]]:
    """Runs of n-1..n+1 words (n = query words) close to the query, with their score."""
    words, spans = read.words, read.spans
    query = " ".join(qwords)
    cutoff = CUTOFF if len(query) <= LONG_QUERY else LONG_CUTOFF
    n = len(qwords)
    distinct = list(read.where)
    # Every run must hold a likeness of the query's rarest word: few places to try.
    anchors = min(
        ([i for word in _near(qword, distinct) for i in read.where[word]] for qword in qwords),
        key=len,
    )
    starts = {s for i in anchors for s in range(max(0, i - n), i + 1)}
    sizes = sorted({max(1, n - 1), n, n + 1})
    slack = max(2, len(query) // 4)
    found = []
    for i in sorted(starts):
        for size in sizes:
            if i + size > len(words):
                break
            run = " ".join(words[i : i + size])
            if abs(len(run) - len(query)) > slack:
                continue
            score = fuzz.ratio(query, run, score_cutoff=cutoff)
            if score:
                found.append((score, spans[i][0], spans[i + size - 1][1]))
    return found


def _near(qword: str, distinct: list[str]) -> list[str]:
    """Distinct words of the article loosely like ``qword``."""
    return [
        word
        for word, _, _ in process.extract(
            qword, distinct, scorer=fuzz.ratio, score_cutoff=WORD_CUTOFF, limit=None
        )
    ]
