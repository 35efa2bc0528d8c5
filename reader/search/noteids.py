"""Note id -> slot number, without a Python object per note.

A dict of 100,000 note ids holds 100,000 ``str`` objects and their entries: about 15 MB.
The store makes every id 16 lower-case hex digits, which is a 64-bit number; those are
kept as numbers in an array and found through an open-addressing table of slot numbers,
a few bytes per note. Any other id (restored from a backup written elsewhere, typed in a
test) is kept in a plain dict: there are few.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator

#: An id the store makes: kept as a number.
HEX_ID = re.compile(r"[0-9a-f]{16}")
#: A slot's state.
GONE, HEX, OTHER = 0, 1, 2
#: An empty place in the table.
EMPTY = -1
#: Fibonacci hashing's multiplier, so ids that differ in few digits spread out.
GOLDEN = 0x9E3779B97F4A7C15
MASK64 = 2**64 - 1


class NoteIds:
    """Each live note id has a slot; slots are numbered in the order ids are added and
    never reused (a removed note's slot stays empty), so columns kept by slot only grow.
    """

    def __init__(self) -> None:
        self._keys = array("Q")
        self._state = bytearray()
        self._other: dict[str, int] = {}
        self._other_ids: dict[int, str] = {}
        self._bits = 3
        self._table = array("i", [EMPTY]) * (1 << self._bits)
        #: Places in the table taken, by live or removed slots.
        self._taken = 0
        self._live = 0

    def __len__(self) -> int:
        return self._live

    def __contains__(self, note_id: str) -> bool:
        return self.get(note_id) is not None

    @property
    def slots_made(self) -> int:
        """Slots handed out so far (live or not): the length of a column kept by slot."""
        return len(self._state)

    def get(self, note_id: str) -> int | None:
        """The live slot of ``note_id``, or None."""
        if not HEX_ID.fullmatch(note_id):
            return self._other.get(note_id)
        key = int(note_id, 16)
        table, keys, state = self._table, self._keys, self._state
        mask = len(table) - 1
        place = self._place(key)
        while (slot := table[place]) != EMPTY:
            if keys[slot] == key and state[slot] == HEX:
                return slot
            place = (place + 1) & mask
        return None

    def add(self, note_id: str) -> int:
        """A new slot for ``note_id`` (which must not be live)."""
        if note_id in self:
            raise KeyError(f"note {note_id!r} is held already")
        slot = len(self._state)
        if HEX_ID.fullmatch(note_id):
            self._keys.append(int(note_id, 16))
            self._state.append(HEX)
            if (self._taken + 1) * 10 > len(self._table) * 7:
                self._rehash()
            self._insert(slot)
        else:
            self._keys.append(0)
            self._state.append(OTHER)
            self._other[note_id] = slot
            self._other_ids[slot] = note_id
        self._live += 1
        return slot

    def remove(self, note_id: str) -> int | None:
        """Forget ``note_id``; its slot, or None if it was not here."""
        slot = self.get(note_id)
        if slot is None:
            return None
        if self._state[slot] == OTHER:
            del self._other[note_id]
            del self._other_ids[slot]
        self._state[slot] = GONE  # its place in the table stays taken until a rehash
        self._live -= 1
        return slot

    def id_of(self, slot: int) -> str:
        """The id held in ``slot`` ("" for a removed one)."""
        state = self._state[slot]
        if state == HEX:
            return f"{self._keys[slot]:016x}"
        return self._other_ids.get(slot, "") if state == OTHER else ""

    def live(self, slot: int) -> bool:
        return 0 <= slot < len(self._state) and self._state[slot] != GONE

    def slots(self) -> Iterator[int]:
        """The live slots, in order."""
        state = self._state
        return (slot for slot in range(len(state)) if state[slot] != GONE)

    def ids(self) -> Iterator[str]:
        return map(self.id_of, self.slots())

    def nbytes(self) -> int:
        """Bytes of the arrays (the dict of other ids not counted)."""
        return self._keys.itemsize * len(self._keys) + len(self._state) + 4 * len(self._table)

    def _place(self, key: int) -> int:
        return ((key * GOLDEN) & MASK64) >> (64 - self._bits)

    def _insert(self, slot: int) -> None:
        table = self._table
        mask = len(table) - 1
        place = self._place(self._keys[slot])
        while table[place] != EMPTY:
            place = (place + 1) & mask
        table[place] = slot
        self._taken += 1

    def _rehash(self) -> None:
        """A table for the live ids, at most half full after the next add."""
        live = self._state.count(HEX) + 1
        bits = 3
        while live * 2 > (1 << bits):
            bits += 1
        self._bits = bits
        self._table = array("i", [EMPTY]) * (1 << bits)
        self._taken = 0
        state = self._state
        for slot in range(len(state) - 1):  # the slot being added is inserted by add()
            if state[slot] == HEX:
                self._insert(slot)
