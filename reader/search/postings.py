"""Which items hold each word: the bulk on disk, what was just added in memory.

At 10,000 articles and 100,000 notes the word lists are about two million numbers (8 MB
as arrays of ints, more as Python lists). A query reads the lists of its few words, so
they are written to a :class:`~reader.search.spill.SpillFile` and read back by offset.
Adding is the common change: new ids gather in small in-memory arrays, and once there
are :data:`RECENT` of them each touched word's list is written again, whole, at the end
of the file. The runs left behind are garbage; when they outweigh the live ones the file
is written afresh.

Ids are never taken out: an index that removes an item remembers it is gone and skips it.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable
from pathlib import Path

from reader.search.spill import SpillFile

#: Ids gathered in memory before they are written out (half a megabyte, and an array
#: object per word touched since).
RECENT = 1 << 17
#: Bytes of one id on disk and in memory.
ITEM = 4
#: The array type code of an id: 32-bit signed, as on disk (native byte order).
CODE = "i"


class Postings:
    """Word id -> the ids added for it, in the order added."""

    def __init__(self, folder: Path | None = None) -> None:
        self._folder = folder
        self._spill = SpillFile(folder)
        #: Per word id: where its written run starts, and how many ids it holds.
        self._starts = array("q")
        self._counts = array("i")
        self._recent: dict[int, array[int]] = {}
        self._pending = 0
        self._live = 0
        self._garbage = 0

    def count(self, wid: int) -> int:
        """How many ids ``wid`` has (cheap: no reading)."""
        written = self._counts[wid] if wid < len(self._counts) else 0
        recent = self._recent.get(wid)
        return written + (len(recent) if recent is not None else 0)

    def get(self, wid: int) -> array[int]:
        """The ids added for ``wid``, oldest first."""
        ids = self._written(wid)
        recent = self._recent.get(wid)
        if recent is not None:
            ids.extend(recent)
        return ids

    def add(self, wid: int, item: int) -> None:
        recent = self._recent.get(wid)
        if recent is None:
            self._recent[wid] = array(CODE, (item,))
        else:
            recent.append(item)
        self._pending += 1
        if self._pending >= RECENT:
            self.flush()

    def add_to_each(self, wids: Iterable[int], item: int) -> None:
        """:meth:`add` ``item`` to each of ``wids`` (an item's words, in one call)."""
        recent = self._recent
        added = 0
        for wid in wids:
            ids = recent.get(wid)
            if ids is None:
                recent[wid] = array(CODE, (item,))
            else:
                ids.append(item)
            added += 1
        self._pending += added
        if self._pending >= RECENT:
            self.flush()

    def extend(self, wid: int, items: Iterable[int]) -> None:
        recent = self._recent.get(wid)
        if recent is None:
            recent = self._recent[wid] = array(CODE)
        before = len(recent)
        recent.extend(items)
        self._pending += len(recent) - before
        if self._pending >= RECENT:
            self.flush()

    def tail(self, wid: int, n: int) -> array[int]:
        """The last ``n`` ids of ``wid`` (fewer if it has fewer), reading only those."""
        recent = self._recent.get(wid, array(CODE))
        if len(recent) >= n:
            return recent[len(recent) - n :]
        written = self._counts[wid] if wid < len(self._counts) else 0
        want = min(written, n - len(recent))
        ids = array(CODE)
        if want:
            at = self._starts[wid] + ITEM * (written - want)
            ids.frombytes(self._spill.read(at, ITEM * want))
        ids.extend(recent)
        return ids

    def replace(self, wid: int, items: array[int]) -> None:
        """Make ``items`` all the ids of ``wid`` (a rare change: written at once)."""
        recent = self._recent.pop(wid, None)
        if recent is not None:
            self._pending -= len(recent)
        self._grow(wid + 1)
        self._garbage += self._counts[wid]
        self._live += len(items) - self._counts[wid]
        self._starts[wid] = self._spill.append(items.tobytes()) if items else 0
        self._counts[wid] = len(items)

    def _grow(self, size: int) -> None:
        if size > len(self._counts):
            grow = size - len(self._counts)
            self._starts.extend(array("q", bytes(8 * grow)))
            self._counts.extend(array("i", bytes(4 * grow)))

    def flush(self) -> None:
        """Write each word's ids gathered in memory out, with its earlier ones."""
        if not self._recent:
            return
        if self._garbage > self._live:
            self._rewrite()
        self._grow(max(self._recent) + 1)
        for wid in sorted(self._recent):
            ids = self.get(wid)
            self._garbage += self._counts[wid]
            self._live += len(ids) - self._counts[wid]
            self._starts[wid] = self._spill.append(ids.tobytes()) if ids else 0
            self._counts[wid] = len(ids)
            # written: out of memory now, so a read failing on a later word (the file is
            # read back for each) leaves no id both written and still gathered
            self._pending -= len(self._recent.pop(wid))
        self._recent = {}
        self._pending = 0

    def nbytes(self) -> int:
        """Bytes held in memory (the run table and the ids not yet written)."""
        table = self._starts.itemsize * len(self._starts) + ITEM * len(self._counts)
        recent = sum(sys.getsizeof(a) for a in self._recent.values())
        return table + recent + sys.getsizeof(self._recent)

    def disk_bytes(self) -> int:
        return len(self._spill)

    def close(self) -> None:
        self._spill.close()
        self._recent = {}

    def _written(self, wid: int) -> array[int]:
        ids = array(CODE)
        count = self._counts[wid] if wid < len(self._counts) else 0
        if count:
            ids.frombytes(self._spill.read(self._starts[wid], ITEM * count))
        return ids

    def _rewrite(self) -> None:
        """Every word's written run copied to a fresh file, without the garbage."""
        fresh = SpillFile(self._folder)
        starts = array(self._starts.typecode, self._starts)
        try:
            for wid, count in enumerate(self._counts):
                if count:
                    starts[wid] = fresh.append(self._spill.read(self._starts[wid], ITEM * count))
        except BaseException:  # the old file and its offsets stay as they were
            fresh.close()
            raise
        self._spill.close()
        self._spill, self._starts = fresh, starts
        self._garbage = 0
