"""Where a loaded database's lines are read from: the file as it was loaded, or bytes.

The annotation store keeps only each line's offset and length and reads a line back when it
is asked for. The file stays open read-only while its lines are in use: another process
renaming a new file over the path leaves this one's inode, and so its bytes, as they were.
Reads go through ``os.pread`` into small buffers, which do not stay resident the way the
pages of a memory-mapped file would.
"""

from __future__ import annotations

import os
import re
from pathlib import Path


class StaleLines(OSError):
    """The file ended before a line it held when it was loaded (truncated in place)."""


#: What tells one state of a file from another: device, inode, size, modification time.
Stamp = tuple[int, int, int, int]


def stamp_of(st: os.stat_result) -> Stamp:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


class LineSource:
    """Bytes of a loaded file, read by offset."""

    size = 0

    def read(self, offset: int, length: int) -> bytes:
        raise NotImplementedError

    def close(self) -> None:
        """Let go of the file; reading afterwards raises ValueError."""


class FileLines(LineSource):
    """An open file, read with ``os.pread``.

    Held as a file object rather than a bare descriptor, so one that is never closed is
    still closed when it is collected instead of leaking. A program that rewrites the file
    in place (TinyDB's own storage, many editors) changes the bytes under the offsets held:
    :meth:`changed` compares the open file with its ``stamp`` taken when it was opened.
    """

    def __init__(self, file: object) -> None:
        self._file = file
        self._fd = file.fileno()  # type: ignore[attr-defined]
        name = getattr(file, "name", "")
        self.path = Path(os.fsdecode(name) if isinstance(name, str | bytes) else "")
        self.stamp = stamp_of(os.fstat(self._fd))
        self.size = self.stamp[2]

    @classmethod
    def open(cls, path: os.PathLike[str] | str) -> FileLines:
        file = open(path, "rb", buffering=0)  # noqa: SIM115 (closed by close())
        try:
            return cls(file)
        except BaseException:
            file.close()
            raise

    def stat(self) -> os.stat_result:
        return os.fstat(self._fd)

    def changed(self) -> bool:
        """Whether the open file was written to since it was opened (False once closed)."""
        return self._file is not None and stamp_of(os.fstat(self._fd)) != self.stamp

    def read(self, offset: int, length: int) -> bytes:
        if self._file is None:
            raise ValueError("the database file was closed")
        data = os.pread(self._fd, length, offset)
        while len(data) < length:  # a short read is allowed; an empty one is the end
            more = os.pread(self._fd, length - len(data), offset + len(data))
            if not more:
                raise StaleLines(f"the database file ended at {offset + len(data)}")
            data += more
        return data

    def close(self) -> None:
        if self._file is not None:
            self._file.close()  # type: ignore[attr-defined]
            self._file = None


class MemoryLines(LineSource):
    """Bytes already in memory (a file parsed whole, or a test's)."""

    def __init__(self, raw: bytes) -> None:
        self._raw = raw
        self.size = len(raw)

    def read(self, offset: int, length: int) -> bytes:
        return self._raw[offset : offset + length]


class Window:
    """The stretch of a source a sequential scan is looking at, read a piece at a time.

    Offsets are the file's; :meth:`drop` lets go of what the scan has finished with, so
    only about ``piece`` bytes (or the longest line) are held at once.
    """

    def __init__(self, source: LineSource, piece: int) -> None:
        self.source = source
        self.piece = piece
        self.base = 0
        self.buf = b""

    @property
    def end(self) -> int:
        return self.base + len(self.buf)

    def ensure(self, end: int) -> None:
        """Hold the file up to ``end`` (or to its end)."""
        end = min(end, self.source.size)
        if end > self.end:
            self.buf += self.source.read(self.end, end - self.end)

    def drop(self, before: int) -> None:
        if before > self.base:
            self.buf = self.buf[before - self.base :]
            self.base = before

    def find(self, sub: bytes, start: int, end: int | None = None) -> int:
        """Like ``bytes.find`` on the file, reading on until found or ``end``."""
        if end is not None:
            self.ensure(end)
            hit = self.buf.find(sub, start - self.base, end - self.base)
            return hit + self.base if hit >= 0 else -1
        looked = start
        self.ensure(start + len(sub) + self.piece)
        while True:
            hit = self.buf.find(sub, looked - self.base)
            if hit >= 0:
                return hit + self.base
            if self.end >= self.source.size:
                return -1
            looked = max(start, self.end - len(sub) + 1)
            # Growing by what is held already, so a very long line is read in few steps.
            self.ensure(self.end + max(self.piece, len(self.buf)))

    def startswith(self, prefix: bytes, pos: int) -> bool:
        self.ensure(pos + len(prefix))
        return self.buf.startswith(prefix, pos - self.base)

    def match(self, pattern: re.Pattern[bytes], pos: int, longest: int) -> re.Match[bytes] | None:
        """``pattern.match`` at ``pos``, for matches no longer than ``longest`` bytes."""
        self.ensure(pos + longest)
        return pattern.match(self.buf, pos - self.base)

    def view(self, start: int, stop: int) -> memoryview:
        self.ensure(stop)
        return memoryview(self.buf)[start - self.base : stop - self.base]

    def count(self, sub: bytes, start: int, stop: int) -> int:
        self.ensure(stop)
        return self.buf.count(sub, start - self.base, stop - self.base)
