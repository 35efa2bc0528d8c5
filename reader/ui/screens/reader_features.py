"""What the reader screen adds around the text: entities, figures, find, jump and export.

:class:`ReaderFeatures` is the reader screen's base class. It brings the keys (label
toggles, entity and mention stepping, the panels, find, export), the widgets' message
handlers and three small hooks the screen calls while loading an article, so the screen
itself stays about notes and reading.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import OptionList

from reader.models import Article, ArticleMeta, EntitySpan
from reader.safety import visible_line
from reader.ui.entity_groups import EntityGroup, label_counts, same_entity, step_span
from reader.ui.entity_preview import preview_within
from reader.ui.export_keys import EXPORT_ARTICLE_BINDING, export_notes
from reader.ui.labels import CURSOR_STYLE, FIND_CURRENT_STYLE, FIND_STYLE, FOCUS_STYLE, PALETTE
from reader.ui.mentions import Mention, MentionIndex
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.entity_panel import EntityPanel
from reader.ui.widgets.figures_panel import FiguresPanel
from reader.ui.widgets.find_bar import FindBar
from reader.ui.widgets.legend import Legend

if TYPE_CHECKING:
    from reader.workspace import Workspace

#: Names of the article view's highlight layers used here.
MARK_CURSOR = "cursor"
MARK_ENTITY = "entity"
MARK_FIND = "find"
MARK_FIND_CURRENT = "find-current"
#: Where the app keeps the run's table of which article names what.
MENTION_INDEX_ATTR = "_reader_mention_index"


def _label_bindings() -> list[BindingType]:
    return [
        Binding(
            info.key,
            f"toggle_label('{label}')",
            f"Show/hide {info.name}",
            show=False,
            id=f"reader.toggle_{info.name}",
        )
        for label, info in PALETTE.items()
    ]


class ReaderFeatures(Screen[None]):
    """Base of the reader screen: entity, figure, find, jump and export keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *_label_bindings(),
        Binding("e", "step_entity(1)", "Next entity", id="reader.next_entity"),
        Binding("E", "step_entity(-1)", "Prev entity", show=False, id="reader.previous_entity"),
        Binding(
            "right_square_bracket",
            "step_mention(1)",
            "Same entity",
            id="reader.next_mention",
            tooltip="Next mention of the current entity",
        ),
        Binding(
            "left_square_bracket",
            "step_mention(-1)",
            "Previous mention",
            show=False,
            id="reader.previous_mention",
        ),
        Binding("i", "toggle_entity_panel", "Entities", id="reader.entity_panel"),
        Binding("f", "toggle_figures_panel", "Figures", id="reader.figures_panel"),
        Binding("slash,ctrl+f", "find", "Find", id="reader.find"),
        Binding("f3", "find_step(1)", "Next match", show=False, id="reader.find_next"),
        Binding("shift+f3", "find_step(-1)", "Prev match", show=False, id="reader.find_previous"),
        EXPORT_ARTICLE_BINDING,
        Binding("colon", "app.jump", "Jump", show=False, id="reader.jump"),
    ]

    #: The article shown, set by the screen once loaded.
    article: Article | None = None
    meta: ArticleMeta
    ws: Workspace
    #: Where to open the article instead of the saved place (a jump, a mention elsewhere).
    start_at: tuple[int, int] | None = None
    #: Every entity mention of the article, sorted; empty until the whole pass is done.
    entity_spans: list[EntitySpan]
    #: The mention the entity keys last moved to.
    entity_cursor: EntitySpan | None = None
    #: Whether the whole article's entity pass is done (the text shows the first screen's
    #: entities before it).
    entities_complete = False

    def __init__(self) -> None:
        super().__init__()
        self.entity_spans = []
        #: Entity keys pressed before the whole pass was done, to carry out once it is.
        self._waiting_for_entities: list[Callable[[], None]] = []

    # -- widgets --------------------------------------------------------------------------

    def compose_legend(self) -> ComposeResult:
        yield Legend(id="legend")

    def compose_panels(self) -> ComposeResult:
        yield EntityPanel(self._find_mentions, id="entity-panel")
        yield FiguresPanel(id="figures-panel")

    def compose_find_bar(self) -> ComposeResult:
        yield FindBar(id="find-bar")

    @property
    def article_view(self) -> ArticleView:
        return self.query_one(ArticleView)

    # -- hooks the screen calls while loading ---------------------------------------------

    def opening_position(self, saved: int) -> int:
        """Where to open: a requested place wins over the saved one."""
        return self.start_at[0] if self.start_at is not None else saved

    def article_opened(self, article: Article) -> None:
        """The text is on screen: show a requested place, centred and marked."""
        self.entity_spans = []
        self.entity_cursor = None
        self.entities_complete = False
        self.query_one(Legend).set_counts(None)
        if self.start_at is not None:
            start, end = self.start_at
            self.go_to(start, max(end, start))

    async def find_all_entities(
        self, article: Article, late_preview: asyncio.Future[list[EntitySpan]] | None
    ) -> None:
        """The whole article's entity pass (on a thread); a preview that came too late to
        be shown with the text is shown first."""
        if late_preview is not None:
            spans = await preview_within(late_preview, wait=None)
            if spans is not None and self.article is article and not self.entities_complete:
                self.article_view.set_entities(spans)
        try:
            entities = await asyncio.to_thread(self.ws.entities, article)
        except Exception as exc:
            self.notify(f"Entities not found: {exc}", severity="warning", markup=False)
            entities = []  # so the keys and panels say there are none, not wait forever
        if self.article is article:
            self.article_view.set_entities(entities)
            self.entities_found(entities)

    def entities_found(self, spans: list[EntitySpan]) -> None:
        """The entity pass is done: counts in the legend, panels refilled when shown, and
        the entity keys pressed while it ran carried out."""
        self.entity_spans = sorted(spans, key=lambda s: s.start)
        self.entities_complete = True
        self.query_one(Legend).set_counts(label_counts(spans))
        self._panels_stale = True
        self._fill_visible_panels()
        waiting, self._waiting_for_entities = self._waiting_for_entities, []
        for step in waiting:
            step()

    def _after_entities(self, step: Callable[[], None]) -> bool:
        """Keep ``step`` for when the whole pass is done, if it is not yet: the next entity
        or mention of the whole article is not known before. True if kept."""
        if self.entities_complete:
            return False
        if not self._waiting_for_entities:
            self.notify("Finding the article's entities…", timeout=2)
        self._waiting_for_entities.append(step)
        return True

    # -- moving around --------------------------------------------------------------------

    def go_to(self, start: int, end: int) -> None:
        """Centre ``start`` and make its paragraph current; mark ``start:end``."""
        view = self.article_view
        if self.article is not None:  # a stored offset may predate an edit that shortened it
            size = len(self.article.text)
            start, end = min(start, size), min(end, size)
        view.scroll_to_offset(start, center=True)
        if self.article is not None and self.article.blocks:
            view.current_block = self.article.block_at(start)
        view.set_marks(MARK_CURSOR, [(start, end)] if end > start else [], CURSOR_STYLE)

    def _position(self) -> int:
        span = self.article_view.current_span
        return span[0] if span else 0

    def _enabled_spans(self) -> list[EntitySpan]:
        enabled = self.query_one(Legend).enabled
        return [s for s in self.entity_spans if s.label in enabled]

    def _move_cursor(self, span: EntitySpan) -> None:
        self.entity_cursor = span
        self.go_to(span.start, span.end)

    def action_step_entity(self, delta: int) -> None:
        if self._after_entities(partial(self.action_step_entity, delta)):
            return
        spans = self._enabled_spans()
        cursor = self.entity_cursor if self.entity_cursor in spans else None
        found = step_span(spans, self._position(), delta > 0, cursor)
        if found is None:
            self.notify("No more entities this way", timeout=2)
            return
        self._move_cursor(found)

    def action_step_mention(self, delta: int) -> None:
        if self._after_entities(partial(self.action_step_mention, delta)):
            return
        if self.article is None:
            return
        cursor = self.entity_cursor
        if cursor is None:
            self.action_step_entity(1)
            return
        mentions = same_entity(self.entity_spans, cursor, self.article.text)
        found = step_span(mentions, cursor.start, delta > 0, cursor)
        if found is None:
            name = visible_line(self.article.text[cursor.start : cursor.end])
            which = "last" if delta > 0 else "first"
            self.notify(f"That is the {which} mention of {name}", timeout=2, markup=False)
            return
        self._move_cursor(found)

    def action_toggle_label(self, label: str) -> None:
        self.query_one(Legend).toggle(label)

    @on(Legend.Changed)
    def _labels_changed(self, event: Legend.Changed) -> None:
        self.article_view.enabled_labels = event.enabled

    # -- panels ---------------------------------------------------------------------------

    _panels_stale = True

    def _fill_visible_panels(self) -> None:
        entity_panel = self.query_one(EntityPanel)
        figures_panel = self.query_one(FiguresPanel)
        if not (entity_panel.display or figures_panel.display):
            return  # filled when opened: a long article has thousands of rows
        if not self.entities_complete:
            for panel in (entity_panel, figures_panel):
                if panel.display:
                    panel.show_pending()
            return  # filled when the whole pass is done
        text = self.article.text if self.article is not None else ""
        spans = self.entity_spans
        if entity_panel.display:
            entity_panel.set_entities(self.meta.id, text, spans)
        if figures_panel.display:
            figures_panel.set_entities(text, spans, self._position())
        self._panels_stale = False

    def _toggle_panel(self, panel: EntityPanel | FiguresPanel) -> None:
        panel.display = not panel.display
        if panel.display:
            self._panels_stale = True
            self._fill_visible_panels()
            panel.query_one(OptionList).focus()
        else:
            self.article_view.focus()

    def action_toggle_entity_panel(self) -> None:
        self._toggle_panel(self.query_one(EntityPanel))

    def action_toggle_figures_panel(self) -> None:
        self._toggle_panel(self.query_one(FiguresPanel))

    def _find_mentions(
        self, group: EntityGroup, exclude: str, should_stop: Callable[[], bool]
    ) -> Iterable[Mention]:
        """Other articles naming ``group``; the name tables are kept for the whole run."""
        index = getattr(self.app, MENTION_INDEX_ATTR, None)
        if not isinstance(index, MentionIndex):
            ws = self.ws
            index = MentionIndex(ws.articles, ws.load, ws.entities)
            setattr(self.app, MENTION_INDEX_ATTR, index)
        return index.mentioning(group, exclude, should_stop)

    @on(EntityPanel.Chosen)
    def _entity_chosen(self, event: EntityPanel.Chosen) -> None:
        spans = event.group.spans
        self.article_view.set_marks(MARK_ENTITY, [(s.start, s.end) for s in spans], FOCUS_STYLE)
        here = self._position()
        first = next((s for s in spans if s.start >= here), spans[0] if spans else None)
        if first is not None:
            self._move_cursor(first)

    @on(EntityPanel.OpenArticle)
    def _open_other(self, event: EntityPanel.OpenArticle) -> None:
        from reader.ui.screens.jump import open_article

        mention = event.mention
        open_article(self.app, self.ws, mention.article_id, (mention.offset, mention.offset))

    @on(FiguresPanel.Chosen)
    def _figure_chosen(self, event: FiguresPanel.Chosen) -> None:
        self.entity_cursor = event.span
        self.go_to(event.span.start, event.span.end)

    # -- find -----------------------------------------------------------------------------

    def action_find(self) -> None:
        if self.article is None:
            return
        self.query_one(FindBar).open(self.article.text, self._position())

    def action_find_step(self, delta: int) -> None:
        bar = self.query_one(FindBar)
        if bar.is_open and bar.spans:
            bar.action_step(delta)
        else:
            self.action_find()

    @on(FindBar.Matches)
    def _find_matches(self, event: FindBar.Matches) -> None:
        view = self.article_view
        view.set_marks(MARK_FIND, event.spans, FIND_STYLE)
        if 0 <= event.current < len(event.spans):
            start, end = event.spans[event.current]
            view.set_marks(MARK_FIND_CURRENT, [(start, end)], FIND_CURRENT_STYLE)
            view.scroll_to_offset(start, center=True)
            if self.article is not None and self.article.blocks:
                view.current_block = self.article.block_at(start)
        else:
            view.set_marks(MARK_FIND_CURRENT, [], FIND_CURRENT_STYLE)

    @on(FindBar.Closed)
    def _find_closed(self, _: FindBar.Closed) -> None:
        view = self.article_view
        view.set_marks(MARK_FIND, [], FIND_STYLE)
        view.set_marks(MARK_FIND_CURRENT, [], FIND_CURRENT_STYLE)
        view.focus()

    # -- export ---------------------------------------------------------------------------

    @work(group="export")
    async def action_export_article(self) -> None:
        await export_notes(self.app, self.ws, [self.meta.id], "this article")
