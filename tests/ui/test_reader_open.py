"""Opening a long article: the first screen comes highlighted, the whole article's entities
follow, and the keys, legend, panels and notes behave while they are being found."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import OptionList
from textual.widgets._footer import FooterKey

from reader.anchoring import make_anchor
from reader.entities import find_entities
from reader.models import Article, ArticleMeta, Block, EntitySpan
from reader.ui import entity_preview
from reader.ui.entity_groups import label_counts
from reader.ui.screens.reader import ReaderScreen
from reader.ui.search_service import service_for
from reader.ui.widgets import entity_panel, figures_panel
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.entity_panel import EntityPanel
from reader.ui.widgets.figures_panel import FiguresPanel
from reader.ui.widgets.legend import LegendChip
from reader.ui.widgets.steady_footer import SteadyFooter
from reader.workspace import Workspace
from tests.ui.helpers import app_on, settle, workspace_with

SIZE = (120, 36)
SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_28f3cce3a5980af7.txt"


class GatedFinder:
    """The built-in finder, holding the whole article's pass (and, when told, the first
    screen's) until released, so a test can look at the screen in between."""

    def __init__(self, whole_length: int) -> None:
        self.whole_length = whole_length
        self.whole = threading.Event()
        self.stretch = threading.Event()
        self.stretch.set()
        self.lengths: list[int] = []

    def __call__(self, text: str) -> list[EntitySpan]:
        self.lengths.append(len(text))
        gate = self.whole if len(text) == self.whole_length else self.stretch
        gate.wait(20)
        return find_entities(text)

    def release(self) -> None:
        self.stretch.set()
        self.whole.set()


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    """One long article: the seed's paragraphs twenty times over."""
    body = SEED.read_text(encoding="utf-8").split("\n", 1)[1].strip()
    text = "A long article\n\n" + "\n\n".join([body] * 20) + "\n"
    workspace = workspace_with(tmp_path, {"long.txt": text}, include_seeds=False)
    yield workspace
    workspace.close()


async def until(pilot: Pilot[object], condition: Callable[[], object]) -> None:
    for _ in range(1000):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("the condition never came true")


async def gated_app(pilot: Pilot[object], ws: Workspace) -> GatedFinder:
    """Let the jump index finish (it finds entities too), then hold the article's pass."""
    await settle(pilot)
    service = service_for(pilot.app, ws)
    await until(pilot, service.ready.is_set)
    article = ws.load(ws.articles()[0])
    gated = GatedFinder(len(article.text))
    ws.entity_finder = gated  # type: ignore[method-assign]
    return gated


async def open_reader(pilot: Pilot[object], ws: Workspace) -> ReaderScreen:
    """Push the reader and wait for its text, not for the entity pass."""
    screen = ReaderScreen(ws, ws.articles()[0])
    await pilot.app.push_screen(screen)
    await until(pilot, lambda: screen.article is not None)
    await pilot.pause()
    return screen


def on_screen(view: ArticleView, spans: list[EntitySpan]) -> list[EntitySpan]:
    layout = view._layout
    assert layout is not None
    top = int(view.scroll_y)
    lines = layout.lines[top : top + view.scrollable_content_region.height]
    first, last = lines[0].start, max(line.end for line in lines)
    return [s for s in spans if first <= s.start < last]


def places(spans: list[EntitySpan]) -> set[tuple[int, int]]:
    return {(s.start, s.end) for s in spans}


def prompts(listing: OptionList) -> list[str]:
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def test_first_screen_is_highlighted_then_the_whole_pass_replaces_it(
    ws: Workspace,
) -> None:
    app = app_on(ws)
    async with app.run_test(size=SIZE) as pilot:
        gated = await gated_app(pilot, ws)
        try:
            screen = await open_reader(pilot, ws)
            view = screen.article_view
            assert screen.article is not None
            text = screen.article.text
            whole = find_entities(text)
            visible = on_screen(view, whole)
            assert visible and places(visible) <= places(view.entities)
            assert max(s.end for s in view.entities) < len(text) // 4  # only the first screens
            assert not screen.entities_complete
            chips = list(screen.query(LegendChip))
            assert all(chip.count is None for chip in chips)  # not counted yet, not zero
            assert all(chip.render().plain.endswith(" …") for chip in chips)
        finally:
            gated.release()
        await settle(pilot)
        assert screen.entities_complete
        assert view.entities == whole
        assert screen.entity_spans == sorted(whole, key=lambda s: s.start)
        counts = {chip.label: chip.count for chip in screen.query(LegendChip)}
        assert counts == label_counts(whole)


async def test_a_saved_place_deep_in_the_article_opens_highlighted(ws: Workspace) -> None:
    meta = ws.articles()[0]
    article = ws.load(meta)
    place = article.blocks[len(article.blocks) * 3 // 4].start
    ws.store.set_position(meta.id, place)
    app = app_on(ws)
    async with app.run_test(size=SIZE) as pilot:
        gated = await gated_app(pilot, ws)
        try:
            screen = await open_reader(pilot, ws)
            view = screen.article_view
            assert int(view.scroll_y) > 0
            visible = on_screen(view, find_entities(article.text))
            assert visible and places(visible) <= places(view.entities)
        finally:
            gated.release()
        await settle(pilot)


async def test_entity_keys_pressed_during_the_pass_move_once_it_is_done(
    ws: Workspace,
) -> None:
    app = app_on(ws)
    async with app.run_test(size=SIZE) as pilot:
        gated = await gated_app(pilot, ws)
        try:
            screen = await open_reader(pilot, ws)
            await pilot.press("e", "e", "right_square_bracket")
            await pilot.pause()
            assert screen.entity_cursor is None  # not on a guess from the first screen
        finally:
            gated.release()
        await settle(pilot)
        spans = screen.entity_spans
        cursor = screen.entity_cursor
        assert cursor is not None
        second = spans[1]
        same = [s for s in spans if s.key == second.key and s.label == second.label]
        assert cursor is (same[1] if len(same) > 1 else second)


async def test_panels_say_they_wait_then_fill(ws: Workspace) -> None:
    app = app_on(ws)
    async with app.run_test(size=SIZE) as pilot:
        gated = await gated_app(pilot, ws)
        try:
            screen = await open_reader(pilot, ws)
            await pilot.press("i")
            await pilot.pause()
            entities = screen.query_one(EntityPanel)
            listing = entities.query_one("#entity-list", OptionList)
            assert prompts(listing) == [entity_panel.PENDING]
            await pilot.press("i", "f")
            await pilot.pause()
            figures = screen.query_one(FiguresPanel)
            assert prompts(figures.query_one(OptionList)) == [figures_panel.PENDING]
        finally:
            gated.release()
        await settle(pilot)
        assert figures.rows and figures_panel.PENDING not in prompts(figures.query_one(OptionList))
        await pilot.press("f", "i")
        await settle(pilot)
        assert entities.groups and entity_panel.PENDING not in prompts(listing)


async def test_a_note_added_during_the_pass_stays_with_the_entities(ws: Workspace) -> None:
    app = app_on(ws)
    async with app.run_test(size=SIZE) as pilot:
        gated = await gated_app(pilot, ws)
        try:
            screen = await open_reader(pilot, ws)
            assert screen.article is not None
            block = screen.article.blocks[2]
            anchor = make_anchor(screen.article.text, block.start, block.end)
            ws.store.add_note(screen.meta.id, "While it ran.", anchor)
            screen.reload_annotations()
            await until(pilot, lambda: screen.article_view.notes)
        finally:
            gated.release()
        await settle(pilot)
        view = screen.article_view
        assert [p.note.text for p in view.notes] == ["While it ran."]
        assert screen.entities_complete and view.entities == find_entities(screen.article.text)


async def test_a_failed_pass_leaves_nothing_waiting(ws: Workspace) -> None:
    app = app_on(ws)
    async with app.run_test(size=SIZE) as pilot:
        gated = await gated_app(pilot, ws)

        def failing(text: str) -> list[EntitySpan]:
            if len(text) == gated.whole_length:
                gated.whole.wait(20)
                raise RuntimeError("no model")
            return find_entities(text)

        ws.entity_finder = failing  # type: ignore[method-assign]
        try:
            screen = await open_reader(pilot, ws)
            await pilot.press("e")
        finally:
            gated.release()
        await settle(pilot)
        assert screen.entities_complete and screen.entity_spans == []
        assert screen.article_view.entities == []
        await pilot.press("i")
        await settle(pilot)
        listing = screen.query_one(EntityPanel).query_one("#entity-list", OptionList)
        assert prompts(listing) == ["No entities found."]


async def test_a_slow_finder_shows_the_text_first(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(entity_preview, "PREVIEW_WAIT", 0.05)
    app = app_on(ws)
    async with app.run_test(size=SIZE) as pilot:
        gated = await gated_app(pilot, ws)
        gated.stretch.clear()
        try:
            screen = await open_reader(pilot, ws)
            assert screen.article_view.entities == []
            gated.stretch.set()
            await until(pilot, lambda: screen.article_view.entities)
            assert not screen.entities_complete
        finally:
            gated.release()
        await settle(pilot)
        assert screen.entities_complete
        assert screen.article_view.entities == find_entities(screen.article.text)  # type: ignore[union-attr]


async def test_the_footer_is_composed_once_as_the_reader_opens(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    composed: list[int] = []
    original = SteadyFooter.compose

    def counting(self: SteadyFooter) -> ComposeResult:
        if isinstance(self.screen, ReaderScreen):
            composed.append(1)
        return original(self)

    monkeypatch.setattr(SteadyFooter, "compose", counting)
    app = app_on(ws)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = ReaderScreen(ws, ws.articles()[0])
        await app.push_screen(screen)
        await settle(pilot)
        keys = {key.description for key in screen.query(FooterKey)}
        assert {"Next ¶", "Note", "Library"} <= keys
        assert len(composed) == 1
        screen.refresh_bindings()  # nothing changed: nothing to compose
        await settle(pilot)
        assert len(composed) == 1
        await pilot.press("v")  # a selection brings its own keys
        await settle(pilot)
        assert "Extend" in {key.description for key in screen.query(FooterKey)}
        assert len(composed) == 2


def test_a_restored_place_holds_before_the_scroll_bar_shows() -> None:
    paragraphs = [f"Paragraph {i} " + "word " * 60 for i in range(200)]
    text = "\n".join(paragraphs)
    blocks, pos = [], 0
    for p in paragraphs:
        blocks.append(Block(pos, pos + len(p)))
        pos += len(p) + 1
    meta = ArticleMeta(id="long", path=Path("long.txt"), title="Long", words=12_000)
    long = Article(meta, text, tuple(blocks))
    short = Article(meta, "One line.", (Block(0, 9),))

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield ArticleView()

    async def go() -> None:
        async with Host().run_test(size=(100, 30)) as pilot:
            view = pilot.app.query_one(ArticleView)
            view.set_article(short)
            await pilot.pause()
            place = blocks[120].start
            view.set_article(long, position=place)
            layout = view._layout
            assert layout is not None
            assert int(view.scroll_y) == layout.line_of(place) - 2

    asyncio.run(go())


async def test_a_saved_place_beyond_a_text_edited_shorter_still_opens(ws: Workspace) -> None:
    meta = ws.articles()[0]
    ws.store.set_position(meta.id, len(ws.load(meta).text) * 5)  # the file was cut since
    app = app_on(ws)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_reader(pilot, ws)
        await settle(pilot)
        assert screen.article is not None and screen.entities_complete
        assert screen.article_view.entities  # highlighted, not "Cannot open"


async def test_an_article_that_cannot_be_read_leaves_no_key_waiting(ws: Workspace) -> None:
    meta = ws.articles()[0]
    meta.path.unlink()  # gone after the library was scanned
    app = app_on(ws)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = ReaderScreen(ws, meta)
        await app.push_screen(screen)
        await settle(pilot)
        assert screen.article is None and screen.entities_complete
        await pilot.press("e", "i")
        await settle(pilot)
        assert not screen._waiting_for_entities
        assert all(chip.count == 0 for chip in screen.query(LegendChip))
        listing = screen.query_one(EntityPanel).query_one("#entity-list", OptionList)
        assert prompts(listing) == ["No entities found."]
