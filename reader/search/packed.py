"""Strings kept compact: article texts compressed, short strings packed into one buffer.

The jump index holds every article's text (for the text search and to name entities) and
every note; kept as Python ``str`` objects that was most of its memory (a text with one
curly quote takes two bytes a character, and each short string carries a ~50-byte object).
A query reads only the few articles and the few hundred strings its words narrow to, so
unpacking those on demand costs little.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Iterable

#: zlib's fastest level: about as small as the default on prose, several times quicker.
LEVEL = 1
#: Code points that UTF-8 cannot hold (lone surrogates) still round-trip.
ERRORS = "surrogatepass"


def pack(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8", ERRORS), LEVEL) if text else b""


def unpack(blob: bytes) -> str:
    return zlib.decompress(blob).decode("utf-8", ERRORS) if blob else ""


class PackedTexts:
    """Long texts, each compressed on its own; ``texts[i]`` gives one back."""

    def __init__(self) -> None:
        self._blobs: list[bytes] = []

    def __len__(self) -> int:
        return len(self._blobs)

    def __getitem__(self, index: int) -> str:
        return unpack(self._blobs[index])

    def append(self, text: str) -> int:
        self._blobs.append(pack(text))
        return len(self._blobs) - 1

    def clear(self, index: int) -> None:
        """Forget one text (its place stays, empty)."""
        self._blobs[index] = b""

    def nbytes(self) -> int:
        return sum(map(len, self._blobs))


class StringPool:
    """Many short strings as UTF-8 in one buffer: a few bytes of offset each, not an object.

    Strings are only added; one no longer wanted stays until the pool is dropped (notes
    are edited far less often than they are read).
    """

    def __init__(self) -> None:
        self._data = bytearray()
        self._ends = array("q")

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, index: int) -> str:
        start = self._ends[index - 1] if index else 0
        return self._data[start : self._ends[index]].decode("utf-8", ERRORS)

    def many(self, indices: Iterable[int]) -> list[str]:
        """``[pool[i] for i in indices]``, without a method call each."""
        data, ends = self._data, self._ends
        return [data[ends[i - 1] if i else 0 : ends[i]].decode("utf-8", ERRORS) for i in indices]

    def append(self, text: str) -> int:
        self._data += text.encode("utf-8", ERRORS)
        self._ends.append(len(self._data))
        return len(self._ends) - 1

    def nbytes(self) -> int:
        return len(self._data) + self._ends.itemsize * len(self._ends)
