"""The figures panel: every figure and date with the words around it, in reading order.

A reader checking numbers wants them side by side with what they count ("over 1,500
people ... transported to the northeastern edge of Aleppo province"); choosing a row posts
:class:`FiguresPanel.Chosen` and the screen scrolls the article there.
"""

from __future__ import annotations

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

from reader.models import EntitySpan
from reader.safety import visible_line
from reader.ui.labels import swatches

#: Labels the panel lists.
FIGURE_LABELS = ("NUMBER", "DATE")
#: Characters of context the panel asks for on each row.
CONTEXT_WIDTH = 90


@dataclass(frozen=True, slots=True)
class FigureRow:
    """One figure: its span and a one-line context with the figure's place in it."""

    span: EntitySpan
    context: str
    #: Where the figure sits inside ``context`` (-1 when it is not in it).
    at: int


def _sentence_context(text: str, span: EntitySpan, width: int) -> tuple[str, int]:
    """The figure's sentence, cut at word boundaries to about ``width`` characters."""
    stops = ".!?\n"
    lo = max(text.rfind(c, 0, span.start) for c in stops) + 1
    ends = [i for c in stops if (i := text.find(c, span.end)) >= 0]
    hi = min(ends) + 1 if ends else len(text)
    room = max(0, width - (span.end - span.start))
    if span.start - lo > room // 3:
        space = text.find(" ", span.start - room // 3, span.start)
        lo = space + 1 if space >= 0 else span.start
    if hi - lo > width:
        space = text.rfind(" ", span.end, lo + width)
        hi = space if space >= 0 else max(span.end, lo + width)
    while lo < span.start and text[lo].isspace():
        lo += 1
    lead = "" if lo == 0 or text[lo - 1] in stops else "…"
    tail = "" if hi >= len(text) or text[hi - 1] in stops else "…"
    return lead + text[lo:hi].rstrip() + tail, len(lead) + span.start - lo


def figure_rows(
    text: str, spans: Sequence[EntitySpan], width: int = CONTEXT_WIDTH
) -> list[FigureRow]:
    """Rows for every figure and date, using the entity engine's contexts when it has them."""
    figures = sorted((s for s in spans if s.label in FIGURE_LABELS), key=lambda s: s.start)
    engine = _engine_contexts(text, figures, width)
    rows: list[FigureRow] = []
    for i, span in enumerate(figures):
        if engine is not None and i < len(engine) and engine[i]:
            context = " ".join(engine[i].split())
            figure = text[span.start : span.end]
            rows.append(FigureRow(span, context, context.find(figure)))
        else:
            context, at = _sentence_context(text, span, width)
            rows.append(FigureRow(span, " ".join(context.split()), at))
    return rows


def _engine_contexts(text: str, spans: list[EntitySpan], width: int) -> list[str] | None:
    """``reader.entities.figures.figure_contexts`` as one string per span, when present."""
    try:
        from reader.entities.figures import figure_contexts
    except ImportError:
        return None
    try:
        raw = figure_contexts(text, spans, width)
    except Exception:
        return None
    out: list[str] = []
    for item in raw:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, tuple) and item and isinstance(item[-1], str):
            out.append(item[-1])
        else:
            out.append(str(getattr(item, "text", getattr(item, "context", "")) or ""))
    return out if len(out) == len(spans) else None


def row_prompt(row: FigureRow, figure: str, style: Style | str = "") -> Content:
    """The figure on its own line, then its context with the figure underlined."""
    context = Content(visible_line(row.context)).stylize("dim")
    if row.at >= 0:
        context = context.stylize("not dim bold underline", row.at, row.at + len(figure))
    return Content.assemble((visible_line(figure), style), "\n", context)


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
        self.rows: list[FigureRow] = []
        self._text = ""

    def compose(self) -> ComposeResult:
        yield OptionList(id="figures-list")

    def on_mount(self) -> None:
        self.border_title = "Figures and dates"
        self.watch(self.app, "theme", self._fill, init=False)

    def set_entities(self, text: str, spans: Sequence[EntitySpan]) -> None:
        self._text = text
        self.rows = figure_rows(text, spans)
        self._fill()

    def _fill(self) -> None:
        listing = self.query_one(OptionList)
        listing.clear_options()
        styles = swatches(self)
        options: list[Option | None] = []
        for i, row in enumerate(self.rows):
            figure = self._text[row.span.start : row.span.end]
            options.append(
                Option(row_prompt(row, figure, styles.get(row.span.label, "")), id=f"figure-{i}")
            )
        if not options:
            options.append(Option(Content("No figures or dates found."), disabled=True))
        listing.add_options(options)

    @on(OptionList.OptionSelected, "#figures-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith("figure-"):
            self.post_message(self.Chosen(self, self.rows[int(option_id[7:])].span))
