"""The library list: one DataTable row per article, built in a single ``add_rows`` call.

DataTable renders only the visible rows, so 10,000 articles stay fast as long as rows are
added in one batch and cells are ready-made ``Text`` objects (plain strings would be parsed
as markup, and a title like ``[@click=app.quit]`` would become a button).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from reader.models import ArticleMeta, ReadingState
from reader.ui.safe_text import cell, truncate

UNREAD_MARK = "•"
COLUMNS: tuple[tuple[str, str, int | None], ...] = (
    ("read", " ", 1),
    ("title", "Title", None),
    ("source", "Source", 16),
    ("words", "Words", 7),
    ("minutes", "Min", 4),
    ("tags", "Tags", 20),
    ("notes", "Notes", 5),
)


@dataclass(frozen=True)
class LibrarySnapshot:
    """What the list shows, read from the library and the store in one go (off the UI)."""

    metas: list[ArticleMeta]
    tags: Mapping[str, tuple[str, ...]]
    notes: Mapping[str, int]
    read: frozenset[str]
    all_tags: Mapping[str, int] = field(default_factory=dict)
    states: Mapping[str, ReadingState] = field(default_factory=dict)

    def tags_of(self, article_id: str) -> tuple[str, ...]:
        return self.tags.get(article_id, ())


class LibraryTable(DataTable[Text]):
    """Articles with their source, length, tags, notes and read state."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="library.cursor_down"),
        Binding("k", "cursor_up", "Up", show=False, id="library.cursor_up"),
        Binding("g", "scroll_top", "Top", show=False, id="library.top"),
        Binding("G", "scroll_bottom", "Bottom", show=False, id="library.bottom"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self._title_width = 40

    def on_mount(self) -> None:
        title_width = self._fitting_title_width(self.app.size.width)
        for key, label, width in COLUMNS:
            self.add_column(label, key=key, width=width if width is not None else title_width)

    def _fitting_title_width(self, total: int) -> int:
        """What is left for titles once the other columns (and cell padding) are placed."""
        fixed = sum(w or 0 for _, _, w in COLUMNS) + 2 * self.cell_padding * len(COLUMNS)
        return max(20, total - fixed - 4)

    def on_resize(self) -> None:
        width = self._fitting_title_width(self.size.width)
        column = self.columns.get(ColumnKey("title"))
        if column is not None and column.width != width:
            column.width = width
            self._require_update_dimensions = True
            self.refresh()

    def show(self, metas: Iterable[ArticleMeta], snapshot: LibrarySnapshot) -> None:
        """Replace the rows, keeping the cursor on the same article when it is still listed."""
        selected = self.selected_id
        self.clear()
        rows = []
        keys = []
        for meta in metas:
            rows.append(self._row(meta, snapshot))
            keys.append(meta.id)
        for key, row in zip(keys, rows, strict=True):
            self.add_row(*row, key=key)
        if selected is not None and selected in keys:
            self.move_cursor(row=keys.index(selected), animate=False)

    def _row(self, meta: ArticleMeta, snapshot: LibrarySnapshot) -> list[Text]:
        if meta.problem:
            dim = "dim italic"
            title = Text.assemble(
                (truncate(meta.title or meta.path.name, 60), "dim"),
                ("  — " + truncate(meta.problem, 80), dim),
                no_wrap=True,
                overflow="ellipsis",
            )
            return [
                Text("×", style="dim"),
                title,
                cell(meta.source, "dim"),
                Text(""),
                Text(""),
                cell(" ".join(snapshot.tags_of(meta.id)), "dim"),
                Text(""),
            ]
        unread = meta.id not in snapshot.read
        count = snapshot.notes.get(meta.id, 0)
        return [
            Text(UNREAD_MARK if unread else " ", style="bold"),
            cell(meta.title, "bold" if unread else ""),
            cell(meta.source),
            Text(f"{meta.words:,}", justify="right"),
            Text(str(meta.reading_minutes), justify="right"),
            cell(" ".join(snapshot.tags_of(meta.id))),
            Text(str(count) if count else "", justify="right"),
        ]

    @property
    def selected_id(self) -> str | None:
        """Id of the article under the cursor."""
        if self.row_count == 0:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        except Exception:
            return None
        return key.value if key is not None else None
