"""The jump box: one ranked list of articles, entities, tags, notes and text.

Ranking runs in a worker thread and each keystroke bumps a sequence number, so typing
never waits for a search and a slow result for an old query is thrown away. The screen
dismisses with the chosen :class:`~reader.search.hits.Hit`; the app opens its article at
the hit's place.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from reader.errors import ReaderError
from reader.safety import visible_line
from reader.search.hits import Hit
from reader.ui.search_service import SearchService, service_for, sync_from_store

if TYPE_CHECKING:
    from reader.workspace import Workspace

#: (query, limit) -> hits, best first. Called from a worker thread.
Search = Callable[[str, int], list[Hit]]

#: Rows the box shows at most.
LIMIT = 40

#: How each kind is named on its row.
KIND_NAMES: dict[str, str] = {
    "title": "article",
    "source": "source",
    "tag": "tag",
    "entity": "entity",
    "note": "note",
    "quote": "passage",
    "text": "text",
}
KIND_WIDTH = max(len(name) for name in KIND_NAMES.values())

HINT = "words of a title, a name, a tag or a note · #tag  @entity  >note  /text  :title"


def hit_prompt(hit: Hit) -> Content:
    """Kind, the matched part highlighted, and where it is."""
    kind = KIND_NAMES.get(hit.kind, hit.kind).ljust(KIND_WIDTH)
    matched = Content(visible_line(hit.matched))
    for start, end in hit.highlights:
        matched = matched.stylize("bold $accent underline", start, end)
    parts: list[Content | str | tuple[str, str]] = [(kind, "dim italic"), "  ", matched]
    if hit.context:
        parts += ["\n", (" " * (KIND_WIDTH + 2), ""), (visible_line(hit.context), "dim")]
    return Content.assemble(*parts)


def hit_key(hit: Hit) -> tuple[str, str, str, int | None]:
    """What makes a hit the same place when the query is ranked again (scores may move)."""
    return (hit.kind, hit.article_id, hit.note_id, hit.offset)


class JumpScreen(ModalScreen[Hit | None]):
    """Type to rank everything; Enter opens; Esc goes back."""

    DEFAULT_CSS = """
    JumpScreen {
        align: center top;
    }
    JumpScreen > #jump {
        width: 90%;
        max-width: 110;
        height: auto;
        max-height: 80%;
        margin-top: 2;
        border: round $accent;
        background: $surface;
    }
    JumpScreen #jump-input {
        border: none;
        height: 1;
        padding: 0 1;
    }
    JumpScreen #jump-hint {
        color: $text-muted;
        padding: 0 1;
        height: 1;
    }
    JumpScreen #jump-results {
        height: auto;
        max-height: 30;
        border: none;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Back", id="jump.cancel"),
        Binding("down", "move(1)", "Next result", show=False, id="jump.down"),
        Binding("up", "move(-1)", "Previous result", show=False, id="jump.up"),
        Binding("enter", "open", "Open", id="jump.open", priority=True),
    ]

    def __init__(self, search: Search, query: str = "") -> None:
        super().__init__()
        self.search = search
        self.initial = query
        self.hits: list[Hit] = []
        #: Bumped on every keystroke; a result carries the number it was asked with.
        self.seq = 0
        #: The query the shown results belong to.
        self.shown_query = ""
        #: Enter came before the results for the typed query: open the best one on arrival.
        self.open_on_arrival = False

    def compose(self) -> ComposeResult:
        with Vertical(id="jump"):
            yield Input(value=self.initial, placeholder="Jump to…", id="jump-input")
            yield Static(Content(HINT), id="jump-hint")
            yield OptionList(id="jump-results")

    def on_mount(self) -> None:
        self.query_one("#jump").border_title = "Jump"
        self.query_one(Input).focus()
        if self.initial:
            self._ask(self.initial)

    @on(Input.Changed, "#jump-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self._ask(event.value)

    def ask_again(self) -> None:
        """Rank the typed query again (the index has learnt something since)."""
        query = self.query_one(Input).value
        if query.strip():
            self._ask(query)

    def _ask(self, query: str) -> None:
        self.seq += 1
        if not query.strip():
            self._show(self.seq, query, [])
            return
        self._rank(self.seq, query)

    @work(thread=True, exclusive=True, group="jump")
    def _rank(self, seq: int, query: str) -> None:
        try:
            hits = self.search(query, LIMIT)
        except (ReaderError, OSError) as exc:  # a library, database or index file that
            # cannot be read: said in the list, never the end of the app
            self.app.call_from_thread(self._show, seq, query, [], f"Cannot search: {exc}")
            return
        self.app.call_from_thread(self._show, seq, query, hits)

    def _show(self, seq: int, query: str, hits: list[Hit], problem: str = "") -> None:
        if seq != self.seq:
            return  # a newer keystroke has asked again
        results = self.query_one("#jump-results", OptionList)
        # the same query ranked again (the notes were synced): the cursor stays on its hit
        kept = self._highlighted_hit() if query == self.shown_query else None
        self.hits = hits
        self.shown_query = query
        results.clear_options()
        if hits:
            results.add_options([Option(hit_prompt(h), id=f"hit-{i}") for i, h in enumerate(hits)])
            where = [hit_key(h) for h in hits]
            results.highlighted = where.index(kept) if kept in where else 0
        elif problem:
            results.add_option(Option(Content(visible_line(problem)), disabled=True))
        elif query.strip():
            results.add_option(Option(Content("Nothing matches."), disabled=True))
        if self.open_on_arrival:
            self.open_on_arrival = False
            self.action_open()

    def _highlighted_hit(self) -> tuple[str, str, str, int | None] | None:
        index = self.query_one("#jump-results", OptionList).highlighted
        if index is not None and 0 <= index < len(self.hits):
            return hit_key(self.hits[index])
        return None

    def action_move(self, delta: int) -> None:
        results = self.query_one("#jump-results", OptionList)
        if delta > 0:
            results.action_cursor_down()
        else:
            results.action_cursor_up()

    def action_open(self) -> None:
        if self.shown_query != self.query_one(Input).value:
            self.open_on_arrival = True
            return
        results = self.query_one("#jump-results", OptionList)
        index = results.highlighted
        if index is not None and 0 <= index < len(self.hits):
            self.dismiss(self.hits[index])

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected, "#jump-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.hits):
            self.dismiss(self.hits[event.option_index])


def open_jump(app: App[Any], ws: Workspace) -> None:
    """Show the jump box over whatever screen is open; Enter opens the chosen place."""
    if isinstance(app.screen, JumpScreen):
        return
    service = service_for(app, ws)

    def chosen(hit: Hit | None) -> None:
        if hit is not None:
            open_article(app, ws, hit.article_id, place_of(service, hit))

    app.push_screen(JumpScreen(service.query), chosen)
    app.run_worker(_sync_annotations(app, ws, service), group="jump-sync", exclusive=True)


def place_of(service: SearchService, hit: Hit) -> tuple[int, int] | None:
    """Where to open ``hit``: a note's passage where it is now (an edit may have moved it
    since its offsets were stored), anything else where it was found."""
    index = service.index
    span: tuple[int, int] | None = None
    if index is not None:
        with contextlib.suppress(Exception):  # finding it again is a nicety, never a crash
            span = index.place(hit)
    if span is None and hit.offset is not None:
        span = (hit.offset, hit.end or hit.offset)
    return span


async def _sync_annotations(app: App[Any], ws: Workspace, service: SearchService) -> None:
    """Notes and tags as they are now, read on the store's thread, into the index; results
    already shown are asked for again, since they may have missed a note."""
    call_store = getattr(app, "call_store", None)

    async def on_store(fn: Callable[..., Any], *args: Any) -> Any:
        return await call_store(fn, *args) if call_store is not None else fn(*args)

    try:
        await sync_from_store(service, on_store)
    except Exception:
        return  # the index keeps what it had; the next opening tries again
    screen = app.screen
    if isinstance(screen, JumpScreen) and screen.is_mounted:
        screen.ask_again()


def open_article(
    app: App[Any], ws: Workspace, article_id: str, span: tuple[int, int] | None = None
) -> None:
    """Open ``article_id`` at ``span`` (or where it was left), replacing an open article."""
    from reader.ui.screens.reader import ReaderScreen

    current = app.screen
    if isinstance(current, ReaderScreen) and current.meta.id == article_id:
        if span is not None:
            current.go_to(*span)
        return
    try:
        meta = ws.library.get(article_id)
    except KeyError:
        app.notify("That article is no longer in the library", severity="warning")
        return
    screen = ReaderScreen(ws, meta)
    screen.start_at = span
    if isinstance(current, ReaderScreen):
        current.save_position()
        app.switch_screen(screen)
    else:
        app.push_screen(screen)
