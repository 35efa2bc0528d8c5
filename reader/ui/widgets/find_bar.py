"""Find in the current article: a one-line bar with a match count ("3/7").

Matching is typo tolerant (``reader.search.find_in_text``): "Barazi" also finds
"Barrazi". It runs in a worker so a long article never holds up typing; a result for an
older query is dropped. The bar only reports (:class:`FindBar.Matches`,
:class:`FindBar.Closed`); the screen marks and scrolls the article.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import HorizontalGroup
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

from reader.search.find import find_in_text

Finder = Callable[[str, str], list[tuple[int, int]]]


class FindBar(HorizontalGroup):
    """Docked under the article; hidden until ``/`` or ``ctrl+f``."""

    DEFAULT_CSS = """
    FindBar {
        dock: bottom;
        height: 1;
        display: none;
    }
    FindBar.-open {
        display: block;
    }
    FindBar > Input {
        width: 1fr;
        height: 1;
        border: none;
        padding: 0 1;
    }
    FindBar > #find-count {
        width: auto;
        min-width: 12;
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close find", id="find.close"),
        Binding("shift+enter", "step(-1)", "Previous match", id="find.previous"),
        Binding("down", "step(1)", "Next match", show=False, id="find.next_down"),
        Binding("up", "step(-1)", "Previous match", show=False, id="find.previous_up"),
    ]

    class Matches(Message):
        """Matches of the current query; ``current`` indexes ``spans`` (-1: none)."""

        def __init__(
            self, bar: FindBar, query: str, spans: list[tuple[int, int]], current: int
        ) -> None:
            super().__init__()
            self.bar = bar
            self.query = query
            self.spans = spans
            self.current = current

        @property
        def control(self) -> FindBar:
            return self.bar

    class Closed(Message):
        """The bar closed: clear the marks."""

        def __init__(self, bar: FindBar) -> None:
            super().__init__()
            self.bar = bar

        @property
        def control(self) -> FindBar:
            return self.bar

    def __init__(self, finder: Finder | None = None, *, id: str | None = "find-bar") -> None:
        super().__init__(id=id)
        self.finder: Finder = finder or find_in_text
        self.text = ""
        self.origin = 0
        self.spans: list[tuple[int, int]] = []
        self.current = -1
        self._seq = 0

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Find in article (typos allowed)", id="find-input")
        yield Static(Content(""), id="find-count")

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self, text: str, origin: int = 0) -> None:
        """Show the bar over ``text``; matches count from ``origin`` (the reading place)."""
        self.text = text
        self.origin = origin
        self.add_class("-open")
        field = self.query_one(Input)
        field.focus()
        field.select_all()
        if field.value:
            self._search(field.value)

    def action_close(self) -> None:
        self.remove_class("-open")
        self.query_one(Input).value = ""
        self._seq += 1
        self.spans, self.current = [], -1
        self._show_count("")
        self.post_message(self.Closed(self))

    def action_step(self, delta: int) -> None:
        """Move to the next (1) or previous (-1) match, wrapping around."""
        if not self.spans:
            return
        self.current = (self.current + delta) % len(self.spans)
        self._report()

    @on(Input.Changed, "#find-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self._search(event.value)

    @on(Input.Submitted, "#find-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_step(1)

    def _search(self, query: str) -> None:
        self._seq += 1
        if not query.strip():
            self.spans, self.current = [], -1
            self._show_count("")
            self.post_message(self.Matches(self, query, [], -1))
            return
        self._show_count("…")
        self._run(self._seq, self.text, query)

    @work(thread=True, exclusive=True, group="find")
    def _run(self, seq: int, text: str, query: str) -> None:
        spans = sorted(self.finder(text, query))
        self.app.call_from_thread(self._arrived, seq, query, spans)

    def _arrived(self, seq: int, query: str, spans: list[tuple[int, int]]) -> None:
        if seq != self._seq:
            return  # typed on since: a newer search is on its way
        self.spans = spans
        if spans:
            starts = [s for s, _ in spans]
            self.current = bisect.bisect_left(starts, self.origin) % len(spans)
        else:
            self.current = -1
        self._report(query)

    def _report(self, query: str | None = None) -> None:
        if self.spans:
            self._show_count(f"{self.current + 1}/{len(self.spans)}")
        else:
            self._show_count("no match")
        text = self.query_one(Input).value if query is None else query
        self.post_message(self.Matches(self, text, self.spans, self.current))

    def _show_count(self, text: str) -> None:
        self.query_one("#find-count", Static).update(Content(text))
