"""The export keys: notes of one article, or of the whole library, written as Markdown.

Exporting reads the store, so it runs on the store's thread (the app's ``call_store``)
and the screen stays responsive; a notification then says where the files went. Paths
are shown with markup switched off: a folder named ``[bold]`` stays a folder name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.binding import Binding

from reader.ui.wording import counted

if TYPE_CHECKING:
    from reader.workspace import Workspace

#: On the reader screen: this article's notes.
EXPORT_ARTICLE_BINDING = Binding(
    "x",
    "export_article",
    "Export notes",
    id="reader.export_article",
    tooltip=("Write this article's notes as Markdown to the export folder"),
)
#: On the library screen: every article's notes.
EXPORT_LIBRARY_BINDING = Binding(
    "X",
    "export_library",
    "Export all",
    id="library.export_all",
    tooltip=("Write the notes of every article as Markdown to the export folder"),
)


def _write(ws: Workspace, article_ids: list[str] | None) -> list[Path]:
    """None means the library: every article with a note or a tag, as ``--all`` does."""
    from reader.export import annotated_ids, export_to_folder

    ids = annotated_ids(ws) if article_ids is None else article_ids
    return export_to_folder(ws, ids, ws.locations.export_dir)


def message(paths: list[Path], folder: Path, what: str) -> str:
    """What the notification says (plain text, shown without markup)."""
    if not paths:
        return f"Nothing to export: {what} has no notes."
    if len(paths) == 1:
        return f"Exported {what} to {paths[0]}"
    return f"Exported {counted(len(paths), 'article')} to {folder}"


async def export_notes(
    app: App[Any], ws: Workspace, article_ids: Iterable[str] | None, what: str
) -> None:
    """Export ``article_ids`` (None: the library) and notify; errors are notified."""
    ids = None if article_ids is None else list(article_ids)
    run: Callable[..., Any] | None = getattr(app, "call_store", None)
    try:
        if run is not None:
            paths: list[Path] = await run(_write, ws, ids)
        else:
            paths = _write(ws, ids)
    except Exception as exc:
        app.notify(f"Export failed: {exc}", title="Export", severity="error", markup=False)
        return
    folder = ws.locations.export_dir
    app.notify(message(paths, folder, what), title="Export", markup=False, timeout=8)
