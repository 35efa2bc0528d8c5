"""Strings kept out of memory: article texts compressed, short strings as UTF-8, on disk.

The jump index holds every article's text (for the text search and to name entities) and
every note; kept as Python ``str`` objects that was most of its memory, and even packed in
memory it was tens of megabytes at 10,000 articles and 100,000 notes. A query reads only
the few articles and the few hundred strings its words narrow to, so each string is
written once to a :class:`~reader.search.spill.SpillFile` and read back by offset; memory
holds one offset per string.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Iterable

from reader.search.spill import SpillFile

#: zlib's fastest level: about as small as the default on prose, several times quicker.
LEVEL = 1
#: Code points that UTF-8 cannot hold (lone surrogates) still round-trip.
ERRORS = "surrogatepass"
#: Largest offset a 32-bit column holds; past it the column is widened.
MAX_NARROW = 2**32 - 1


def pack(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8", ERRORS), LEVEL) if text else b""


def unpack(blob: bytes) -> str:
    return zlib.decompress(blob).decode("utf-8", ERRORS) if blob else ""


def offsets() -> array[int]:
    """A column of file offsets: four bytes each while the file is under 4 GB."""
    return array("I")


def put(column: array[int], value: int) -> array[int]:
    """Append ``value``; the column itself, or a widened copy once a value outgrows it."""
    if value > MAX_NARROW and column.typecode == "I":
        column = array("q", column)
    column.append(value)
    return column


class PackedTexts:
    """Long texts, each compressed on its own; ``texts[i]`` gives one back.

    The compressed bytes are on disk; memory holds where each text starts and ends.
    """

    def __init__(self, spill: SpillFile | None = None) -> None:
        self._spill = spill if spill is not None else SpillFile()
        self._starts = offsets()
        self._ends = offsets()

    def __len__(self) -> int:
        return len(self._starts)

    def __getitem__(self, index: int) -> str:
        start = self._starts[index]
        return unpack(self._spill.read(start, self._ends[index] - start))

    def append(self, text: str) -> int:
        blob = pack(text)
        start = self._spill.append(blob)
        self._starts = put(self._starts, start)
        self._ends = put(self._ends, start + len(blob))
        return len(self._starts) - 1

    def clear(self, index: int) -> None:
        """Forget one text (its place stays, empty; its bytes stay in the file)."""
        self._ends[index] = self._starts[index]

    def nbytes(self) -> int:
        """Bytes held in memory (the offsets)."""
        return sum(c.itemsize * len(c) for c in (self._starts, self._ends))

    def disk_bytes(self) -> int:
        """Compressed bytes of the texts still held."""
        return sum(e - s for s, e in zip(self._starts, self._ends, strict=True))

    def close(self) -> None:
        self._spill.close()


class StringPool:
    """Many short strings as UTF-8, one after another in a spill file of their own: a few
    bytes of offset each in memory, not an object.

    Strings are only added; one no longer wanted stays until the pool is dropped (notes
    are edited far less often than they are read).
    """

    def __init__(self, spill: SpillFile | None = None) -> None:
        self._spill = spill if spill is not None else SpillFile()
        if len(self._spill):
            raise ValueError("a string pool needs a spill file of its own")
        self._ends = offsets()

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, index: int) -> str:
        start = self._ends[index - 1] if index else 0
        return self._spill.read(start, self._ends[index] - start).decode("utf-8", ERRORS)

    def many(self, indices: Iterable[int]) -> list[str]:
        """``[pool[i] for i in indices]``."""
        return [self[i] for i in indices]

    def append(self, text: str) -> int:
        data = text.encode("utf-8", ERRORS)
        end = self._spill.append(data) + len(data)
        if end > MAX_NARROW and self._ends.typecode == "I":
            self._ends = array("q", self._ends)
        self._ends.append(end)
        return len(self._ends) - 1

    def nbytes(self) -> int:
        """Bytes held in memory (the offsets)."""
        return self._ends.itemsize * len(self._ends)

    def disk_bytes(self) -> int:
        return len(self._spill)

    def close(self) -> None:
        self._spill.close()


class IntRuns:
    """For each number (0, 1, 2...) the last run of ints given for it, on disk.

    What a number held before is left in the file: runs are replaced rarely (an article's
    entities, when the article is edited).
    """

    def __init__(self, spill: SpillFile | None = None) -> None:
        self._spill = spill if spill is not None else SpillFile()
        self._starts = array("q")
        self._counts = array("i")

    def __getitem__(self, number: int) -> array[int]:
        run = array("i")
        count = self._counts[number] if number < len(self._counts) else 0
        if count:
            run.frombytes(self._spill.read(self._starts[number], run.itemsize * count))
        return run

    def __setitem__(self, number: int, run: array[int]) -> None:
        if number >= len(self._counts):
            grow = number + 1 - len(self._counts)
            self._starts.extend(array("q", bytes(8 * grow)))
            self._counts.extend(array("i", bytes(4 * grow)))
        self._starts[number] = self._spill.append(run.tobytes()) if run else 0
        self._counts[number] = len(run)

    def nbytes(self) -> int:
        return self._starts.itemsize * len(self._starts) + self._counts.itemsize * len(self._counts)

    def close(self) -> None:
        self._spill.close()
