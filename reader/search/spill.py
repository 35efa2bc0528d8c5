"""Bytes the jump index writes once and reads back rarely, kept on disk rather than in memory.

A query reads the few hundred strings of its shortlist and the few texts it narrows to;
keeping every article text and note in memory for that cost tens of megabytes at 10,000
articles and 100,000 notes. They go to an unlinked temporary file instead, written through
a small buffer and read back by offset with ``os.pread``: the operating system's page
cache keeps what is read often, and none of it counts against the process. Closing the
file (or dropping the last reference to it) deletes it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from pathlib import Path
from typing import BinaryIO

#: Bytes gathered before one write to the file.
BUFFER = 64 * 1024


class SpillFile:
    """An append-only run of bytes: :meth:`append` gives an offset, :meth:`read` the bytes.

    The file is made on the first write that fills the buffer, in ``folder`` (created if
    missing) or, when that cannot be written, in the system's temporary folder. Safe to
    read from several threads; appends take a lock.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self._folder = folder
        self._file: BinaryIO | None = None
        self._buffer = bytearray()
        self._written = 0
        self._lock = threading.Lock()
        self._closed = False

    def __len__(self) -> int:
        """Bytes held (in the file and the buffer)."""
        return self._written + len(self._buffer)

    @property
    def on_disk(self) -> int:
        """Bytes already written to the file."""
        return self._written

    def append(self, data: bytes) -> int:
        """Keep ``data``; the offset to read it back from."""
        with self._lock:
            if self._closed:
                raise ValueError("spill file closed")
            offset = self._written + len(self._buffer)
            self._buffer += data
            if len(self._buffer) >= BUFFER:
                # A full disk keeps the bytes in memory, to be written by a later append:
                # the offset given out stays good, so callers never fall out of step.
                with contextlib.suppress(OSError):
                    self._flush()
            return offset

    def read(self, offset: int, length: int) -> bytes:
        """The ``length`` bytes kept at ``offset``."""
        if length <= 0:
            return b""
        with self._lock:
            if self._closed:
                raise ValueError("spill file closed")
            written = self._written
            if offset >= written:
                start = offset - written
                return bytes(self._buffer[start : start + length])
            fd = self._fileno()
            tail = b""
            if offset + length > written:  # partly still in the buffer
                tail = bytes(self._buffer[: offset + length - written])
                length = written - offset
        return self._pread(fd, offset, length) + tail

    def close(self) -> None:
        """Delete the file; nothing can be read afterwards."""
        with self._lock:
            self._closed = True
            self._buffer = bytearray()
            if self._file is not None:
                self._file.close()
                self._file = None

    @property
    def closed(self) -> bool:
        return self._closed

    def _fileno(self) -> int:
        if self._file is None:
            raise ValueError("spill file closed")
        return self._file.fileno()

    @staticmethod
    def _pread(fd: int, offset: int, length: int) -> bytes:
        data = os.pread(fd, length, offset)
        while len(data) < length:  # a short read (rare): read on
            more = os.pread(fd, length - len(data), offset + len(data))
            if not more:
                raise OSError(f"spill file ends before offset {offset + length}")
            data += more
        return data

    def _flush(self) -> None:
        if self._file is None:
            self._file = open_spill(self._folder)
        view = memoryview(self._buffer)
        done = 0
        while done < len(view):
            done += os.pwrite(self._file.fileno(), view[done:], self._written + done)
        view.release()
        self._written += done
        self._buffer = bytearray()


def open_spill(folder: Path | None) -> BinaryIO:
    """An unlinked temporary file in ``folder`` (made if needed), else the system's."""
    if folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            return tempfile.TemporaryFile(dir=folder, prefix="jump-", buffering=0)
        except OSError:
            pass
    return tempfile.TemporaryFile(prefix="reader-jump-", buffering=0)


__all__ = ["BUFFER", "SpillFile", "open_spill"]
