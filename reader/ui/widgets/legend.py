"""The entity legend: one chip per label with its key, colour and count; click to toggle.

The legend owns which labels are switched on, so the number keys and the mouse change
the same state; the screen passes each change on to the article view.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual import events
from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from reader.models import LABELS
from reader.ui.labels import PALETTE, swatches


class LegendChip(Widget):
    """One label: "1 people 12". Dimmed and struck through when switched off.

    The count is None until the whole article's entity pass is done ("…"): the first
    screen is highlighted before then, and 0 would be a wrong count, not an unknown one.
    """

    DEFAULT_CSS = """
    LegendChip {
        width: auto;
        height: 1;
        margin: 0 1 0 0;
    }
    """

    count: reactive[int | None] = reactive(None, layout=True)
    on: reactive[bool] = reactive(True, layout=True)

    def __init__(self, label: str) -> None:
        super().__init__(id=f"legend-{label.lower()}", classes="legend-chip")
        self.label = label
        self.tooltip = f"{PALETTE[label].name}: press {PALETTE[label].key} or click to toggle"

    def render(self) -> Content:
        info = PALETTE[self.label]
        count = "…" if self.count is None else str(self.count)
        if not self.on:
            return Content.assemble((f"{info.key} {info.name} {count}", "dim strike"))
        return Content.assemble(
            (info.key, "bold"), " ", (info.name, swatches(self)[self.label]), f" {count}"
        )

    def on_click(self, event: events.Click) -> None:
        event.stop()
        legend = self.query_ancestor(Legend)
        legend.toggle(self.label)


class Legend(HorizontalGroup):
    """The row of label chips above the article."""

    DEFAULT_CSS = """
    Legend {
        height: 1;
        width: 1fr;
    }
    """

    class Changed(Message):
        """The set of switched-on labels changed."""

        def __init__(self, legend: Legend, enabled: frozenset[str]) -> None:
            super().__init__()
            self.legend = legend
            self.enabled = enabled

        @property
        def control(self) -> Legend:
            return self.legend

    enabled: reactive[frozenset[str]] = reactive(frozenset(LABELS), init=False)

    def compose(self) -> ComposeResult:
        for label in LABELS:
            yield LegendChip(label)

    def on_mount(self) -> None:
        self.watch(self.app, "theme", self._repaint, init=False)

    def _repaint(self) -> None:
        for chip in self.query(LegendChip):
            chip.refresh()

    def set_counts(self, counts: Mapping[str, int] | None) -> None:
        """Show how many mentions each label has in the open article (None: not known yet)."""
        for chip in self.query(LegendChip):
            chip.count = None if counts is None else counts.get(chip.label, 0)

    def toggle(self, label: str) -> None:
        """Switch one label on or off."""
        if label not in LABELS:
            return
        self.enabled = self.enabled ^ {label}

    def watch_enabled(self, enabled: frozenset[str]) -> None:
        for chip in self.query(LegendChip):
            chip.on = chip.label in enabled
        self.post_message(self.Changed(self, enabled))
