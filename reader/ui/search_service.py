"""The jump box's search index: built once in the background, kept in step with the store.

Building reads every article and runs its entity pass, which takes a while on a big
library, so it happens in a thread started with the app. Until it is ready the jump box
ranks titles alone. Notes and tags are read on the store's own thread (the app's
``call_store``) each time the jump box opens and only what changed is re-indexed, so a note
written a moment ago is found without every editor having to report it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from reader.models import ArticleMeta, Note
from reader.search import Hit, rank_titles

if TYPE_CHECKING:
    from reader.search import Doc, SearchIndex
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
        self.error: str = ""
        self._notes: dict[str, Note] = {}
        self._tags: dict[str, tuple[str, ...]] = {}
        self._started = False
        self._lock = threading.Lock()

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
        from reader.search import SearchIndex  # numpy and all: off the start-up path
        from reader.search.index import read_doc

        try:
            docs: list[Doc] = []
            articles = []
            for meta in self.ws.articles():
                doc, article = read_doc(self.ws, meta)
                docs.append(doc)
                if article is not None:
                    articles.append(article)
            index = SearchIndex(docs)
            with self._lock:
                for note in self._notes.values():
                    index.add_note(note)
                for article_id, tags in self._tags.items():
                    index.set_tags(article_id, tags)
                self.index = index
            for article in articles:
                index.set_entities(article.id, self.ws.entities(article))
                time.sleep(ENTITY_PAUSE)
        except Exception as exc:  # the jump box falls back to titles and says so
            self.error = str(exc)
        finally:
            self.ready.set()

    def sync(self, notes: Iterable[Note], tags: Mapping[str, Iterable[str]]) -> None:
        """Bring notes and tags up to date, touching only what changed."""
        fresh_notes = {n.id: n for n in notes}
        fresh_tags = {a: tuple(t) for a, t in tags.items() if tuple(t)}
        with self._lock:
            index = self.index
            if index is not None:
                for note_id in self._notes.keys() - fresh_notes.keys():
                    index.remove_note(note_id)
                for note_id, note in fresh_notes.items():
                    if self._notes.get(note_id) != note:
                        index.add_note(note)
                for article_id in self._tags.keys() | fresh_tags.keys():
                    if self._tags.get(article_id) != fresh_tags.get(article_id):
                        index.set_tags(article_id, fresh_tags.get(article_id, ()))
            self._notes = fresh_notes
            self._tags = fresh_tags

    def query(self, text: str, limit: int = 40) -> list[Hit]:
        """Ranked hits; titles only until the index is ready. Safe from any thread."""
        index = self.index
        if index is None:
            return title_hits(text, self.ws.articles(), limit)
        return index.query(text, limit)


def read_annotations(ws: Workspace) -> tuple[list[Note], dict[str, tuple[str, ...]]]:
    """Every note and every article's tags: run on the store's thread."""
    store = ws.store
    return store.notes(), {m.id: store.tags(m.id) for m in ws.articles()}


#: Where an app keeps its service: built once however many screens ask for it.
_ATTR = "_reader_search_service"


def service_for(app: object, ws: Workspace, start: bool = True) -> SearchService:
    """The app's search service, created (and started) on first use."""
    service = getattr(app, _ATTR, None)
    if not isinstance(service, SearchService) or service.ws is not ws:
        service = SearchService(ws)
        setattr(app, _ATTR, service)
    if start:
        service.start()
    return service
