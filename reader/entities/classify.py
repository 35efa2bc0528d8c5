"""What kind of name a capitalised chunk is: cue words first, then word lists, then context.

Returns a label and whether a cue decided it (strong) or only a default or the surrounding
words did (weak); the article-wide vote trusts strong readings more.
"""

from __future__ import annotations

from functools import lru_cache

from . import lexicon as lx
from . import patterns

_ACRONYM = patterns.compile(r"^(?:[A-ZÀ-ÖØ-Þ\d]+(?:[-‐][A-ZÀ-ÖØ-Þ\d]+)*|(?:[A-Z]\.)+)$")
#: Endings of English common nouns and adjectives; personal names rarely have them.
_COMMON_ENDINGS = (
    "tion",
    "sion",
    "ment",
    "ity",
    "ance",
    "ence",
    "ism",
    "ing",
    "ive",
    "ary",
    "ery",
    "ship",
    "ness",
    "ics",
    "ical",
    "ial",
    "ure",
    "ism",
    "ists",
    "ions",
    "ments",
    "ogy",
    "ies",
)
_DIRECTIONS = lx.words(
    "Northern Southern Eastern Western Central North South East West Upper Lower Greater "
    "Northeast Northwest Southeast Southwest Northeastern Northwestern Southeastern "
    "Southwestern Inner Outer Old New"
)
#: Lower-case nouns right after a name that make it a place ("the al-Waer neighborhood").
_PLACE_NOUNS = lx.words(
    "neighborhood neighbourhood district area province governorate region city town village "
    "suburb suburbs camp countryside outskirts border crossing valley river mountains airport "
    "airfield base"
)
#: "the city of X", "the towns of X and Y".
_PLACE_OF = lx.words(
    "city town towns village villages province region district governorate capital suburb "
    "outskirts cities island port"
)
_RULER_NOUNS = frozenset(("regime", "dictatorship", "loyalists", "administration"))


def is_acronym(word: str) -> bool:
    return sum(c.isalpha() for c in word) >= 2 and bool(_ACRONYM.match(word))


def _looks_common(word: str) -> bool:
    return word.lower().endswith(_COMMON_ENDINGS)


def _context(text: str, start: int, end: int) -> tuple[list[str], str]:
    before = text[max(0, start - 24) : start].split()
    after = text[end : end + 16].split(maxsplit=1)
    nxt = after[0].strip(",.;:)”\"’'") if after and text[end : end + 1] == " " else ""
    return before, nxt


#: Words right before a name that ``by_context`` reads, and words right after it.
_CUES_BEFORE = lx.PLACE_PREPOSITIONS | {"of"}
_CUES_AFTER = _PLACE_NOUNS | lx.SPEECH_VERBS | _RULER_NOUNS


def outer_context(text: str, start: int, end: int) -> tuple[str, bool, bool, str, bool]:
    """What ``by_context`` could read outside ``text[start:end]``, reduced to what matters.

    Two names with the same words and the same outer context get the same reading, so a
    chunk's mentions can be reused wherever this tuple repeats.
    """
    before = text[max(0, start - 24) : start].split()
    w1 = before[-1].lower() if before else ""
    nxt = ""
    if text.startswith(" ", end):
        after = text[end : end + 16].split(maxsplit=1)
        nxt = after[0].strip(",.;:)”\"’'") if after else ""
    return (
        w1 if w1 in _CUES_BEFORE else "",
        w1 in _PLACE_OF,
        w1 == "of" and len(before) > 1 and before[-2].lower() in _PLACE_OF,
        nxt if nxt in _CUES_AFTER else "",
        text.startswith((", ", " ,"), end) and _country_follows(text, end),
    )


def classify(words: list[str], text: str, start: int, end: int) -> tuple[str, bool]:
    """Label and strength for one name from its words and the words around it."""
    decided = by_words(tuple(words))
    if decided is not None:
        return decided
    return by_context(words, text, start, end)


def by_context(words: list[str], text: str, start: int, end: int) -> tuple[str, bool]:
    """The decision for a name its words leave open, from the words around it."""
    before, nxt = _context(text, start, end)
    prev = before[-1].lower() if before else ""
    if nxt in _PLACE_NOUNS or (text.startswith((", ", " ,"), end) and _country_follows(text, end)):
        return "PLACE", True
    if prev == "of" and len(before) > 1 and before[-2].lower() in _PLACE_OF:
        return "PLACE", True
    first = words[0]
    if len(words) > 1:
        if lx.norm(first) in lx.given_names():
            return "PERSON", True
        if any(w[:3].lower() in ("al-", "el-", "bin", "ibn") for w in words[1:]) or first in (
            "Abu",
            "Abd",
        ):
            return "PERSON", True
        if prev in lx.PLACE_PREPOSITIONS:
            return "PLACE", False
        if any(is_acronym(w) or _looks_common(w) for w in words) or "of" in words:
            return "ORG", False
        return "PERSON", False
    if nxt in lx.SPEECH_VERBS or nxt in _RULER_NOUNS:
        return "PERSON", False
    if prev in lx.PLACE_PREPOSITIONS:
        return "PLACE", False
    key = lx.norm(first)
    if key in lx.surnames() or key in lx.given_names():
        return "PERSON", False
    return "ORG", False


@lru_cache(maxsize=lx.KEY_CACHE_SIZE)
def by_words(words: tuple[str, ...]) -> tuple[str, bool] | None:
    """The decision the words alone make (cue words, word lists), or None to ask context."""
    key = lx.norm(" ".join(words))
    first, last = words[0], words[-1]
    many = len(words) > 1
    if key in lx.countries():
        return "PLACE", True
    if not many and is_acronym(last):
        if len(last) > 4 and key in lx.places():
            return "PLACE", True
        return "ORG", True
    if many and last in lx.PLACE_HEADS:
        return "PLACE", True
    if last in lx.ORG_HEADS or any(w in lx.ORG_WORDS for w in words):
        return "ORG", True
    if many and (first in lx.PLACE_OPENERS or any(w in lx.PLACE_HEADS for w in words[1:])):
        return "PLACE", True
    if many and first in _DIRECTIONS and lx.norm(" ".join(words[1:])) in lx.countries():
        return "PLACE", True
    places = lx.places()
    if key in places or lx.strip_article(key) in places or key in lx.regions():
        return "PLACE", many or key not in lx.surnames()
    if key in lx.groups() or all(lx.norm(w) in lx.groups() for w in words):
        return "GROUP", True
    return None


def _country_follows(text: str, end: int) -> bool:
    """True for "Palmyra, Syria": what follows the comma is a country or a region."""
    rest = text[end + 2 : end + 40]
    for size in (3, 2, 1):
        cand = " ".join(rest.split()[:size]).rstrip(".,;:)")
        key = lx.norm(cand)
        if key in lx.countries() or key in lx.regions():
            return True
    return False
