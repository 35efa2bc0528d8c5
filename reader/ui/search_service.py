"""The jump box's search index: built once in the background, kept in step with the store.

Building reads every article and runs its entity pass, which takes a while on a big
library, so it happens in a thread started with the app. Until it is ready the jump box
ranks titles alone. Articles are read one at a time and only their text is kept
(compressed, in the index's files in the cache folder); the entity pass reads it back
from there. Notes and tags are read on the store's own thread (the app's ``call_store``)
each time the jump box opens and only what changed is re-indexed, so a note written a
moment ago is found without every editor having to report it. The service keeps no copy
of the notes: the index tells an edited note from an unchanged one itself.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from reader.models import Article, ArticleMeta, Note
from reader.search import Hit, rank_titles

if TYPE_CHECKING:
    from reader.search import SearchIndex
    from reader.workspace import Workspace


#: Seconds between two articles' entity passes while building.
ENTITY_PAUSE = 0.005


def title_hits(query: str, metas: list[ArticleMeta], limit: int) -> list[Hit]:
    """What the jump box shows while the index is still being built."""
    body = query.lstrip("#@>/:").strip()
    if not body or query[:1] in "#@>/":
        return []
    return [
        Hit(kind="title", article_id=m.id, title=m.title, score=score, matched=m.title)
        for m, score in rank_titles(body, metas, limit=limit)
        if score >= 50
    ]


class SearchService:
    """One :class:`SearchIndex` for the run, and what it was last told about the store."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.index: SearchIndex | None = None
        self.ready = threading.Event()
        #: Set once notes and tags have been read into the index (the jump box's first opening).
        self.synced = threading.Event()
        self.error: str = ""
        self._tags: dict[str, tuple[str, ...]] = {}
        #: What each indexed article's file held (id -> content hash), to follow rescans.
        self._indexed: dict[str, str] = {}
        self._started = False
        self._lock = threading.Lock()
        self._follow_lock = threading.Lock()

    def start(self) -> None:
        """Build the index in a daemon thread (once)."""
        with self._lock:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self.build, name="reader-search-index", daemon=True).start()

    def build(self) -> None:
        """Titles and texts first, so jumping works soon; then entities, one article at
        a time with a pause between, so the UI thread keeps getting its turn."""
        try:
            from reader.allocator import return_large_blocks
            from reader.search import SearchIndex  # the index's modules: off the start-up path
            from reader.search.index import read_doc

            return_large_blocks()  # the index's columns grow for the whole session
            metas = self.ws.articles()
            self._indexed = {m.id: m.content_hash for m in metas}
            index = SearchIndex(spill_dir=self.ws.locations.cache)
            index.add_articles(read_doc(self.ws, meta)[0] for meta in metas)
            self.index = index
            self._find_entities(index, metas)
        except Exception as exc:  # the jump box falls back to titles and says so
            self.error = str(exc)
        finally:
            self.ready.set()

    def _find_entities(self, index: SearchIndex, metas: Iterable[ArticleMeta]) -> None:
        for meta in metas:
            text = index.text(meta.id)
            if text:
                spans = self.ws.entities(Article(meta, text, ()))
                index.set_entities(meta.id, spans)
                time.sleep(ENTITY_PAUSE)

    def follow_library(self) -> None:
        """Bring the index in step with the library after a rescan: new and edited
        articles read and indexed, with their entities; gone ones dropped. Off the UI
        thread; waits for the first build."""
        from reader.search.index import read_doc

        self.ready.wait()
        index = self.index
        if index is None:
            return
        with self._follow_lock:
            metas = self.ws.articles()
            current = {m.id: m.content_hash for m in metas}
            for article_id in self._indexed.keys() - current.keys():
                index.remove_article(article_id)
                with self._lock:
                    self._tags.pop(article_id, None)  # so the next sync tags it again
            fresh = [m for m in metas if self._indexed.get(m.id) != m.content_hash]
            if fresh:
                index.add_articles(read_doc(self.ws, meta)[0] for meta in fresh)
                with self._lock:
                    for meta in fresh:
                        self._tags.pop(meta.id, None)  # replacing an article drops its tags
                self._find_entities(index, fresh)
            self._indexed = current

    # -- keeping notes and tags in step (see sync_from_store) ----------------------------

    def start_sync(self) -> bytearray:
        """The notes the index holds now, one byte each, for :meth:`add_notes` to cross off."""
        return self.index.start_sweep() if self.index is not None else bytearray()

    def add_notes(self, notes: Iterable[Note], sweep: bytearray) -> None:
        """Index new and edited notes (an unchanged one costs a look-up), crossing them off."""
        if self.index is not None:
            self.index.add_notes(notes, sweep)

    def finish_sync(self, sweep: bytearray, tags: Mapping[str, Iterable[str]]) -> None:
        """Remove the notes no longer in the store and bring the tags up to date."""
        index = self.index
        if index is None:
            return
        index.end_sweep(sweep)
        fresh = {a: tuple(t) for a, t in tags.items() if tuple(t)}
        with self._lock:
            for article_id in self._tags.keys() | fresh.keys():
                if self._tags.get(article_id) != fresh.get(article_id):
                    index.set_tags(article_id, fresh.get(article_id, ()))
            self._tags = fresh
        self.synced.set()

    def query(self, text: str, limit: int = 40) -> list[Hit]:
        """Ranked hits; titles only until the index is ready. Safe from any thread."""
        index = self.index
        if index is None:
            return title_hits(text, self.ws.articles(), limit)
        return index.query(text, limit)


#: Articles whose notes are read and indexed at a time while syncing.
NOTE_BATCH = 100
#: How often a sync waiting for the index looks again (seconds).
INDEX_POLL = 0.1

#: Runs a function on the store's thread and waits for it (the app's ``call_store``).
OnStore = Callable[..., Awaitable[Any]]


async def sync_from_store(service: SearchService, on_store: OnStore) -> None:
    """Read notes and tags as they are now into the index, once it exists.

    Notes are read a batch of articles at a time on the store's thread and indexed on
    another in between: all of a big library's notes as ``Note`` objects at once would be
    hundreds of megabytes for a moment (at 100,000 notes), for an index that keeps a small
    part of that. A note no batch returned has gone from the store and is removed (the
    notes held when the sync began are one byte each, not a set of 100,000 ids).
    """
    while service.index is None:
        if service.ready.is_set():
            return  # the build failed: the jump box ranks titles alone
        await asyncio.sleep(INDEX_POLL)
    ws = service.ws
    noted, tags = await on_store(read_plan, ws)
    sweep = await asyncio.to_thread(service.start_sync)
    for start in range(0, len(noted), NOTE_BATCH):
        notes = await on_store(read_notes, ws, noted[start : start + NOTE_BATCH])
        await asyncio.to_thread(service.add_notes, notes, sweep)
    await asyncio.to_thread(service.finish_sync, sweep, tags)


def read_plan(ws: Workspace) -> tuple[list[str], dict[str, tuple[str, ...]]]:
    """The articles that have notes (in the library or not) and every article's tags:
    run on the store's thread."""
    store = ws.store
    library = ws.library
    tags = {aid: t for aid, t in store.tags_by_article().items() if aid in library}
    return list(store.note_counts()), tags


def read_notes(ws: Workspace, article_ids: Iterable[str]) -> list[Note]:
    """The notes of a few articles: run on the store's thread."""
    store = ws.store
    return [note for article_id in article_ids for note in store.notes(article_id)]


#: Where an app keeps its service: built once however many screens ask for it.
_ATTR = "_reader_search_service"


def existing_service(app: object, ws: Workspace) -> SearchService | None:
    """The app's search service if one has been started, without starting one."""
    service = getattr(app, _ATTR, None)
    if isinstance(service, SearchService) and service.ws is ws and service._started:
        return service
    return None


def service_for(app: object, ws: Workspace, start: bool = True) -> SearchService:
    """The app's search service, created (and started) on first use."""
    service = getattr(app, _ATTR, None)
    if not isinstance(service, SearchService) or service.ws is not ws:
        service = SearchService(ws)
        setattr(app, _ATTR, service)
    if start:
        service.start()
    return service
