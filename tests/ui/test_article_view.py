"""ArticleView on its own: layout, a 100,000-word article without a pause, spans and marks."""

from __future__ import annotations

import time
from pathlib import Path

from rich.style import Style
from textual import events
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from reader.models import Anchor, Article, ArticleMeta, Block, EntitySpan, Note, PlacedNote
from reader.ui.widgets.article_layout import ArticleLayout, wrap
from reader.ui.widgets.article_view import (
    GUTTER,
    MEASURE,
    ArticleView,
    next_span,
    previous_span,
)
from tests.ui.conftest import screenshot_rows

WORDS = ("harbour", "Valletta", "walked", "the", "old", "stone", "quay", "in", "1998", "and")


def big_article(words: int = 100_000) -> Article:
    paragraphs: list[str] = []
    count = 0
    i = 0
    while count < words:
        n = 60 + (i * 37) % 90
        paragraphs.append(" ".join(WORDS[(i + k) % len(WORDS)] for k in range(n)) + ".")
        count += n
        i += 1
    text = "\n".join(paragraphs)
    blocks, pos = [], 0
    for p in paragraphs:
        blocks.append(Block(pos, pos + len(p)))
        pos += len(p) + 1
    meta = ArticleMeta(id="big", path=Path("big.txt"), title="Big", words=count)
    return Article(meta, text, tuple(blocks))


class Harness(App[None]):
    def compose(self) -> ComposeResult:
        yield ArticleView()


def test_wrap_keeps_offsets_and_width() -> None:
    text = "one two three four five six seven eight nine ten"
    lines = wrap(text, 0, len(text), 14)
    assert all(len(text[s:e]) <= 14 for s, e in lines)
    assert " ".join(text[s:e] for s, e in lines) == text
    assert wrap("abcdefghij", 0, 10, 4, hard=True) == [(0, 4), (4, 8), (8, 10)]
    wide = "漢字漢字漢字"
    assert wrap(wide, 0, len(wide), 4) == [(0, 2), (2, 4), (4, 6)]


def test_layout_is_lazy_then_complete() -> None:
    article = big_article(20_000)
    layout = ArticleLayout(article, 70)
    layout.extend_to_line(50)
    assert not layout.done and len(layout.lines) < 200
    estimate = layout.height()
    layout.complete()
    assert layout.done and abs(layout.height() - estimate) / layout.height() < 0.5
    last = article.blocks[-1]
    assert layout.lines[layout.line_of(last.start)].block == len(article.blocks) - 1


def test_span_helpers() -> None:
    spans = [(0, 3), (10, 12), (20, 25)]
    assert next_span(3, spans) == 1 and next_span(25, spans) is None
    assert previous_span(10, spans) == 0 and previous_span(0, spans) is None


async def test_hundred_thousand_words_open_without_a_pause() -> None:
    article = big_article()
    app = Harness()
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.query_one(ArticleView)
        started = time.process_time()
        view.set_article(article, [], [])
        await pilot.pause()
        first_paint = time.process_time() - started
        assert first_paint < 0.6, first_paint
        started = time.process_time()
        await pilot.press("G")
        await pilot.pause()
        to_end = time.process_time() - started
        assert to_end < 1.0, to_end
        assert view.current_block == len(article.blocks) - 1
        started = time.process_time()
        for _ in range(20):
            await pilot.press("k")
        assert (time.process_time() - started) / 20 < 0.1


async def test_entities_notes_and_marks_are_styled() -> None:
    text = "Maria met Joseph in Valletta.\nA second paragraph."
    meta = ArticleMeta(id="a", path=Path("a.txt"), title="A")
    article = Article(meta, text, (Block(0, 29), Block(30, len(text))))
    spans = [EntitySpan(0, 5, "PERSON"), EntitySpan(20, 28, "PLACE")]
    note = Note("n1", "a", "note", Anchor("Joseph", start=10, end=16))
    app = Harness()
    async with app.run_test(size=(80, 10)) as pilot:
        view = app.query_one(ArticleView)
        view.set_article(article, spans, [PlacedNote(note, 10, 16)])
        view.set_marks("find", [(30, 31)], Style(bold=True))
        await pilot.pause()
        styles = {seg.text: seg.style for seg in view.render_line(0)}
        assert styles["Maria"] is not None and styles["Maria"].underline
        assert styles["Joseph"] is not None and styles["Joseph"].bgcolor is not None
        assert "●" in styles  # the margin marks a line with a note
        second = {seg.text: seg.style for seg in view.render_line(2)}
        assert second["A"] is not None and second["A"].bold
        view.enabled_labels = frozenset({"PLACE"})
        await pilot.pause()
        styles = {seg.text: seg.style for seg in view.render_line(0)}
        assert "Maria met " in styles  # PERSON no longer split out


class UnannouncedResize(ArticleView):
    """An article view that never hears of a resize: Textual sends none when the screen's
    widget map was rebuilt (by any region look-up) between a layout change and the reflow."""

    def on_resize(self, event: events.Resize) -> None:
        event.prevent_default()


class SidePanelHarness(App[None]):
    def compose(self) -> ComposeResult:
        with Horizontal():
            yield UnannouncedResize()
            yield Static("side", id="side")

    def on_mount(self) -> None:
        side = self.query_one("#side")
        side.styles.width = 44
        side.display = False


async def test_width_change_without_a_resize_event_relays_the_text() -> None:
    article = big_article(2_000)
    app = SidePanelHarness()
    async with app.run_test(size=(120, 30)) as pilot:
        view = app.query_one(ArticleView)
        view.set_article(article, [], [])
        await pilot.pause()
        app.query_one("#side").display = True
        await pilot.pause()
        await pilot.pause()
        width = view.scrollable_content_region.width
        assert width < 80
        measure = min(MEASURE, width - GUTTER - 2)
        left = (width - measure - GUTTER) // 2
        first = article.blocks[0]
        lines = wrap(article.text, first.start, first.end, measure)
        for y, (start, end) in enumerate(lines[:5]):
            row = view.render_line(y).text
            assert len(row) == width
            assert row[left + GUTTER :].rstrip() == article.text[start:end]
        rows = screenshot_rows(app.export_screenshot())
        region = view.content_region
        for y in range(5):
            shown = rows[region.y + y][region.x : region.x + width].rstrip()
            assert shown == view.render_line(y).text.rstrip()
