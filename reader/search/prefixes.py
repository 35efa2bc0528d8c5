"""The prefixes that narrow a jump to one kind of result.

``#`` tags, ``@`` entities, ``>`` notes (their text and the passages they quote), ``/``
article text, ``:`` titles and sources. Without a prefix every kind is ranked together.
"""

from __future__ import annotations

from reader.search.hits import Kind

PREFIXES: dict[str, frozenset[Kind]] = {
    "#": frozenset({"tag"}),
    "@": frozenset({"entity"}),
    ">": frozenset({"note", "quote"}),
    "/": frozenset({"text"}),
    ":": frozenset({"title", "source"}),
}
ALL_KINDS: frozenset[Kind] = frozenset(
    {"title", "source", "tag", "entity", "note", "quote", "text"}
)


def parse(query: str) -> tuple[str, frozenset[Kind], bool]:
    """Split a jump query into (words, kinds to search, narrowed?)."""
    text = query.strip()
    if text and text[0] in PREFIXES:
        return text[1:].strip(), PREFIXES[text[0]], True
    return text, ALL_KINDS, False
