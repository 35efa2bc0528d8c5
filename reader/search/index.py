"""The jump index: every kind of result, ranked together, kept up to date in place."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reader.anchoring import locate
from reader.errors import ReaderError
from reader.models import Anchor, Article, ArticleMeta, EntitySpan, Note
from reader.search.fields import FieldIndex, Item, QueryWord, highlights
from reader.search.hits import KIND_ORDER, Hit, Kind, snippet
from reader.search.normalize import proc, tokens
from reader.search.prefixes import parse
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
    """

    def __init__(
        self,
        articles: Iterable[Doc] = (),
        notes: Iterable[Note] = (),
        tags: Mapping[str, Iterable[str]] | None = None,
        entities: Mapping[str, Sequence[EntitySpan]] | None = None,
    ) -> None:
        self._lock = threading.RLock()
        self._vocab = Vocabulary()
        self._fields = FieldIndex(self._vocab)
        self._texts = TextIndex(self._vocab)
        self._docs: dict[str, Doc] = {}
        self._order: dict[str, int] = {}
        self._doc_index: dict[str, int] = {}
        self._notes: dict[str, tuple[int | None, int | None]] = {}
        self._anchors: dict[str, Anchor] = {}
        self._tags: dict[str, tuple[str, ...]] = {}
        self._entities: dict[str, tuple[str, ...]] = {}
        self.add_articles(articles)
        for note in notes:
            self.add_note(note)
        for article_id, names in (tags or {}).items():
            self.set_tags(article_id, names)
        for article_id, spans in (entities or {}).items():
            self.set_entities(article_id, spans)

    @classmethod
    def from_workspace(cls, ws: Workspace, with_entities: bool = True) -> SearchIndex:
        """Everything the workspace knows; slow on a big library, so build it off the UI."""
        docs: list[Doc] = []
        spans: dict[str, Sequence[EntitySpan]] = {}
        for meta in ws.articles():
            doc, article = read_doc(ws, meta)
            docs.append(doc)
            if with_entities and article is not None:
                spans[meta.id] = ws.entities(article)
        tags = {d.id: ws.store.tags(d.id) for d in docs}
        return cls(docs, ws.store.notes(), tags, spans)

    # -- updates ------------------------------------------------------------------------

    def add_article(self, doc: Doc) -> None:
        """Add an article (or replace one with the same id)."""
        self.add_articles([doc])

    def add_articles(self, docs: Iterable[Doc]) -> None:
        """Add many articles at once (an article with a known id replaces the old one)."""
        with self._lock:
            fresh: dict[str, Doc] = {}
            for doc in docs:
                if doc.id in self._docs:
                    self.remove_article(doc.id)
                fresh[doc.id] = doc
            for doc in fresh.values():
                self._docs[doc.id] = doc
                self._order.setdefault(doc.id, len(self._order))
                self._fields.add("title", doc.title, doc.id)
                if doc.source:
                    self._fields.add("source", doc.source, doc.id)
            added = self._texts.add_many((d.id, d.text) for d in fresh.values())
            self._doc_index.update(zip(fresh, added, strict=True))

    def remove_article(self, article_id: str) -> None:
        """Forget an article's title, source, text, tags and entities (not its notes)."""
        with self._lock:
            doc = self._docs.pop(article_id, None)
            if doc is None:
                return
            for iid, item in list(self._fields.items.items()):
                if item.kind == "title" and article_id in item.refs:
                    self._fields.remove(iid)
            if doc.source:
                self._fields.remove_ref("source", doc.source, article_id)
            self._texts.remove(self._doc_index.pop(article_id))
            self.set_tags(article_id, ())
            self.set_entities(article_id, ())

    def add_note(self, note: Note) -> None:
        """Index a note's text and quoted passage; an existing note is replaced."""
        with self._lock:
            self.remove_note(note.id)
            offset = note.anchor.start if note.anchor else None
            text_id = self._fields.add("note", note.text, note.article_id, offset, note.id)
            quote_id = None
            if note.anchor and note.anchor.exact:
                quote_id = self._fields.add(
                    "quote", note.anchor.exact, note.article_id, offset, note.id
                )
            self._notes[note.id] = (text_id, quote_id)
            if note.anchor is not None:
                self._anchors[note.id] = note.anchor

    def remove_note(self, note_id: str) -> None:
        with self._lock:
            self._anchors.pop(note_id, None)
            for iid in self._notes.pop(note_id, ()):
                if iid is not None:
                    self._fields.remove(iid)

    def set_tags(self, article_id: str, tags: Iterable[str]) -> None:
        """Replace an article's tags."""
        with self._lock:
            new = tuple(dict.fromkeys(tags))
            for tag in self._tags.pop(article_id, ()):
                self._fields.remove_ref("tag", tag, article_id)
            for tag in new:
                self._fields.add("tag", tag, article_id)
            if new:
                self._tags[article_id] = new

    def set_entities(self, article_id: str, spans: Sequence[EntitySpan]) -> None:
        """Replace an article's entity names (the spans index into its text)."""
        with self._lock:
            for name in self._entities.pop(article_id, ()):
                self._fields.remove_ref("entity", name, article_id)
            doc = self._docs.get(article_id)
            if doc is None:
                return
            first: dict[str, int] = {}
            for span in spans:
                if span.label in NAME_LABELS:
                    name = doc.text[span.start : span.end].strip()
                    if name and name not in first:
                        first[name] = span.start
            for name, offset in first.items():
                self._fields.add("entity", name, article_id, offset)
            if first:
                self._entities[article_id] = tuple(first)

    # -- queries ------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._docs)

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
            anchor = self._anchors.get(hit.note_id) if hit.note_id else None
            doc = self._docs.get(hit.article_id)
            if anchor is not None and doc is not None:
                return locate(anchor, doc.text)
        if hit.offset is None:
            return None
        return hit.offset, hit.end if hit.end is not None else hit.offset

    def _rank(self, hit: Hit) -> tuple[Any, ...]:
        return (-hit.score, KIND_ORDER.index(hit.kind), self._order.get(hit.article_id, 0))

    def _title(self, article_id: str) -> str:
        doc = self._docs.get(article_id)
        return doc.title if doc else article_id

    def _field_hits(
        self, found: list[tuple[float, Item]], wanted: set[int], narrowed: bool, limit: int
    ) -> list[Hit]:
        hits: list[Hit] = []
        for score, item in found:
            if len(hits) >= limit:
                break
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
                if item.kind != "note" and article_id not in self._docs:
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
                        note_id=item.note_id,
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
            text = self._texts.texts[match.doc]
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
