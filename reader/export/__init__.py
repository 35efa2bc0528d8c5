"""Notes leave the app as Markdown: one file per article, or one document for many.

The pure core is :func:`render_article_markdown` (plain data in, a string out); the
workspace half gathers the data (:func:`gather`) and writes files (:func:`export_to_folder`).
See ``docs/export.md`` for the format.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.export.collection import ExportItem, render_collection_markdown
from reader.export.folder import export_to_folder, now_stamp, write_items
from reader.export.gather import annotated_ids, gather, tagged_ids
from reader.export.options import ExportOptions, parse_since, select_notes
from reader.export.render import render_article_markdown

if TYPE_CHECKING:
    from reader.workspace import Workspace

__all__ = [
    "ExportItem",
    "ExportOptions",
    "annotated_ids",
    "export_markdown",
    "export_to_folder",
    "gather",
    "now_stamp",
    "parse_since",
    "render_article_markdown",
    "render_collection_markdown",
    "select_notes",
    "tagged_ids",
    "write_items",
]


def export_markdown(
    ws: Workspace, article_ids: list[str], options: ExportOptions, exported_at: str | None = None
) -> str:
    """All of ``article_ids`` as one Markdown document (what ``reader export`` prints)."""
    items = gather(ws, article_ids, options)
    return render_collection_markdown(items, options, exported_at=exported_at or now_stamp())
