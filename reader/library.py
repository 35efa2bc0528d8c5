"""The library: article files found in folders, an index that makes start-up cheap, and a
pure query object for filtering and sorting.

Scanning stats every file but reads only new or changed ones: the index on disk remembers
each file's size, modification time and metadata. A file that cannot be shown (binary, too
large, unreadable) stays in the list with the reason in ``ArticleMeta.problem`` rather than
vanishing, so nobody wonders where it went.

The index also remembers what the last scan listed, in title order and with each
article's id, so the list can be shown from it before the folders are walked and the
database is opened (:func:`read_listing`); the scan that follows has the last word.

Two files with the same content (a copy in another folder, a symlink) get the same id from
the store; the library keeps the first one found (folders in the order given, then by
name) and leaves the others out, so an id always names one article.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from itertools import islice
from pathlib import Path
from typing import Any, overload

from reader.articles import (
    MAX_ARTICLE_BYTES,
    SNIFF_BYTES,
    SUFFIXES,
    Format,
    Unreadable,
    article_from_bytes,
    binary_reason,
    content_hash,
    count_words,
    fallback_title,
    format_of,
    parse,
    too_large,
)
from reader.atomic_file import write_atomically
from reader.models import Article, ArticleMeta, ReadingState
from reader.safety import visible_line

#: (content hash, path, title, size) -> the article's id.
Identify = Callable[[str, str, str, int], str]

#: Bumped when what the parser extracts or the index's layout changes, so old index files
#: are read again.
INDEX_VERSION = 2
#: Text files up to SCAN_FULL_BYTES are read whole when scanned, larger ones by their first
#: HEAD_BYTES; Markdown (slower to render) by its first MARKDOWN_HEAD_BYTES. The word count
#: of a file read in part is an estimate until it is opened. HTML is always read whole:
#: extraction needs the whole page.
SCAN_FULL_BYTES = 4 * 1024 * 1024
HEAD_BYTES = 256 * 1024
MARKDOWN_HEAD_BYTES = 64 * 1024
#: Loaded articles kept in memory.
CACHE_SIZE = 16

#: One file's line in the index, after its path and id: the record's fields in this order.
_ROW_FIELDS = (
    "size",
    "mtime_ns",
    "fmt",
    "hash",
    "title",
    "source",
    "author",
    "date",
    "url",
    "words",
    "problem",
)
_INT_FIELDS = frozenset({"size", "mtime_ns", "words"})
#: The type of each value of an index line: path, id, then the fields.
_ROW_TYPES = (str, str, *(int if f in _INT_FIELDS else str for f in _ROW_FIELDS))
_FORMATS = ("txt", "md", "html")
#: Each format's name as one shared string, not one decoded per index line.
_FORMAT_NAMES: dict[str, Format] = {"txt": "txt", "md": "md", "html": "html"}


def _by_hash(content: str, path: str, title: str, size: int) -> str:
    return content


def path_id(path: Path | str) -> str:
    """The id of a file that could not be read: from its path, 16 hex digits like a hash."""
    raw = os.fsencode(os.fspath(path))
    return "f" + hashlib.sha256(raw).hexdigest()[:15]


class Library:
    """Every article in the library folders, by id."""

    def __init__(
        self,
        dirs: Sequence[Path],
        index_path: Path | None = None,
        identify: Identify | None = None,
        ids_from: str = "",
    ) -> None:
        self.dirs = tuple(Path(d) for d in dirs)
        self.index_path = index_path
        self.identify: Identify = identify or _by_hash
        #: Names where the ids come from (the database), so a listing in the index is
        #: offered only to a run that would give the same ids.
        self.ids_from = ids_from
        #: Folders that could not be listed, and index files that could not be written.
        self.warnings: list[str] = []
        self._metas: list[ArticleMeta] = []
        self._by_id: dict[str, ArticleMeta] = {}
        #: Whether the index on disk was made for these folders and this database.
        self._index_matches = False
        #: What the index on disk holds, by path: each file as an article, with the id the
        #: index lists it under ("" for a copy left out). One object per file serves as the
        #: index's record and as the listed article (the index's own records and a second
        #: copy as articles held 18 MB at 10,000 articles).
        self._indexed: dict[str, ArticleMeta] = self._read_index()
        self._cache: OrderedDict[str, Article] = OrderedDict()
        self._lock = threading.RLock()

    @classmethod
    def scan(
        cls,
        dirs: Iterable[Path],
        index_path: Path | None = None,
        identify: Identify | None = None,
        ids_from: str = "",
    ) -> Library:
        """Find every article under ``dirs``; only new or changed files are read."""
        library = cls(list(dirs), index_path, identify, ids_from)
        library.rescan()
        return library

    # -- queries ------------------------------------------------------------------------

    def metas(self) -> list[ArticleMeta]:
        """Every article, unreadable ones with ``problem`` set, in scan order."""
        return list(self._metas)

    def get(self, article_id: str) -> ArticleMeta:
        """The article with this id; KeyError if there is none."""
        return self._by_id[article_id]

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._by_id

    def __len__(self) -> int:
        return len(self._metas)

    def find_path(self, path: Path) -> ArticleMeta | None:
        """The article read from ``path`` (compared as resolved paths), if it is listed."""
        try:
            wanted = path.resolve()
        except OSError:
            return None
        for meta in self._metas:
            try:
                if meta.path.resolve() == wanted:
                    return meta
            except OSError:
                continue
        return None

    def load(self, article_id: str) -> Article:
        """The whole article, read and parsed; the last few are cached.

        Raises KeyError for an unknown id and :class:`Unreadable` when the file cannot be
        shown (including when it vanished or changed into something unreadable).
        """
        meta = self.get(article_id)
        if meta.problem:
            raise Unreadable(meta.problem)
        try:
            st = os.stat(meta.path)
        except OSError as exc:
            raise Unreadable(f"cannot be read: {_reason(exc)}") from exc
        with self._lock:
            cached = self._cache.get(article_id)
            if cached and (cached.meta.size, cached.meta.mtime_ns) == (st.st_size, st.st_mtime_ns):
                self._cache.move_to_end(article_id)
                return cached
        if st.st_size > MAX_ARTICLE_BYTES:
            raise Unreadable(too_large(st.st_size))
        try:
            with open(meta.path, "rb") as f:
                data = f.read(MAX_ARTICLE_BYTES + 1)
        except OSError as exc:
            raise Unreadable(f"cannot be read: {_reason(exc)}") from exc
        article = article_from_bytes(
            data, meta.path, meta.fmt, article_id=article_id, mtime_ns=st.st_mtime_ns
        )
        with self._lock:
            self._cache[article_id] = article
            self._cache.move_to_end(article_id)
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return article

    # -- scanning -----------------------------------------------------------------------

    def rescan(self) -> bool:
        """Look at the folders again; True if any article appeared, vanished or changed."""
        with self._lock:
            self.warnings = []
            before = self._indexed
            indexed: dict[str, ArticleMeta] = {}
            metas: list[ArticleMeta] = []
            by_id: dict[str, ArticleMeta] = {}
            for key, st, problem in self._walk():
                old = before.get(key)
                indexable = st is not None
                if st is None:
                    meta = self._unreadable(key, problem)
                elif old is not None and (old.size, old.mtime_ns) == (st.st_size, st.st_mtime_ns):
                    meta = self._identified(old)
                    key = old.path_text  # one string per path kept, not two
                else:
                    old = None
                    record = read_record(Path(key), st)
                    indexable = not record.get("retry")  # else read again next time
                    meta = self._identified(_article_meta("", key, record))
                if meta.id in by_id:  # a copy of an article listed already
                    if indexable:
                        indexed[key] = old if old is not None and not old.id else _unlisted(meta)
                    continue
                by_id[meta.id] = meta
                metas.append(meta)
                if indexable:
                    indexed[key] = meta
            dirty = not self._index_matches or indexed.keys() != before.keys()
            dirty = dirty or any(meta is not before[key] for key, meta in indexed.items())
            self._indexed = indexed
            changed = len(metas) != len(self._metas) or any(
                a is not b and a != b for a, b in zip(metas, self._metas, strict=False)
            )
            self._metas = metas
            self._by_id = by_id
            for stale in [i for i in self._cache if i not in by_id]:
                del self._cache[stale]
            if dirty:
                self._write_index()
            return changed

    def _identified(self, meta: ArticleMeta) -> ArticleMeta:
        """``meta`` with the id ``identify`` gives it now; the same object when the id is
        the same, so a rescan of 10,000 unchanged files makes no new objects."""
        # Empty files all share one hash; each is its own (empty) article.
        if meta.content_hash and meta.size > 0:
            article_id = self.identify(meta.content_hash, meta.path_text, meta.title, meta.size)
        else:
            article_id = path_id(meta.path_text)
        return meta if meta.id == article_id else replace(meta, id=article_id)

    def _unreadable(self, key: str, problem: str) -> ArticleMeta:
        fmt = _format_of_name(key) or "txt"
        record = {"title": fallback_title(Path(key)), "problem": problem, "fmt": fmt}
        return _article_meta(path_id(key), key, record)

    def _walk(self) -> Iterator[tuple[str, os.stat_result | None, str]]:
        """(path, stat, problem) for every article file; stat None when it cannot be had.

        Folders are followed through symlinks, each real folder once (by device and inode),
        so a link loop ends. Hidden folders and files are skipped, and so are FIFOs and
        devices, which would block a read. Paths are strings here (a ``Path`` for each of
        10,000 files cost a tenth of a second); only files read anew get one.
        """
        seen: set[tuple[int, int]] = set()
        for root in self.dirs:
            try:
                st = os.stat(root)
            except OSError:
                continue  # a library folder that does not exist yet is normal
            if not stat.S_ISDIR(st.st_mode) or (st.st_dev, st.st_ino) in seen:
                continue
            seen.add((st.st_dev, st.st_ino))
            stack = [os.fspath(root)]
            while stack:
                folder = stack.pop()
                try:
                    with os.scandir(folder) as it:
                        entries = sorted(it, key=lambda e: e.name, reverse=True)
                except OSError as exc:
                    shown = visible_line(folder)
                    self.warnings.append(f"{shown}: cannot be listed ({_reason(exc)})")
                    continue
                subfolders: list[str] = []
                while entries:
                    # each entry dropped once used: with its stat, 10,000 held 6 MB
                    entry = entries.pop()
                    if entry.name.startswith("."):
                        continue
                    try:
                        if entry.is_dir(follow_symlinks=True):
                            dst = entry.stat(follow_symlinks=True)
                            if (dst.st_dev, dst.st_ino) not in seen:
                                seen.add((dst.st_dev, dst.st_ino))
                                subfolders.append(entry.path)
                            continue
                        if _format_of_name(entry.name) is None:
                            continue
                        fst = entry.stat(follow_symlinks=True)
                    except OSError as exc:
                        if _format_of_name(entry.name) is not None:
                            yield entry.path, None, f"cannot be read: {_reason(exc)}"
                        continue
                    if stat.S_ISREG(fst.st_mode):
                        yield entry.path, fst, ""
                stack.extend(reversed(subfolders))

    # The index is JSON lines: a header, then one array per file (its path, its id, then
    # the fields of _ROW_FIELDS). The articles the last scan listed come first, in title
    # order, with the id they were given; files left out as copies follow with id "".

    def _header(self, listed: int) -> dict[str, Any]:
        return {
            "version": INDEX_VERSION,
            "dirs": [str(d) for d in self.dirs],
            "ids_from": self.ids_from,
            "listed": listed,
        }

    def _read_index(self) -> dict[str, ArticleMeta]:
        """The index's files, read a line at a time; nothing if a line is not JSON (the
        file was not written whole, so none of it is trusted). A line of the wrong shape
        is skipped, and so is a blank one."""
        if self.index_path is None:
            return {}
        indexed: dict[str, ArticleMeta] = {}
        try:
            with open(self.index_path, "rb") as f:
                header = json.loads(f.readline())
                if not isinstance(header, dict) or header.get("version") != INDEX_VERSION:
                    return {}
                for line in f:
                    if not line.strip():
                        continue
                    row = json.loads(line)
                    record = _record_of(row)
                    if record is not None:
                        indexed[row[0]] = _article_meta(row[1], row[0], record)
        except (OSError, ValueError):
            return {}
        self._index_matches = header == self._header(header.get("listed", -1))
        return indexed

    def _write_index(self) -> None:
        """Write the index atomically (temp file + rename); failing only costs speed."""
        if self.index_path is None:
            return
        listed = [m for m in self._indexed.values() if m.id and self._by_id.get(m.id) is m]
        listed.sort(key=title_order)
        payload = _index_lines(self._header(len(listed)), listed, self._indexed.values())
        folder = self.index_path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            write_atomically(self.index_path, payload, default_mode=0o644)
        except OSError as exc:
            shown_path = visible_line(str(self.index_path))
            self.warnings.append(f"{shown_path}: library index not saved ({_reason(exc)})")
            self._index_matches = False  # so the next rescan tries again
            return
        self._index_matches = True


def _index_lines(
    header: dict[str, Any], listed: list[ArticleMeta], indexed: Iterable[ArticleMeta]
) -> Iterator[bytes]:
    """The index file a few hundred lines at a time: the listed articles first, in title
    order, then the copies left out, with id ""."""
    lines = [json.dumps(header)]
    for meta in listed:
        lines.append(_index_line(meta.id, meta))
        if len(lines) >= 500:
            yield ("\n".join(lines) + "\n").encode("utf-8")
            lines = []
    lines.extend(_index_line("", meta) for meta in indexed if not meta.id)
    if lines:
        yield ("\n".join(lines) + "\n").encode("utf-8")


def _unlisted(meta: ArticleMeta) -> ArticleMeta:
    """A copy left out, as the index holds it."""
    return replace(meta, id="")


def _index_line(article_id: str, meta: ArticleMeta) -> str:
    """One file's line of the index (JSON escapes every line break, so it is one line)."""
    return json.dumps(
        [
            meta.path_text,
            article_id,
            *(meta.size, meta.mtime_ns, meta.fmt, meta.content_hash, meta.title, meta.source),
            *(meta.author, meta.date, meta.url, meta.words, meta.problem),
        ]
    )


def _record_of(row: object) -> dict[str, Any] | None:
    """The record of one index line, or None if the line is not one we wrote."""
    if type(row) is not list or tuple(map(type, row)) != _ROW_TYPES:
        return None
    record = dict(zip(_ROW_FIELDS, row[2:], strict=True))
    if record["fmt"] not in _FORMATS:
        return None
    return record


def _format_of_name(name: str) -> Format | None:
    """:func:`reader.articles.format_of` for a file name or path given as a string."""
    return SUFFIXES.get(os.path.splitext(name)[1].lower())


def title_order(meta: ArticleMeta) -> tuple[str, str]:
    """The library's default order: by title, regardless of case, then by path."""
    return (meta.title.casefold(), meta.path_text)


def read_listing(
    index_path: Path, dirs: Sequence[Path], ids_from: str
) -> Sequence[ArticleMeta] | None:
    """What the last scan of ``dirs`` listed, in title order, from the index alone.

    None when there is no index, or it was made for other folders or another database
    (whose ids could differ). Only the listed articles' lines are read here, a line at a
    time; each article is made when first asked for, so the first screenful of 10,000
    costs a few lines' parsing.
    """
    try:
        with open(index_path, "rb") as f:
            header = json.loads(f.readline())
            listed = header.get("listed") if isinstance(header, dict) else None
            # the listed articles' lines come first; the copies left out are not read
            lines = list(islice(f, listed)) if isinstance(listed, int) and listed >= 0 else []
    except (OSError, ValueError):
        return None
    expected = {
        "version": INDEX_VERSION,
        "dirs": [str(d) for d in dirs],
        "ids_from": ids_from,
        "listed": listed,
    }
    if header != expected or len(lines) != listed:
        return None
    return IndexListing(lines)


class IndexListing(Sequence[ArticleMeta]):
    """Articles listed in the index, each made from its line the first time it is read."""

    def __init__(self, lines: list[bytes]) -> None:
        self._lines = lines
        self._made: dict[int, ArticleMeta] = {}

    def __len__(self) -> int:
        return len(self._lines)

    @overload
    def __getitem__(self, index: int) -> ArticleMeta: ...

    @overload
    def __getitem__(self, index: slice) -> list[ArticleMeta]: ...

    def __getitem__(self, index: int | slice) -> ArticleMeta | list[ArticleMeta]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        meta = self._made.get(index)
        if meta is None:
            meta = self._made[index] = _listed_meta(self._lines[index], index)
        return meta


def _listed_meta(line: bytes, index: int) -> ArticleMeta:
    try:
        row = json.loads(line)
    except ValueError:
        row = None
    record = _record_of(row)
    if record is None or not row[1]:
        # Never written so; shown as it is until the scan that follows replaces the list.
        return ArticleMeta(
            id=f"index-line-{index}",
            path=Path(),
            title="(a damaged line of the library index)",
            problem="the library is being scanned again",
        )
    return _article_meta(row[1], row[0], record)


def _title(path: str, record: dict[str, Any]) -> str:
    return str(record.get("title") or fallback_title(Path(path)))


def _article_meta(article_id: str, path: str, record: dict[str, Any]) -> ArticleMeta:
    digest = str(record.get("hash", ""))
    fmt = record.get("fmt", "txt")
    return ArticleMeta(
        # the id is most often the hash itself: one string for both
        id=digest if article_id == digest else article_id,
        path=path,  # type: ignore[arg-type]  # kept as the string it is (see ArticleMeta)
        title=_title(path, record),
        source=str(record.get("source", "")),
        author=str(record.get("author", "")),
        date=str(record.get("date", "")),
        url=str(record.get("url", "")),
        words=int(record.get("words", 0)),
        size=int(record.get("size", 0)),
        mtime_ns=int(record.get("mtime_ns", 0)),
        content_hash=digest,
        fmt=_FORMAT_NAMES.get(fmt, fmt),
        problem=str(record.get("problem", "")),
    )


def _reason(exc: OSError) -> str:
    return visible_line(exc.strerror or type(exc).__name__)


def read_record(path: Path, st: os.stat_result) -> dict[str, Any]:
    """Index record for one file: size, mtime, hash and metadata, or the problem.

    Reads at most SCAN_FULL_BYTES for the metadata (the hash covers the whole file), so a
    50 MB file or a 1 MB line costs a hash, not a parse.
    """
    record: dict[str, Any] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns}
    fmt: Format = format_of(path) or "txt"
    record["fmt"] = fmt
    record["title"] = fallback_title(path)
    if st.st_size > MAX_ARTICLE_BYTES:
        record["problem"] = too_large(st.st_size)
        return record
    head_bytes = MARKDOWN_HEAD_BYTES if fmt == "md" else HEAD_BYTES
    full = fmt == "html" or st.st_size <= (SCAN_FULL_BYTES if fmt == "txt" else head_bytes)
    try:
        with open(path, "rb") as f:
            head = f.read(SNIFF_BYTES)
            reason = binary_reason(head)
            if reason:
                record["problem"] = reason
                return record
            if full:
                data = head + f.read(MAX_ARTICLE_BYTES)
                digest = content_hash(data)
                sample = data
            else:
                hasher = hashlib.sha256(head)
                sample = head + f.read(head_bytes - len(head))
                hasher.update(sample[len(head) :])
                while chunk := f.read(1024 * 1024):
                    hasher.update(chunk)
                digest = hasher.hexdigest()[:16]
    except OSError as exc:
        record["problem"] = f"cannot be read: {_reason(exc)}"
        record["retry"] = True
        return record
    record["hash"] = digest
    try:
        parsed = parse(sample, fmt)
    except Unreadable as exc:
        record["problem"] = exc.reason
        return record
    words = count_words(parsed.text)
    if not full and sample:
        words = round(words * st.st_size / len(sample))
    record.update(
        title=parsed.title or fallback_title(path),
        source=parsed.source,
        author=parsed.author,
        date=parsed.date,
        url=parsed.url,
        words=words,
    )
    return record


# -- queries ------------------------------------------------------------------------------


def _no_tags(article_id: str) -> tuple[str, ...]:
    return ()


def _no_notes(article_id: str) -> int:
    return 0


def _no_state(article_id: str) -> ReadingState | None:
    return None


#: Keys of :meth:`LibraryQuery.sorted_by`, each in its natural direction.
SORT_KEYS = ("title", "source", "words", "notes", "recent", "read")


class LibraryQuery:
    """A filtered, sorted view of the library: pure, and each step returns a new query.

    ``LibraryQuery(metas, tags_of=store.tags).tagged("syria").containing("homs")`` — the
    store is reached only through the callables, so the query works on any list of metas.
    """

    def __init__(
        self,
        metas: Iterable[ArticleMeta],
        tags_of: Callable[[str], tuple[str, ...]] = _no_tags,
        notes_of: Callable[[str], int] = _no_notes,
        state_of: Callable[[str], ReadingState | None] = _no_state,
    ) -> None:
        self._metas = tuple(metas)
        self.tags_of = tags_of
        self.notes_of = notes_of
        self.state_of = state_of

    def _with(self, metas: Iterable[ArticleMeta]) -> LibraryQuery:
        return LibraryQuery(metas, self.tags_of, self.notes_of, self.state_of)

    def tagged(self, tag: str) -> LibraryQuery:
        """Articles carrying ``tag`` (compared case-insensitively)."""
        wanted = tag.strip().casefold()
        return self._with(
            m for m in self._metas if any(t.casefold() == wanted for t in self.tags_of(m.id))
        )

    def containing(self, text: str) -> LibraryQuery:
        """Articles whose title, source, author, tags or file name hold every word of
        ``text`` (case-insensitive)."""
        words = text.casefold().split()
        if not words:
            return self
        return self._with(m for m in self._metas if all(w in self._haystack(m) for w in words))

    def _haystack(self, meta: ArticleMeta) -> str:
        name = os.path.basename(meta.path_text)
        parts = (meta.title, meta.source, meta.author, name, *self.tags_of(meta.id))
        return " ".join(parts).casefold()

    def unread(self) -> LibraryQuery:
        return self._with(m for m in self._metas if not self._read(m))

    def readable(self) -> LibraryQuery:
        """Leave out the files that cannot be shown."""
        return self._with(m for m in self._metas if not m.problem)

    def _read(self, meta: ArticleMeta) -> bool:
        state = self.state_of(meta.id)
        return bool(state and state.read)

    def sorted_by(self, key: str, reverse: bool = False) -> LibraryQuery:
        """Sort by one of SORT_KEYS in its natural direction, or the other way round.

        title and source: A to Z (articles without a source last); words: shortest first;
        notes: most notes first; recent: last opened first, then newest file; read: unread
        first. Ties go by title. Raises ValueError for an unknown key.
        """
        if key not in SORT_KEYS:
            raise ValueError(f"unknown sort key {key!r}; use one of {', '.join(SORT_KEYS)}")
        by_title = sorted(self._metas, key=title_order)
        if key == "title":
            ordered = by_title
        elif key == "source":
            ordered = sorted(by_title, key=lambda m: (not m.source, m.source.casefold()))
        elif key == "words":
            ordered = sorted(by_title, key=lambda m: m.words)
        elif key == "notes":
            ordered = sorted(by_title, key=lambda m: -self.notes_of(m.id))
        elif key == "recent":
            ordered = sorted(by_title, key=self._recency, reverse=True)
        else:
            ordered = sorted(by_title, key=self._read)
        if reverse:
            ordered.reverse()
        return self._with(ordered)

    def _recency(self, meta: ArticleMeta) -> tuple[str, int]:
        state = self.state_of(meta.id)
        return (state.opened if state else "", meta.mtime_ns)

    def metas(self) -> list[ArticleMeta]:
        return list(self._metas)

    def ids(self) -> list[str]:
        return [m.id for m in self._metas]

    def __iter__(self) -> Iterator[ArticleMeta]:
        return iter(self._metas)

    def __len__(self) -> int:
        return len(self._metas)


# -- adding files -------------------------------------------------------------------------


def write_new_article(folder: Path, stem: str, suffix: str, data: bytes) -> Path:
    """Write ``data`` as a new file in ``folder`` and return its path.

    The name comes from ``stem`` made safe (it can never leave ``folder``); when taken,
    " (2)", " (3)"... is added. The file appears whole or not at all: it is written to a
    temporary name and then linked into place, which fails instead of overwriting.
    """
    from reader.filenames import contained_path, name_key, safe_stem

    folder.mkdir(parents=True, exist_ok=True)
    base = safe_stem(stem)
    suffix = suffix.lower() if suffix.startswith(".") else f".{suffix.lower()}"
    taken = {name_key(p.name) for p in folder.iterdir()}
    fd, tmp = tempfile.mkstemp(prefix=".new-", suffix=".tmp", dir=folder)
    try:
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; an article is an ordinary file
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        for n in range(1, 10_000):
            name = f"{base}{suffix}" if n == 1 else f"{base} ({n}){suffix}"
            if name_key(name) in taken:
                continue
            target = contained_path(folder, name)
            try:
                os.link(tmp, target)
            except FileExistsError:
                continue
            except OSError:  # no hard links here: exclusive create instead
                try:
                    with open(target, "xb") as out:
                        out.write(data)
                except FileExistsError:
                    continue
            return target
        raise OSError(f"no free file name for {base}{suffix}")
    finally:
        Path(tmp).unlink(missing_ok=True)
