"""The built-in pass: figures and dates first, then names around them, then agreement."""

from __future__ import annotations

from ..models import EntitySpan
from . import lexicon as lx
from . import patterns
from .consistency import resolve
from .names import Mention, find_names
from .numeric import find_figures, lower_same_length

_DIGIT_ORDINAL = patterns.compile(r"\d+(?:st|nd|rd|th)$")
_TAIL_INITIALS = frozenset(word[0] for word in lx.PLACE_TAILS)


def _place_tail(text: str, m: Mention) -> int:
    """End of "Idlib province": a lower-case place word right after a place is part of it."""
    after = text[m.end + 1 : m.end + 2]
    if after not in _TAIL_INITIALS and not after.isspace():
        return m.end  # the common case: the next word cannot be one of them
    rest = text[m.end : m.end + 16]
    if rest[:1] == " ":
        word = rest[1:].split(maxsplit=1)[0] if rest[1:].strip() else ""
        word = word.rstrip(".,;:)")
        if word in lx.PLACE_TAILS:
            return m.end + 1 + len(word)
    return m.end


def _joins_region(text: str, a: Mention, b: Mention) -> bool:
    """ "Sarmada, Syria": a place, a comma, then its country or state is one place."""
    if a.label != "PLACE" or b.label != "PLACE" or text[a.end : b.start] != ", ":
        return False
    key_a, key_b = lx.norm(a.text), lx.norm(b.text)
    return key_a not in lx.countries() and (key_b in lx.countries() or key_b in lx.regions())


def extract(text: str) -> list[EntitySpan]:
    """Every entity in ``text``: sorted, non-overlapping, with article-wide keys."""
    figures = list(find_figures(text, lower_same_length(text)))
    mentions = find_names(text, [(s, e) for s, e, _, _ in figures])
    resolved = resolve(text, mentions)

    # (start, -end, order, label, fine, key): sorting these keeps the order of equal spans
    rows: list[tuple[int, int, int, str, str, str]] = []
    fig_by_end = {e: s for s, e, _, _ in figures}
    consumed: set[int] = set()
    i, n = 0, len(resolved)
    while i < n:
        m, key = resolved[i]
        start, end = m.start, m.end
        if m.label == "ORG":
            # "158th Fighter Wing": a unit's ordinal belongs to its name
            prev = fig_by_end.get(start - 1)
            if (
                prev is not None
                and text[start - 1] == " "
                and _DIGIT_ORDINAL.match(text, prev, start - 1)
            ):
                consumed.add(prev)
                start = prev
                key = text[start:end] if key == m.text else key
        elif m.label == "PLACE":
            if i + 1 < n and _joins_region(text, m, resolved[i + 1][0]):
                end = resolved[i + 1][0].end
                key = text[start:end]
                i += 1
            else:
                end = _place_tail(text, m)
        rows.append((start, -end, len(rows), m.label, "", key or text[start:end]))
        i += 1
    for s, e, lab, fine in figures:
        if s not in consumed:
            rows.append((s, -e, len(rows), lab, fine, ""))
    rows.sort()
    out: list[EntitySpan] = []
    last_end = -1
    # Dates and figures are one entity per spelling, whatever its case: "Earlier this week"
    # opening a sentence is the "earlier this week" of another; the first one names both.
    figure_keys: dict[tuple[str, str], str] = {}
    for start, neg_end, _, label, fine, key in rows:
        if start >= last_end:
            if not key:
                spelling = text[start:-neg_end]
                key = figure_keys.setdefault((label, spelling.casefold()), spelling)
            out.append(EntitySpan(start, -neg_end, label, fine, key))
            last_end = -neg_end
    return out
