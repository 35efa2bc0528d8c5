"""The annotation store: notes, tags, reading state and article identity, in one TinyDB file.

The file is TinyDB's layout (table -> document id -> document) written by
:class:`reader.atomic_storage.AtomicJSONStorage`, so it survives crashes and several
processes (the app and a CLI command) can use it at once. Tables (schema 1):

* ``meta``: ``{"schema": 1, "rev": ...}``
* ``articles``: ``{"id", "path", "title", "size", "hashes": [...], "tags": [...], "added"}``
* ``notes``: ``{"id", "article", "text", "anchor": {...} | null, "tags", "created", "updated"}``
* ``reading``: ``{"article", "position", "read", "opened"}``

Documents are edited through the storage's in-memory tables rather than TinyDB's ``Table``
methods: those rebuild the whole table dict on every change, which makes one save O(n) and a
batch of n inserts O(n²). The tables keep each document as its encoded line and decode it
when read (:class:`reader.atomic_storage.LineTable`), so documents are always replaced,
never changed in place. Opening decodes the article records and reading states; of the
notes, which can be a hundred thousand, it reads only each one's id and article (the start
of its line), and a note is decoded when it is asked for. ``Store.db`` is a ``TinyDB`` over
the same storage for read-only queries.

Every public method takes one lock, so the UI may save from a worker thread.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import threading
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from tinydb import TinyDB

from reader.atomic_storage import (
    DOCTOR_HINT,
    AtomicJSONStorage,
    CorruptDatabase,
    Data,
    DatabaseBusy,
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
from reader.tags import BadTag, normalize_tags

__all__ = [
    "DOCTOR_HINT",
    "AmbiguousNote",
    "BadTag",
    "CorruptDatabase",
    "DatabaseBusy",
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
        self._next: dict[str, int] = {}
        self._note_key: dict[str, str] = {}
        self._by_article: dict[str, dict[str, None]] = {}
        self._record_key: dict[str, str] = {}
        self._records: dict[str, Document] = {}
        self._by_hash: dict[str, str] = {}
        self._by_path: dict[str, str] = {}
        self._by_title: dict[str, set[str]] = {}
        self._reading_key: dict[str, str] = {}
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
            self._pending.clear()

    def _table(self, name: str) -> LineTable:
        return self._storage.tables().get(name) or LineTable()

    def _put(self, name: str, key: str | None, doc: Document) -> str:
        """Store ``doc`` under ``key`` (a new key if None) in table ``name``; returns the key."""
        table = self._storage.tables().setdefault(name, LineTable())
        if key is None:
            number = self._next.get(name) or self._first_free_key(table)
            while str(number) in table:
                number += 1
            self._next[name] = number + 1
            key = str(number)
        table[key] = doc
        self._storage.mark_dirty()
        return key

    @staticmethod
    def _first_free_key(table: LineTable) -> int:
        """One more than the largest numeric key, as TinyDB numbers its documents."""
        return table.next_number()

    def _delete(self, name: str, key: str) -> None:
        del self._storage.tables()[name][key]
        self._storage.mark_dirty()

    def _ensure_meta(self) -> None:
        meta = self._table(META).get("1")
        if meta is None or meta.get("schema") != CURRENT_SCHEMA:
            self._put(META, "1", {**(meta or {}), "schema": CURRENT_SCHEMA})

    def _sync(self) -> None:
        """Rebuild the indexes if the storage loaded new data since the last look."""
        if self._gen == self._storage.generation:
            return
        if self._gen != -1:
            self._checked_schema()
        self._gen = self._storage.generation
        self._next = {}  # worked out by the first insert into each table
        # A loop in Python, which lets the UI's thread run meanwhile: one C call over
        # 100,000 notes (a sort to group them, say) would hold the interpreter lock.
        note_key: dict[str, str] = {}
        by_article: defaultdict[str, dict[str, None]] = defaultdict(dict)
        keys, (nids, articles) = self._table(NOTES).columns(("id", "article"))
        for key, nid, article in zip(keys, nids, articles, strict=True):
            if nid:
                note_key[nid] = key
                by_article[article][nid] = None
        self._note_key = note_key
        self._by_article = dict(by_article)
        self._record_key = {}
        self._records = {}
        for key, doc in self._table(ARTICLES).documents():
            aid = doc.get("id")
            if isinstance(aid, str) and aid:
                self._record_key[aid] = key
                self._records[aid] = doc
        for aid, sighting in self._pending.items():
            disk = self._records.get(aid)
            self._records[aid] = _merge_identity(disk, sighting) if disk else sighting
        self._by_hash = {}
        self._by_path = {}
        self._by_title = {}
        for aid, doc in self._records.items():
            self._index_record(aid, doc)
        self._reading_key = {}
        keys, (aids,) = self._table(READING).columns(("article",))
        for key, aid in zip(keys, aids, strict=True):
            if aid:
                self._reading_key[aid] = key

    def _index_record(self, aid: str, doc: Document) -> None:
        for h in doc.get("hashes") or ():
            if isinstance(h, str):
                self._by_hash.setdefault(h, aid)
        path = doc.get("path")
        if isinstance(path, str) and path:
            self._by_path[path] = aid
        title = doc.get("title")
        if isinstance(title, str) and title:
            self._by_title.setdefault(title.casefold(), set()).add(aid)

    def _unindex_record(self, aid: str, doc: Document) -> None:
        path = doc.get("path")
        if isinstance(path, str) and self._by_path.get(path) == aid:
            del self._by_path[path]
        title = doc.get("title")
        if isinstance(title, str):
            self._by_title.get(title.casefold(), set()).discard(aid)

    def _flush_pending(self) -> None:
        for aid, sighting in self._pending.items():
            key = self._record_key.get(aid)
            disk = self._table(ARTICLES).get(key) if key is not None else None
            if disk is not None:
                merged = _merge_identity(disk, sighting)
                if merged != disk:
                    self._put(ARTICLES, key, merged)
                    self._records[aid] = merged
            else:
                self._record_key[aid] = self._put(ARTICLES, None, dict(sighting))
                self._records[aid] = sighting

    # -- article identity -----------------------------------------------------------------

    def identify(self, content_hash: str, path: Path | str, title: str, size: int = 0) -> str:
        """The stable id of the article now at ``path`` with these bytes.

        A known hash keeps its id (a pure move); a new hash at a known path keeps that
        path's id (edited in place); a new hash whose title matches an article whose file
        is gone keeps that id (moved and edited); otherwise the hash becomes a new id.
        In-memory lookups only: new sightings are written with the next change, by
        :meth:`flush`, :meth:`refresh` or :meth:`close`.
        """
        where = str(path)
        with self._lock:
            self._sync()
            aid = self._by_hash.get(content_hash)
            if aid is not None:
                rec = self._records[aid]
                if rec.get("path") != where and rec.get("path") and os.path.exists(rec["path"]):
                    return aid  # an identical copy elsewhere: same article, keep its path
                self._sighting(aid, content_hash, where, title, size)
                return aid
            aid = self._by_path.get(where)
            if aid is None:
                aid = self._moved_and_edited(where, title, size)
            if aid is None:
                aid = content_hash[:ARTICLE_ID_LENGTH]
                n = 1
                while aid in self._records:
                    n += 1
                    aid = f"{content_hash[:ARTICLE_ID_LENGTH]}-{n}"
            self._sighting(aid, content_hash, where, title, size)
            return aid

    def _moved_and_edited(self, where: str, title: str, size: int) -> str | None:
        if not title:
            return None
        candidates = [
            aid
            for aid in self._by_title.get(title.casefold(), ())
            if self._records[aid].get("path") != where
            and not os.path.exists(self._records[aid].get("path") or "")
        ]
        if not candidates:
            return None
        return min(
            candidates,
            key=lambda a: (abs(int(self._records[a].get("size") or 0) - size), a),
        )

    def _sighting(self, aid: str, content_hash: str, where: str, title: str, size: int) -> None:
        rec = self._records.get(aid)
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
            self._unindex_record(aid, rec)
        self._records[aid] = new
        self._pending[aid] = new
        self._index_record(aid, new)

    def record(self, article_id: str) -> ArticleRecord | None:
        """What the store knows of an article (None if nothing)."""
        with self._lock:
            self._sync()
            doc = self._records.get(article_id)
            return record_from_doc(doc) if doc is not None else None

    def records(self) -> list[ArticleRecord]:
        with self._lock:
            self._sync()
            return [record_from_doc(doc) for doc in self._records.values()]

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
            while nid in self._note_key:
                nid = uuid.uuid4().hex[:NOTE_ID_LENGTH]
            note = Note(nid, article_id, text, anchor, normal, stamp, stamp)
            self._note_key[nid] = self._put(NOTES, None, note_to_doc(note))
            self._by_article.setdefault(article_id, {})[nid] = None
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
            self._put(NOTES, self._note_key[old.id], note_to_doc(new))
        return new

    def delete_note(self, note_id: str) -> Note:
        """Remove a note; returns it so the caller can offer undo (:meth:`restore_note`)."""
        with self._write():
            note = self._find_note(note_id)
            self._delete(NOTES, self._note_key.pop(note.id))
            self._by_article.get(note.article_id, {}).pop(note.id, None)
        return note

    def restore_note(self, note: Note) -> Note:
        """Put back a note exactly as given (undo of a delete); replaces one with its id."""
        with self._write():
            key = self._note_key.get(note.id)
            if key is not None:
                old = note_from_doc(self._table(NOTES)[key])
                self._by_article.get(old.article_id, {}).pop(old.id, None)
            self._note_key[note.id] = self._put(NOTES, key, note_to_doc(note))
            self._by_article.setdefault(note.article_id, {})[note.id] = None
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
        key = self._note_key.get(q)
        if key is not None:
            return note_from_doc(self._table(NOTES)[key])
        folded = q.casefold()
        matches = [nid for nid in self._note_key if nid.casefold().startswith(folded)] if q else []
        if not matches:
            raise UnknownNote(query)
        keys = [self._note_key[m] for m in matches]
        notes = [note_from_doc(doc) for _, doc in self._table(NOTES).documents(keys)]
        if len(notes) > 1:
            raise AmbiguousNote(query, sorted(notes, key=lambda n: n.id))
        return notes[0]

    def notes(self, article_id: str | None = None) -> list[Note]:
        """Notes of one article (or all), oldest first."""
        with self._lock:
            self._sync()
            table = self._table(NOTES)
            if article_id is None:
                keys: Iterable[str] = self._note_key.values()
            else:
                keys = [self._note_key[nid] for nid in self._by_article.get(article_id, {})]
            notes = [note_from_doc(doc) for _, doc in table.documents(keys)]
        notes.sort(key=lambda n: n.created)  # stable: same second keeps the order of adding
        return notes

    def note_counts(self) -> dict[str, int]:
        """Article id -> number of notes, for articles that have any."""
        with self._lock:
            self._sync()
            return {aid: len(ids) for aid, ids in self._by_article.items() if ids}

    # -- tags -----------------------------------------------------------------------------

    def _record_doc_for_write(self, article_id: str) -> tuple[str | None, Document]:
        key = self._record_key.get(article_id)
        disk = self._table(ARTICLES).get(key) if key is not None else None
        if disk is not None:
            return key, disk
        known = self._records.get(article_id)
        if known is not None:
            return None, dict(known)
        return None, {"id": article_id, "path": "", "title": "", "size": 0, "hashes": [],
                      "tags": [], "added": now_iso()}  # fmt: skip

    def _set_tags(self, article_id: str, tags: list[str]) -> tuple[str, ...]:
        key, doc = self._record_doc_for_write(article_id)
        if list(doc.get("tags") or []) != tags or key is None:
            new = {**doc, "tags": tags}
            self._record_key[article_id] = self._put(ARTICLES, key, new)
            pending = self._pending.get(article_id)
            self._records[article_id] = _merge_identity(new, pending) if pending else new
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
            tags = self._records.get(article_id, {}).get("tags") or []
            return tuple(t for t in tags if isinstance(t, str))

    def tags_by_article(self) -> dict[str, tuple[str, ...]]:
        """Every tagged article's tags, in one call (the library list needs them all)."""
        with self._lock:
            self._sync()
            found = {}
            for aid, doc in self._records.items():
                tags = tuple(t for t in doc.get("tags") or () if isinstance(t, str))
                if tags:
                    found[aid] = tags
            return found

    def all_tags(self) -> dict[str, int]:
        """Tag -> number of articles carrying it, most used first, then by name."""
        counts: dict[str, int] = {}
        with self._lock:
            self._sync()
            for doc in self._records.values():
                for tag in doc.get("tags") or ():
                    if isinstance(tag, str):
                        counts[tag] = counts.get(tag, 0) + 1
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    # -- reading state --------------------------------------------------------------------

    def reading_state(self, article_id: str) -> ReadingState:
        with self._lock:
            self._sync()
            key = self._reading_key.get(article_id)
            return reading_from_doc(article_id, self._table(READING).get(key) if key else None)

    def _set_reading(self, article_id: str, **changes: Any) -> None:
        with self._write():
            key = self._reading_key.get(article_id)
            old = self._table(READING).get(key) if key else None
            base = old or {"article": article_id, "position": 0, "read": False, "opened": ""}
            new = {**base, **changes}
            if new == old:
                return
            self._reading_key[article_id] = self._put(READING, key, new)

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
            docs = self._table(READING).documents(self._reading_key.values())
            return [
                reading_from_doc(aid, doc)
                for aid, (_, doc) in zip(self._reading_key, docs, strict=True)
            ]

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
            key = self._note_key.get(note.id)
            if key is not None:
                current = note_from_doc(self._table(NOTES)[key])
                if current == note or not is_newer(note.updated, current.updated):
                    return "kept"
                self._by_article.get(current.article_id, {}).pop(current.id, None)
            self._note_key[note.id] = self._put(NOTES, key, note_to_doc(note))
            self._by_article.setdefault(note.article_id, {})[note.id] = None
            return "added" if key is None else "updated"

    def merge_record(self, doc: Document) -> str:
        """Bring in an article record: unknown ones are added, known ones gain hashes and tags."""
        aid = doc["id"]
        with self._write():
            key, current = self._record_doc_for_write(aid)
            if key is None and aid not in self._records:
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
                self._record_key[aid] = self._put(ARTICLES, key, new)
                if self._records.get(aid) is not None:
                    self._unindex_record(aid, self._records[aid])
                pending = self._pending.get(aid)
                self._records[aid] = _merge_identity(new, pending) if pending else new
                self._index_record(aid, self._records[aid])
            return result

    def merge_reading(self, state: ReadingState) -> str:
        """Bring in a reading state; the one opened more recently wins."""
        with self._write():
            key = self._reading_key.get(state.article_id)
            current = self._table(READING).get(key) if key else None
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
            self._reading_key[state.article_id] = self._put(READING, key, new)
            return "added" if current is None else "updated"
