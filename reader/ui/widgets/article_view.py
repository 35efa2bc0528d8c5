"""The article text: a Line API widget that lays out and styles only what is on screen.

A 100,000-word article would take seconds as one ``Static`` and minutes as ``Markdown``;
here the layout is offsets only (see :mod:`article_layout`), made block by block as the
reader scrolls, and each visible line is styled from spans (entities, notes, marks, the
current paragraph, the selection) when it is drawn. Text never passes through markup.

Other widgets talk to it through a small API: :meth:`ArticleView.set_article`,
:attr:`enabled_labels`, :attr:`label_styles`, :meth:`set_marks`, :meth:`scroll_to_offset`,
:attr:`current_block` with :class:`ArticleView.CurrentBlockChanged`, :meth:`offset_at`,
:attr:`selection` and :func:`next_span` / :func:`previous_span`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from reader.models import LABELS, Article, Block, EntitySpan, PlacedNote
from reader.ui.component_style import component_style
from reader.ui.widgets.article_layout import ArticleLayout, Line, block_indent

#: Widest text column, in cells: a comfortable measure on a wide terminal.
MEASURE = 76
#: Columns left of the text: note marker, space, current-paragraph bar, space.
GUTTER = 4
#: Lines laid out beyond the visible region before the rest is done in the background.
LOOKAHEAD = 200
#: Blocks laid out per background step.
BACKGROUND_BLOCKS = 400

#: Okabe–Ito colours, told apart by people with the common colour-vision deficiencies.
OKABE_ITO: dict[str, str] = {
    "PERSON": "#E69F00",
    "ORG": "#56B4E9",
    "PLACE": "#009E73",
    "GROUP": "#CC79A7",
    "DATE": "#0072B2",
    "NUMBER": "#D55E00",
}
#: Names are underlined as well as tinted, so they stand out without colour.
UNDERLINED = frozenset({"PERSON", "ORG", "PLACE", "GROUP"})

_SENTENCE = re.compile(r"[^.!?…]*(?:[.!?…]+[\"'”’)\]]*|$)\s*")


def default_label_styles(background: Color, dark: bool) -> dict[str, Style]:
    """A background tint per label, blended into ``background`` so text stays legible."""
    amount = 0.38 if dark else 0.30
    styles: dict[str, Style] = {}
    for label in LABELS:
        colour = Color.parse(OKABE_ITO.get(label, "#999999"))
        tint = background.blend(colour, amount)
        styles[label] = Style(bgcolor=tint.rich_color, underline=label in UNDERLINED)
    return styles


def next_span(after: int, spans: Sequence[tuple[int, int]] | Sequence[EntitySpan]) -> int | None:
    """Index of the first span starting after offset ``after`` (spans sorted by start)."""
    starts = [_start(s) for s in spans]
    index = bisect_right(starts, after)
    return index if index < len(starts) else None


def previous_span(
    before: int, spans: Sequence[tuple[int, int]] | Sequence[EntitySpan]
) -> int | None:
    """Index of the last span starting before offset ``before`` (spans sorted by start)."""
    starts = [_start(s) for s in spans]
    index = bisect_left(starts, before) - 1
    return index if index >= 0 else None


def _start(span: tuple[int, int] | EntitySpan) -> int:
    return span.start if isinstance(span, EntitySpan) else span[0]


@dataclass
class _Layer:
    """Spans sorted by start, with what is needed to find those crossing a line fast."""

    starts: list[int]
    spans: list[tuple[int, int, Style]]
    longest: int

    @classmethod
    def build(cls, spans: Iterable[tuple[int, int, Style]]) -> _Layer:
        ordered = sorted((s for s in spans if s[1] > s[0]), key=lambda s: s[0])
        longest = max((e - s for s, e, _ in ordered), default=0)
        return cls([s for s, _, _ in ordered], ordered, longest)

    def crossing(self, start: int, end: int) -> Iterable[tuple[int, int, Style]]:
        index = bisect_left(self.starts, start - self.longest)
        spans = self.spans
        while index < len(spans) and spans[index][0] < end:
            span = spans[index]
            if span[1] > start:
                yield span
            index += 1


class ArticleView(ScrollView, can_focus=True):
    """An article's text, wrapped to a comfortable measure, with highlights and notes."""

    ALLOW_SELECT = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "next_block", "Next ¶", id="article.next_paragraph"),
        Binding("k,up", "previous_block", "Prev ¶", id="article.previous_paragraph"),
        Binding("space,pagedown", "page_down", "Page", show=False, id="article.page_down"),
        Binding("b,pageup", "page_up", "Page up", show=False, id="article.page_up"),
        Binding("g,home", "top", "Top", show=False, id="article.top"),
        Binding("G,end", "bottom", "End", show=False, id="article.bottom"),
        Binding("v", "select", "Select", id="article.select"),
        Binding("l,right", "extend_selection", "Extend", id="article.extend_selection"),
        Binding("h,left", "shrink_selection", "Shrink", id="article.shrink_selection"),
        Binding("escape", "cancel_selection", "Unselect", id="article.cancel_selection"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-view--heading",
        "article-view--quote",
        "article-view--code",
        "article-view--list",
        "article-view--note",
        "article-view--note-marker",
        "article-view--current-bar",
        "article-view--selection",
        "article-view--gap",
    }

    DEFAULT_CSS = """
    ArticleView {
        overflow-x: hidden;
        overflow-y: auto;
    }
    """

    class CurrentBlockChanged(Message):
        """The current paragraph moved; notes attach to it."""

        def __init__(self, view: ArticleView, block: int) -> None:
            super().__init__()
            self.view = view
            self.block = block

        @property
        def control(self) -> ArticleView:
            return self.view

    class ReachedEnd(Message):
        """The end of the article came into view (sent once per article)."""

        def __init__(self, view: ArticleView) -> None:
            super().__init__()
            self.view = view

        @property
        def control(self) -> ArticleView:
            return self.view

    #: Index of the current paragraph in ``article.blocks``.
    current_block: reactive[int] = reactive(0, always_update=False, init=False)
    #: Labels shown highlighted; the legend toggles them.
    enabled_labels: reactive[frozenset[str]] = reactive(frozenset(LABELS), init=False)

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.article: Article | None = None
        self.entities: list[EntitySpan] = []
        self.notes: list[PlacedNote] = []
        self._layout: ArticleLayout | None = None
        self._label_styles: dict[str, Style] | None = None
        self._marks: dict[str, _Layer] = {}
        self._entity_layer = _Layer([], [], 0)
        self._note_layer = _Layer([], [], 0)
        self._note_blocks: set[int] = set()
        self._cache: dict[int, Strip] = {}
        self._key_selection: tuple[int, int] | None = None
        self._reached_end = False
        self._background_pending = False
        #: A saved reading position still to be scrolled to.
        self._restore: int | None = None

    # -- public API -----------------------------------------------------------------------

    def set_article(
        self,
        article: Article,
        entities: Sequence[EntitySpan] = (),
        notes: Sequence[PlacedNote] = (),
        position: int = 0,
    ) -> None:
        """Show ``article``; ``position`` is an offset to open at (a saved reading place)."""
        if not article.blocks and article.text:
            article = replace(article, blocks=(Block(0, len(article.text)),))
        self.article = article
        self._layout = None
        self._key_selection = None
        self._reached_end = False
        self.entities = list(entities)
        self._build_entity_layer()
        self.set_notes(notes)
        block = article.block_at(position) if article.blocks else 0
        self.set_reactive(ArticleView.current_block, block)
        self._relayout()
        if position > 0:
            # Kept until it takes: the view may not have its size (or the layout its lines)
            # yet when an article opens.
            self._restore = article.blocks[block].start
            self._apply_restore()
            self.call_after_refresh(self._apply_restore)
        else:
            self._restore = None
            self._scroll_to_line(0)
        self.post_message(self.CurrentBlockChanged(self, block))

    def _apply_restore(self) -> None:
        if self._restore is None or self._layout is None or not self.size.height:
            return
        layout = self._layout
        target = max(0, layout.line_of(self._restore) - 2)
        self._sync_virtual_size()
        self._scroll_to_line(target)
        reached = int(self.scroll_y) == target
        at_end = layout.done and self.max_scroll_y > 0 and int(self.scroll_y) >= self.max_scroll_y
        if reached or at_end:
            self._restore = None

    def set_entities(self, entities: Sequence[EntitySpan]) -> None:
        """Entities found after the text was shown (finding them can take a moment)."""
        self.entities = list(entities)
        self._build_entity_layer()
        self._invalidate()

    def set_notes(self, notes: Sequence[PlacedNote]) -> None:
        """Passages with notes: tinted in the text and marked in the margin."""
        self.notes = list(notes)
        placed = [n for n in self.notes if not n.orphaned and n.end > n.start]
        style = self._component("article-view--note")
        self._note_layer = _Layer.build((n.start, n.end, style) for n in placed)
        blocks: set[int] = set()
        if self.article is not None and self.article.blocks:
            for n in placed:
                first = self.article.block_at(n.start)
                last = self.article.block_at(max(n.start, n.end - 1))
                blocks.update(range(first, last + 1))
        self._note_blocks = blocks
        self._invalidate()

    def set_marks(self, name: str, spans: Sequence[tuple[int, int]], style: Style | str) -> None:
        """A named highlight layer (find matches, mentions of one entity); [] removes it."""
        if not spans:
            self._marks.pop(name, None)
        else:
            rich_style = Style.parse(style) if isinstance(style, str) else style
            self._marks[name] = _Layer.build((s, e, rich_style) for s, e in spans)
        self._invalidate()

    @property
    def label_styles(self) -> dict[str, Style]:
        """Style of each entity label; defaults follow the theme's background."""
        if self._label_styles is None:
            return self._default_label_styles()
        return self._label_styles

    @label_styles.setter
    def label_styles(self, styles: dict[str, Style]) -> None:
        self._label_styles = dict(styles)
        self._build_entity_layer()
        self._invalidate()

    def screenful(self) -> int:
        """At most how many characters of text one view's height shows."""
        height = self.scrollable_content_region.height or self.app.size.height
        return MEASURE * max(1, height)

    def scroll_to_offset(self, offset: int, center: bool = True) -> None:
        """Bring the line holding ``offset`` into view (centred, or near the top)."""
        layout = self._ensure_layout()
        if layout is None:
            return
        y = layout.line_of(offset)
        self._sync_virtual_size()
        target = y - self.scrollable_content_region.height // 2 if center else y - 2
        self._scroll_to_line(max(0, target))

    def offset_at(self, x: int, y: int) -> int | None:
        """Article offset under widget cell (x, y), or None off the text."""
        layout = self._ensure_layout()
        if layout is None or self.article is None:
            return None
        vy = int(self.scroll_y) + y
        layout.extend_to_line(vy)
        if not 0 <= vy < len(layout.lines):
            return None
        line = layout.lines[vy]
        if line.block < 0:
            return line.start
        return self._char_at(line, x - self._text_x(line))

    @property
    def selection(self) -> tuple[int, int] | None:
        """Selected (start, end) article offsets: the keyboard selection, else the mouse's."""
        if self._key_selection is not None:
            return self._key_selection
        mouse = self.text_selection
        if mouse is None or self.article is None:
            return None
        span = self._selection_offsets(mouse)
        if span is None or span[1] <= span[0]:
            return None
        return span

    def clear_selection(self) -> None:
        self._key_selection = None
        if self.text_selection is not None:
            self.screen.clear_selection()
        self._invalidate()

    @property
    def current_span(self) -> tuple[int, int] | None:
        """(start, end) of the current paragraph."""
        if self.article is None or not self.article.blocks:
            return None
        block = self.article.blocks[self.current_block]
        return block.start, block.end

    # -- actions --------------------------------------------------------------------------

    def action_next_block(self) -> None:
        self._move_block(1)

    def action_previous_block(self) -> None:
        self._move_block(-1)

    def action_page_down(self) -> None:
        self._restore = None
        self.scroll_page_down(animate=False)
        self._current_to_view()

    def action_page_up(self) -> None:
        self._restore = None
        self.scroll_page_up(animate=False)
        self._current_to_view()

    def action_top(self) -> None:
        self._restore = None
        self.scroll_home(animate=False, immediate=True)
        if self.article is not None and self.article.blocks:
            self.current_block = 0

    def action_bottom(self) -> None:
        self._restore = None
        layout = self._ensure_layout()
        if layout is None or self.article is None or not self.article.blocks:
            return
        layout.complete()
        self._sync_virtual_size()
        self.scroll_end(animate=False, immediate=True)
        self.current_block = len(self.article.blocks) - 1

    def action_select(self) -> None:
        """Start (or stop) a keyboard selection at the current paragraph's first sentence."""
        if self._key_selection is not None:
            self.clear_selection()
            return
        span = self.current_span
        if span is None:
            return
        start = span[0]
        self._key_selection = (start, self._sentence_end(start, span[1]))
        self._invalidate()
        self.refresh_bindings()

    def action_extend_selection(self) -> None:
        """Grow the keyboard selection by the next sentence (into the next paragraph too)."""
        if self._key_selection is None or self.article is None:
            return
        start, end = self._key_selection
        following = self._next_sentence_start(end)
        if following is None:
            return
        block = self.article.blocks[self.article.block_at(following)]
        self._key_selection = (start, self._sentence_end(following, block.end))
        if not self._offset_visible(self._key_selection[1]):
            self.scroll_to_offset(self._key_selection[1], center=True)
        self._invalidate()

    def action_shrink_selection(self) -> None:
        if self._key_selection is None or self.article is None:
            return
        start, end = self._key_selection
        ends = self._sentence_ends(start, end)
        if len(ends) > 1:
            self._key_selection = (start, ends[-2])
            self._invalidate()

    def action_cancel_selection(self) -> None:
        self.clear_selection()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("extend_selection", "shrink_selection", "cancel_selection"):
            return self._key_selection is not None
        return True

    # -- reactive watchers ----------------------------------------------------------------

    def watch_current_block(self, old: int, new: int) -> None:
        self._invalidate()
        self.post_message(self.CurrentBlockChanged(self, new))
        self._check_end()

    def watch_enabled_labels(self) -> None:
        self._build_entity_layer()
        self._invalidate()

    # -- events ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self) -> None:
        self._build_entity_layer()
        self.set_notes(self.notes)

    def on_resize(self, event: events.Resize) -> None:
        self._fit_width()
        self._apply_restore()

    def on_mouse_scroll_down(self) -> None:
        self._restore = None

    def on_mouse_scroll_up(self) -> None:
        self._restore = None

    def on_click(self, event: events.Click) -> None:
        if self.article is None or not self.article.blocks:
            return
        offset = self.offset_at(event.x, event.y)
        if offset is not None:
            self.current_block = self.article.block_at(offset)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        layout = self._layout
        if layout is None:
            return
        bottom = int(new) + self.scrollable_content_region.height + LOOKAHEAD
        if len(layout.lines) < bottom and not layout.done:
            layout.extend_to_line(bottom)
            self._sync_virtual_size()
        if self.max_scroll_y > 0 and new >= self.max_scroll_y:
            self._check_end(scrolled=True)

    def _check_end(self, scrolled: bool = False) -> None:
        """Tell once that the reader got to the end: scrolled to the bottom, or moved the
        current paragraph to the last one (a short article never scrolls)."""
        layout = self._layout
        if self._reached_end or layout is None or self.article is None:
            return
        last = len(self.article.blocks) - 1
        if (scrolled and layout.done) or (self.current_block >= last > 0):
            self._reached_end = True
            self.post_message(self.ReachedEnd(self))

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        span = self._selection_offsets(selection)
        if span is None or self.article is None:
            return None
        return self.article.text[span[0] : span[1]], "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self._invalidate()

    # -- layout ---------------------------------------------------------------------------

    def _measure(self) -> int:
        width = self.scrollable_content_region.width or self.size.width
        return max(10, min(MEASURE, width - GUTTER - 2))

    def _left(self) -> int:
        width = self.scrollable_content_region.width or self.size.width
        return max(0, (width - self._measure() - GUTTER) // 2)

    def _text_x(self, line: Line) -> int:
        indent = 0
        if line.block >= 0 and self.article is not None:
            block = self.article.blocks[line.block]
            indent = block_indent(block, self.article.text, line.first)
        return self._left() + GUTTER + indent

    def _fit_width(self) -> None:
        """Lay out again if the text column no longer fits the view's width."""
        if self._layout is not None and self._layout.width != self._measure():
            self._relayout()

    def _ensure_layout(self) -> ArticleLayout | None:
        if self.article is None:
            return None
        if self._layout is None:
            self._layout = ArticleLayout(self.article, self._measure())
        return self._layout

    def _relayout(self) -> None:
        """Lay out again (new article or width), keeping the same text at the top."""
        if self.article is None:
            return
        top_offset: int | None = None
        old = self._layout
        if old is not None and old.lines:
            top = min(int(self.scroll_y), len(old.lines) - 1)
            top_offset = old.lines[top].start
        self._layout = layout = ArticleLayout(self.article, self._measure())
        height = self.scrollable_content_region.height or 40
        if self.article.blocks:
            layout.extend_to_block(self.current_block + 1)
        if top_offset is not None:
            layout.extend_to_line(layout.line_of(top_offset) + height + LOOKAHEAD)
        layout.extend_to_line(int(self.scroll_y) + height + LOOKAHEAD)
        self._sync_virtual_size()
        self._invalidate()
        if top_offset is not None and top_offset > 0:
            self._scroll_to_line(layout.line_of(top_offset))
        self._schedule_background()

    def _schedule_background(self) -> None:
        if not self._background_pending and self._layout is not None and not self._layout.done:
            self._background_pending = True
            self.set_timer(0.01, self._background_step)

    def _background_step(self) -> None:
        self._background_pending = False
        layout = self._layout
        if layout is None or layout.done:
            return
        layout.extend_to_block(len(layout.block_line) + BACKGROUND_BLOCKS)
        self._sync_virtual_size()
        self._apply_restore()
        self._schedule_background()

    def _scroll_to_line(self, y: int) -> None:
        """Scroll now, even before Textual has seen the new height: it only allows scrolling
        once a layout has shown the scroll bar, so a position restored as an article opens
        was dropped whenever that layout came later."""
        self.scroll_to(y=y, animate=False, immediate=True, force=True)

    def _sync_virtual_size(self) -> None:
        if self._layout is None:
            return
        width = self.scrollable_content_region.width or self.size.width
        self.virtual_size = Size(width, self._layout.height() + 1)

    def _invalidate(self) -> None:
        self._cache.clear()
        self.refresh()

    # -- current paragraph ----------------------------------------------------------------

    def _move_block(self, delta: int) -> None:
        self._restore = None
        if self.article is None or not self.article.blocks:
            return
        block = max(0, min(len(self.article.blocks) - 1, self.current_block + delta))
        self.current_block = block
        self._show_block(block)

    def _show_block(self, block: int) -> None:
        """Scroll so the whole of ``block`` is visible, if it fits."""
        layout = self._ensure_layout()
        if layout is None:
            return
        first, last = layout.block_lines(block)
        self._sync_virtual_size()
        top = int(self.scroll_y)
        height = self.scrollable_content_region.height
        if first < top:
            self._scroll_to_line(max(0, first - 1))
        elif last > top + height:
            target = min(first - 1, last - height + 1)
            self._scroll_to_line(max(0, target))

    def _current_to_view(self) -> None:
        """After paging, make the paragraph at the top of the view current."""
        layout = self._layout
        if layout is None or self.article is None or not self.article.blocks:
            return
        top = int(self.scroll_y)
        layout.extend_to_line(top + 1)
        first, _ = layout.block_lines(self.current_block)
        height = self.scrollable_content_region.height
        if first >= top and first < top + height:
            return
        y = min(top, len(layout.lines) - 1)
        while y < len(layout.lines) - 1 and layout.lines[y].block < 0:
            y += 1
        self.current_block = max(0, layout.lines[y].block)

    # -- sentences (keyboard selection) ----------------------------------------------------

    def _next_sentence_start(self, offset: int) -> int | None:
        """Where the sentence after ``offset`` starts: spaces and paragraph gaps skipped."""
        assert self.article is not None
        text, blocks = self.article.text, self.article.blocks
        index = self.article.block_at(offset)
        pos = offset
        while True:
            block = blocks[index]
            while pos < block.end and text[pos].isspace():
                pos += 1
            if pos < block.end:
                return pos
            index += 1
            if index >= len(blocks):
                return None
            pos = blocks[index].start

    def _sentence_ends(self, start: int, end: int) -> list[int]:
        """Ends of the sentences from ``start`` up to ``end``, in order."""
        assert self.article is not None
        ends: list[int] = []
        pos: int | None = start
        while pos is not None and pos < end:
            block = self.article.blocks[self.article.block_at(pos)]
            stop = self._sentence_end(pos, block.end)
            ends.append(min(stop, end))
            pos = self._next_sentence_start(stop)
        return ends

    def _sentence_end(self, start: int, limit: int) -> int:
        """End of the sentence starting at ``start``, trailing spaces dropped."""
        assert self.article is not None
        match = _SENTENCE.match(self.article.text, start, limit)
        end = match.end() if match and match.end() > start else limit
        while end > start and self.article.text[end - 1].isspace():
            end -= 1
        return max(end, min(start + 1, limit))

    def _offset_visible(self, offset: int) -> bool:
        layout = self._layout
        if layout is None:
            return False
        y = layout.line_of(offset)
        top = int(self.scroll_y)
        return top <= y < top + self.scrollable_content_region.height

    # -- mouse selection mapping ----------------------------------------------------------

    def _selection_offsets(self, selection: Selection) -> tuple[int, int] | None:
        layout = self._layout
        if layout is None or self.article is None:
            return None
        start, end = selection
        a = self._point_offset(start.x, start.y) if start is not None else 0
        b = self._point_offset(end.x, end.y) if end is not None else len(self.article.text)
        if a is None or b is None:
            return None
        return (min(a, b), max(a, b))

    def _point_offset(self, x: int, y: int) -> int | None:
        """Article offset of a selection point: (character column, virtual line)."""
        layout = self._layout
        if layout is None:
            return None
        layout.extend_to_line(y)
        if not layout.lines:
            return 0
        line = layout.lines[max(0, min(y, len(layout.lines) - 1))]
        if line.block < 0:
            return line.start
        column = x - self._text_x(line)
        return line.start + max(0, min(column, line.end - line.start))

    def _char_at(self, line: Line, cells: int) -> int:
        assert self.article is not None
        if cells <= 0:
            return line.start
        text = self.article.text
        used = 0
        for i in range(line.start, line.end):
            used += cell_len(text[i])
            if used > cells:
                return i
        return line.end

    # -- styles ---------------------------------------------------------------------------

    def _component(self, name: str) -> Style:
        return component_style(self, name)

    def _default_label_styles(self) -> dict[str, Style]:
        try:
            background = self.background_colors[1]
            dark = self.app.current_theme.dark
        except Exception:
            background, dark = Color(0, 0, 0), True
        return default_label_styles(background, dark)

    def _build_entity_layer(self) -> None:
        styles = self.label_styles
        enabled = self.enabled_labels
        self._entity_layer = _Layer.build(
            (e.start, e.end, styles[e.label])
            for e in self.entities
            if e.label in enabled and e.label in styles
        )

    # -- rendering ------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # The width can change with no Resize event: Textual sends one only if its reflow is
        # the first to see the new size, and any region look-up in between (a widget
        # refreshing its styles, say) rebuilds the screen's map first. Opening a side panel
        # then left the old, wider lines on screen, clipped. Checking here, before any line
        # is drawn, catches every way the width changes.
        self._fit_width()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width or self.size.width
        layout = self._ensure_layout()
        base = self.rich_style
        vy = int(self.scroll_y) + y
        if layout is None:
            return Strip.blank(width, base)
        if vy >= len(layout.lines) and not layout.done:
            layout.extend_to_line(vy + LOOKAHEAD)
            self.call_later(self._sync_virtual_size)
        if vy >= len(layout.lines):
            return Strip.blank(width, base)
        strip = self._cache.get(vy)
        if strip is None:
            strip = self._render_virtual_line(layout.lines[vy], vy, width, base)
            self._cache[vy] = strip
        return strip

    def _render_virtual_line(self, line: Line, vy: int, width: int, base: Style) -> Strip:
        assert self.article is not None
        left = self._left()
        segments: list[Segment] = [Segment(" " * left, base)]
        in_current = line.block == self.current_block and line.block >= 0
        has_note = line.block in self._note_blocks and self._line_has_note(line)
        marker_style = base + self._component("article-view--note-marker")
        bar_style = base + self._component("article-view--current-bar")
        segments.append(Segment("●" if has_note else " ", marker_style if has_note else base))
        segments.append(Segment(" ", base))
        segments.append(Segment("▌" if in_current else " ", bar_style if in_current else base))
        segments.append(Segment(" ", base))
        if line.block >= 0:
            block = self.article.blocks[line.block]
            block_style = base + self._block_style(block)
            prefix = self._prefix(block, line)
            if prefix:
                segments.append(Segment(prefix, block_style))
            segments.extend(self._text_segments(line, block_style))
        strip = Strip(segments).crop_extend(0, width, base)
        return strip.apply_offsets(0, vy)

    def _line_has_note(self, line: Line) -> bool:
        return any(
            True for _ in self._note_layer.crossing(line.start, max(line.end, line.start + 1))
        )

    def _block_style(self, block: Block) -> Style:
        if block.kind == "heading":
            return self._component("article-view--heading")
        if block.kind == "quote":
            return self._component("article-view--quote")
        if block.kind == "code":
            return self._component("article-view--code")
        if block.kind == "list_item":
            return self._component("article-view--list")
        return Style()

    def _prefix(self, block: Block, line: Line) -> str:
        if block.kind == "quote":
            return "│ "
        assert self.article is not None
        return " " * block_indent(block, self.article.text, line.first)

    def _text_segments(self, line: Line, block_style: Style) -> list[Segment]:
        assert self.article is not None
        text = self.article.text
        start, end = line.start, line.end
        if end <= start:
            return []
        layers: list[tuple[int, int, Style]] = []
        layers.extend(self._entity_layer.crossing(start, end))
        layers.extend(self._note_layer.crossing(start, end))
        for layer in self._marks.values():
            layers.extend(layer.crossing(start, end))
        selected = self.selection
        if selected is not None and selected[0] < end and selected[1] > start:
            layers.append((selected[0], selected[1], self._selection_style()))
        if not layers:
            return [Segment(text[start:end], block_style)]
        cuts = {start, end}
        for s, e, _ in layers:
            if start < s < end:
                cuts.add(s)
            if start < e < end:
                cuts.add(e)
        points = sorted(cuts)
        segments: list[Segment] = []
        for a, b in pairwise(points):
            style = block_style
            for s, e, layer_style in layers:
                if s <= a and e >= b:
                    style = style + layer_style
            segments.append(Segment(text[a:b], style))
        return segments

    def _selection_style(self) -> Style:
        style = self._component("article-view--selection")
        if not style:
            try:
                return self.screen.get_component_rich_style("screen--selection")
            except Exception:
                return Style(reverse=True)
        return style
