"""Article-wide agreement: one label per name, short forms and spellings tied to one key.

A single mention rarely says what it is ("Assad", "Homs"); the article usually does
somewhere ("President Bashar Assad", "in Homs"). So labels are voted per name, and each
mention's key is the longest spelling of the entity seen in the article.
"""

from __future__ import annotations

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


def _fuzzy_lookup(
    key: str,
    table: dict[str, str],
    memo: dict[str, str | None],
    by_first: dict[str, list[tuple[str, str]]],
) -> str | None:
    """The full name whose surname form is spelt nearly as ``key``; ``by_first`` holds the
    table's items by first letter (filled on first use), so only those are compared."""
    if len(key) < 5 or not table:
        return None
    if key not in memo:
        if not by_first:
            for form, full in table.items():
                by_first.setdefault(form[:1], []).append((form, full))
        ratio = _ratio()
        memo[key] = next(
            (
                full
                for form, full in by_first.get(key[:1], ())
                if ratio(key, form) >= VARIANT_SIMILARITY
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
    by_first: dict[str, list[tuple[str, str]]] = {}
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
                        full = _fuzzy_lookup(bare, surnames, memo, by_first)
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
    # keys for names not tied to a person: the longest spelling among near-identical ones
    variants = _Variants()
    out: list[tuple[Mention, str, str]] = []
    pending_org: tuple[Mention, str] | None = None  # an ORG that an "(ACRONYM)" may follow
    for m, k, key in zip(mentions, keys, norms, strict=True):
        if m.initial and not m.strong and not k and key not in seen_inside:
            continue  # a capitalised sentence opener nothing else supports
        tally = votes[k or key]
        if len(tally) > 1:
            own = m.label
            m.label = max(tally, key=lambda lab: (tally[lab], lab == own))
        if pending_org is not None:
            if text[m.start - 1] == "(":
                variants.acronym(text, *pending_org, m)
            pending_org = None
        if k:
            out.append((m, k, ""))
            continue
        bare = strip_article(key)
        out.append((m, k, bare))
        target = variants.add(m.label, bare, m.text)
        if m.label == "ORG":
            pending_org = (m, target)
    return [(m, k or variants.key(m.label, bare, m.text)) for m, k, bare in out]


class _Variants:
    """Spellings of names not tied to a person, grouped per label by near-identity.

    A spelling's group is decided once, at its first mention: the first earlier group
    whose key is within ``VARIANT_SIMILARITY``, else a new group of its own.
    """

    __slots__ = ("_labels",)

    def __init__(self) -> None:
        #: label -> (bare key -> its group's key, bare key -> the group its mentions are
        #: keyed by (acronyms included), group key -> longest spelling, first two
        #: letters -> group keys in the order first seen)
        self._labels: dict[
            str, tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, list[str]]]
        ] = {}

    def _tables(
        self, label: str
    ) -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, list[str]]]:
        tables = self._labels.get(label)
        if tables is None:
            tables = self._labels[label] = ({}, {}, {}, {})
        return tables

    def add(self, label: str, bare: str, surface: str) -> str:
        """Note one mention; returns the key of its group."""
        targets, alias, longest, buckets = self._tables(label)
        target = targets.get(bare)
        if target is None:
            target = bare
            bucket = buckets.get(bare[:2])
            if bucket and len(bare) >= 5:
                ratio = _ratio()
                target = next((f for f in bucket if ratio(bare, f) >= VARIANT_SIMILARITY), bare)
            if target == bare:
                longest[bare] = surface
                buckets.setdefault(bare[:2], []).append(bare)
            targets[bare] = target
            alias.setdefault(bare, target)
        if len(surface) > len(longest[target]):
            longest[target] = surface
        return target

    def acronym(self, text: str, org: Mention, target: str, nxt: Mention) -> None:
        """ "Syrian Democratic Forces (SDF)": the acronym is keyed as the name before it."""
        acro = _ACRONYM_IN_PARENS.match(text, org.end)
        if acro and nxt.start == acro.start(1) and nxt.end == acro.end(1):
            self._tables("ORG")[1][lx.norm(nxt.text)] = target

    def key(self, label: str, bare: str, surface: str) -> str:
        _, alias, longest, _ = self._labels[label]
        return longest.get(alias.get(bare, bare), surface)
