"""The library: every article, filtered as you type, by tag, sorted, and opened with Enter.

The list is first shown from the library index, as the last scan left it (titles, sources,
lengths: no article read, the database not opened), and the status line says that read
marks, tags and notes are still being read. The scan and the store's data follow on the
store thread once that first screen is painted, and replace it a moment later.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.events import Key
from textual.widgets import Input, Static

from reader.models import ArticleMeta, ReadingState
from reader.ui.app import LibraryChanged, StoreChanged
from reader.ui.safe_text import join
from reader.ui.screens.library_features import LibraryFeatures
from reader.ui.widgets.library_table import LibrarySnapshot, LibraryTable
from reader.ui.widgets.steady_footer import SteadyFooter
from reader.ui.wording import counted

if TYPE_CHECKING:
    from reader.ui.app import ReaderApp
    from reader.workspace import Workspace

#: The order ``s`` cycles through.
SORT_KEYS: tuple[str, ...] = ("title", "source", "words", "notes", "recent")


def read_snapshot(ws: Workspace) -> LibrarySnapshot:
    """Everything the list shows, in one pass over the library and the store."""
    metas = ws.articles()
    store = ws.store
    tags = store.tags_by_article()
    states: dict[str, ReadingState] = {s.article_id: s for s in store.reading_states()}
    return LibrarySnapshot(
        metas=metas,
        tags=tags,
        notes=store.note_counts(),
        read=frozenset(i for i, s in states.items() if s.read),
        all_tags=store.all_tags(),
        states=states,
        warnings=tuple(ws.library.warnings),
    )


def order(
    snapshot: LibrarySnapshot, text: str, tag: str | None, sort: str, reverse: bool
) -> Sequence[ArticleMeta]:
    """The rows to show, filtered and sorted by :class:`reader.library.LibraryQuery`."""
    from reader.library import LibraryQuery

    if snapshot.pending and sort == "title" and not (reverse or tag or text.strip()):
        return snapshot.metas  # the index lists them by title already

    query = LibraryQuery(
        snapshot.metas,
        tags_of=snapshot.tags_of,
        notes_of=lambda i: snapshot.notes.get(i, 0),
        state_of=snapshot.states.get,
    )
    if tag:
        query = query.tagged(tag)
    if text.strip():
        query = query.containing(text.strip())
    return list(query.sorted_by(sort, reverse=reverse))


class LibraryFooter(SteadyFooter):
    """The library's keys in the first frame.

    A footer composed before the focus is set waits for it, since the focused widget's
    keys could change what it shows; the list, which takes the focus here, shows none, so
    the keys are composed at once rather than again (a widget each) just after the first
    paint.
    """

    def compose(self) -> ComposeResult:
        self._bindings_ready = True
        yield from super().compose()


class LibraryScreen(LibraryFeatures):
    """The list of articles: the first thing a reader sees.

    Export all and the jump key come from :class:`LibraryFeatures`.
    """

    #: The list has the focus from the start (not the filter, the first focusable widget):
    #: focusing one and then the other changed the footer's keys twice as it started.
    AUTO_FOCUS = "LibraryTable"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="library.open"),
        Binding("slash", "focus_filter", "Filter", id="library.filter"),
        Binding("t", "pick_tag", "Tag filter", id="library.tag_filter"),
        Binding("s", "cycle_sort", "Sort", id="library.sort"),
        Binding("r", "reverse_sort", "Reverse", show=False, id="library.reverse"),
        Binding("m", "toggle_read", "Read/unread", id="library.toggle_read"),
        Binding("escape", "clear_filters", "Clear", show=False, id="library.clear_filters"),
        Binding("q", "app.quit", "Quit", id="library.quit"),
    ]

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        #: The run's library and store.
        self.ws = ws
        #: The last data read from the store; filtering and sorting work on it.
        self.snapshot = LibrarySnapshot([], {}, {}, frozenset())
        self.sort_key = "title"
        self.reverse = False
        self.tag: str | None = None
        self._loaded = False
        #: Set once the scan and the store have been read (or failed to be).
        self._ready = asyncio.Event()
        self._load_failed = False
        #: Why the last load failed: opening and marking read name it rather than act.
        self._load_error = ""
        #: Read marks are saved one after another, in the order their keys were pressed.
        self._saving_read = asyncio.Lock()
        #: Library warnings already shown, so a rescan does not repeat them.
        self._warned: set[str] = set()

    @property
    def reader_app(self) -> ReaderApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Horizontal(id="library-top"):
            yield Static(id="library-status")
        yield Input(placeholder="Type to filter  (/)", id="library-filter", select_on_focus=False)
        yield LibraryTable(id="library-table")
        yield LibraryFooter()

    def on_mount(self) -> None:
        listed = self.ws.listed_articles()
        if listed:
            self.snapshot = LibrarySnapshot(listed, {}, {}, frozenset(), pending=True)
            self.show_rows()
            self.call_after_refresh(self.reload)
        else:
            # No listing to show yet (first run, other folders or database): the scan may
            # take seconds on a large library, so say what is happening meanwhile.
            status = join([("Library", "bold"), ("  reading the library…", "italic")])
            self.query_one("#library-status", Static).update(status)
            self.reload()

    # -- data -----------------------------------------------------------------------------

    @work(group="library-load", exclusive=True)
    async def reload(self) -> None:
        """Read the library and the store off the UI thread, then show the rows."""
        try:
            snapshot = await self.reader_app.read_store(read_snapshot, self.ws)
        except Exception as exc:
            self.reader_app.report_problem("Library", exc)
            self._load_failed = True
            self._load_error = str(exc)
            self._ready.set()
            self.reader_app.library_loaded()
            if self.snapshot.pending:
                self._update_status(self.query_one(LibraryTable).row_count)
            return
        self.snapshot = snapshot
        self._loaded = True
        self._load_failed = False
        self._load_error = ""
        self._ready.set()
        self.show_rows()
        self.reader_app.library_loaded()
        for warning in snapshot.warnings:
            if warning not in self._warned:
                self._warned.add(warning)
                self.notify(warning, title="Library", severity="warning", markup=False, timeout=8)

    def show_rows(self) -> None:
        text = self.query_one("#library-filter", Input).value
        rows = order(self.snapshot, text, self.tag, self.sort_key, self.reverse)
        self.query_one(LibraryTable).show(rows, self.snapshot)
        self._update_status(len(rows))

    def _update_status(self, shown: int) -> None:
        total = len(self.snapshot.metas)
        articles = counted(total, "article")
        pieces: list[tuple[str, str]] = [
            ("Library", "bold"),
            (f"  {shown:,} of {articles}" if shown != total else f"  {articles}", ""),
        ]
        if self.snapshot.pending:
            failed = self._load_failed
            pieces.append(
                (" · read marks, tags and notes could not be read", "italic $warning")
                if failed
                else (" · reading read marks, tags and notes…", "italic")
            )
        else:
            unread = sum(1 for m in self.snapshot.metas if m.id not in self.snapshot.read)
            pieces.append((f" · {unread:,} unread", "dim"))
        pieces.append((f" · sorted by {self.sort_key}{' ↓' if self.reverse else ''}", "dim"))
        if self.tag:
            pieces.append(("  tag: ", "dim"))
            pieces.append((f"#{self.tag}", "bold $accent"))
        self.query_one("#library-status", Static).update(join(pieces))

    def on_store_changed(self, _: StoreChanged) -> None:
        self.reload()

    def on_library_changed(self, _: LibraryChanged) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        if self._loaded:
            self.reload()

    # -- filtering ------------------------------------------------------------------------

    @on(Input.Changed, "#library-filter")
    def _filter_changed(self) -> None:
        self.show_rows()

    @on(Input.Submitted, "#library-filter")
    def _filter_done(self) -> None:
        """Enter in the filter opens the article under the cursor (the best match)."""
        self.action_open()

    def on_key(self, event: Key) -> None:
        """Typing a letter that is not a key binding starts filtering with it."""
        table = self.query_one(LibraryTable)
        filter_input = self.query_one("#library-filter", Input)
        if self.focused is filter_input and event.key == "down":
            table.focus()
            event.stop()
            return
        if self.focused is not table or not event.is_printable or not event.character:
            return
        if event.key in self.active_bindings:
            return
        filter_input.focus()
        filter_input.insert_text_at_cursor(event.character)
        event.stop()
        event.prevent_default()

    def action_focus_filter(self) -> None:
        self.query_one("#library-filter", Input).focus()

    def action_clear_filters(self) -> None:
        filter_input = self.query_one("#library-filter", Input)
        changed = bool(filter_input.value) or self.tag is not None
        filter_input.value = ""
        self.tag = None
        self.query_one(LibraryTable).focus()
        if changed:
            self.show_rows()

    def _when_loaded(self, action: Callable[[], object]) -> bool:
        """True if the store's data is in; if not, ``action`` runs once it is.

        Opening, marking read and picking a tag wait for it: the first look from the
        index knows no read marks or tags, and the scan may yet change an id.
        """
        if not self.snapshot.pending or self._ready.is_set():
            return True

        async def later() -> None:
            await self._ready.wait()
            action()

        self.run_worker(later(), group="library-when-loaded", exclusive=True)
        return False

    def action_pick_tag(self) -> None:
        if not self._when_loaded(self.action_pick_tag):
            return
        from reader.ui.screens.tag_editor import TagPicker

        def picked(tag: str | None) -> None:
            if tag is None:
                return
            self.tag = tag or None
            self.show_rows()

        self.app.push_screen(TagPicker(dict(self.snapshot.all_tags), self.tag), picked)

    def action_cycle_sort(self) -> None:
        index = SORT_KEYS.index(self.sort_key) if self.sort_key in SORT_KEYS else -1
        self.sort_key = SORT_KEYS[(index + 1) % len(SORT_KEYS)]
        self.show_rows()

    def action_reverse_sort(self) -> None:
        self.reverse = not self.reverse
        self.show_rows()

    # -- opening and read state -----------------------------------------------------------

    @on(LibraryTable.Opened)
    def _row_opened(self, event: LibraryTable.Opened) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        """Open the row under the cursor now, or once the store's data is in.

        The row is taken when the key is pressed: the list may move under the cursor
        before the data arrives.
        """
        if self.focused is self.query_one("#library-filter", Input):
            self.query_one(LibraryTable).focus()
        article_id = self.query_one(LibraryTable).selected_id
        if article_id is None:
            return
        if self._when_loaded(lambda: self._open(article_id)):
            self._open(article_id)

    def _open(self, article_id: str) -> None:
        meta = self._still_listed(article_id)
        if meta is None or self._refused_while_failed():
            return
        if meta.problem:
            self.notify(
                Content.assemble("Cannot open: ", meta.problem).plain,
                severity="warning",
                markup=False,
            )
            return
        from reader.ui.screens.reader import ReaderScreen

        self.app.push_screen(ReaderScreen(self.ws, meta))

    def _still_listed(self, article_id: str) -> ArticleMeta | None:
        """The article's row as the list has it now; if the scan took it away, a notice."""
        meta = next((m for m in self.snapshot.metas if m.id == article_id), None)
        if meta is None:
            self.notify("That article is no longer in the library", severity="warning")
        return meta

    def _refused_while_failed(self) -> bool:
        """True, with a notice naming the problem, if the library could not be read: the
        database behind opening and marking is the likely culprit."""
        if not self._load_failed:
            return False
        self.notify(
            f"Not while the library cannot be read: {self._load_error}",
            title="Library",
            severity="error",
            markup=False,
        )
        return True

    def action_toggle_read(self) -> None:
        """Mark the row under the cursor read or unread, as it stood when ``m`` was pressed.

        Before the store's data is in, the row's read mark is not known yet: it is toggled
        from what the store says once it is.
        """
        article_id = self.query_one(LibraryTable).selected_id
        if article_id is None:
            return
        read = None
        if not self.snapshot.pending:
            read = article_id not in self.snapshot.read
            self._count_as_read(article_id, read)
        self._save_read(article_id, read)

    def _count_as_read(self, article_id: str, read: bool) -> None:
        """The next ``m`` pressed before the reload arrives sees this one."""
        marks = self.snapshot.read
        marks = marks | {article_id} if read else marks - {article_id}
        self.snapshot = dataclasses.replace(self.snapshot, read=frozenset(marks))

    @work(group="library-save")
    async def _save_read(self, article_id: str, read: bool | None) -> None:
        async with self._saving_read:
            await self._ready.wait()
            if self._still_listed(article_id) is not None and not self._refused_while_failed():
                if read is None:
                    read = article_id not in self.snapshot.read
                    self._count_as_read(article_id, read)
                await self._set_read(article_id, read)
        self.reload()

    async def _set_read(self, article_id: str, read: bool) -> None:
        try:
            await self.reader_app.call_store(lambda: self.ws.store.set_read(article_id, read))
        except Exception as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
