"""The figures panel: every figure and date with the words around it, in reading order.

A reader checking numbers wants them side by side with what they count ("over 1,500
people ... transported to the northeastern edge of Aleppo province"); choosing a row posts
:class:`FiguresPanel.Chosen` and the screen scrolls the article there.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.style import Style
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.entities.figures import figure_contexts
from reader.models import EntitySpan
from reader.safety import visible_line
from reader.ui.labels import swatches

#: Characters of context on each side of a figure.
CONTEXT_WIDTH = 45
#: Rows shown at once: a long article has thousands of figures, and a list that long
#: takes seconds to build. The window starts a little before the reading place.
MAX_ROWS = 200
#: Rows of the window before the reading place.
ROWS_BEFORE = 10
#: Shown while the article's figures are still being found.
PENDING = "Finding figures and dates…"


@dataclass(frozen=True, slots=True)
class FigureRow:
    """One figure: its span and a one-line context with the figure's place in it."""

    span: EntitySpan
    #: The figure as written, on one line.
    figure: str
    context: str
    #: Where the figure sits inside ``context``.
    at: int


def figure_rows(
    text: str, spans: Sequence[EntitySpan], width: int = CONTEXT_WIDTH
) -> list[FigureRow]:
    """Rows for every figure and date: the engine's words before and after, joined."""
    rows: list[FigureRow] = []
    for span, before, after in figure_contexts(text, list(spans), width):
        figure = " ".join(text[span.start : span.end].split())
        lead = f"…{before} " if before else ""
        tail = f" {after}…" if after else ""
        rows.append(FigureRow(span, figure, f"{lead}{figure}{tail}", len(lead)))
    return rows


def row_prompt(row: FigureRow, style: Style | str = "") -> Content:
    """The figure on its own line, then its context with the figure underlined."""
    context = Content(visible_line(row.context)).stylize("dim")
    context = context.stylize("not dim bold underline", row.at, row.at + len(row.figure))
    return Content.assemble((visible_line(row.figure), style), "\n", context)


class FiguresPanel(Vertical):
    """Side panel of figures and dates."""

    DEFAULT_CSS = """
    FiguresPanel {
        width: 48;
        height: 1fr;
    }
    FiguresPanel > OptionList {
        height: 1fr;
    }
    """

    class Chosen(Message):
        """A figure was chosen: scroll the article to it."""

        def __init__(self, panel: FiguresPanel, span: EntitySpan) -> None:
            super().__init__()
            self.panel = panel
            self.span = span

        @property
        def control(self) -> FiguresPanel:
            return self.panel

    def __init__(self, *, id: str | None = "figures-panel", classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        #: Every figure of the article, and the window of them shown.
        self.all_rows: list[FigureRow] = []
        self.rows: list[FigureRow] = []
        #: Index in ``all_rows`` of the first row shown.
        self.first = 0
        #: Whether the article's figures are still being found.
        self.pending = False

    def compose(self) -> ComposeResult:
        yield OptionList(id="figures-list")

    def on_mount(self) -> None:
        self.border_title = "Figures and dates"
        self.watch(self.app, "theme", self._fill, init=False)

    def set_entities(self, text: str, spans: Sequence[EntitySpan], around: int = 0) -> None:
        """List the figures of ``text``; a long list starts near offset ``around``."""
        self.pending = False
        self.all_rows = figure_rows(text, spans)
        starts = [r.span.start for r in self.all_rows]
        first = max(0, bisect.bisect_left(starts, around) - ROWS_BEFORE)
        first = min(first, max(0, len(self.all_rows) - MAX_ROWS))
        self.first = first
        self.rows = self.all_rows[first : first + MAX_ROWS]
        self._fill()

    def show_pending(self) -> None:
        """Say the figures are still being found (the whole article's pass is running)."""
        self.pending = True
        self.all_rows, self.rows, self.first = [], [], 0
        self._fill()

    def _fill(self) -> None:
        listing = self.query_one(OptionList)
        listing.clear_options()
        styles = swatches(self)
        options: list[Option | None] = []
        for i, row in enumerate(self.rows):
            options.append(
                Option(row_prompt(row, styles.get(row.span.label, "")), id=f"figure-{i}")
            )
        if not options:
            empty = PENDING if self.pending else "No figures or dates found."
            options.append(Option(Content(empty), disabled=True))
        elif len(self.rows) < len(self.all_rows):
            last = self.first + len(self.rows)
            note = f"{self.first + 1:,}–{last:,} of {len(self.all_rows):,}, from the reading place"
            options.insert(0, Option(Content(note).stylize("italic dim"), disabled=True))
        listing.add_options(options)

    @on(OptionList.OptionSelected, "#figures-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith("figure-"):
            self.post_message(self.Chosen(self, self.rows[int(option_id[7:])].span))
