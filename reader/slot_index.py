"""Ids -> the table slots that hold them, in about 12 bytes an entry.

The annotation store indexes 100,000 notes by id and by article. As dicts of strings that
cost over 20 MB; here an id of 16 lower-case hex digits (the store's note and article ids,
content hashes) is a 64-bit number kept in sorted arrays beside its slots, and only other
ids go in a dict. The arrays are split into 256 by the number's last byte, so an insert
moves a few hundred entries rather than the whole index, and both random ids and ids
counted up (0000000000000001, 0000000000000002...) spread evenly.
"""

from __future__ import annotations

import re
import sys
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import compress
from operator import itemgetter

_HEX_ID = re.compile(r"[0-9a-f]{16}")
_HEX = re.compile(r"[0-9a-f]*")
_BUCKET_MASK = 0xFF
_BUCKETS = 256
MASK64 = (1 << 64) - 1


def hex_number(key: str) -> int | None:
    """``key`` as a number if it is 16 lower-case hex digits, else None."""
    return int(key, 16) if len(key) == 16 and _HEX_ID.fullmatch(key) else None


def hex_numbers(keys: list[str]) -> array[int] | None:
    """All of ``keys`` as numbers if each is 16 lower-case hex digits (C calls only)."""
    joined = "".join(keys)
    if len(joined) != 16 * len(keys) or not _HEX.fullmatch(joined):
        return None
    if keys and (min(map(len, keys)) != 16 or max(map(len, keys)) != 16):
        return None
    numbers = array("Q", bytes.fromhex(joined))
    if sys.byteorder == "little":
        numbers.byteswap()
    return numbers


class SlotIndex:
    """A multimap from ids (or from 64-bit numbers) to slots; each id's slots ascending."""

    def __init__(self) -> None:
        self._numbers = [array("Q") for _ in range(_BUCKETS)]
        self._slots = [array("I") for _ in range(_BUCKETS)]
        self._others: dict[str, list[int]] = {}
        self._unsorted = False

    # -- building ---------------------------------------------------------------------------

    def extend(self, keys: list[str], slots: Sequence[int]) -> None:
        """Add many entries unsorted; call :meth:`sort` after the last."""
        numbers = hex_numbers(keys)
        if numbers is not None:
            self.extend_numbers(numbers, slots)
            return
        hexes: list[int] = []
        hex_slots: list[int] = []
        for key, slot in zip(keys, slots, strict=True):
            number = hex_number(key)
            if number is None:
                self._others.setdefault(key, []).append(slot)
            else:
                hexes.append(number)
                hex_slots.append(slot)
        self.extend_numbers(hexes, hex_slots)

    def extend_numbers(self, numbers: Iterable[int], slots: Iterable[int]) -> None:
        """Like :meth:`extend`, with numbers (below 2**64) for keys."""
        all_numbers, all_slots = self._numbers, self._slots
        for number, slot in zip(numbers, slots, strict=True):
            bucket = number & _BUCKET_MASK
            all_numbers[bucket].append(number)
            all_slots[bucket].append(slot)
        self._unsorted = True

    def append(self, key: str | int, slot: int) -> None:
        """Add one entry unsorted; call :meth:`sort` after the last. An int key is taken
        as the number itself (a string's hash, say)."""
        number = _number_of(key)
        if number is None:
            assert isinstance(key, str)
            self._others.setdefault(key, []).append(slot)
        else:
            self.append_number(number, slot)

    def append_number(self, number: int, slot: int) -> None:
        """Like :meth:`append`, with a number (below 2**64) for key."""
        bucket = number & _BUCKET_MASK
        self._numbers[bucket].append(number)
        self._slots[bucket].append(slot)
        self._unsorted = True

    def sort(self) -> None:
        """Put the entries added by :meth:`extend` in order (a bucket at a time)."""
        for bucket in range(_BUCKETS):
            numbers = self._numbers[bucket]
            if len(numbers) > 1:
                pairs = sorted(zip(numbers, self._slots[bucket], strict=True))
                self._numbers[bucket] = array("Q", map(itemgetter(0), pairs))
                self._slots[bucket] = array("I", map(itemgetter(1), pairs))
        for slots in self._others.values():
            slots.sort()
        self._unsorted = False

    def shadowed(self) -> list[tuple[str, int]]:
        """(id, slot) of every entry whose id a later slot holds too."""
        assert not self._unsorted
        found: list[tuple[str, int]] = []
        for bucket in range(_BUCKETS):
            numbers = self._numbers[bucket]
            if len(set(numbers)) == len(numbers):
                continue
            slots = self._slots[bucket]
            for i in range(len(numbers) - 1):
                if numbers[i] == numbers[i + 1]:
                    found.append((f"{numbers[i]:016x}", slots[i]))
        for key, held in self._others.items():
            found.extend((key, slot) for slot in held[:-1])
        return found

    # -- changing ---------------------------------------------------------------------------

    def add(self, key: str | int, slot: int) -> None:
        number = _number_of(key)
        if number is None:
            assert isinstance(key, str)
            slots = self._others.setdefault(key, [])
            slots.insert(bisect_left(slots, slot), slot)
        else:
            self.add_number(number, slot)

    def add_number(self, number: int, slot: int) -> None:
        numbers, slots = self._bucket(number)
        lo = bisect_left(numbers, number)
        at = bisect_left(slots, slot, lo, bisect_right(numbers, number, lo))
        numbers.insert(at, number)
        slots.insert(at, slot)

    def remove(self, key: str | int, slot: int) -> None:
        """Forget one entry (nothing if it is not there)."""
        number = _number_of(key)
        if number is not None:
            self.remove_number(number, slot)
            return
        assert isinstance(key, str)
        slots = self._others.get(key)
        if slots is not None and slot in slots:
            slots.remove(slot)
            if not slots:
                del self._others[key]

    def remove_number(self, number: int, slot: int) -> None:
        numbers, slots = self._bucket(number)
        lo = bisect_left(numbers, number)
        at = bisect_left(slots, slot, lo, bisect_right(numbers, number, lo))
        if at < len(numbers) and numbers[at] == number and slots[at] == slot:
            del numbers[at]
            del slots[at]

    # -- reading ----------------------------------------------------------------------------

    def _bucket(self, number: int) -> tuple[array[int], array[int]]:
        bucket = number & _BUCKET_MASK
        return self._numbers[bucket], self._slots[bucket]

    def slots(self, key: str) -> list[int]:
        """The slots of ``key``, ascending."""
        number = hex_number(key)
        if number is None:
            return list(self._others.get(key, ()))
        return self.slots_of_number(number)

    def slots_of_number(self, number: int) -> list[int]:
        numbers, slots = self._bucket(number)
        lo = bisect_left(numbers, number)
        return list(slots[lo : bisect_right(numbers, number, lo)])

    def last(self, key: str) -> int | None:
        """The last slot of ``key`` (the one that counts when an id is there twice)."""
        found = self.slots(key)
        return found[-1] if found else None

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and bool(self.slots(key))

    def __len__(self) -> int:
        return sum(map(len, self._numbers)) + sum(map(len, self._others.values()))

    def counts(self) -> dict[str, int]:
        """Id -> how many slots it has."""
        found: dict[str, int] = {}
        for numbers in self._numbers:
            for number, count in Counter(numbers).items():
                found[f"{number:016x}"] = count
        for key, slots in self._others.items():
            found[key] = len(slots)
        return found

    def all_slots(self) -> Iterator[int]:
        """Every entry's slot, a bucket at a time (not in order)."""
        for slots in self._slots:
            yield from slots
        for others in self._others.values():
            yield from others

    def starting_with(self, folded: str) -> list[int]:
        """Slots of the ids that, case-folded, start with ``folded``."""
        found: list[int] = []
        if len(folded) <= 16 and _HEX.fullmatch(folded):
            spare = 4 * (16 - len(folded))
            lo = int(folded, 16) << spare if folded else 0
            hi = lo + (1 << spare)
            for bucket in range(_BUCKETS):
                numbers = self._numbers[bucket]
                first = bisect_left(numbers, lo)
                found.extend(self._slots[bucket][first : bisect_left(numbers, hi, first)])
        matching = (key.casefold().startswith(folded) for key in self._others)
        for slots in compress(self._others.values(), matching):
            found.extend(slots)
        return found


def _number_of(key: str | int) -> int | None:
    """An int key as it is; a string of 16 hex digits as its number; else None."""
    return key if isinstance(key, int) else hex_number(key)
