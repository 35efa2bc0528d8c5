"""Several articles in one Markdown document (stdout, or ``-o notes.md``)."""

from __future__ import annotations

from dataclasses import dataclass

from reader.export.markup import front_matter
from reader.export.options import ExportOptions
from reader.export.render import article_body, group_notes, render_article_markdown
from reader.models import Article, ArticleMeta, EntitySpan, PlacedNote
from reader.safety import visible_line


@dataclass(frozen=True, slots=True)
class ExportItem:
    """Everything one article's export needs, gathered before any rendering."""

    meta: ArticleMeta
    article: Article | None
    notes: list[PlacedNote]
    tags: tuple[str, ...] = ()
    entities: list[EntitySpan] | None = None

    def render(self, options: ExportOptions, exported_at: str) -> str:
        return render_article_markdown(
            self.meta,
            self.article,
            self.notes,
            self.tags,
            options,
            self.entities,
            exported_at=exported_at,
        )


def render_collection_markdown(
    items: list[ExportItem], options: ExportOptions, *, exported_at: str
) -> str:
    """One document: a single article exactly as its own file would be; several under one
    front matter, each starting at its ``# title`` with its info line."""
    if len(items) == 1:
        return items[0].render(options, exported_at)
    groups = [group_notes(i.notes, placed=i.article is not None) for i in items]
    data: dict[str, object] = {"title": "Reading notes", "exported": visible_line(exported_at)}
    if options.since is not None:
        data["changed_since"] = options.since.isoformat()
    data["articles"] = len(items)
    data["notes"] = sum(len(g.article) + len(g.passages) + len(g.orphans) for g in groups)
    lines = front_matter(data)
    for item, group in zip(items, groups, strict=True):
        lines += [
            "",
            *article_body(item.meta, item.article, group, item.tags, options, item.entities),
        ]
    return "\n".join(lines).rstrip("\n") + "\n"
