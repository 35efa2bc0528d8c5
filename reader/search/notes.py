"""What the jump index remembers of each note beyond its searchable strings.

Which items hold the note's text and quote (to remove them), a fingerprint (to tell an
edited note from an unchanged one without keeping the note) and its anchor (to find the
passage again when the text has moved). Kept as columns, one slot per note, not as
``Note`` objects; the anchor's strings are on disk (read when a hit is opened), the ids
numbers (see :mod:`reader.search.noteids`): 100,000 notes cost a few megabytes.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator

from reader.models import Anchor, Note
from reader.search.noteids import NoteIds
from reader.search.packed import StringPool
from reader.search.spill import SpillFile

#: A column's value for "none".
NONE = -1


def encode_anchor(anchor: Anchor, exact: str) -> str:
    """One string holding an anchor's offsets, ``exact`` (the anchor's exact text, or ""
    when an item holds it), prefix and suffix."""
    head = f"{anchor.start},{anchor.end},{len(exact)},{len(anchor.prefix)}:"
    return head + exact + anchor.prefix + anchor.suffix


def decode_anchor(record: str) -> tuple[Anchor, bool]:
    """The anchor :func:`encode_anchor` wrote, and whether its exact text was kept."""
    head, _, body = record.partition(":")
    start, end, n_exact, n_prefix = (int(v) for v in head.split(","))
    exact = body[:n_exact]
    prefix = body[n_exact : n_exact + n_prefix]
    suffix = body[n_exact + n_prefix :]
    return Anchor(exact, prefix, suffix, start, end), bool(n_exact)


class NoteTable:
    """Note id -> slot; per slot its items, fingerprint and anchor."""

    def __init__(self, spill: SpillFile | None = None) -> None:
        self._ids = NoteIds()
        self._text_items = array("i")
        self._quote_items = array("i")
        self._fingerprints = array("q")
        #: Per slot one string: the encoded anchor, "" for a note without one.
        self._anchors = StringPool(spill)

    def __len__(self) -> int:
        return len(self._ids)

    def ids(self) -> Iterator[str]:
        return self._ids.ids()

    def slots(self) -> Iterator[int]:
        return self._ids.slots()

    @property
    def next_slot(self) -> int:
        """The slot the next :meth:`put` fills."""
        return self._ids.slots_made

    def slot(self, note_id: str) -> int | None:
        return self._ids.get(note_id)

    def id_of(self, slot: int) -> str:
        return self._ids.id_of(slot)

    def holds(self, note: Note) -> bool:
        """Whether ``note`` is here exactly as it is now."""
        slot = self._ids.get(note.id)
        return slot is not None and self.same(slot, note)

    def same(self, slot: int, note: Note) -> bool:
        """Whether ``slot`` holds ``note`` exactly as it is now."""
        return self._fingerprints[slot] == hash(note)

    def put(self, note: Note, text_item: int | None, quote_item: int | None) -> int:
        """Remember ``note`` (call :meth:`pop` first for a note already here); its slot.

        Every value is worked out before any column grows, so a note that cannot be kept
        leaves the columns in step.
        """
        anchor = note.anchor
        record = ""
        if anchor is not None:
            record = encode_anchor(anchor, "" if quote_item is not None else anchor.exact)
        fingerprint = hash(note)
        slot = self._ids.add(note.id)
        self._text_items.append(NONE if text_item is None else text_item)
        self._quote_items.append(NONE if quote_item is None else quote_item)
        self._fingerprints.append(fingerprint)
        self._anchors.append(record)
        return slot

    def pop(self, note_id: str) -> list[int]:
        """Forget a note; the ids of the items that held it (to remove them)."""
        slot = self._ids.remove(note_id)
        if slot is None:
            return []
        return [i for i in (self._text_items[slot], self._quote_items[slot]) if i != NONE]

    def anchor(self, note_id: str, display: Callable[[int], str]) -> Anchor | None:
        """The note's anchor; ``display`` reads an item's string (the quote's, which is the
        anchor's exact text, is not kept twice)."""
        slot = self._ids.get(note_id)
        if slot is None:
            return None
        record = self._anchors[slot]
        if not record:
            return None
        anchor, kept = decode_anchor(record)
        quote = self._quote_items[slot]
        if not kept and quote != NONE:
            return Anchor(display(quote), anchor.prefix, anchor.suffix, anchor.start, anchor.end)
        return anchor

    def nbytes(self) -> int:
        """Bytes held in memory by the columns and the ids."""
        columns: Iterable[array[int]] = (
            self._text_items,
            self._quote_items,
            self._fingerprints,
        )
        held = sum(c.itemsize * len(c) for c in columns)
        return held + self._anchors.nbytes() + self._ids.nbytes()

    def close(self) -> None:
        self._anchors.close()
