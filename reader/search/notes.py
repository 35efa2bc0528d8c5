"""What the jump index remembers of each note beyond its searchable strings.

Which items hold the note's text and quote (to remove them), a fingerprint (to tell an
edited note from an unchanged one without keeping the note) and its anchor (to find the
passage again when the text has moved). Kept as columns, one slot per note, not as
``Note`` objects: 100,000 notes cost a few megabytes.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable

from reader.models import Anchor, Note
from reader.search.packed import StringPool

#: A column's value for "none".
NONE = -1
#: Largest offset kept (the columns are signed 64-bit); no text is anywhere near as long.
MAX_OFFSET = 2**62


def _offset(value: int) -> int:
    return min(max(value, 0), MAX_OFFSET)


class NoteTable:
    """Note id -> slot; per slot its items, fingerprint and anchor."""

    def __init__(self) -> None:
        self._slots: dict[str, int] = {}
        self._text_items = array("i")
        self._quote_items = array("i")
        self._fingerprints = array("q")
        self._starts = array("q")
        self._ends = array("q")
        #: Per slot three strings: the anchor's exact text ("" when the note's quote item
        #: holds it), prefix and suffix.
        self._anchor_text = StringPool()

    def __len__(self) -> int:
        return len(self._slots)

    def ids(self) -> Iterable[str]:
        return self._slots.keys()

    def holds(self, note: Note) -> bool:
        """Whether ``note`` is here exactly as it is now."""
        slot = self._slots.get(note.id)
        return slot is not None and self._fingerprints[slot] == hash(note)

    def put(self, note: Note, text_item: int | None, quote_item: int | None) -> None:
        """Remember ``note`` (call :meth:`pop` first for a note already here).

        Every value is worked out before any column grows, so a note that cannot be kept
        leaves the columns in step; offsets from a hand-edited database are clamped.
        """
        anchor = note.anchor
        start = NONE if anchor is None else _offset(anchor.start)
        end = NONE if anchor is None else _offset(anchor.end)
        exact = "" if anchor is None or quote_item is not None else anchor.exact
        parts = (exact, anchor.prefix, anchor.suffix) if anchor else ("", "", "")
        fingerprint = hash(note)
        self._slots[note.id] = len(self._fingerprints)
        self._text_items.append(NONE if text_item is None else text_item)
        self._quote_items.append(NONE if quote_item is None else quote_item)
        self._fingerprints.append(fingerprint)
        self._starts.append(start)
        self._ends.append(end)
        for part in parts:
            self._anchor_text.append(part)

    def pop(self, note_id: str) -> list[int]:
        """Forget a note; the ids of the items that held it (to remove them)."""
        slot = self._slots.pop(note_id, None)
        if slot is None:
            return []
        return [i for i in (self._text_items[slot], self._quote_items[slot]) if i != NONE]

    def anchor(self, note_id: str, display: Callable[[int], str]) -> Anchor | None:
        """The note's anchor; ``display`` reads an item's string (the quote's, which is the
        anchor's exact text, is not kept twice)."""
        slot = self._slots.get(note_id)
        if slot is None or self._starts[slot] == NONE:
            return None
        exact, prefix, suffix = (self._anchor_text[3 * slot + k] for k in range(3))
        quote = self._quote_items[slot]
        if quote != NONE:
            exact = display(quote)
        return Anchor(exact, prefix, suffix, self._starts[slot], self._ends[slot])

    def nbytes(self) -> int:
        columns = (
            self._text_items,
            self._quote_items,
            self._fingerprints,
            self._starts,
            self._ends,
        )
        return self._anchor_text.nbytes() + sum(c.itemsize * len(c) for c in columns)
