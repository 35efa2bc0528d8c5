"""The jump index: every kind of result, ranked together, kept up to date in place."""

from __future__ import annotations

import threading
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.anchoring import locate
from reader.errors import ReaderError
from reader.models import Article, ArticleMeta, EntitySpan, Note
from reader.search.fields import FieldIndex, Item, QueryWord, highlights
from reader.search.hits import KIND_ORDER, Hit, Kind, snippet
from reader.search.normalize import proc, tokens
from reader.search.notes import NoteTable
from reader.search.packed import IntRuns
from reader.search.prefixes import parse
from reader.search.spill import SpillFile
from reader.search.textscan import TextIndex
from reader.search.vocab import Vocabulary

if TYPE_CHECKING:
    from reader.workspace import Workspace

#: Entity labels that name something; dates and figures are not jump targets.
NAME_LABELS = frozenset({"PERSON", "ORG", "PLACE", "GROUP"})
#: How much a kind's score counts: a title is what a jump usually means.
KIND_WEIGHT: dict[Kind, float] = {
    "title": 1.0,
    "tag": 1.0,
    "entity": 0.99,
    "note": 0.98,
    "quote": 0.97,
    "source": 0.96,
    "text": 0.95,
}
#: Articles shown per shared item (a tag, a source, an entity) when kinds are mixed.
MIXED_REFS = 3
#: Shortest query (processed characters) searched in article texts.
MIN_TEXT_QUERY = 3
#: Articles indexed together: their words are gathered, then interned once each.
ARTICLE_BATCH = 256


def batched(items: Iterable[Doc], size: int) -> Iterator[list[Doc]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


@dataclass(frozen=True, slots=True)
class Doc:
    """What the index needs of an article: plain data, so tests need no files."""

    id: str
    title: str
    text: str = ""
    source: str = ""

    @classmethod
    def from_article(cls, article: Article) -> Doc:
        return cls(article.id, article.title, article.text, article.meta.source)


def read_doc(ws: Workspace, meta: ArticleMeta) -> tuple[Doc, Article | None]:
    """An article's :class:`Doc` and the article itself; title and source alone when its
    file cannot be shown, including when it vanished or broke since the library scan."""
    if not meta.problem:
        try:
            article = ws.load(meta)
        except (ReaderError, KeyError):
            pass
        else:
            return Doc.from_article(article), article
    return Doc(meta.id, meta.title, "", meta.source), None


def text_weight(length: int) -> float:
    """Weight of a text match: a short query is found in long texts by chance."""
    return KIND_WEIGHT["text"] - 0.15 * max(0, 8 - length) / 5


class SearchIndex:
    """Titles, sources, tags, entities, notes, quotes and texts, behind one query.

    Build it from plain records (tests, benchmarks) or with :meth:`from_workspace`; keep it
    current with :meth:`add_note`, :meth:`remove_note`, :meth:`set_tags` and
    :meth:`set_entities`. Every method takes one lock, so a worker thread may query while
    the UI thread updates.

    Texts (compressed), the searchable strings and the notes' anchors are kept on disk, in
    unlinked temporary files in ``spill_dir`` (see :mod:`reader.search.spill`), and notes
    as packed columns: memory holds the word index and a few numbers per string. Closing
    the index (or dropping it) deletes the files.
    """

    def __init__(
        self,
        articles: Iterable[Doc] = (),
        notes: Iterable[Note] = (),
        tags: Mapping[str, Iterable[str]] | None = None,
        entities: Mapping[str, Sequence[EntitySpan]] | None = None,
        spill_dir: Path | None = None,
    ) -> None:
        self._lock = threading.RLock()
        self._vocab = Vocabulary()
        self._fields = FieldIndex(self._vocab, spill_dir)
        self._texts = TextIndex(self._vocab, spill_dir)
        self._titles: dict[str, str] = {}
        self._sources: dict[str, str] = {}
        self._title_items: dict[str, int] = {}
        self._order: dict[str, int] = {}
        self._doc_index: dict[str, int] = {}
        self._notes = NoteTable(SpillFile(spill_dir))
        self._tags: dict[str, tuple[str, ...]] = {}
        #: Per article (by its number in ``_order``) the entity items it holds.
        self._entities = IntRuns(SpillFile(spill_dir))
        self.add_articles(articles)
        for note in notes:
            self.add_note(note)
        for article_id, names in (tags or {}).items():
            self.set_tags(article_id, names)
        for article_id, spans in (entities or {}).items():
            self.set_entities(article_id, spans)

    @classmethod
    def from_workspace(cls, ws: Workspace, with_entities: bool = True) -> SearchIndex:
        """Everything the workspace knows; slow on a big library, so build it off the UI.

        Articles are read one at a time and only their text is kept (compressed, in the
        cache folder); the entity pass reads it back from the index. Notes are read an
        article at a time: all 100,000 of a big library as objects at once would be
        hundreds of megabytes for a moment.
        """
        index = cls(spill_dir=ws.locations.cache)
        metas = ws.articles()
        index.add_articles(read_doc(ws, meta)[0] for meta in metas)
        if with_entities:
            for meta in metas:
                text = index.text(meta.id)
                if text:
                    index.set_entities(meta.id, ws.entities(Article(meta, text, ())))
        for article_id in ws.store.note_counts():  # an article's notes at a time
            index.add_notes(ws.store.notes(article_id))
        index.flush()
        for meta in metas:
            index.set_tags(meta.id, ws.store.tags(meta.id))
        return index

    # -- updates ------------------------------------------------------------------------

    def add_article(self, doc: Doc) -> None:
        """Add an article (or replace one with the same id)."""
        self.add_articles([doc])

    def add_articles(self, docs: Iterable[Doc]) -> None:
        """Add many articles (an article with a known id replaces the old one).

        ``docs`` is read a batch at a time, so a generator of articles read from disk is
        never all in memory at once.
        """
        for batch in batched(docs, ARTICLE_BATCH):
            with self._lock:
                fresh: dict[str, Doc] = {}
                for doc in batch:
                    if doc.id in self._titles:
                        self.remove_article(doc.id)
                    fresh[doc.id] = doc
                for doc in fresh.values():
                    self._titles[doc.id] = doc.title
                    self._order.setdefault(doc.id, len(self._order))
                    iid = self._fields.add("title", doc.title, doc.id)
                    if iid is not None:
                        self._title_items[doc.id] = iid
                    if doc.source:
                        self._sources[doc.id] = doc.source
                        self._fields.add("source", doc.source, doc.id)
                added = self._texts.add_many((d.id, d.text) for d in fresh.values())
                self._doc_index.update(zip(fresh, added, strict=True))
        with self._lock:
            self.flush()

    def remove_article(self, article_id: str) -> None:
        """Forget an article's title, source, text, tags and entities (not its notes)."""
        with self._lock:
            if self._titles.pop(article_id, None) is None:
                return
            iid = self._title_items.pop(article_id, None)
            if iid is not None:
                self._fields.remove(iid)
            source = self._sources.pop(article_id, "")
            if source:
                self._fields.remove_ref("source", source, article_id)
            self._texts.remove(self._doc_index.pop(article_id))
            self.set_tags(article_id, ())
            self.set_entities(article_id, ())

    def add_note(self, note: Note) -> int:
        """Index a note's text and quoted passage; an existing note is replaced. The note's
        slot in the note table."""
        with self._lock:
            slot = self._notes.slot(note.id)
            if slot is not None:
                if self._notes.same(slot, note):
                    return slot
                self.remove_note(note.id)
            offset = note.anchor.start if note.anchor else None
            slot = self._notes.next_slot
            text_id = self._fields.add("note", note.text, note.article_id, offset, slot)
            quote_id = None
            if note.anchor and note.anchor.exact:
                quote_id = self._fields.add(
                    "quote", note.anchor.exact, note.article_id, offset, slot
                )
            return self._notes.put(note, text_id, quote_id)

    def remove_note(self, note_id: str) -> None:
        with self._lock:
            for iid in self._notes.pop(note_id):
                self._fields.remove(iid)

    def sync_notes(self, notes: Iterable[Note]) -> None:
        """Make the indexed notes exactly ``notes``: new and edited ones are indexed, the
        rest removed; an unchanged note costs one look-up."""
        with self._lock:
            sweep = self.start_sweep()
            self.add_notes(notes, sweep)
            self.end_sweep(sweep)

    def start_sweep(self) -> bytearray:
        """The notes held now, to be crossed off by :meth:`add_notes` as a sync meets them:
        one byte per note (a set of their ids would be an object each)."""
        with self._lock:
            sweep = bytearray(self._notes.next_slot)
            for slot in self._notes.slots():
                sweep[slot] = 1
            return sweep

    def add_notes(self, notes: Iterable[Note], sweep: bytearray | None = None) -> None:
        """:meth:`add_note` each of ``notes``, crossing them off ``sweep``."""
        with self._lock:
            for note in notes:
                slot = self.add_note(note)
                if sweep is not None and slot < len(sweep):
                    sweep[slot] = 0

    def end_sweep(self, sweep: bytearray) -> None:
        """Remove the notes held when ``sweep`` began that no sync call has met since.

        An edited note met by the sync has a new slot, past the sweep's end, and stays.
        """
        with self._lock:
            slot = sweep.find(1)
            while slot != -1:
                note_id = self._notes.id_of(slot)
                if note_id:
                    self.remove_note(note_id)
                slot = sweep.find(1, slot + 1)
            self.flush()

    def flush(self) -> None:
        """Write out what the index gathered in memory for its files (done after building
        and after a sync; until then additions cost a little memory each)."""
        with self._lock:
            self._fields.flush()
            self._texts.flush()

    def note_ids(self) -> list[str]:
        with self._lock:
            return list(self._notes.ids())

    def set_tags(self, article_id: str, tags: Iterable[str]) -> None:
        """Replace an article's tags."""
        with self._lock:
            new = tuple(dict.fromkeys(tags))
            old = self._tags.pop(article_id, ())
            if new == old:
                if new:
                    self._tags[article_id] = new
                return
            for tag in old:
                self._fields.remove_ref("tag", tag, article_id)
            for tag in new:
                self._fields.add("tag", tag, article_id)
            if new:
                self._tags[article_id] = new

    def set_entities(self, article_id: str, spans: Sequence[EntitySpan]) -> None:
        """Replace an article's entity names (the spans index into its text)."""
        with self._lock:
            number = self._order.get(article_id)
            if number is None:
                return
            old = self._entities[number]
            if old:
                for iid in old:
                    self._fields.remove_item_ref(iid, article_id)
                self._entities[number] = array("i")
            if article_id not in self._titles:
                return
            named = [s for s in spans if s.label in NAME_LABELS]
            if not named:
                return
            text = self.text(article_id)
            first: dict[str, int] = {}
            for span in named:
                name = text[span.start : span.end].strip()
                if name and name not in first:
                    first[name] = span.start
            iids = array("i")
            for name, offset in first.items():
                added = self._fields.add("entity", name, article_id, offset)
                if added is not None:
                    iids.append(added)
            if iids:
                self._entities[number] = iids

    def text(self, article_id: str) -> str:
        """An article's text as indexed ("" for an unknown article)."""
        with self._lock:
            doc = self._doc_index.get(article_id)
            return "" if doc is None else self._texts.text(doc)

    def memory(self) -> dict[str, int]:
        """Bytes held in memory by the index's packed parts, by part (a measurement aid)."""
        with self._lock:
            return {
                "texts": self._texts.nbytes(),
                "fields": self._fields.nbytes(),
                "notes": self._notes.nbytes(),
                "entities": self._entities.nbytes(),
            }

    def close(self) -> None:
        """Delete the index's files; it cannot be used afterwards."""
        with self._lock:
            self._texts.close()
            self._fields.close()
            self._notes.close()
            self._entities.close()

    # -- queries ------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._titles)

    def query(self, text: str, limit: int = 50) -> list[Hit]:
        """Results of every kind for ``text`` (prefixes narrow it), best first."""
        body, kinds, narrowed = parse(text)
        query = proc(body).strip()
        words = tokens(query)
        if not words or limit <= 0:
            return []
        typing = not text.endswith(" ")
        with self._lock:
            qwords = [
                QueryWord(w, self._vocab.expand(w, prefix=typing and i == len(words) - 1), len(w))
                for i, w in enumerate(words)
            ]
            hits: list[Hit] = []
            field_kinds = kinds - {"text"}
            if field_kinds:
                wanted = {wid for q in qwords for wid in q.expansion}
                found = self._fields.search(qwords, " ".join(words), field_kinds)
                hits.extend(self._field_hits(found, wanted, narrowed, limit))
            if "text" in kinds and len(query) >= MIN_TEXT_QUERY:
                hits.extend(self._text_hits(qwords, query, limit))
        hits.sort(key=self._rank)
        return hits[:limit]

    def place(self, hit: Hit) -> tuple[int, int] | None:
        """Where to open ``hit`` in its article's current text, or None for where it was left.

        A note's offset is the one stored with its anchor; the text may have changed since,
        so the passage is found again through :func:`reader.anchoring.locate` (cheap when it
        has not moved). Done on opening, not for every row of every keystroke.
        """
        with self._lock:
            anchor = self._notes.anchor(hit.note_id, self._fields.display) if hit.note_id else None
            if anchor is not None and hit.article_id in self._titles:
                return locate(anchor, self.text(hit.article_id))
        if hit.offset is None:
            return None
        return hit.offset, hit.end if hit.end is not None else hit.offset

    def _rank(self, hit: Hit) -> tuple[Any, ...]:
        return (-hit.score, KIND_ORDER.index(hit.kind), self._order.get(hit.article_id, 0))

    def _title(self, article_id: str) -> str:
        return self._titles.get(article_id, article_id)

    def _field_hits(
        self, found: list[tuple[float, int]], wanted: set[int], narrowed: bool, limit: int
    ) -> list[Hit]:
        hits: list[Hit] = []
        for score, iid in found:
            if len(hits) >= limit:
                break
            item = self._fields.item(iid)
            weighted = round(score * KIND_WEIGHT[item.kind], 2)
            spans = highlights(item.display, wanted, self._vocab)
            matched, shift = item.display, 0
            if item.kind in ("note", "quote"):
                start, end = spans[0] if spans else (0, 0)
                matched, shift = snippet(item.display, start, end)
                spans = [(s - shift, e - shift) for s, e in spans if s >= shift]
                spans = [(s, min(e, len(matched))) for s, e in spans if s < len(matched)]
            elif item.kind == "tag":
                matched = "#" + item.display
                spans = [(s + 1, e + 1) for s, e in spans]
            refs = sorted(item.refs.items(), key=lambda r: self._order.get(r[0], 0))
            if not narrowed:
                refs = refs[:MIXED_REFS]
            for article_id, offset in refs:
                if item.kind != "note" and article_id not in self._titles:
                    continue
                title = self._title(article_id)
                hits.append(
                    Hit(
                        kind=item.kind,
                        article_id=article_id,
                        title=title,
                        score=weighted,
                        matched=matched,
                        context="" if item.kind == "title" else title,
                        offset=offset,
                        end=None if offset is None else offset + self._span_length(item),
                        highlights=tuple(spans),
                        note_id=self._notes.id_of(item.note) if item.note >= 0 else "",
                    )
                )
        return hits

    @staticmethod
    def _span_length(item: Item) -> int:
        return len(item.display) if item.kind in ("entity", "quote") else 0

    def _text_hits(self, qwords: list[QueryWord], query: str, limit: int) -> list[Hit]:
        weight = text_weight(len(query))
        hits = []
        for match in self._texts.search(qwords, query)[:limit]:
            article_id = self._texts.ids[match.doc]
            text = self._texts.text(match.doc)
            excerpt, begin = snippet(text, match.start, match.end)
            hits.append(
                Hit(
                    kind="text",
                    article_id=article_id,
                    title=self._title(article_id),
                    score=round(match.score * weight, 2),
                    matched=excerpt,
                    context=self._title(article_id),
                    offset=match.start,
                    end=match.end,
                    highlights=((match.start - begin, min(match.end - begin, len(excerpt))),),
                )
            )
        return hits
