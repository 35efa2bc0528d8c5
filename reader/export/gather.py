"""Collect what an export needs from a workspace: which articles, their notes and tags."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from reader.export.collection import ExportItem
from reader.export.options import ExportOptions, select_notes
from reader.models import Article, ArticleMeta, PlacedNote

if TYPE_CHECKING:
    from reader.workspace import Workspace


#: Shown in place of the text of an article whose file has left the library.
GONE = "its file is no longer in the library"


def annotated_ids(ws: Workspace) -> list[str]:
    """Articles with at least one note or tag: what ``--all`` exports.

    Articles whose file has left the library are included, so no note is missing from
    a whole-library export just because its article was moved out of the library.
    """
    counts = ws.store.note_counts()
    return [m.id for m in _known(ws) if counts.get(m.id) or ws.store.tags(m.id)]


def tagged_ids(ws: Workspace, tags: Iterable[str]) -> list[str]:
    """Articles carrying any of ``tags`` (compared case-insensitively), listed or not."""
    wanted = {t.strip().lstrip("#").casefold() for t in tags}
    return [m.id for m in _known(ws) if wanted & {t.casefold() for t in ws.store.tags(m.id)}]


def _known(ws: Workspace) -> list[ArticleMeta]:
    """The library's articles and the store's articles whose file has gone, by title.

    Notes whose article the store has no record of (an imported backup's, say) count
    too: their article is known only by its id.
    """
    metas = list(ws.articles())
    seen = {m.id for m in metas}
    for record in ws.store.records():
        if record.id not in seen:
            metas.append(_gone(record.id, record.path, record.title))
            seen.add(record.id)
    metas += [_gone(aid) for aid in ws.store.note_counts() if aid not in seen]
    return by_title(metas)


def meta_for(ws: Workspace, article_id: str) -> ArticleMeta:
    """The library's entry for an article, or what the store remembers of a gone one."""
    if article_id in ws.library:
        return ws.library.get(article_id)
    record = ws.store.record(article_id)
    if record is not None:
        return _gone(record.id, record.path, record.title)
    if ws.store.notes(article_id):
        return _gone(article_id)
    raise KeyError(article_id)


def _gone(article_id: str, path: str = "", title: str = "") -> ArticleMeta:
    return ArticleMeta(id=article_id, path=Path(path), title=title or article_id, problem=GONE)


def by_title(metas: Iterable[ArticleMeta]) -> list[ArticleMeta]:
    """A stable order for whole-library exports: title, then id."""
    return sorted(metas, key=lambda m: (m.title.casefold(), m.title, m.id))


def gather(
    ws: Workspace,
    article_ids: Iterable[str],
    options: ExportOptions,
    keep_empty: bool = False,
) -> list[ExportItem]:
    """One item per article, in the given order, duplicates dropped.

    Articles with neither notes nor tags are left out unless ``keep_empty`` (an article
    named on the command line is exported even so). With ``options.since``, only changed
    notes are kept and articles without any are left out. An article whose file cannot be
    read still exports its notes, from their stored quotes.
    """
    items = []
    seen: set[str] = set()
    for article_id in article_ids:
        if article_id in seen:
            continue
        seen.add(article_id)
        meta = meta_for(ws, article_id)
        article = ws.load_if_readable(meta)
        notes = _placed(ws, meta, article)
        tags = ws.store.tags(meta.id)
        if not (notes or tags or keep_empty):
            continue
        notes = select_notes(notes, options.since)
        if options.since is not None and not notes:
            continue
        entities = None
        if article is not None and (options.show_entities or options.figures):
            entities = ws.entities(article)
        items.append(ExportItem(meta, article, notes, tags, entities))
    return items


def _placed(ws: Workspace, meta: ArticleMeta, article: Article | None) -> list[PlacedNote]:
    if article is not None:
        return ws.placed_notes(article)
    return [PlacedNote(note) for note in ws.store.notes(meta.id)]
