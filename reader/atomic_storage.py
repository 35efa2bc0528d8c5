"""A TinyDB storage that cannot leave a half-written file and does not lose other writers' work.

TinyDB's ``JSONStorage`` rewrites the file in place: a process killed mid-write leaves JSON
that no longer parses, and two processes writing the same file silently drop each other's
changes. This storage instead

* never re-reads the file on a plain ``read()``: the tables stay as they were loaded;
* writes a temporary file in the same folder, fsyncs it, ``os.replace``s it over the old
  one and fsyncs the folder, so the file on disk is always either the old or the new one;
* holds an exclusive ``flock`` on a sidecar ``<name>.lock`` file for the whole of each
  read-modify-write (:meth:`AtomicJSONStorage.transaction`) and, under that lock, re-reads
  the file first if another process replaced it, so no change is applied to stale data.

Every save stamps a random revision into the ``meta`` table's first document, which sits on
the file's first lines; comparing it tells whether another process has written, even when
the file system reuses inodes and timestamps are coarse. A program that rewrites the file in
place keeps the revision but changes the file's size or modification time: either tells the
file to be read again, and a save never copies lines from a loaded file changed that way.

The file is indented JSON with one document per line, in TinyDB's own layout (table ->
document id -> document), so ``TinyDB(path)`` can open it too. Each document is kept as its
encoded line and decoded when it is read (:class:`LineTable`): 100,000 decoded notes cost
about 240 MB of objects, their lines 45 MB. The lines stay in the file: the loaded file is
kept open read-only (a new file renamed over the path by another process leaves it as it
was) and a table holds each line's offset, length and key in arrays, about 20 bytes a line;
only lines changed since the last save are in memory. Opening a file in this layout scans
it a piece at a time; a checksum of the lines in the ``meta`` document (``digest``) tells
whether they are the ones a save wrote, which spares decoding them to check they are valid
JSON (a hand edit is caught that way and checked in full, a batch at a time). A file in any
other layout is parsed in full and held in memory until it is saved.

A save copies the unchanged runs of lines from the loaded file and writes the changed ones,
in pieces of :data:`CHUNK_BYTES`, never joined into one ``bytes``: joining 40 MB is one C
call that holds the interpreter lock for tens of milliseconds, and the UI's thread would
freeze that long on every save. Then the tables read from the new file.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import secrets
import threading
import time
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, MutableMapping
from itertools import accumulate, chain, islice, repeat
from operator import add, itemgetter, lt
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from reader.atomic_file import write_atomically
from reader.disk_lines import (
    FileLines,
    LineSource,
    MemoryLines,
    StaleLines,
    Stamp,
    Window,
    stamp_of,
)
from reader.errors import ReaderError

Document = dict[str, Any]
Table = dict[str, Document]
Data = dict[str, Table]

#: How the CLI and the UI point people at the repair tool.
DOCTOR_HINT = "Run `reader doctor` to check it and recover what can be recovered."

#: The table whose first document carries the schema version and the write revision.
META_TABLE = "meta"
META_ID = "1"

_REV_RE = re.compile(rb'"rev": "([0-9a-f]{8,64})"')
_TABLE_KEY = re.compile(rb' ("(?:[^"\\\n]|\\.)*"): \{')
_LINE_KEY = re.compile(rb'  ("(?:[^"\\\n]|\\.)*"): \{')
_DIGIT_KEYS = re.compile(rb'\n  "(0|[1-9][0-9]{0,17})": \{')  # numbers as str writes them
_LINE_END = re.compile(rb",\n")
_HEAD_BYTES = 512
#: A table's name is read from at most this many bytes (a longer one: the file is parsed).
_LONGEST_HEADER = 1 << 16

#: About how many bytes are read or written with each call when loading and saving. Small
#: pieces, reused as they come, keep the allocator from holding on to freed megabytes.
CHUNK_BYTES = 1 << 16
#: How many lines :meth:`LineTable.documents` decodes with each call. Joined, they stay
#: under about 128 KB: larger blocks made and freed over and over left the allocator
#: holding megabytes it did not give back.
DECODE_BATCH = 250


class StorageError(ReaderError):
    """Base of the database errors; each names the file."""

    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        super().__init__(message)


class UnreadableDatabase(StorageError):
    """The database file exists but cannot be read (permissions, a folder in its place)."""

    def __init__(self, path: Path, reason: str) -> None:
        self.reason = reason
        super().__init__(
            path, f"cannot read the annotation database {path}: {reason}\n{DOCTOR_HINT}"
        )


class CorruptDatabase(StorageError):
    """The database file is not valid JSON in the expected layout; it is left untouched."""

    def __init__(
        self, path: Path, problem: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.problem = problem
        self.line = line
        self.column = column
        where = f"{path}, line {line} column {column}" if line is not None else str(path)
        super().__init__(
            path,
            f"the annotation database is damaged ({where}): {problem}\n"
            f"It has not been changed. {DOCTOR_HINT}",
        )


class UnsupportedSchema(StorageError):
    """The file was written by a newer reader, with a schema this version does not know."""

    def __init__(self, path: Path, found: object, supported: int) -> None:
        self.found = found
        self.supported = supported
        super().__init__(
            path,
            f"the annotation database {path} has schema version {found!r}, but this version "
            f"of reader understands up to {supported}. Upgrade reader to open it; the file "
            f"has not been changed. `reader doctor` shows what it finds.",
        )


class SaveFailed(StorageError):
    """The disk refused a write; the previous file is intact and the change was not kept."""

    def __init__(self, path: Path, exc: OSError) -> None:
        self.reason = exc.strerror or str(exc)
        self.errno = exc.errno
        hint = ""
        if exc.errno == errno.ENOSPC:
            hint = " (the disk is full)"
        elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            hint = " (the folder is not writable)"
        super().__init__(
            path,
            f"could not save the annotation database {path}: {self.reason}{hint}. "
            f"The last saved version is intact; the change was not saved.",
        )


class DatabaseChanged(StorageError):
    """Another program rewrote the loaded file in place, under the lines read from it."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            path,
            f"the annotation database {path} was changed on disk by another program while "
            f"it was open; nothing was saved. Try again: it is read afresh.",
        )


class DatabaseBusy(StorageError):
    """Another process held the lock for longer than the timeout."""

    def __init__(self, path: Path, waited: float) -> None:
        super().__init__(
            path,
            f"the annotation database {path} has been locked by another process for "
            f"{waited:.0f} s; try again, or remove {path.name}.lock if no reader is running",
        )


def _line_column(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def parse_database(raw: bytes, path: Path) -> Data:
    """Bytes of a database file -> data, or :class:`CorruptDatabase` saying where it broke.

    An empty file is an empty database (TinyDB treats it the same way).
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8", "replace")
        line, column = _line_column(good, len(good))
        raise CorruptDatabase(path, "the file is not UTF-8 text", line, column) from exc
    if not text.strip():
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CorruptDatabase(path, f"not valid JSON: {exc.msg}", exc.lineno, exc.colno) from exc
    check_layout(data, path)
    return data


def check_layout(data: object, path: Path) -> None:
    """TinyDB's layout: an object of tables, each an object of documents, each an object."""
    if not isinstance(data, dict):
        raise CorruptDatabase(path, f"the top level is {type(data).__name__}, not an object")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise CorruptDatabase(path, f"table {name!r} is {type(table).__name__}, not an object")
        for doc_id, doc in table.items():
            if not isinstance(doc, dict):
                raise CorruptDatabase(
                    path, f"document {doc_id!r} of table {name!r} is not an object"
                )


def encode_document(doc: Document) -> bytes:
    """One document as one line of UTF-8 JSON (ASCII escapes only where UTF-8 cannot go)."""
    text = json.dumps(doc, ensure_ascii=False)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, e.g. from an undecodable file name
        return json.dumps(doc).encode("ascii")


def _key(name: str) -> bytes:
    return json.dumps(name).encode("ascii")


def _line(doc_id: str, doc: Document) -> bytes:
    return b"  " + _key(doc_id) + b": " + encode_document(doc)


def _doc_start(doc_id: str) -> int:
    """Where the document begins in its line, after ``  "<id>": ``."""
    if doc_id.isdigit() and doc_id.isascii():
        return len(doc_id) + 6
    return len(_key(doc_id)) + 4


def _int_key(key: str) -> int | None:
    """``key`` as a number, if it is one written as ``str`` writes numbers."""
    if key.isdigit() and key.isascii() and len(key) <= 18 and (key[0] != "0" or key == "0"):
        return int(key)
    return None


def _batched(items: Iterable[int], size: int) -> Iterator[list[int]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


#: A slot's offset when its line is not in the file: changed since the load, or deleted.
_IN_MEMORY = -1
_DELETED = -2
#: A slot's number when its key is not a plain decimal (the key is kept aside).
_ODD_KEY = -1
#: How many offsets are shifted with each C call after a save (about a millisecond).
_SHIFT_BATCH = 1 << 13


class LineTable(MutableMapping[str, Document]):
    """A table that keeps each document as its encoded line, in the file, and decodes it
    when it is read.

    Each document has a slot, in the table's order (the file's, a replaced document in its
    place, new ones at the end). Per slot only the line's offset and length in the loaded
    file and its key are kept, in arrays: about 20 bytes a line and no Python object, where
    the lines themselves would be 400 bytes each. Lines changed since the load are held in
    memory until a save writes them; a deleted slot is marked and stays until the table is
    loaded again, so slots do not move and a caller may keep them. Keys that are decimal
    numbers in ascending order (TinyDB's, nearly always) are found by bisection; a table
    with any other key keeps a dict from key to slot.

    Documents are replaced, never changed in place: a dict read from here is a fresh copy,
    and changing it changes nothing. ``digest`` is the sum of the lines' CRC-32s, kept up
    to date with each change (a replaced line is read back to subtract its own), so a save
    can stamp it without reading every line.
    """

    def __init__(self, source: LineSource | None = None) -> None:
        self._source = source
        self._offsets = array("q")
        self._lengths = array("I")
        self._numbers = array("q")
        self._odd_keys: dict[int, str] = {}
        #: Key -> slot, when the keys are not ascending numbers (else None: bisection).
        self._index: dict[str, int] | None = None
        self._memory: dict[int, bytes] = {}
        self._deleted: set[int] = set()
        #: Where the last :meth:`block` put each line: (first, end, shift) for runs of lines
        #: copied from the file, (slot, offset) for lines written from memory.
        self._written: tuple[list[tuple[int, int, int]], list[tuple[int, int]]] | None = None
        self.digest = 0

    @classmethod
    def of(cls, docs: dict[str, Document]) -> LineTable:
        table = cls()
        for doc_id, doc in docs.items():
            table[doc_id] = doc
        return table

    # -- slots ------------------------------------------------------------------------------

    def slot(self, key: str) -> int | None:
        """The slot holding ``key``, or None."""
        if self._index is not None:
            return self._index.get(key)
        number = _int_key(key)
        if number is None:
            return None
        slot = bisect_left(self._numbers, number)
        if (
            slot < len(self._numbers)
            and self._numbers[slot] == number
            and self._offsets[slot] != _DELETED
        ):
            return slot
        return None

    def key_at(self, slot: int) -> str:
        number = self._numbers[slot]
        return str(number) if number != _ODD_KEY else self._odd_keys[slot]

    def slots(self, start: int = 0) -> Iterable[int]:
        """The slots of the documents, in order (from slot ``start`` on)."""
        if not self._deleted:
            return range(start, len(self._numbers))
        return (s for s in range(start, len(self._numbers)) if s not in self._deleted)

    def line_at(self, slot: int) -> bytes:
        offset = self._offsets[slot]
        if offset >= 0:
            return self._read(offset, offset + self._lengths[slot])
        if offset == _DELETED:
            raise KeyError(slot)
        return self._memory[slot]

    def get_at(self, slot: int) -> Document:
        line = self.line_at(slot)
        try:
            doc: Document = json.loads(line[_doc_start(self.key_at(slot)) :])
        except ValueError:
            self._check_source()
            raise
        return doc

    def put_at(self, slot: int, doc: Document) -> None:
        """Replace the document in ``slot``."""
        self._store(slot, _line(self.key_at(slot), doc))

    def add(self, key: str, doc: Document) -> int:
        """Store ``doc`` under ``key`` (replacing any); returns its slot."""
        return self.put_line(key, _line(key, doc))

    def delete_at(self, slot: int) -> None:
        self.digest -= zlib.crc32(self.line_at(slot))
        if self._index is not None:
            del self._index[self.key_at(slot)]
        self._memory.pop(slot, None)
        self._odd_keys.pop(slot, None)
        self._offsets[slot] = _DELETED
        self._deleted.add(slot)

    def next_number(self) -> int:
        """One more than the largest numeric key, deleted ones included until the table
        is loaded again (TinyDB, too, does not reuse a number within a session).

        Handing back a deleted last number would put the new document before the slot
        still marked for it, out of ascending order: the table would then build a dict
        of every key.
        """
        if self._index is None:
            return self._numbers[-1] + 1 if self._numbers else 1
        # A generator rather than ``max(map(...))``: one C call over 100,000 keys would
        # hold the interpreter lock, and this runs on the thread saving for the UI.
        keys = (int(k) for k in self._index if k.isdecimal())
        deleted = (self._numbers[slot] for slot in self._deleted)
        return max(chain(keys, deleted), default=0) + 1

    def put_line(self, doc_id: str, line: bytes) -> int:
        """Store an encoded line (``  "<id>": {...}``, no comma, no newline) as it is."""
        slot = self.slot(doc_id)
        if slot is None:
            slot = self._new_slot(doc_id)
            self._memory[slot] = line
            self.digest += zlib.crc32(line)
        else:
            self._store(slot, line)
        return slot

    def _store(self, slot: int, line: bytes) -> None:
        self.digest += zlib.crc32(line) - zlib.crc32(self.line_at(slot))
        self._memory[slot] = line
        self._offsets[slot] = _IN_MEMORY

    def _new_slot(self, key: str) -> int:
        slot = len(self._numbers)
        number = _int_key(key)
        self._numbers.append(_ODD_KEY if number is None else number)
        self._offsets.append(_IN_MEMORY)
        self._lengths.append(0)
        if number is None:
            self._odd_keys[slot] = key
        if self._index is not None:
            self._index[key] = slot
        elif number is None or (slot and self._numbers[slot - 1] >= number):
            self._index = {self.key_at(s): s for s in self.slots()}
        return slot

    # -- the mapping ------------------------------------------------------------------------

    def __getitem__(self, doc_id: str) -> Document:
        slot = self.slot(doc_id)
        if slot is None:
            raise KeyError(doc_id)
        return self.get_at(slot)

    def __setitem__(self, doc_id: str, doc: Document) -> None:
        self.put_line(doc_id, _line(doc_id, doc))

    def __delitem__(self, doc_id: str) -> None:
        slot = self.slot(doc_id)
        if slot is None:
            raise KeyError(doc_id)
        self.delete_at(slot)

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and self.slot(doc_id) is not None

    def __iter__(self) -> Iterator[str]:
        return map(self.key_at, self.slots())

    def __len__(self) -> int:
        return len(self._numbers) - len(self._deleted)

    # -- reading many -----------------------------------------------------------------------

    def _slot_of(self, doc_id: str) -> int:
        slot = self.slot(doc_id)
        if slot is None:
            raise KeyError(doc_id)
        return slot

    def documents(self, ids: Iterable[str] | None = None) -> Iterator[tuple[str, Document]]:
        """(id, document) of every document, or of those ``ids``, in order."""
        slots = self.slots() if ids is None else map(self._slot_of, ids)
        return self.documents_at(slots)

    def documents_at(self, slots: Iterable[int]) -> Iterator[tuple[str, Document]]:
        """(id, document) of the documents in these slots, in the order given.

        Decodes :data:`DECODE_BATCH` lines with each ``json.loads`` call (joined into one
        object, as they sit in the file, and read with one ``pread`` per run of them): a
        call per line costs a third more, and one call for a whole table of notes would
        hold the interpreter lock for most of a second.
        """
        for batch in _batched(slots, DECODE_BATCH):
            keys = [self.key_at(s) for s in batch]
            try:
                docs: dict[str, Document] = json.loads(b"{\n" + self._joined(batch) + b"\n}")
                if list(docs) != keys:  # a line holding more than one document, say
                    raise ValueError("the lines of the table are not one document each")
            except ValueError:
                self._check_source()
                raise
            yield from docs.items()

    def lines_at(self, slots: list[int]) -> bytes:
        """The lines of these slots joined with ``,\\n``, as a run of them sits in the file."""
        return self._joined(slots)

    def _joined(self, slots: list[int]) -> bytes:
        """The lines of these slots joined with ``,\\n``, each run of neighbours in the
        file read at once (the bytes between them are that ``,\\n``)."""
        pieces: list[bytes] = []
        offsets, lengths = self._offsets, self._lengths
        begin = end = -1  # the run of the file being gathered
        for slot in slots:
            offset = offsets[slot]
            if offset >= 0 and begin >= 0 and offset == end + 2:
                end = offset + lengths[slot]
                continue
            if begin >= 0:
                pieces.append(self._read(begin, end))
                begin = -1
            if offset >= 0:
                begin, end = offset, offset + lengths[slot]
            else:
                pieces.append(self.line_at(slot))
        if begin >= 0:
            pieces.append(self._read(begin, end))
        return b",\n".join(pieces)

    def _read(self, begin: int, end: int) -> bytes:
        assert self._source is not None
        try:
            return self._source.read(begin, end - begin)
        except StaleLines:
            self._check_source(stale=True)
            raise

    def _check_source(self, stale: bool = False) -> None:
        """A line read from the loaded file was cut short or did not decode: if the file
        was rewritten in place, say so (the caller can try again once it is read afresh)
        rather than fail as a bug would."""
        source = self._source
        if isinstance(source, FileLines) and (stale or source.changed()):
            raise DatabaseChanged(source.path)

    def columns(self, names: tuple[str, ...]) -> tuple[list[str], list[list[str]]]:
        """The document ids, and for each of ``names`` its string values in the same order."""
        ids: list[str] = []
        columns: list[list[str]] = [[] for _ in names]
        for slots, values in self.column_batches(names):
            ids.extend(map(self.key_at, slots))
            for column, batch in zip(columns, values, strict=True):
                column.extend(batch)
        return ids, columns

    def column_batches(self, names: tuple[str, ...]) -> Iterator[tuple[list[int], list[list[str]]]]:
        """The slots, and for each of ``names`` its string values, a batch at a time.

        Documents whose first keys are ``names``, holding strings without escapes (the
        store's notes begin with their id and article), are read without decoding them,
        with one ``findall`` per :data:`DECODE_BATCH` lines: opening a database reads its
        100,000 notes this way. Other documents are decoded. A value that is missing or not
        a string is ``""``.
        """
        fields = b", ".join(re.escape(_key(n)) + rb': "([^"\\]*)"' for n in names)
        pattern = re.compile(rb'\n  "[^"\\\n]*": \{' + fields + rb"[,}]")
        for batch in _batched(self.slots(), DECODE_BATCH):
            # No line holds a newline: the pattern can only match at a line's start.
            found = pattern.findall(b"\n" + self._joined(batch))
            if len(found) == len(batch):
                strings = (
                    [found]
                    if len(names) == 1
                    else [map(itemgetter(i), found) for i, _ in enumerate(names)]
                )
                yield batch, [list(map(bytes.decode, values)) for values in strings]
                continue
            columns: list[list[str]] = [[] for _ in names]
            for slot in batch:
                match = pattern.match(b"\n" + self.line_at(slot))
                if match is not None:
                    row = tuple(map(bytes.decode, match.groups()))
                else:
                    doc = self.get_at(slot)
                    row = tuple(v if isinstance(v := doc.get(n), str) else "" for n in names)
                for column, value in zip(columns, row, strict=True):
                    column.append(value)
            yield batch, columns

    # -- loading and saving -----------------------------------------------------------------

    def _add_loaded(self, lines: list[bytes], start: int, numbers: list[bytes] | None) -> None:
        """Lines read from the file where they begin at ``start``, one ``,\\n`` apart, with
        their keys if all are plain decimals (else read from the lines)."""
        lengths = array("I", map(len, lines))
        offsets = array("q", accumulate(map(add, lengths, repeat(2)), initial=start))
        offsets.pop()
        first = len(self._numbers)
        self._offsets += offsets
        self._lengths += lengths
        self.digest += sum(map(zlib.crc32, lines))
        if numbers is not None:
            found = array("q", map(int, numbers))
            if self._index is None and not (
                all(map(lt, found, found[1:])) and (not first or self._numbers[-1] < found[0])
            ):
                self._index = {}  # filled in by _check_keys
            self._numbers += found
            return
        self._index = {}
        for slot, line in enumerate(lines, first):
            key = _line_key(line)
            if key is None:
                raise ValueError("a line whose key is not a JSON string")
            number = _int_key(key)
            self._numbers.append(_ODD_KEY if number is None else number)
            if number is None:
                self._odd_keys[slot] = key

    def _check_keys(self) -> bool:
        """After loading: build the key index the keys need; False if a key is there twice."""
        if self._index is None:
            return True  # ascending numbers: none twice
        self._index = {self.key_at(s): s for s in range(len(self._numbers))}
        return len(self._index) == len(self._numbers)

    def block(self, name: str, start: int) -> Iterator[bytes]:
        """This table's block of the file (`` "name": {...}``) in pieces of about
        :data:`CHUNK_BYTES`, for a file where it begins at ``start``.

        Lines still in the loaded file are copied from it a piece at a time, changed ones
        written from memory; where each lands is noted for :meth:`saved`.
        """
        moves: list[tuple[int, int, int]] = []
        placed: list[tuple[int, int]] = []
        self._written = None
        if not len(self):
            yield b" " + _key(name) + b": {}"
            self._written = moves, placed
            return
        pending = [b" " + _key(name) + b": {\n"]
        pos = start + len(pending[0])
        held = 0
        first = True
        for begin, end, on_disk in self._runs():
            if not first:
                pending.append(b",\n")
                pos += 2
            first = False
            if not on_disk:
                line = self._memory[begin]
                self._lengths[begin] = len(line)
                placed.append((begin, pos))
                pending.append(line)
                pos += len(line)
                held += len(line)
                if held >= CHUNK_BYTES:
                    yield b"".join(pending)
                    pending, held = [], 0
                continue
            if pending:
                yield b"".join(pending)
                pending, held = [], 0
            offset = self._offsets[begin]
            stop = self._offsets[end - 1] + self._lengths[end - 1]
            moves.append((begin, end, pos - offset))
            for piece_start in range(offset, stop, CHUNK_BYTES):
                piece = self._read(piece_start, min(stop, piece_start + CHUNK_BYTES))
                pos += len(piece)
                yield piece
        pending.append(b"\n }")
        yield b"".join(pending)
        self._written = moves, placed

    def _runs(self) -> Iterator[tuple[int, int, bool]]:
        """(first, end, in the file) for the document slots in order: each run of lines
        still in the loaded file (neighbours there too), and each line in memory alone."""
        begin = 0
        for slot in sorted(self._memory.keys() | self._deleted):
            if begin < slot:
                yield begin, slot, True
            if slot not in self._deleted:
                yield slot, slot + 1, False
            begin = slot + 1
        if begin < len(self._numbers):
            yield begin, len(self._numbers), True

    def saved(self, source: LineSource) -> None:
        """The file the last :meth:`block` went into is ``source``: read the lines from it."""
        assert self._written is not None
        moves, placed = self._written
        offsets = self._offsets
        for begin, end, shift in moves:
            if not shift:  # nothing before them changed length: the usual case
                continue
            for lo in range(begin, end, _SHIFT_BATCH):
                hi = min(end, lo + _SHIFT_BATCH)
                offsets[lo:hi] = array("q", map(add, offsets[lo:hi], repeat(shift)))
        for slot, offset in placed:
            offsets[slot] = offset
        self._memory.clear()
        self._source = source
        self._written = None


Tables = dict[str, LineTable]


def tables_of(data: Data) -> Tables:
    """Decoded data as line tables, ``meta`` first (each document encoded)."""
    return {name: LineTable.of(data[name]) for name in _table_order(data)}


class FileWriter:
    """The file of some tables, ``meta`` first, in pieces; ``size`` counts what was given."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        self.size = 0

    def pieces(self) -> Iterator[bytes]:
        self.size = 2
        yield b"{\n"
        for i, name in enumerate(_table_order(self.tables)):
            if i:
                self.size += 2
                yield b",\n"
            for piece in self.tables[name].block(name, self.size):
                self.size += len(piece)
                yield piece
        self.size += 3
        yield b"\n}\n"


def _table_order(data: Data | Tables) -> list[str]:
    return ([META_TABLE] if META_TABLE in data else []) + [n for n in data if n != META_TABLE]


def serialize(data: Data) -> bytes:
    """The file's bytes: ``meta`` first, one document per line, two-space indentation
    (what a save of the same documents writes)."""
    return b"".join(FileWriter(tables_of(data)).pieces())


def digest_of(tables: Tables) -> str:
    """What the ``meta`` document's ``digest`` says of the other tables' lines."""
    total = sum(table.digest for name, table in tables.items() if name != META_TABLE)
    return f"{total % 2**64:016x}"


def _decoded_key(raw: bytes) -> str | None:
    """A JSON string key as written by :func:`_key`, or None."""
    try:
        key = json.loads(raw)
    except ValueError:
        return None
    return key if isinstance(key, str) and _key(key) == raw else None


def _line_key(line: bytes) -> str | None:
    match = _LINE_KEY.match(line)
    return _decoded_key(match.group(1)) if match else None


def _scan_lines(window: Window, start: int) -> tuple[LineTable, int] | None:
    """The table whose document lines begin at ``start``, and where they end (at the
    newline before the table's closing brace); None if they are not the store's lines.

    Works through the lines a megabyte at a time, with C-level calls only (``re.split``,
    ``findall``, ``map``): a Python loop over 100,000 lines would cost most of the time
    opening takes, and one C call over all of them would hold the interpreter lock for
    tens of milliseconds, stalling the UI when the store reloads a file another process
    saved.
    """
    table = LineTable(window.source)
    size = window.source.size
    while True:
        cut = window.find(b",\n", start + CHUNK_BYTES)
        close = window.find(b"\n }", start - 1, size if cut < 0 else cut)
        stop = close if close >= 0 else cut
        if stop <= start:  # no end, or a comma after the last line
            return None
        lines = _LINE_END.split(window.view(start, stop))
        if window.count(b"\n", start, stop) != len(lines) - 1:  # a line without its comma
            return None
        base = window.base
        keys = _DIGIT_KEYS.findall(window.buf, start - 1 - base, stop - base)
        try:
            table._add_loaded(lines, start, keys if len(keys) == len(lines) else None)
        except ValueError:
            return None
        del lines, keys
        if stop == close:
            return (table, close) if table._check_keys() else None  # else an id twice
        start = cut + 2
        window.drop(start - 1)


def read_own_layout(raw: bytes) -> Tables | None:
    """The tables of a file in the layout :func:`serialize` writes, documents left encoded.

    Checks the layout exactly (each document alone on its line, commas, braces). Lines
    whose checksums add up to the ``meta`` document's ``digest`` are the ones a save wrote
    and are kept undecoded; otherwise every document is decoded once (a batch at a time)
    to check it. Returns None for anything else, to be parsed in full (which also reports
    where a file is damaged).
    """
    return scan_own_layout(MemoryLines(raw))


def scan_own_layout(source: LineSource) -> Tables | None:
    """:func:`read_own_layout` of a file, read a megabyte at a time and left where it is:
    the tables read their lines from ``source``."""
    size = source.size
    if size < 5 or source.read(0, 2) != b"{\n" or source.read(size - 3, 3) != b"\n}\n":
        return None
    end = size - 3
    window = Window(source, CHUNK_BYTES)
    tables: Tables = {}
    pos = 2
    while True:
        header = window.match(_TABLE_KEY, pos, _LONGEST_HEADER)
        name = _decoded_key(header.group(1)) if header else None
        if header is None or name is None or name in tables:
            return None
        pos = header.end() + window.base
        if window.startswith(b"}", pos):  # an empty table
            table = LineTable(source)
            pos += 1
        elif window.startswith(b"\n", pos) and (read := _scan_lines(window, pos + 1)):
            table, pos = read[0], read[1] + 3
        else:
            return None
        tables[name] = table
        if pos == end:
            break
        if not window.startswith(b",\n", pos):
            return None
        pos += 2
        window.drop(pos)
    del window
    meta = tables.get(META_TABLE, LineTable())
    try:
        stamp = meta[META_ID].get("digest") if META_ID in meta else None
        written = stamp == digest_of(tables)
        for table in tables.values():
            if (table is meta or not written) and not all(
                isinstance(doc, dict) for _, doc in table.documents()
            ):
                return None
    except ValueError:  # not JSON, or not UTF-8
        return None
    return tables


def read_head_revision(path: Path) -> bytes | None:
    """The revision stamped on the file's first lines, or None if there is none."""
    try:
        with open(path, "rb") as f:
            head = f.read(_HEAD_BYTES)
    except OSError:
        return None
    match = _REV_RE.search(head)
    return match.group(1) if match else None


def temp_files(path: Path) -> list[Path]:
    """Leftover temporary files of ``path`` (from a writer killed before its rename)."""
    prefix = f".{path.name}."
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return []
    return [
        Path(e.path)
        for e in entries
        if e.name.startswith(prefix) and e.name.endswith(".tmp") and e.is_file()
    ]


def wait_for_lock(fd: int, path: Path, timeout: float) -> None:
    """Take an exclusive flock on ``fd``, polling, or raise :class:`DatabaseBusy`."""
    started = time.monotonic()
    delay = 0.001
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            waited = time.monotonic() - started
            if waited > timeout:
                raise DatabaseBusy(path, waited) from None
            time.sleep(delay)
            delay = min(delay * 2, 0.02)


@contextlib.contextmanager
def exclusive_lock(path: Path, timeout: float = 30.0) -> Iterator[None]:
    """Hold the database's sidecar lock (what every writer takes) for a block."""
    lock_path = path.with_name(path.name + ".lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        wait_for_lock(fd, path, timeout)
        yield
    finally:
        os.close(fd)


class AtomicJSONStorage(Storage):
    """Crash-safe, multi-process-safe JSON storage for TinyDB (see the module docstring)."""

    def __init__(self, path: str | os.PathLike[str], lock_timeout: float = 30.0) -> None:
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.lock_timeout = lock_timeout
        #: Bumped whenever the in-memory data is replaced from disk, so users can re-index.
        self.generation = 0
        self._mutex = threading.RLock()
        self._lock_fd: int | None = None
        self._depth = 0
        self._dirty = False
        self._swept = False
        self._tables: Tables = {}
        #: The file the tables' lines are read from (None when all are in memory).
        self._source: FileLines | None = None
        self._rev: bytes | None = None
        self._stamp: Stamp | None = None
        #: A failed save left its change in the tables (the file could not be read back).
        self._unsaved_kept = False
        self._load()

    # -- TinyDB's Storage interface ----------------------------------------------------

    def read(self) -> Data:
        """A decoded copy of the in-memory data (no disk access; see :meth:`reload_if_changed`).

        Decodes every document: for TinyDB and whole-database work. The store reads
        :meth:`tables`.
        """
        with self._mutex:  # not while a save on another thread moves the tables to a new file
            return {name: dict(table.documents()) for name, table in self._tables.items()}

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Take ``data``; saved at the end of the current transaction, or now if none."""
        with self._mutex:
            self._tables = tables_of(data)
            self._use_source(None)
            self.generation += 1
            self.mark_dirty()
            if self._depth == 0:
                # A plain TinyDB user outside a transaction: save under the lock, last
                # writer wins (the Store never does this).
                with self.transaction(reload=False):
                    pass

    def close(self) -> None:
        """Release the lock file and the loaded file (the tables cannot be read after)."""
        with self._mutex:
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None
            self._use_source(None)

    # -- transactions ------------------------------------------------------------------

    def tables(self) -> Tables:
        """The in-memory tables, to read and change in place (then :meth:`mark_dirty`)."""
        return self._tables

    def mark_dirty(self) -> None:
        """The tables were changed in place: save them at the end of the transaction."""
        self._dirty = True

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    @contextlib.contextmanager
    def transaction(self, reload: bool = True) -> Iterator[None]:
        """Hold the lock, catch up with other writers, then save once at the end.

        Nested transactions join the outer one. If the body raises, or the save fails,
        the in-memory data goes back to what is on disk, so nothing unsaved looks saved.
        """
        with self._mutex:
            outer = self._depth == 0
            if outer:
                self._acquire()
                try:
                    if reload:
                        self.reload_if_changed()
                except BaseException:
                    self._release()
                    raise
            self._depth += 1
            try:
                yield
                if outer and self._dirty:
                    self._save()
            except BaseException:
                if outer and self._dirty:
                    self._rollback()
                raise
            finally:
                self._depth -= 1
                if outer:
                    self._release()

    def reload_if_changed(self) -> bool:
        """Re-read the file if another process replaced it; True if it did.

        Also if a failed save could not read it back: raises until it can be read.
        """
        with self._mutex:
            if self._dirty:
                return False
            if self._unsaved_kept:
                self._load()
                return True
            try:
                st = os.stat(self.path)
            except FileNotFoundError:
                changed = self._stamp is not None
            except OSError as exc:
                raise UnreadableDatabase(self.path, exc.strerror or str(exc)) from exc
            else:
                # The revision alone misses a rewrite in place, which keeps it (TinyDB's
                # own storage, editors); the stamp alone misses a replacement with the
                # same size within the file system's timestamp granularity.
                rev = read_head_revision(self.path)
                changed = stamp_of(st) != self._stamp or (
                    rev is not None and self._rev is not None and rev != self._rev
                )
            if changed:
                self._load()
            return changed

    # -- disk ---------------------------------------------------------------------------

    def _load(self) -> None:
        source: FileLines | None
        try:
            source = FileLines.open(self.path)
        except FileNotFoundError:
            tables: Tables = {}
            stamp = None
            source = None
        except IsADirectoryError as exc:
            raise UnreadableDatabase(self.path, "it is a folder, not a file") from exc
        except OSError as exc:
            raise UnreadableDatabase(self.path, exc.strerror or str(exc)) from exc
        else:
            opened = source
            try:
                stamp = opened.stamp
                read = scan_own_layout(opened)
                if read is None:  # another layout: parsed whole, and held in memory
                    raw = opened.read(0, opened.size)
                    opened.close()
                    source = None
                    read = tables_of(parse_database(raw, self.path))
                    del raw
                tables = read
            except OSError as exc:
                opened.close()
                raise UnreadableDatabase(self.path, exc.strerror or str(exc)) from exc
            except BaseException:
                opened.close()
                raise
        meta = tables.get(META_TABLE)
        rev = (meta.get(META_ID) or {}).get("rev") if meta is not None else None
        self._tables = tables
        self._use_source(source)
        self._rev = rev.encode("ascii") if isinstance(rev, str) and rev.isascii() else None
        self._stamp = stamp
        self._dirty = False
        self._unsaved_kept = False
        self.generation += 1

    def _use_source(self, source: FileLines | None) -> None:
        """Read lines from ``source`` from now on; close the file read until now."""
        old, self._source = self._source, source
        if old is not None and old is not source:
            old.close()

    def _rollback(self) -> None:
        self._dirty = False
        try:
            self._load()
        except ReaderError:
            # The file cannot be read just now: the tables keep the change that was not
            # saved. Rather than crash, read them as they are, but reload before anything
            # else is written, so a later save cannot write it after all.
            self._unsaved_kept = True

    def _save(self) -> None:
        self._check_source()
        rev = secrets.token_hex(8)
        meta = self._tables.setdefault(META_TABLE, LineTable())
        meta[META_ID] = {**meta.get(META_ID, {}), "rev": rev, "digest": digest_of(self._tables)}
        writer = FileWriter(self._tables)
        try:
            write_atomically(self.path, self._checked(writer.pieces()), rev)
        except OSError as exc:
            raise SaveFailed(self.path, exc) from exc
        self._rev = rev.encode("ascii")
        self._dirty = False
        self._read_saved(writer.size)
        if not self._swept:
            self._swept = True
            self._sweep()

    def _check_source(self) -> None:
        """Refuse to copy lines from a loaded file rewritten in place since it was opened:
        its offsets no longer point at them, and the copy would not be JSON."""
        if self._source is not None and self._source.changed():
            raise DatabaseChanged(self.path)

    def _checked(self, pieces: Iterable[bytes]) -> Iterator[bytes]:
        """The pieces, then a last check that what they were copied from did not change
        meanwhile (raising stops the write before the new file is renamed into place)."""
        yield from pieces
        self._check_source()

    def _read_saved(self, size: int) -> None:
        """Point the tables at the file just written (we still hold the lock), so the lines
        held in memory until now can go; if it cannot be opened, keep reading the old one."""
        try:
            source = FileLines.open(self.path)
        except OSError:
            source = None
        if source is None or source.size != size:
            if source is not None:
                source.close()
            try:
                self._stamp = stamp_of(os.stat(self.path))
            except OSError:
                self._stamp = None
            return
        for table in self._tables.values():
            table.saved(source)
        self._use_source(source)
        self._stamp = source.stamp

    def _sweep(self) -> None:
        """Remove temp files of writers that died before renaming (we hold the lock)."""
        for leftover in temp_files(self.path):
            with contextlib.suppress(OSError):
                leftover.unlink()

    # -- the inter-process lock ----------------------------------------------------------

    def _acquire(self) -> None:
        if self._lock_fd is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._lock_fd = os.open(
                    self.lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600
                )
            except OSError as exc:
                raise SaveFailed(self.path, exc) from exc
        wait_for_lock(self._lock_fd, self.path, self.lock_timeout)

    def _release(self) -> None:
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
