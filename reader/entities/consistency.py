"""Article-wide agreement: one label per name, short forms and spellings tied to one key.

A single mention rarely says what it is ("Assad", "Homs"); the article usually does
somewhere ("President Bashar Assad", "in Homs"). So labels are voted per name, and each
mention's key is the longest spelling of the entity seen in the article.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import cache
from itertools import pairwise

from . import lexicon as lx
from . import patterns
from .names import Mention

#: Spelling variants at or above this similarity (0-100) are one entity.
VARIANT_SIMILARITY = 85.0
_ACRONYM_IN_PARENS = patterns.compile(r"\s*\(([A-Z][\w.-]*)\)")


@cache
def _ratio() -> Callable[[str, str], float]:
    """rapidfuzz's ratio, imported on the first comparison (it costs 10 ms to import)."""
    from rapidfuzz import fuzz

    return fuzz.ratio


def _forms(key: str) -> set[str]:
    """A name's lookup forms: itself and itself without an Arabic article."""
    return {key, lx.strip_article(key)}


def _person_surnames(mentions: list[Mention]) -> dict[str, str]:
    """Surname form -> the full name it abbreviates ("barazi" -> "Talal al-Barazi")."""
    out: dict[str, str] = {}
    for m in mentions:
        if m.label != "PERSON":
            continue
        words = m.text.split()
        if len(words) < 2:
            continue
        tail = words[-1]
        if len(words) > 2 and words[-2].lower() in lx.PARTICLES:
            tail = " ".join(words[-2:])
        for form in _forms(lx.norm(tail)):
            if form not in out or len(m.text) > len(out[form]):
                out[form] = m.text
        full = lx.norm(m.text)
        out.setdefault(full, m.text)
    return out


def _fuzzy_lookup(key: str, table: dict[str, str], memo: dict[str, str | None]) -> str | None:
    if len(key) < 5 or not table:
        return None
    if key not in memo:
        ratio = _ratio()
        memo[key] = next(
            (
                full
                for form, full in table.items()
                if form[:1] == key[:1] and ratio(key, form) >= VARIANT_SIMILARITY
            ),
            None,
        )
    return memo[key]


_LIST_GLUE = frozenset((", ", " and ", ", and ", " or ", ", or "))
_LONGEST_GLUE = max(map(len, _LIST_GLUE))


def _spread_through_lists(text: str, mentions: list[Mention]) -> None:
    """An unknown item in a list of places is a place ("Qamenas, Sarmin and Talamenes")."""
    for a, b in pairwise(mentions):
        if b.start - a.end > _LONGEST_GLUE or text[a.end : b.start] not in _LIST_GLUE:
            continue
        for known, other in ((a, b), (b, a)):
            if (
                known.label == "PLACE"
                and known.strong
                and not other.strong
                and other.label == "ORG"
            ):
                other.label = "PLACE"


def resolve(text: str, mentions: list[Mention]) -> list[tuple[Mention, str]]:
    """Give every mention its article-wide label and key; drop unsupported ones."""
    _spread_through_lists(text, mentions)
    norm, strip_article = lx.norm, lx.strip_article
    countries = lx.countries()
    norms = [norm(m.text) for m in mentions]
    surnames = _person_surnames(mentions)
    memo: dict[str, str | None] = {}
    keys: list[str] = []
    # one label per spelling: strong readings count three times
    votes: dict[str, dict[str, int]] = {}
    seen_inside: set[str] = set()
    for m, key in zip(mentions, norms, strict=True):
        if m.label == "PERSON" and len(m.text.split()) > 1:
            k = surnames.get(key, m.text)
        else:
            full = None
            if surnames and key not in countries:
                full = surnames.get(key)
                if full is None:
                    bare = strip_article(key)
                    full = surnames.get(bare)
                    if full is None and m.label in ("PERSON", "ORG") and not m.strong:
                        full = _fuzzy_lookup(bare, surnames, memo)
            if full is not None:
                m.label, m.strong = "PERSON", True
                k = full
            else:
                k = ""
        keys.append(k)
        tally = votes.get(k or key)
        if tally is None:
            tally = votes[k or key] = {}
        tally[m.label] = tally.get(m.label, 0) + (3 if m.strong else 1)
        if not m.initial:
            seen_inside.add(key)
    out: list[tuple[Mention, str]] = []
    bares: list[str] = []
    for m, k, key in zip(mentions, keys, norms, strict=True):
        if m.initial and not m.strong and not k and key not in seen_inside:
            continue  # a capitalised sentence opener nothing else supports
        tally = votes[k or key]
        if len(tally) > 1:
            own = m.label
            m.label = max(tally, key=lambda lab: (tally[lab], lab == own))
        out.append((m, k))
        bares.append("" if k else strip_article(key))
    return _group_variants(text, out, bares)


def _group_variants(
    text: str, pairs: list[tuple[Mention, str]], bares: list[str]
) -> list[tuple[Mention, str]]:
    """Keys for names not tied to a person: longest spelling among near-identical ones.

    ``bares`` holds each unkeyed mention's lookup key without its article.
    """
    by_label: dict[str, dict[str, str]] = defaultdict(dict)  # label -> bare key -> surface
    #: label -> first two letters -> bare keys, in the order first seen
    buckets: dict[str, dict[str, list[str]]] = defaultdict(dict)
    alias: dict[tuple[str, str], str] = {}
    for i, ((m, k), bare) in enumerate(zip(pairs, bares, strict=True)):
        if k:
            continue
        table = by_label[m.label]
        target = bare if bare in table else None
        if target is None and len(bare) >= 5 and bare[:2] in buckets[m.label]:
            ratio = _ratio()
            target = next(
                (f for f in buckets[m.label][bare[:2]] if ratio(bare, f) >= VARIANT_SIMILARITY),
                None,
            )
        if target is None:
            table[bare] = m.text
            buckets[m.label].setdefault(bare[:2], []).append(bare)
        elif len(m.text) > len(table[target]):
            table[target] = m.text
        alias.setdefault((m.label, bare), target or bare)
        if m.label == "ORG" and i + 1 < len(pairs) and text[pairs[i + 1][0].start - 1] == "(":
            acro = _ACRONYM_IN_PARENS.match(text, m.end)
            nxt = pairs[i + 1][0]
            if acro and nxt.start == acro.start(1) and nxt.end == acro.end(1):
                alias[("ORG", lx.norm(nxt.text))] = target or bare
    out: list[tuple[Mention, str]] = []
    for (m, k), bare in zip(pairs, bares, strict=True):
        if not k:
            target = alias.get((m.label, bare), bare)
            k = by_label[m.label].get(target, m.text)
        out.append((m, k))
    return out
