"""Reading one article: the text, its notes and tags, and where the reader left off.

Every store call goes through :meth:`ReaderApp.call_store` inside a worker, so a slow save
never freezes the text; a failed save keeps the note's text and offers it again.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from reader.models import Anchor, Article, ArticleMeta, EntitySpan, Note, PlacedNote
from reader.safety import visible_line
from reader.ui.app import StoreChanged
from reader.ui.entity_preview import preview_within, start_preview
from reader.ui.safe_text import truncate
from reader.ui.screens.reader_features import ReaderFeatures
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.notes_panel import NotesPanel
from reader.ui.widgets.steady_footer import SteadyFooter
from reader.ui.wording import counted

if TYPE_CHECKING:
    from reader.ui.app import ReaderApp
    from reader.workspace import Workspace

#: Seconds the current paragraph must stay put before the reading position is saved.
POSITION_SAVE_DELAY = 1.0
#: Between the fields of the line under the title.
META_SEPARATOR = " · "


class ReaderScreen(ReaderFeatures):
    """One article with its notes; notes attach to the current paragraph or the selection.

    Entities, figures, find, jump and export come from :class:`ReaderFeatures`.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "add_note", "Note", id="reader.add_note"),
        Binding("a,N", "add_article_note", "Article note", id="reader.add_article_note"),
        Binding("p", "toggle_notes", "Notes", id="reader.toggle_notes"),
        Binding("tab", "switch_focus", "Text/notes", show=False, id="reader.switch_focus"),
        Binding("t", "edit_tags", "Tags", id="reader.edit_tags"),
        Binding("m", "toggle_read", "Read/unread", id="reader.toggle_read"),
        Binding("u", "undo_delete", "Undo delete", id="reader.undo_delete"),
        Binding("q,escape,backspace", "back", "Library", id="reader.back"),
    ]

    def __init__(self, ws: Workspace, meta: ArticleMeta) -> None:
        super().__init__()
        #: The run's library and store.
        self.ws = ws
        self.meta = meta
        self.article: Article | None = None
        self.tags: tuple[str, ...] = ()
        self.read = False
        self.placed: list[PlacedNote] = []
        #: Deleted notes, most recent last, for ``u`` to bring back.
        self.deleted: list[Note] = []
        self._saved_position = -1
        self._position_timer: object | None = None

    @property
    def reader_app(self) -> ReaderApp:
        return self.app  # type: ignore[return-value]

    @property
    def view(self) -> ArticleView:
        """The article text widget (other panels hook into it)."""
        return self.query_one(ArticleView)

    @property
    def notes_panel(self) -> NotesPanel:
        return self.query_one(NotesPanel)

    def compose(self) -> ComposeResult:
        with Vertical(id="reader-header"):
            yield Static(Content(visible_line(self.meta.title)), id="reader-title")
            yield Static(id="reader-meta")
            yield from self.compose_legend()
        with Horizontal(id="reader-body"):
            yield ArticleView(id="article")
            yield NotesPanel(id="notes-panel")
            yield from self.compose_panels()
        yield from self.compose_find_bar()
        # The footer is mounted once the text is on screen: see load().

    def on_mount(self) -> None:
        self.view.focus()
        self._show_meta()
        self.load()

    # -- loading --------------------------------------------------------------------------

    @work(group="reader-load", exclusive=True)
    async def load(self) -> None:
        """Text, notes and state with the first screen's entities, then the whole article's
        entities (finding them takes longest)."""
        app = self.reader_app
        preview: asyncio.Future[list[EntitySpan]] | None = None
        try:
            # looked up on the store's thread: it opens the database if nothing has yet,
            # and a database that cannot be opened is one more reason it cannot open
            store = await app.call_store(lambda: self.ws.store)
            article = await app.call_store(self.ws.load, self.meta)
            state = await app.call_store(store.reading_state, self.meta.id)
            position = self.opening_position(state.position)
            # found on its thread while the notes and tags are read; a failure here
            # only costs the first highlights, never the opening
            with contextlib.suppress(Exception):
                preview = start_preview(self._find_in_text, self.view, article, position)
            placed = await app.call_store(self.ws.placed_notes, article)
            tags = await app.call_store(store.tags, self.meta.id)
        except Exception as exc:
            if preview is not None:
                preview.cancel()
            self.notify(str(exc), title="Cannot open", severity="error", markup=False)
            self.entities_found([])  # no pass will come: nothing may wait for one
            await self._mount_footer()
            return
        self.article = article
        self.meta = article.meta
        self.placed = placed
        self.tags = tags
        self.read = state.read
        self._saved_position = state.position
        first = await preview_within(preview) if preview is not None else None
        self.view.set_article(article, first or [], placed, position=position)
        self.article_opened(article)
        self.notes_panel.show(placed, article.text)
        self._show_meta()
        # The text paints first, then the footer (a widget per key takes a while to mount,
        # and before the focus settles its keys would change and be mounted again), then
        # the whole pass starts: its thread would slow both down.
        await self.wait_for_refresh()
        await self._mount_footer()
        await self.find_all_entities(article, preview if first is None else None)

    async def _mount_footer(self) -> None:
        if not self.query(SteadyFooter):
            await self.mount(SteadyFooter())

    def _find_in_text(self, text: str) -> list[EntitySpan]:
        """The workspace's finder, looked up on the thread (loading it can fail or be slow)."""
        return self.ws.entity_finder(text)

    @work(group="reader-notes", exclusive=True)
    async def reload_annotations(self) -> None:
        """Notes, tags and state again, after a change here or in another process."""
        if self.article is None:
            return
        app = self.reader_app
        store = self.ws.store
        try:
            placed = await app.call_store(self.ws.placed_notes, self.article)
            tags = await app.call_store(store.tags, self.meta.id)
            state = await app.call_store(store.reading_state, self.meta.id)
        except Exception as exc:
            self.notify(str(exc), title="Database", severity="error", markup=False)
            return
        self.placed, self.tags, self.read = placed, tags, state.read
        self.view.set_notes(placed)
        self.notes_panel.show(placed, self.article.text)
        self._show_meta()

    def on_store_changed(self, _: StoreChanged) -> None:
        self.reload_annotations()

    def _show_meta(self) -> None:
        """Source · words · minutes · notes · read state · tags, one separator between each."""
        meta = self.meta
        fields: list[tuple[str, str]] = []
        if meta.source:
            fields.append((visible_line(meta.source), "bold"))
        fields.append((counted(meta.words, "word"), ""))
        fields.append((f"{meta.reading_minutes} min", ""))
        fields.append((counted(len(self.placed), "note"), ""))
        fields.append(("read" if self.read else "unread", "$success" if self.read else "$warning"))
        if self.tags:
            fields.append((visible_line(" ".join("#" + t for t in self.tags)), "$accent"))
        parts: list[tuple[str, str]] = []
        for field in fields:
            if parts:
                parts.append((META_SEPARATOR, "$text-muted"))
            parts.append(field)
        self.query_one("#reader-meta", Static).update(Content.assemble(*parts))

    # -- reading position and read state --------------------------------------------------

    @on(ArticleView.CurrentBlockChanged)
    def _block_changed(self, event: ArticleView.CurrentBlockChanged) -> None:
        if self.article is None or not self.article.blocks:
            return
        if self._position_timer is not None:
            self._position_timer.stop()  # type: ignore[attr-defined]
        self._position_timer = self.set_timer(POSITION_SAVE_DELAY, self.save_position)

    def save_position(self) -> None:
        """Remember the current paragraph's start (if it moved since the last save)."""
        if self.article is None or not self.article.blocks:
            return
        position = self.article.blocks[self.view.current_block].start
        if position == self._saved_position:
            return
        self._saved_position = position
        self._store_in_background(self.ws.store.set_position, self.meta.id, position)

    @on(ArticleView.ReachedEnd)
    def _reached_end(self) -> None:
        if not self.read and self.article is not None:
            self.read = True
            self._show_meta()
            self._store_in_background(self.ws.store.set_read, self.meta.id, True)

    def action_toggle_read(self) -> None:
        self.read = not self.read
        self._show_meta()
        self._store_in_background(self.ws.store.set_read, self.meta.id, self.read)
        self.notify("Marked read" if self.read else "Marked unread", timeout=2)

    def _store_in_background(self, fn: object, *args: object) -> None:
        async def run() -> None:
            try:
                await self.reader_app.call_store(fn, *args)  # type: ignore[arg-type]
            except Exception as exc:
                self.app.notify(str(exc), title="Not saved", severity="error", markup=False)

        self.app.run_worker(run(), group="reader-state")

    def action_back(self) -> None:
        self.save_position()
        self.app.pop_screen()

    # -- notes ----------------------------------------------------------------------------

    def action_add_note(self) -> None:
        if self.article is None or not self.article.blocks:
            return
        span = self.view.selection or self.view.current_span
        if span is None:
            return
        start, end = span
        while end > start and self.article.text[end - 1].isspace():
            end -= 1
        if end <= start:  # only blanks selected: there is no passage to quote
            self.notify("Select some words to note", severity="warning", timeout=3)
            return
        from reader.anchoring import make_anchor

        anchor = make_anchor(self.article.text, start, end)
        self.view.clear_selection()
        self._open_editor(anchor.exact, "", anchor=anchor)

    def action_add_article_note(self) -> None:
        if self.article is None:
            return
        self._open_editor(None, "", anchor=None, heading="Note on the whole article")

    def _open_editor(
        self,
        quote: str | None,
        text: str,
        *,
        anchor: Anchor | None = None,
        note: Note | None = None,
        heading: str = "New note",
    ) -> None:
        from reader.ui.screens.note_editor import NoteEditor

        def done(result: str | None) -> None:
            if result is None:
                return
            if not result.strip():
                self.notify("An empty note is not saved", severity="warning", timeout=3)
                return
            self.save_note(result, quote, anchor, note, heading)

        self.app.push_screen(NoteEditor(quote, text, heading), done)

    @work(group="note-save")
    async def save_note(
        self, text: str, quote: str | None, anchor: Anchor | None, note: Note | None, heading: str
    ) -> None:
        """Add or update a note; on failure the editor comes back with the text."""
        store = self.ws.store
        try:
            if note is None:
                await self.reader_app.call_store(store.add_note, self.meta.id, text, anchor)
            else:
                await self.reader_app.call_store(store.update_note, note.id, text=text)
        except Exception as exc:
            self.notify(
                f"{exc}\nThe text is kept: save again with Ctrl+S.",
                title="Note not saved",
                severity="error",
                markup=False,
                timeout=10,
            )
            self._open_editor(quote, text, anchor=anchor, note=note, heading=heading)
            return
        self.notify("Note saved" if note is None else "Note updated", timeout=2)
        self.reload_annotations()

    def action_toggle_notes(self) -> None:
        panel = self.notes_panel
        panel.display = not panel.display
        if panel.display:
            panel.focus_list()
        else:
            self.view.focus()

    def action_switch_focus(self) -> None:
        panel = self.notes_panel
        if not panel.display:
            panel.display = True
        if self.focused is self.view:
            panel.focus_list()
        else:
            self.view.focus()

    @on(NotesPanel.Jump)
    def _jump(self, event: NotesPanel.Jump) -> None:
        placed = event.placed
        if self.article is None:
            return
        if placed.note.anchor is None:
            self.notify("That note is on the whole article", timeout=2)
            return
        if placed.orphaned:
            self.notify("The passage of that note is no longer in the text", severity="warning")
            return
        self.view.scroll_to_offset(placed.start)
        self.view.current_block = self.article.block_at(placed.start)
        self.view.focus()

    @on(NotesPanel.Edit)
    def _edit(self, event: NotesPanel.Edit) -> None:
        note = event.placed.note
        quote = note.anchor.exact if note.anchor is not None else None
        self._open_editor(quote, note.text, anchor=note.anchor, note=note, heading="Edit note")

    @on(NotesPanel.Delete)
    def _delete(self, event: NotesPanel.Delete) -> None:
        from reader.ui.screens.confirm import Confirm

        note = event.placed.note
        question = Content.assemble(
            ("Delete this note?", "bold"),
            "\n\n",
            (visible_line(truncate(note.text, 120)), "italic"),
            "\n\n",
            ("u brings it back.", "$text-muted"),
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.delete_note(note)

        self.app.push_screen(Confirm(question), answered)

    @work(group="note-save")
    async def delete_note(self, note: Note) -> None:
        try:
            removed = await self.reader_app.call_store(self.ws.store.delete_note, note.id)
        except Exception as exc:
            self.notify(str(exc), title="Not deleted", severity="error", markup=False)
            return
        self.deleted.append(removed)
        self.notify("Note deleted — u to undo", timeout=4)
        self.reload_annotations()

    @work(group="note-save")
    async def action_undo_delete(self) -> None:
        if not self.deleted:
            self.notify("Nothing to undo", timeout=2)
            return
        note = self.deleted.pop()
        try:
            await self.reader_app.call_store(self.ws.store.restore_note, note)
        except Exception as exc:
            self.deleted.append(note)
            self.notify(str(exc), title="Not restored", severity="error", markup=False)
            return
        self.notify("Note restored", timeout=2)
        self.reload_annotations()

    # -- tags -----------------------------------------------------------------------------

    def action_edit_tags(self) -> None:
        self.open_tag_editor()

    @work(group="tags")
    async def open_tag_editor(self) -> None:
        """Tags in use elsewhere (for completion), then the editor."""
        from reader.ui.screens.tag_editor import TagEditor

        try:
            known = await self.reader_app.call_store(self.ws.store.all_tags)
        except Exception:
            known = {}

        def edited(result: tuple[str, ...] | None) -> None:
            if result is not None:
                self.save_tags(result)

        self.app.push_screen(TagEditor(self.meta.title, self.tags, known), edited)

    @work(group="tags")
    async def save_tags(self, result: tuple[str, ...]) -> None:
        added = [t for t in result if t not in self.tags]
        removed = [t for t in self.tags if t not in result]
        if not added and not removed:
            return
        store = self.ws.store
        try:
            if added:
                await self.reader_app.call_store(store.add_tags, self.meta.id, added)
            if removed:
                await self.reader_app.call_store(store.remove_tags, self.meta.id, removed)
        except Exception as exc:
            self.notify(str(exc), title="Tags not saved", severity="error", markup=False)
        self.reload_annotations()
