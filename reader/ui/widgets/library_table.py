"""The library list: a Line API widget that formats only the rows on screen.

DataTable measures every cell of every row when rows are added (about three seconds for
10,000 articles on a small machine); here a row is built from its ``ArticleMeta`` when it
is drawn, so showing, filtering and sorting 10,000 articles costs a list assignment. Cells
are Rich ``Text`` made from plain strings, never markup: a title like
``[@click=app.quit]`` stays text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.models import ArticleMeta, ReadingState
from reader.ui.component_style import component_style
from reader.ui.safe_text import cell, truncate

UNREAD_MARK = "•"
#: (key, header, width); the title takes what is left.
COLUMNS: tuple[tuple[str, str, int | None], ...] = (
    ("read", " ", 1),
    ("title", "Title", None),
    ("source", "Source", 16),
    ("words", "Words", 7),
    ("minutes", "Min", 4),
    ("tags", "Tags", 20),
    ("notes", "Notes", 5),
)
GAP = 2
#: Titles get at least this many cells before the tags and source columns give way.
MIN_TITLE = 40


@dataclass(frozen=True)
class LibrarySnapshot:
    """What the list shows, read from the library and the store in one go (off the UI)."""

    metas: Sequence[ArticleMeta]
    tags: Mapping[str, tuple[str, ...]]
    notes: Mapping[str, int]
    read: frozenset[str]
    all_tags: Mapping[str, int] = field(default_factory=dict)
    states: Mapping[str, ReadingState] = field(default_factory=dict)
    #: Library folders that could not be listed, an index that could not be saved.
    warnings: tuple[str, ...] = ()
    #: The articles as the library index listed them, in title order, before the scan and
    #: the store have been read: read state, tags and notes are not known yet.
    pending: bool = False

    def tags_of(self, article_id: str) -> tuple[str, ...]:
        return self.tags.get(article_id, ())


def row_cells(meta: ArticleMeta, snapshot: LibrarySnapshot) -> list[Text]:
    """The cells of one article's row, in :data:`COLUMNS` order."""
    if meta.problem:
        title = Text.assemble(
            (truncate(meta.title or meta.path.name, 60), "dim"),
            ("  — " + truncate(meta.problem, 80), "dim italic"),
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
    unread = meta.id not in snapshot.read and not snapshot.pending
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


def plain_cell(text: Text, width: int) -> str | None:
    """A one-style cell of printable ASCII cut or padded to ``width``, as Rich would make
    it (an ellipsis when cut, right-justified numbers); None for any other cell, which
    goes through Rich. Most cells are such, and Rich's way was most of the drawing time."""
    plain = text.plain
    if text.spans or not (plain.isascii() and plain.isprintable()) or width < 1:
        return None
    if len(plain) > width:
        plain = plain[: width - 1] + "…"
    return plain.rjust(width) if text.justify == "right" else plain.ljust(width)


def own_style(text: Text) -> Style:
    """A cell's own style as a ``Style`` (Rich caches the parsing of style strings)."""
    return text.style if isinstance(text.style, Style) else Style.parse(text.style)


class LibraryTable(ScrollView, can_focus=True):
    """Articles with their source, length, tags, notes and read state; a fixed header."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor(1)", "Down", show=False, id="library.cursor_down"),
        Binding("k,up", "cursor(-1)", "Up", show=False, id="library.cursor_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="library.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="library.page_up"),
        Binding("g,home", "first", "Top", show=False, id="library.top"),
        Binding("G,end", "last", "Bottom", show=False, id="library.bottom"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "library-table--header",
        "library-table--cursor",
    }

    DEFAULT_CSS = """
    LibraryTable {
        overflow-x: hidden;
    }
    """

    class Opened(Message):
        """The reader double-clicked a row."""

    cursor_row: reactive[int] = reactive(0, init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.metas: Sequence[ArticleMeta] = []
        self.snapshot = LibrarySnapshot([], {}, {}, frozenset())
        self._cache: dict[int, Strip] = {}
        #: The width and base style of the drawing pass under way (see render_lines).
        self._frame: tuple[int, Style] | None = None

    # -- data -----------------------------------------------------------------------------

    def show(self, metas: Iterable[ArticleMeta], snapshot: LibrarySnapshot) -> None:
        """Replace the rows, keeping the cursor on the same article when it is still listed.

        A sequence is kept as it is (rows are read from it only as they are drawn).
        """
        selected = self.selected_id
        self.metas = metas if isinstance(metas, Sequence) else list(metas)
        self.snapshot = snapshot
        self._cache.clear()
        index = 0
        if selected is not None:
            index = next((i for i, m in enumerate(self.metas) if m.id == selected), 0)
        self.virtual_size = Size(self.size.width, len(self.metas) + 1)
        self.set_reactive(LibraryTable.cursor_row, index)
        self._keep_cursor_visible()
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self.metas)

    def cells(self, row: int) -> list[Text]:
        """The cells of row ``row`` (what is drawn, before cropping to the columns)."""
        return row_cells(self.metas[row], self.snapshot)

    @property
    def selected_id(self) -> str | None:
        """Id of the article under the cursor."""
        if 0 <= self.cursor_row < len(self.metas):
            return self.metas[self.cursor_row].id
        return None

    # -- moving ---------------------------------------------------------------------------

    def action_cursor(self, delta: int) -> None:
        self._move_to(self.cursor_row + delta)

    def action_page(self, direction: int) -> None:
        self._move_to(self.cursor_row + direction * max(1, self.size.height - 2))

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(len(self.metas) - 1)

    def _move_to(self, row: int) -> None:
        if not self.metas:
            return
        self.cursor_row = max(0, min(len(self.metas) - 1, row))

    def watch_cursor_row(self) -> None:
        self._cache.clear()
        self._keep_cursor_visible()
        self.refresh()

    def _keep_cursor_visible(self) -> None:
        visible = max(1, self.size.height - 1)
        top = int(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False, immediate=True)

    def on_click(self, event: events.Click) -> None:
        if event.y < 1:
            return
        row = int(self.scroll_y) + event.y - 1
        if 0 <= row < len(self.metas):
            self.cursor_row = row
            if event.chain >= 2:
                self.post_message(self.Opened())

    def on_focus(self) -> None:
        self._cache.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._cache.clear()
        self.refresh()

    def on_resize(self) -> None:
        self._cache.clear()
        self.virtual_size = Size(self.size.width, len(self.metas) + 1)

    # -- drawing --------------------------------------------------------------------------

    def _widths(self, total: int) -> list[int]:
        """Column widths for ``total`` cells: titles first, tags and source shrink to fit."""
        widths = {key: w or 0 for key, _, w in COLUMNS}
        spare = total - sum(widths.values()) - GAP * (len(COLUMNS) - 1) - 2
        for key in ("tags", "source"):
            while spare < MIN_TITLE and widths[key] > 8:
                widths[key] -= 1
                spare += 1
        widths["title"] = max(12, spare)
        return [widths[key] for key, _, _ in COLUMNS]

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._cache.clear()

    def render_lines(self, crop: Region) -> list[Strip]:
        # The width and the base style are the same for every line of one pass; asking
        # the DOM for them once a line was a quarter of the list's drawing time.
        self._frame = (self.scrollable_content_region.width or self.size.width, self.rich_style)
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def render_line(self, y: int) -> Strip:
        if self._frame is None:
            width, base = self.scrollable_content_region.width or self.size.width, self.rich_style
        else:
            width, base = self._frame
        if y == 0:
            header = [Text(label, style="bold") for _, label, _ in COLUMNS]
            style = base + self._component("library-table--header")
            return self._strip(header, width, style)
        row = int(self.scroll_y) + y - 1
        if row >= len(self.metas):
            return Strip.blank(width, base)
        strip = self._cache.get(row)
        if strip is None:
            style = base
            if row == self.cursor_row:
                style = base + self._component("library-table--cursor")
            strip = self._strip(self.cells(row), width, style)
            self._cache[row] = strip
        return strip

    def _strip(self, cells: list[Text], width: int, style: Style) -> Strip:
        segments: list[Segment] = [Segment(" ", style)]
        console = self.app.console
        for index, (text, column_width) in enumerate(zip(cells, self._widths(width), strict=True)):
            # Text.render leaves the Text's own style (bold for unread, dim for unreadable)
            # out of its segments: Rich applies it when printing, so it is added here.
            cell_style = style + own_style(text) if text.style else style
            plain = plain_cell(text, column_width)
            if plain is not None:
                segments.append(Segment(plain, cell_style))
            else:
                text = text.copy()
                text.truncate(column_width, overflow="ellipsis")
                if text.justify == "right":
                    text.pad_left(column_width - text.cell_len)
                text.truncate(column_width, pad=True)
                for segment in text.render(console):
                    segments.append(
                        Segment(
                            segment.text,
                            cell_style + segment.style if segment.style else cell_style,
                        )
                    )
            if index < len(cells) - 1:
                segments.append(Segment(" " * GAP, style))
        return Strip(segments).crop_extend(0, width, style)

    def _component(self, name: str) -> Style:
        return component_style(self, name)
