"""Entities in the reader: legend and toggles, entity keys, the entity and figures panels."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from reader.ui.app import ReaderApp
from reader.ui.entity_groups import label_counts
from reader.ui.screens.reader import ReaderScreen
from reader.ui.widgets.article_layout import wrap
from reader.ui.widgets.article_view import GUTTER, MEASURE, ArticleView
from reader.ui.widgets.entity_panel import EntityPanel
from reader.ui.widgets.figures_panel import FiguresPanel
from reader.ui.widgets.legend import Legend, LegendChip
from reader.workspace import Workspace
from tests.ui.conftest import screenshot_rows
from tests.ui.helpers import app_on, open_article, seed_meta, settle, workspace_with

SIZE = (120, 36)
OTHER = "The governor speaks\n\nTalal al-Barazi said on Monday that Homs was calm.\n"


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    """The bundled seed plus one more article that names the same governor."""
    workspace = workspace_with(tmp_path, {"governor.txt": OTHER}, export_dir=tmp_path / "exports")
    yield workspace
    workspace.close()


async def open_seed(pilot: Pilot[object], ws: Workspace) -> ReaderScreen:
    screen = await open_article(pilot, ws, seed_meta(ws))
    assert screen.entity_spans, "the entity pass should have finished"
    return screen


async def test_legend_counts_and_toggling_removes_highlight(ws: Workspace) -> None:
    app = app_on(ws)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_seed(pilot, ws)
        counts = label_counts(screen.entity_spans)
        chips = {chip.label: chip for chip in screen.query(LegendChip)}
        assert {label: chip.count for label, chip in chips.items()} == counts
        view = screen.article_view
        assert any(s[2] for s in view._entity_layer.spans)
        people = len([s for s in screen.entity_spans if s.label == "PERSON"])
        total = len(view._entity_layer.spans)

        await pilot.press("1")  # people off
        await settle(pilot)
        assert "PERSON" not in view.enabled_labels
        assert len(view._entity_layer.spans) == total - people
        assert not chips["PERSON"].on

        await pilot.click("#legend-person")  # and on again with the mouse
        await settle(pilot)
        assert "PERSON" in view.enabled_labels
        assert len(view._entity_layer.spans) == total


async def test_next_entity_and_same_entity_mentions_move_the_position(ws: Workspace) -> None:
    app = app_on(ws)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_seed(pilot, ws)
        text = screen.article.text  # type: ignore[union-attr]
        await pilot.press("e")
        first = screen.entity_cursor
        assert first is screen.entity_spans[0]
        await pilot.press("e", "e")
        third = screen.entity_cursor
        assert third is screen.entity_spans[2]
        await pilot.press("E")
        assert screen.entity_cursor is screen.entity_spans[1]

        # Walk to the governor, then through his mentions only.
        while screen.entity_cursor is not None and screen.entity_cursor.key != "Talal al-Barazi":
            await pilot.press("e")
        cursor = screen.entity_cursor
        assert cursor is not None
        spelled = [text[cursor.start : cursor.end]]
        for _ in range(2):
            await pilot.press("right_square_bracket")
            cursor = screen.entity_cursor
            assert cursor is not None and cursor.key == "Talal al-Barazi"
            spelled.append(text[cursor.start : cursor.end])
        assert spelled == ["Talal al-Barazi", "al-Barazi", "al-Barrazi"]
        block = screen.article.block_at(cursor.start)  # type: ignore[union-attr]
        assert screen.article_view.current_block == block
        await pilot.press("left_square_bracket")
        assert screen.entity_cursor is not None
        assert text[screen.entity_cursor.start : screen.entity_cursor.end] == "al-Barazi"


async def test_entity_panel_marks_mentions_and_opens_another_article(ws: Workspace) -> None:
    app = app_on(ws)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_seed(pilot, ws)
        await pilot.press("i")
        await settle(pilot)
        panel = screen.query_one(EntityPanel)
        assert panel.display
        people = panel.groups_of("PERSON")
        barazi = next(g for g in people if g.key == "Talal al-Barazi")
        assert barazi.count == 3 and "al-Barrazi" in barazi.variants

        listing = panel.query_one("#entity-list", OptionList)
        prompts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        listing.highlighted = next(i for i, p in enumerate(prompts) if "Talal al-Barazi" in p)
        await pilot.press("enter")
        await settle(pilot)
        marks = screen.article_view._marks["entity"]
        assert [(s, e) for s, e, _ in marks.spans] == [(s.start, s.end) for s in barazi.spans]
        assert [m.title for m in panel.mentions] == ["The governor speaks"]

        others = panel.query_one("#entity-others", OptionList)
        others.focus()
        others.highlighted = 0
        await pilot.press("enter")
        await settle(pilot)
        opened = app.screen
        assert isinstance(opened, ReaderScreen)
        assert opened.meta.title == "The governor speaks"
        assert opened.article is not None
        start = opened.article.text.index("Talal al-Barazi")
        assert opened.article_view.current_block == opened.article.block_at(start)


async def test_figures_panel_lists_context_and_scrolls(ws: Workspace) -> None:
    app = app_on(ws)
    async with app.run_test(size=(120, 20)) as pilot:
        screen = await open_seed(pilot, ws)
        await pilot.press("f")
        await settle(pilot)
        panel = screen.query_one(FiguresPanel)
        row = next(r for r in panel.rows if r.figure == "over 1,500")
        assert "over 1,500 people who will be transported" in row.context
        starts = [r.span.start for r in panel.rows]
        assert starts == sorted(starts)

        target = next(r for r in panel.rows if r.figure.startswith("last week"))
        listing = panel.query_one(OptionList)
        listing.highlighted = panel.rows.index(target)
        await pilot.press("enter")
        await settle(pilot)
        view = screen.article_view
        assert view.current_block == screen.article.block_at(target.span.start)  # type: ignore[union-attr]
        assert view.scroll_y > 0


def test_legend_and_entity_panel_snapshot(ws: Workspace, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[object]) -> None:
        screen = await open_seed(pilot, ws)
        await pilot.press("i")
        await settle(pilot)
        panel = screen.query_one(EntityPanel)
        panel.choose(next(g for g in panel.groups if g.key == "Homs"))
        await settle(pilot)
        screen.article_view.focus()
        await pilot.press("4")  # groups off
        await settle(pilot)
        assert not screen.query_one(Legend).enabled & {"GROUP"}

    assert snap_compare(app_on(ws), terminal_size=SIZE, run_before=run_before)


def assert_drawn_at_its_width(app: ReaderApp, view: ArticleView) -> None:
    """The view's lines are wrapped and centred for its width now, and the screen shows them."""
    assert view.article is not None and view.scroll_y == 0
    width = view.scrollable_content_region.width
    measure = min(MEASURE, width - GUTTER - 2)
    left = (width - measure - GUTTER) // 2
    first = view.article.blocks[0]
    lines = wrap(view.article.text, first.start, first.end, measure)
    drawn = [view.render_line(y).text for y in range(len(lines))]
    assert [len(row) for row in drawn] == [width] * len(lines)
    assert [row[left + GUTTER :].rstrip() for row in drawn] == [
        view.article.text[start:end] for start, end in lines
    ]
    rows = screenshot_rows(app.export_screenshot())
    region = view.content_region
    shown = [rows[region.y + y][region.x : region.x + width].rstrip() for y in range(len(lines))]
    assert shown == [row.rstrip() for row in drawn]


async def test_article_rewraps_when_a_side_panel_opens_and_closes(ws: Workspace) -> None:
    app = app_on(ws)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"Syrian rebels", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        view = screen.article_view
        wide = view.scrollable_content_region.width
        for _ in range(3):
            await pilot.press("i")
            await settle(pilot)
            assert view.scrollable_content_region.width < wide - 40
            assert_drawn_at_its_width(app, view)
            await pilot.press("i")
            await settle(pilot)
            assert view.scrollable_content_region.width == wide
            assert_drawn_at_its_width(app, view)
