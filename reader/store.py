"""The annotation store: notes, tags, reading state and article identity, in one TinyDB file.

The file is TinyDB's layout (table -> document id -> document) written by
:class:`reader.atomic_storage.AtomicJSONStorage`, so it survives crashes and several
processes (the app and a CLI command) can use it at once. Tables (schema 1):

* ``meta``: ``{"schema": 1, "rev": ...}``
* ``articles``: ``{"id", "path", "title", "size", "hashes": [...], "tags": [...], "added"}``
* ``notes``: ``{"id", "article", "text", "anchor": {...} | null, "tags", "created", "updated"}``
* ``reading``: ``{"article", "position", "read", "opened"}``

Documents are edited through the storage's tables rather than TinyDB's ``Table`` methods:
those rebuild the whole table dict on every change, which makes one save O(n) and a batch of
n inserts O(n²). The tables keep each document as its encoded line, in the file, and decode
it when read (:class:`reader.atomic_storage.LineTable`), so documents are always replaced,
never changed in place. The store keeps only indexes from ids to the tables' slots, in
compact arrays (:class:`reader.slot_index.SlotIndex`): notes by id and by article (read from
the start of each note's line, without decoding it), article records by id, content hash,
path and title, reading states by article. A document is read back when it is asked for;
a big database's notes are gone through a batch at a time (:meth:`Store.iter_notes`).
``Store.db`` is a ``TinyDB`` over the same storage for read-only queries.

Every public method takes one lock, so the UI may save from a worker thread.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import shutil
import threading
import uuid
from array import array
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import compress, islice, repeat
from pathlib import Path
from typing import Any, cast

from tinydb import TinyDB

from reader.atomic_storage import (
    DECODE_BATCH,
    DOCTOR_HINT,
    AtomicJSONStorage,
    CorruptDatabase,
    Data,
    DatabaseBusy,
    DatabaseChanged,
    Document,
    LineTable,
    SaveFailed,
    StorageError,
    UnreadableDatabase,
    UnsupportedSchema,
)
from reader.errors import ReaderError
from reader.migrations import CURRENT_SCHEMA, migrate, schema_of
from reader.models import Anchor, ArticleRecord, Note, ReadingState
from reader.slot_index import MASK64, SlotIndex
from reader.tags import BadTag, normalize_tags

__all__ = [
    "DOCTOR_HINT",
    "AmbiguousNote",
    "BadTag",
    "CorruptDatabase",
    "DatabaseBusy",
    "DatabaseChanged",
    "EmptyNote",
    "SaveFailed",
    "StorageError",
    "Store",
    "UnknownNote",
    "UnreadableDatabase",
    "UnsupportedSchema",
    "now_iso",
]

NOTES = "notes"
ARTICLES = "articles"
READING = "reading"
META = "meta"

#: Length of a new note id (hex digits of a uuid4): unique across processes without a lock.
NOTE_ID_LENGTH = 16
#: Length of an article id made from the first content hash.
ARTICLE_ID_LENGTH = 16


class UnknownNote(ReaderError):
    """No note has this id (or id prefix)."""

    def __init__(self, query: str) -> None:
        self.query = query
        super().__init__(f"no note has the id {query!r}; `reader note list` shows the ids")


class AmbiguousNote(ReaderError):
    """Several notes start with this id prefix."""

    def __init__(self, query: str, candidates: list[Note]) -> None:
        self.query = query
        self.candidates = candidates
        lines = [f"{query!r} is the start of more than one note id; give more of it:"]
        for note in candidates[:10]:
            excerpt = " ".join(note.text.split())[:50]
            lines.append(f"  {note.id}  {excerpt}")
        if len(candidates) > 10:
            lines.append(f"  ... and {len(candidates) - 10} more")
        super().__init__("\n".join(lines))


class EmptyNote(ReaderError):
    """A note on a whole article needs some text."""

    def __init__(self) -> None:
        super().__init__("a note needs some text (or a quoted passage)")


def now_iso() -> str:
    """Now, as ISO 8601 UTC to the second: ``2024-05-01T12:00:00Z``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- documents <-> values ----------------------------------------------------------------


def anchor_to_doc(anchor: Anchor | None) -> dict[str, Any] | None:
    if anchor is None:
        return None
    return {
        "exact": anchor.exact,
        "prefix": anchor.prefix,
        "suffix": anchor.suffix,
        "start": anchor.start,
        "end": anchor.end,
    }


def anchor_from_doc(doc: object) -> Anchor | None:
    if not isinstance(doc, dict) or not isinstance(doc.get("exact"), str):
        return None
    start = doc.get("start")
    end = doc.get("end")
    start = start if isinstance(start, int) and start >= 0 else 0
    end = end if isinstance(end, int) and end >= start else start + len(doc["exact"])
    return Anchor(
        exact=doc["exact"],
        prefix=str(doc.get("prefix", "")),
        suffix=str(doc.get("suffix", "")),
        start=start,
        end=end,
    )


def note_to_doc(note: Note) -> Document:
    return {
        "id": note.id,
        "article": note.article_id,
        "text": note.text,
        "anchor": anchor_to_doc(note.anchor),
        "tags": list(note.tags),
        "created": note.created,
        "updated": note.updated,
    }


def note_from_doc(doc: Document) -> Note:
    tags = doc.get("tags")
    return Note(
        id=str(doc.get("id", "")),
        article_id=str(doc.get("article", "")),
        text=str(doc.get("text", "")),
        anchor=anchor_from_doc(doc.get("anchor")),
        tags=tuple(t for t in tags if isinstance(t, str)) if isinstance(tags, list) else (),
        created=str(doc.get("created", "")),
        updated=str(doc.get("updated", "")),
    )


def record_from_doc(doc: Document) -> ArticleRecord:
    hashes = doc.get("hashes")
    tags = doc.get("tags")
    return ArticleRecord(
        id=str(doc.get("id", "")),
        path=str(doc.get("path", "")),
        title=str(doc.get("title", "")),
        hashes=tuple(h for h in hashes if isinstance(h, str)) if isinstance(hashes, list) else (),
        tags=tuple(t for t in tags if isinstance(t, str)) if isinstance(tags, list) else (),
    )


def reading_from_doc(article_id: str, doc: Document | None) -> ReadingState:
    if doc is None:
        return ReadingState(article_id)
    position = doc.get("position")
    return ReadingState(
        article_id=article_id,
        position=position if isinstance(position, int) and position >= 0 else 0,
        read=bool(doc.get("read", False)),
        opened=str(doc.get("opened", "")),
    )


def _merge_identity(disk: Document, sighting: Document) -> Document:
    """A record on disk updated with this process's latest sighting (tags stay as on disk)."""
    hashes = list(disk.get("hashes") or [])
    hashes += [h for h in sighting.get("hashes", []) if h not in hashes]
    return {
        **disk,
        "path": sighting["path"],
        "title": sighting["title"],
        "size": sighting["size"],
        "hashes": hashes,
    }


def is_newer(candidate: str, current: str) -> bool:
    """ISO timestamps compared as instants; unparsable ones count as oldest."""

    def parse(stamp: str) -> datetime:
        try:
            value = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        except (ValueError, AttributeError):
            return datetime.min.replace(tzinfo=UTC)
        return value if value.tzinfo else value.replace(tzinfo=UTC)

    return parse(candidate) > parse(current)


class Store:
    """Notes, tags, reading state and article identity for one database file."""

    def __init__(self, storage: AtomicJSONStorage) -> None:
        """Use :meth:`Store.open`."""
        self._storage = storage
        self._lock = threading.RLock()
        self._closed = False
        self._gen = -1
        #: Identity sightings not yet written: article id -> record as this process sees it.
        self._pending: dict[str, Document] = {}
        self._pending_hashes: dict[str, str] = {}
        self._pending_paths: dict[str, str] = {}
        self._pending_titles: dict[str, list[str]] = {}
        self._next: dict[str, int] = {}
        # The indexes (built by _sync) map ids to slots of the storage's tables; the
        # documents themselves are read back from there when they are needed.
        self._note_slots = SlotIndex()
        self._article_notes = SlotIndex()
        self._record_slots = SlotIndex()
        self._hash_slots = SlotIndex()
        self._path_slots = SlotIndex()  # by _hashed(path)
        self._title_slots = SlotIndex()  # by _hashed(casefolded title)
        self._fingerprints = array("q")  # record slot -> _fingerprint(record)
        self._reading_slots = SlotIndex()
        #: Slots of notes whose id a later note has too (not indexed; the later one counts),
        #: and of article records likewise (indexed, but the later one is found first).
        self._shadowed_notes: set[int] = set()
        self._shadowed_records: set[int] = set()
        #: all_tags() as last counted, until a record changes (None: count again).
        self._tag_counts: dict[str, int] | None = None
        #: TinyDB over the same storage, for read-only queries (never write through it).
        self.db = TinyDB(storage=lambda: storage)

    # -- opening and closing ------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, lock_timeout: float = 30.0) -> Store:
        """Open (or prepare to create) the database at ``path``.

        Nothing is written until the first change. Raises :class:`CorruptDatabase`,
        :class:`UnsupportedSchema` or :class:`UnreadableDatabase` (the file is left as it
        is); an older schema is migrated forward after copying the original aside.
        """
        storage = AtomicJSONStorage(Path(path), lock_timeout=lock_timeout)
        store = cls(storage)
        try:
            version = store._checked_schema()
            if version is not None and version < CURRENT_SCHEMA:
                store._migrate()
            with store._lock:
                store._sync()
        except BaseException:
            storage.close()
            raise
        return store

    @property
    def path(self) -> Path:
        return self._storage.path

    def close(self) -> None:
        """Write pending identity records and release the file.

        A failure to write them is not an error: they are worked out again on the next scan.
        """
        with self._lock:
            if self._closed:
                return
            try:
                if self._pending:
                    with self._write():
                        pass
            except StorageError:
                pass
            finally:
                self._closed = True
                self._storage.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def refresh(self) -> bool:
        """Catch up with changes another process saved; True if there were any.

        Also writes identity records gathered since the last write.
        """
        with self._lock:
            self._check_open()
            before = self._storage.generation
            # A read-only folder, say: the sightings are kept for a later write.
            with contextlib.suppress(StorageError):
                self.flush()
            self._storage.reload_if_changed()
            self._sync()
            return self._storage.generation != before

    def flush(self) -> None:
        """Write identity records gathered by :meth:`identify` (close() does it too)."""
        with self._lock:
            if self._pending:
                with self._write():
                    pass

    @contextmanager
    def batch(self) -> Iterator[Store]:
        """Make many changes with one write, all or nothing.

        Other processes wait for the lock until the batch ends; if the body raises, no
        change of the batch is kept.
        """
        with self._write():
            yield self

    # -- internals ----------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise ReaderError(f"the annotation database {self.path} is closed")

    def _checked_schema(self) -> int | None:
        # schema_of reads the meta document and whether other tables have any: no decoding.
        version = schema_of(cast(Data, self._storage.tables()))
        if version is None:
            return None
        if not isinstance(version, int) or isinstance(version, bool) or version < 0:
            raise CorruptDatabase(self.path, f"the schema version {version!r} is not a number")
        if version > CURRENT_SCHEMA:
            raise UnsupportedSchema(self.path, version, CURRENT_SCHEMA)
        return version

    def _migrate(self) -> None:
        with self._lock, self._storage.transaction():
            version = self._checked_schema()  # another process may have migrated already
            if version is None or version >= CURRENT_SCHEMA:
                return
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            backup = self.path.with_name(f"{self.path.name}.schema{version}-{stamp}.bak")
            try:
                shutil.copy2(self.path, backup)
            except OSError as exc:
                raise SaveFailed(self.path, exc) from exc
            self._storage.write(migrate(self._storage.read(), version))

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One read-modify-write: lock, catch up with other processes, change, save once."""
        with self._lock:
            self._check_open()
            if self._storage.in_transaction:  # inside a batch: it saves at its end
                yield
                return
            with self._storage.transaction():
                self._sync()
                yield
                self._flush_pending()
                self._ensure_meta()
            self._clear_pending()

    def _table(self, name: str) -> LineTable:
        table = self._storage.tables().get(name)
        return table if table is not None else LineTable()

    def _put(self, name: str, slot: int | None, doc: Document) -> int:
        """Store ``doc`` in ``slot`` (a new one, with a new key, if None); returns the slot."""
        table = self._storage.tables().setdefault(name, LineTable())
        if slot is None:
            number = self._next.get(name) or table.next_number()
            while str(number) in table:
                number += 1
            self._next[name] = number + 1
            slot = table.add(str(number), doc)
        else:
            table.put_at(slot, doc)
        self._storage.mark_dirty()
        return slot

    def _delete(self, name: str, slot: int) -> None:
        self._storage.tables()[name].delete_at(slot)
        self._storage.mark_dirty()

    def _ensure_meta(self) -> None:
        meta = self._table(META).get("1")
        if meta is None or meta.get("schema") != CURRENT_SCHEMA:
            table = self._storage.tables().setdefault(META, LineTable())
            table.add("1", {**(meta or {}), "schema": CURRENT_SCHEMA})
            self._storage.mark_dirty()

    def _sync(self) -> None:
        """Rebuild the indexes if the storage loaded new data since the last look.

        Python loops and C calls over a thousand documents at a time, which let the UI's
        thread run meanwhile: one C call over 100,000 notes would hold the interpreter lock.
        """
        # The documents are read from the file, which closing let go of.
        self._check_open()
        if self._gen == self._storage.generation:
            return
        if self._gen != -1:
            self._checked_schema()
        self._gen = self._storage.generation
        self._next = {}  # worked out by the first insert into each table
        self._index_notes()
        self._index_records()
        self._tag_counts = None
        self._reading_slots = SlotIndex()
        table = self._table(READING)
        for slots, (aids,) in table.column_batches(("article",)):
            keep = list(map(bool, aids))
            self._reading_slots.extend(list(compress(aids, keep)), list(compress(slots, keep)))
        self._reading_slots.sort()

    def _index_notes(self) -> None:
        """Index the notes by id and by article from the start of their lines; a note
        without an id is not indexed, and of two with one id the later counts."""
        ids = SlotIndex()
        articles = SlotIndex()
        table = self._table(NOTES)
        for slots, (nids, aids) in table.column_batches(("id", "article")):
            if "" in nids:
                keep = list(map(bool, nids))
                slots = list(compress(slots, keep))
                nids = list(compress(nids, keep))
                aids = list(compress(aids, keep))
            ids.extend(nids, slots)
            articles.extend(aids, slots)
        ids.sort()
        articles.sort()
        self._shadowed_notes = set()
        for nid, slot in ids.shadowed():  # hand-made: rare
            ids.remove(nid, slot)
            aid = table.get_at(slot).get("article")
            articles.remove(aid if isinstance(aid, str) else "", slot)
            self._shadowed_notes.add(slot)
        self._note_slots = ids
        self._article_notes = articles

    def _index_records(self) -> None:
        """Index the article records: entries added unsorted, each index sorted once."""
        self._record_slots = SlotIndex()
        self._hash_slots = SlotIndex()
        self._path_slots = SlotIndex()
        self._title_slots = SlotIndex()
        self._fingerprints = array("q")
        table = self._table(ARTICLES)
        for batch in _batched(table.slots(), DECODE_BATCH):
            for slot, (_, doc) in zip(batch, table.documents_at(batch), strict=True):
                for name, key in _record_keys(doc):
                    self._record_index(name).append(key, slot)
                self._fingerprint_record(slot, doc)
        for index in (self._record_slots, self._hash_slots, self._path_slots, self._title_slots):
            index.sort()
        self._shadowed_records = {slot for _, slot in self._record_slots.shadowed()}

    def _index_record(self, slot: int, doc: Document) -> None:
        for name, key in _record_keys(doc):
            self._record_index(name).add(key, slot)
        self._fingerprint_record(slot, doc)

    def _unindex_record(self, slot: int, doc: Document) -> None:
        for name, key in _record_keys(doc):
            self._record_index(name).remove(key, slot)
        if slot < len(self._fingerprints):
            self._fingerprints[slot] = 0

    def _record_index(self, name: str) -> SlotIndex:
        return {
            "ids": self._record_slots,
            "hashes": self._hash_slots,
            "paths": self._path_slots,
            "titles": self._title_slots,
        }[name]

    def _fingerprint_record(self, slot: int, doc: Document) -> None:
        if len(self._fingerprints) <= slot:
            self._fingerprints.extend(repeat(0, slot + 1 - len(self._fingerprints)))
        self._fingerprints[slot] = _fingerprint(doc)

    def _put_record(self, slot: int | None, doc: Document) -> int:
        """Write an article record (in ``slot``, or a new one) and index it."""
        self._tag_counts = None
        if slot is not None:
            self._unindex_record(slot, self._table(ARTICLES).get_at(slot))
        slot = self._put(ARTICLES, slot, doc)
        self._index_record(slot, doc)
        return slot

    def _disk_record(self, aid: str) -> tuple[int | None, Document | None]:
        slot = self._record_slots.last(aid)
        return (slot, self._table(ARTICLES).get_at(slot)) if slot is not None else (None, None)

    def _record(self, aid: str) -> Document | None:
        """The record of ``aid`` as this process sees it: on disk, with its sightings."""
        _, disk = self._disk_record(aid)
        pending = self._pending.get(aid)
        if pending is None:
            return disk
        return _merge_identity(disk, pending) if disk is not None else pending

    def _has_record(self, aid: str) -> bool:
        return aid in self._pending or aid in self._record_slots

    def _record_views(self) -> Iterator[tuple[str, Document]]:
        """(id, record as this process sees it) of every article, in the table's order."""
        table = self._table(ARTICLES)
        for batch in _batched(table.slots(), DECODE_BATCH):
            for slot, (_, doc) in zip(batch, table.documents_at(batch), strict=True):
                aid = doc.get("id")
                if isinstance(aid, str) and aid and slot not in self._shadowed_records:
                    pending = self._pending.get(aid)
                    yield aid, _merge_identity(doc, pending) if pending else doc
        for aid, pending in self._pending.items():
            if aid not in self._record_slots:
                yield aid, pending

    def _flush_pending(self) -> None:
        for aid, sighting in self._pending.items():
            slot, disk = self._disk_record(aid)
            if disk is not None:
                merged = _merge_identity(disk, sighting)
                if merged != disk:
                    self._put_record(slot, merged)
            else:
                self._put_record(None, dict(sighting))

    def _clear_pending(self) -> None:
        self._pending.clear()
        self._pending_hashes.clear()
        self._pending_paths.clear()
        self._pending_titles.clear()

    # -- article identity -----------------------------------------------------------------

    def identify(self, content_hash: str, path: Path | str, title: str, size: int = 0) -> str:
        """The stable id of the article now at ``path`` with these bytes.

        A known hash keeps its id (a pure move); a new hash at a known path keeps that
        path's id (edited in place); a new hash whose title matches an article whose file
        is gone keeps that id (moved and edited); otherwise the hash becomes a new id.
        In-memory lookups only (and reading a record or two back): new sightings are
        written with the next change, by :meth:`flush`, :meth:`refresh` or :meth:`close`.
        """
        where = str(path)
        with self._lock:
            self._sync()
            known = self._unchanged(content_hash, where, title, size)
            if known is not None:
                return known
            aid = self._by_hash(content_hash)
            if aid is not None:
                rec = self._record(aid) or {}
                if rec.get("path") != where and rec.get("path") and os.path.exists(rec["path"]):
                    return aid  # an identical copy elsewhere: same article, keep its path
                self._sighting(aid, content_hash, where, title, size)
                return aid
            aid = self._by_path(where)
            if aid is None:
                aid = self._moved_and_edited(where, title, size)
            if aid is None:
                aid = content_hash[:ARTICLE_ID_LENGTH]
                n = 1
                while self._has_record(aid):
                    n += 1
                    aid = f"{content_hash[:ARTICLE_ID_LENGTH]}-{n}"
            self._sighting(aid, content_hash, where, title, size)
            return aid

    def _unchanged(self, content_hash: str, where: str, title: str, size: int) -> str | None:
        """The id of an article seen as it is recorded (the usual case, without reading
        its record back): its id is its hash, and the fingerprint of what it was seen as
        matches the one of its record."""
        aid = content_hash[:ARTICLE_ID_LENGTH]
        if aid in self._pending:
            return None
        slots = self._hash_slots.slots(content_hash)
        if not slots or self._record_slots.last(aid) != slots[0]:
            return None
        seen = {"id": aid, "path": where, "title": title, "size": size}
        return aid if self._fingerprints[slots[0]] == _fingerprint(seen) else None

    def _by_hash(self, content_hash: str) -> str | None:
        slots = self._hash_slots.slots(content_hash)
        if slots:
            aid = self._table(ARTICLES).get_at(slots[0]).get("id")
            if isinstance(aid, str):
                return aid
        return self._pending_hashes.get(content_hash)

    def _by_path(self, where: str) -> str | None:
        """The article last recorded at ``where``."""
        aid = self._pending_paths.get(where)
        if aid is not None and (self._record(aid) or {}).get("path") == where:
            return aid
        table = self._table(ARTICLES)
        for slot in reversed(self._path_slots.slots_of_number(_hashed(where))):
            aid = table.get_at(slot).get("id")
            if isinstance(aid, str) and (self._record(aid) or {}).get("path") == where:
                return aid
        return None

    def _moved_and_edited(self, where: str, title: str, size: int) -> str | None:
        if not title:
            return None
        folded = title.casefold()
        table = self._table(ARTICLES)
        aids = [
            table.get_at(s).get("id") for s in self._title_slots.slots_of_number(_hashed(folded))
        ]
        aids += self._pending_titles.get(folded, ())
        candidates: dict[str, Document] = {}
        for aid in aids:
            rec = self._record(aid) if isinstance(aid, str) else None
            if (
                rec is not None
                and str(rec.get("title", "")).casefold() == folded
                and rec.get("path") != where
                and not os.path.exists(rec.get("path") or "")
            ):
                candidates[str(aid)] = rec
        if not candidates:
            return None
        return min(
            candidates,
            key=lambda a: (abs(int(candidates[a].get("size") or 0) - size), a),
        )

    def _sighting(self, aid: str, content_hash: str, where: str, title: str, size: int) -> None:
        self._tag_counts = None  # a new article's record counts once it has tags
        rec = self._record(aid)
        if rec is None:
            new: Document = {
                "id": aid,
                "path": where,
                "title": title,
                "size": size,
                "hashes": [content_hash],
                "tags": [],
                "added": now_iso(),
            }
        else:
            hashes = list(rec.get("hashes") or [])
            if content_hash not in hashes:
                hashes.append(content_hash)
            new = {**rec, "path": where, "title": title, "size": size, "hashes": hashes}
            if new == rec:
                return
        self._pending[aid] = new
        for h in new["hashes"]:
            if isinstance(h, str):
                self._pending_hashes.setdefault(h, aid)
        self._pending_paths[where] = aid
        if title:
            self._pending_titles.setdefault(title.casefold(), []).append(aid)

    def record(self, article_id: str) -> ArticleRecord | None:
        """What the store knows of an article (None if nothing)."""
        with self._lock:
            self._sync()
            doc = self._record(article_id)
            return record_from_doc(doc) if doc is not None else None

    def records(self) -> list[ArticleRecord]:
        with self._lock:
            self._sync()
            return [record_from_doc(doc) for _, doc in self._record_views()]

    # -- notes ----------------------------------------------------------------------------

    def add_note(
        self,
        article_id: str,
        text: str,
        anchor: Anchor | None = None,
        tags: Iterable[str] = (),
    ) -> Note:
        """A new note on a passage (``anchor``) or the whole article; saved before returning."""
        if not isinstance(article_id, str) or not article_id:
            raise ReaderError("a note needs an article")
        if anchor is None and not text.strip():
            raise EmptyNote()
        normal = normalize_tags(tags)
        stamp = now_iso()
        with self._write():
            nid = uuid.uuid4().hex[:NOTE_ID_LENGTH]
            while nid in self._note_slots:
                nid = uuid.uuid4().hex[:NOTE_ID_LENGTH]
            note = Note(nid, article_id, text, anchor, normal, stamp, stamp)
            slot = self._put(NOTES, None, note_to_doc(note))
            self._note_slots.add(nid, slot)
            self._article_notes.add(article_id, slot)
        return note

    def update_note(
        self,
        note_id: str,
        *,
        text: str | None = None,
        tags: Iterable[str] | None = None,
        anchor: Anchor | None = None,
    ) -> Note:
        """Change a note's text, tags or anchor (None leaves a part as it is)."""
        normal = normalize_tags(tags) if tags is not None else None
        with self._write():
            old = self._find_note(note_id)
            new = Note(
                id=old.id,
                article_id=old.article_id,
                text=old.text if text is None else text,
                anchor=old.anchor if anchor is None else anchor,
                tags=old.tags if normal is None else normal,
                created=old.created,
                updated=old.updated,
            )
            if new == old:
                return old
            if new.anchor is None and not new.text.strip():
                raise EmptyNote()
            new = dataclasses.replace(new, updated=now_iso())
            self._put(NOTES, self._note_slots.last(old.id), note_to_doc(new))
        return new

    def delete_note(self, note_id: str) -> Note:
        """Remove a note; returns it so the caller can offer undo (:meth:`restore_note`)."""
        with self._write():
            note = self._find_note(note_id)
            slot = self._note_slots.last(note.id)
            assert slot is not None
            self._delete(NOTES, slot)
            self._note_slots.remove(note.id, slot)
            self._article_notes.remove(note.article_id, slot)
            # Earlier notes with this id (a hand-made file) would show again once it is
            # read afresh: they go too.
            for hidden in self._shadowed_note_slots(note.id):
                self._delete(NOTES, hidden)
                self._shadowed_notes.discard(hidden)
        return note

    def _shadowed_note_slots(self, note_id: str) -> list[int]:
        table = self._table(NOTES)
        return [s for s in self._shadowed_notes if table.get_at(s).get("id") == note_id]

    def _put_note(self, note: Note) -> bool:
        """Store ``note``, replacing the one with its id; True if there was none."""
        slot = self._note_slots.last(note.id)
        if slot is not None:
            old = note_from_doc(self._table(NOTES).get_at(slot))
            self._article_notes.remove(old.article_id, slot)
            self._put(NOTES, slot, note_to_doc(note))
            self._article_notes.add(note.article_id, slot)
            return False
        slot = self._put(NOTES, None, note_to_doc(note))
        self._note_slots.add(note.id, slot)
        self._article_notes.add(note.article_id, slot)
        return True

    def restore_note(self, note: Note) -> Note:
        """Put back a note exactly as given (undo of a delete); replaces one with its id."""
        with self._write():
            self._put_note(note)
        return note

    def get_note(self, note_id: str) -> Note:
        """The note with this id, or the only one whose id starts with it."""
        with self._lock:
            self._sync()
            return self._find_note(note_id)

    def _find_note(self, query: str) -> Note:
        # Ids are lower-case hex when made here, but a restored backup may hold any case:
        # the exact id first, then a prefix compared without case.
        q = query.strip()
        slot = self._note_slots.last(q) if q else None
        if slot is not None:
            return note_from_doc(self._table(NOTES).get_at(slot))
        slots = sorted(self._note_slots.starting_with(q.casefold())) if q else []
        if not slots:
            raise UnknownNote(query)
        notes = [note_from_doc(doc) for _, doc in self._table(NOTES).documents_at(slots)]
        if len(notes) > 1:
            raise AmbiguousNote(query, sorted(notes, key=lambda n: n.id))
        return notes[0]

    def notes(self, article_id: str | None = None) -> list[Note]:
        """Notes of one article (or all), oldest first.

        All of a big database's notes are hundreds of megabytes of objects: to go through
        them, :meth:`iter_notes` gives them a batch at a time.
        """
        with self._lock:
            self._sync()
            if article_id is None:
                slots = sorted(self._note_slots.all_slots())
            else:
                slots = self._article_notes.slots(article_id)
            table = self._table(NOTES)
            notes = [note_from_doc(doc) for _, doc in table.documents_at(slots)]
        notes.sort(key=lambda n: n.created)  # stable: same second keeps the order of adding
        return notes

    def iter_notes(self, article_ids: Iterable[str] | None = None) -> Iterator[list[Note]]:
        """Every note (or those of ``article_ids``), a batch of a few hundred at a time,
        in the file's order (not sorted by time).

        Each batch is read under the lock, which is let go between batches; a change made
        meanwhile by this process may or may not show in the batches still to come.
        """
        if article_ids is not None:
            for article_id in article_ids:
                yield self.notes(article_id)
            return
        start = 0
        while True:
            with self._lock:
                self._sync()
                table = self._table(NOTES)
                batch = list(islice(table.slots(start), DECODE_BATCH))
                if not batch:
                    return
                notes = []
                shadowed = self._shadowed_notes
                for slot, (_, doc) in zip(batch, table.documents_at(batch), strict=True):
                    nid = doc.get("id")
                    if isinstance(nid, str) and nid and slot not in shadowed:
                        notes.append(note_from_doc(doc))
                generation = self._gen
            yield notes
            start = batch[-1] + 1
            if generation != self._gen:  # the file was loaded again: slots moved
                return

    def note_counts(self) -> dict[str, int]:
        """Article id -> number of notes, for articles that have any."""
        with self._lock:
            self._sync()
            return self._article_notes.counts()

    # -- tags -----------------------------------------------------------------------------

    def _record_doc_for_write(self, article_id: str) -> tuple[int | None, Document]:
        slot, disk = self._disk_record(article_id)
        if disk is not None:
            return slot, disk
        known = self._pending.get(article_id)
        if known is not None:
            return None, dict(known)
        return None, {"id": article_id, "path": "", "title": "", "size": 0, "hashes": [],
                      "tags": [], "added": now_iso()}  # fmt: skip

    def _set_tags(self, article_id: str, tags: list[str]) -> tuple[str, ...]:
        slot, doc = self._record_doc_for_write(article_id)
        if list(doc.get("tags") or []) != tags or slot is None:
            self._put_record(slot, {**doc, "tags": tags})
        return tuple(tags)

    def add_tags(self, article_id: str, tags: Iterable[str]) -> tuple[str, ...]:
        """Tag an article; returns all its tags after the change. BadTag changes nothing."""
        normal = normalize_tags(tags)
        with self._write():
            _, doc = self._record_doc_for_write(article_id)
            current = list(doc.get("tags") or [])
            current += [t for t in normal if t not in current]
            return self._set_tags(article_id, current)

    def remove_tags(self, article_id: str, tags: Iterable[str]) -> tuple[str, ...]:
        """Untag an article; returns all its tags after the change."""
        normal = set(normalize_tags(tags))
        with self._write():
            _, doc = self._record_doc_for_write(article_id)
            current = list(doc.get("tags") or [])
            kept = [t for t in current if t not in normal]
            if kept == current:
                return tuple(current)
            return self._set_tags(article_id, kept)

    def tags(self, article_id: str) -> tuple[str, ...]:
        with self._lock:
            self._sync()
            tags = (self._record(article_id) or {}).get("tags") or []
            return tuple(t for t in tags if isinstance(t, str))

    def tags_by_article(self) -> dict[str, tuple[str, ...]]:
        """Every tagged article's tags, in one call (the library list needs them all).

        Counts the tags on the way, for :meth:`all_tags`, which the list asks for next.
        """
        with self._lock:
            self._sync()
            found = dict(self._tagged())
            self._tag_counts = _counted(found.values())
            return found

    def all_tags(self) -> dict[str, int]:
        """Tag -> number of articles carrying it, most used first, then by name."""
        with self._lock:
            self._sync()
            if self._tag_counts is None:
                self._tag_counts = _counted(tags for _, tags in self._tagged())
            return dict(self._tag_counts)

    def _tagged(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        """(id, tags) of every tagged article, in the table's order (a sighting not yet
        written keeps its record's tags, so those on disk are the ones)."""
        table = self._table(ARTICLES)
        for batch in _batched(table.slots(), DECODE_BATCH):
            rows = _ids_and_tags(table.lines_at(batch), len(batch))
            if rows is None:  # not laid out as the store writes records: decoded
                rows = [(doc.get("id"), doc.get("tags")) for _, doc in table.documents_at(batch)]
            for slot, (aid, tags) in zip(batch, rows, strict=True):
                if isinstance(aid, str) and aid and slot not in self._shadowed_records:
                    kept = _strings(tags)
                    if kept:
                        yield aid, kept
        for aid, pending in self._pending.items():
            if aid not in self._record_slots:
                kept = _strings(pending.get("tags"))
                if kept:
                    yield aid, kept

    # -- reading state --------------------------------------------------------------------

    def _reading_doc(self, article_id: str) -> tuple[int | None, Document | None]:
        slot = self._reading_slots.last(article_id)
        return (slot, self._table(READING).get_at(slot)) if slot is not None else (None, None)

    def reading_state(self, article_id: str) -> ReadingState:
        with self._lock:
            self._sync()
            return reading_from_doc(article_id, self._reading_doc(article_id)[1])

    def _set_reading(self, article_id: str, **changes: Any) -> None:
        with self._write():
            slot, old = self._reading_doc(article_id)
            base = old or {"article": article_id, "position": 0, "read": False, "opened": ""}
            new = {**base, **changes}
            if new == old:
                return
            self._put_reading(slot, article_id, new)

    def _put_reading(self, slot: int | None, article_id: str, doc: Document) -> None:
        new_slot = self._put(READING, slot, doc)
        if slot is None:
            self._reading_slots.add(article_id, new_slot)

    def set_position(self, article_id: str, position: int) -> None:
        """Remember where the reader is in an article (also stamps when it was opened)."""
        if self.reading_state(article_id).position == max(0, position):
            return
        self._set_reading(article_id, position=max(0, int(position)), opened=now_iso())

    def set_read(self, article_id: str, read: bool = True) -> None:
        if self.reading_state(article_id).read == read:
            return
        self._set_reading(article_id, read=bool(read))

    def reading_states(self) -> list[ReadingState]:
        with self._lock:
            self._sync()
            table = self._table(READING)
            states = []
            for batch in _batched(table.slots(), DECODE_BATCH):
                for slot, (_, doc) in zip(batch, table.documents_at(batch), strict=True):
                    aid = doc.get("article")
                    if isinstance(aid, str) and aid and self._reading_slots.last(aid) == slot:
                        states.append(reading_from_doc(aid, doc))
            return states

    # -- whole-database views, for backup and doctor ----------------------------------------

    def dump(self) -> dict[str, list[Document]]:
        """Copies of every article record, note and reading state, as stored."""
        with self._lock:
            self._sync()
            return {
                name: [doc for _, doc in self._table(name).documents()]
                for name in (ARTICLES, NOTES, READING)
            }

    def merge_note(self, note: Note) -> str:
        """Bring in a note from elsewhere: "added", "updated" (it was newer) or "kept"."""
        with self._write():
            slot = self._note_slots.last(note.id)
            if slot is not None:
                current = note_from_doc(self._table(NOTES).get_at(slot))
                if current == note or not is_newer(note.updated, current.updated):
                    return "kept"
            return "added" if self._put_note(note) else "updated"

    def merge_record(self, doc: Document) -> str:
        """Bring in an article record: unknown ones are added, known ones gain hashes and tags."""
        aid = doc["id"]
        with self._write():
            slot, current = self._record_doc_for_write(aid)
            if slot is None and not self._has_record(aid):
                new = dict(doc)
                result = "added"
            else:
                hashes = list(current.get("hashes") or [])
                hashes += [h for h in doc.get("hashes") or [] if h not in hashes]
                tags = list(current.get("tags") or [])
                tags += [t for t in doc.get("tags") or [] if t not in tags]
                new = {**doc, **current, "hashes": hashes, "tags": tags}
                result = "kept" if new == current else "updated"
            if result != "kept":
                self._put_record(slot, new)
            return result

    def merge_reading(self, state: ReadingState) -> str:
        """Bring in a reading state; the one opened more recently wins."""
        with self._write():
            slot, current = self._reading_doc(state.article_id)
            new = {
                "article": state.article_id,
                "position": state.position,
                "read": state.read,
                "opened": state.opened,
            }
            if current is not None and (
                current == new or not is_newer(state.opened, str(current.get("opened", "")))
            ):
                return "kept"
            self._put_reading(slot, state.article_id, new)
            return "added" if current is None else "updated"


def _batched(items: Iterable[int], size: int) -> Iterator[list[int]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


#: A record line's id, and its hashes and tags, as the store writes records. No JSON string
#: holds a raw quote, so ``, "hashes": [`` can only be the key itself. The lists are matched
#: string by string: a tag may hold ``]``, which must not end its list.
_RECORD_ID = re.compile(rb'\n  "[^"\\\n]*": \{"id": "([^"\\]*)"')
_JSON_STRING = rb'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
_STRING_LIST = rb"\[(?:" + _JSON_STRING + rb"(?:, " + _JSON_STRING + rb")*)?\]"
_RECORD_TAGS = re.compile(rb', "hashes": ' + _STRING_LIST + rb', "tags": (' + _STRING_LIST + rb")")


def _ids_and_tags(lines: bytes, count: int) -> list[tuple[object, object]] | None:
    """(id, tag list) of each of ``count`` record lines (joined as in the file), found
    without decoding the records (a third of the time); None if any is laid out otherwise."""
    joined = b"\n" + lines
    ids = _RECORD_ID.findall(joined)
    tags = _RECORD_TAGS.findall(joined)
    if len(ids) != count or len(tags) != count:
        return None
    try:
        lists = json.loads(b"[" + b",".join(tags) + b"]")
    except ValueError:
        return None
    if len(lists) != count:
        return None
    return list(zip(map(bytes.decode, ids), lists, strict=True))


def _counted(tag_lists: Iterable[tuple[str, ...]]) -> dict[str, int]:
    """Tag -> number of lists holding it, most used first, then by name."""
    counts: dict[str, int] = {}
    for tags in tag_lists:
        for tag in tags:
            counts[tag] = counts.get(tag, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _strings(values: object) -> tuple[str, ...]:
    return tuple(v for v in values if isinstance(v, str)) if isinstance(values, list) else ()


def _hashed(text: str) -> int:
    """A 64-bit number for a path or title, to index it by (this process's string hash:
    a lookup reads the records found back to compare the text itself)."""
    return hash(text) & MASK64


def _record_keys(doc: Document) -> Iterator[tuple[str, str | int]]:
    """(index, key) of each entry a record has in the record indexes: its id, its hashes,
    and the string hashes of its path and case-folded title; none without an id."""
    aid = doc.get("id")
    if not isinstance(aid, str) or not aid:
        return
    yield "ids", aid
    for h in doc.get("hashes") or ():
        if isinstance(h, str):
            yield "hashes", h
    path = doc.get("path")
    if isinstance(path, str) and path:
        yield "paths", _hashed(path)
    title = doc.get("title")
    if isinstance(title, str) and title:
        yield "titles", _hashed(title.casefold())


def _fingerprint(doc: Document) -> int:
    """What an identity sighting compares with a record to know nothing changed."""
    return hash((doc.get("id"), doc.get("path"), doc.get("title"), doc.get("size")))
