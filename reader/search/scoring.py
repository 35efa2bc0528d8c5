"""Summing query words' similarities over the items that hold them, and the best few.

A query word's holders come as *levels*: disjoint sets of ids, one per similarity, from
the most similar word down. Sets, ``dict.fromkeys`` and dict merges do the per-id work
in C; Python loops run only over ids that several query words share, or over the few
that are kept. That keeps a keystroke within a frame at 10,000 articles without an
array library.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from operator import itemgetter

from reader.search.postings import Postings
from reader.search.vocab import Expansion

Levels = list[tuple[float, set[int]]]


def similarity_levels(
    expansion: Expansion,
    postings: Iterable[Postings],
    gone: set[int] | frozenset[int] = frozenset(),
    enough: int = 0,
) -> Levels:
    """The holders of ``expansion``'s words, by similarity, best first; each holder once,
    at the best similarity of any word it holds.

    With ``enough``, reading stops once that many holders are found: any holder not read
    yet has a lower similarity than all of them. Holders in ``gone`` (removed since) are
    left out.
    """
    by_sim: dict[float, list[int]] = defaultdict(list)
    for wid, sim in expansion.items():
        by_sim[sim].append(wid)
    postings = list(postings)
    levels: Levels = []
    seen: set[int] = set()
    for sim in sorted(by_sim, reverse=True):
        found: set[int] = set()
        for wid in by_sim[sim]:
            for kind_postings in postings:
                if kind_postings.count(wid):
                    found.update(kind_postings.get(wid))
        found -= seen
        if gone:
            found -= gone
        if not found:
            continue
        levels.append((sim, found))
        seen |= found
        if enough and len(seen) >= enough:
            break
    return levels


#: Query words (the rarest) whose holders are read; the others only add to the few kept.
PICKING_WORDS = 3


def rarest_levels(
    expansions: list[Expansion],
    postings: Sequence[Postings],
    gone: set[int] | frozenset[int],
    count: int,
) -> list[tuple[int, Levels]]:
    """The :data:`PICKING_WORDS` query words held by the fewest items (as the word lists'
    lengths tell, without reading them), each by its index with its levels.

    A word alone is read until ``count`` holders are found (its best ``count`` are all
    that can be kept); with others, whole, as any of its holders may add to theirs.
    """
    spread = [sum(p.count(wid) for p in postings for wid in e) for e in expansions]
    order = sorted((i for i, n in enumerate(spread) if n), key=lambda i: spread[i])
    picking = order[:PICKING_WORDS]
    enough = count if len(picking) == 1 else 0
    return [(i, similarity_levels(expansions[i], postings, gone, enough)) for i in picking]


def holder_count(levels: Levels) -> int:
    return sum(len(ids) for _, ids in levels)


def weighted(levels: Levels, weight: float) -> dict[int, float]:
    """Holder -> ``weight`` times its similarity."""
    scores: dict[int, float] = {}
    for sim, ids in levels:
        scores.update(dict.fromkeys(ids, weight * sim))
    return scores


def add_scores(total: dict[int, float], more: dict[int, float]) -> dict[int, float]:
    """``total`` with ``more`` added, id by id (``total`` is changed and returned)."""
    if not total:
        return more
    sums = {i: total[i] + more[i] for i in total.keys() & more.keys()}
    total.update(more)
    total.update(sums)
    return total


def best_sums(words: list[tuple[float, Levels]], count: int) -> list[tuple[float, int]]:
    """The ``count`` ids with the highest sum over ``words`` of weight times similarity,
    best first, the lower id first on a tie.

    The word with the most holders is not made into a dict: its holders are looked up
    among the ids the other words scored, and of the rest only its ``count`` most similar
    are kept (no other can rank above them). A single word needs no dict at all.
    """
    if not words:
        return []
    *others, (weight, levels) = sorted(words, key=lambda word: holder_count(word[1]))
    scored: dict[int, float] = {}
    for other_weight, other_levels in others:
        scored = add_scores(scored, weighted(other_levels, other_weight))
    alone: list[tuple[float, int]] = []
    for sim, ids in levels:
        value = weight * sim
        rest = ids
        if scored:
            scored.update({i: scored[i] + value for i in scored.keys() & ids})
            rest = ids.difference(scored)
        need = count - len(alone)
        if need > 0:
            alone.extend((value, i) for i in sorted(rest)[:need])
        elif not scored:
            break
    if not scored:
        return alone
    scored.update((i, value) for value, i in alone)
    return most(count, scored)


def most(count: int, scores: dict[int, float]) -> list[tuple[float, int]]:
    """The ``count`` best ``(score, id)`` pairs, best first, the lower id first on a tie.

    The ``count``-th best score is found among the bare values first (a sort of floats,
    in C), so pairs are made only for the ids at or above it.
    """
    if len(scores) > count:
        cut = sorted(scores.values())[-count]
        chosen = [(score, i) for i, score in scores.items() if score >= cut]
    else:
        chosen = [(score, i) for i, score in scores.items()]
    chosen.sort(key=itemgetter(1))
    chosen.sort(key=itemgetter(0), reverse=True)
    del chosen[count:]
    return chosen
