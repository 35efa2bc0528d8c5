"""Tag rules, in one place so the CLI, the UI and the store agree on what a tag is.

A tag is one word-like token: trimmed, compared and stored case-folded, no whitespace and no
control or format characters (they would break listings and could hide text in a terminal).
A leading ``#`` is accepted and dropped, so ``#Syria`` and ``syria`` are the same tag.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from reader.errors import ReaderError

#: Longer than any real tag; long enough to be a sentence pasted by mistake.
MAX_TAG_LENGTH = 64

#: Unicode categories refused inside a tag: controls, format characters (bidi overrides,
#: zero-width joiners), surrogates, private use and unassigned code points.
_BAD_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


class BadTag(ReaderError):
    """A tag the user typed that cannot be a tag; the message says why."""

    def __init__(self, raw: str, problem: str) -> None:
        self.raw = raw
        self.problem = problem
        shown = raw.encode("unicode_escape").decode("ascii") if raw else ""
        if len(shown) > 40:
            shown = shown[:40] + "..."
        super().__init__(f"bad tag {shown!r}: {problem}")


def normalize_tag(raw: str) -> str:
    """The stored form of ``raw``: trimmed, without a leading '#', case-folded.

    Raises :class:`BadTag` naming the problem (empty, whitespace inside, a control
    character, too long).
    """
    if not isinstance(raw, str):
        raise BadTag(repr(raw), "a tag must be text")
    tag = raw.strip()
    if tag.startswith("#"):
        tag = tag[1:]
    if not tag:
        raise BadTag(raw, "a tag cannot be empty")
    for ch in tag:
        if ch.isspace():
            raise BadTag(raw, "a tag cannot contain spaces or other whitespace")
        category = unicodedata.category(ch)
        if category in _BAD_CATEGORIES:
            raise BadTag(
                raw, f"a tag cannot contain the control or invisible character U+{ord(ch):04X}"
            )
    if tag.startswith("#"):
        raise BadTag(raw, "a tag can start with at most one '#'")
    tag = unicodedata.normalize("NFC", tag.casefold())
    if len(tag) > MAX_TAG_LENGTH:
        raise BadTag(raw, f"a tag can be at most {MAX_TAG_LENGTH} characters long")
    return tag


def normalize_tags(raws: Iterable[str]) -> tuple[str, ...]:
    """Every tag normalised, duplicates dropped, first-seen order kept.

    All are checked before any is returned, so a caller can refuse the whole set at once.
    """
    if isinstance(raws, str):
        raws = (raws,)
    seen: dict[str, None] = {}
    for raw in raws:
        seen.setdefault(normalize_tag(raw), None)
    return tuple(seen)
