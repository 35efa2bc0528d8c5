"""Find in the open article: typo-tolerant matches marked, counted, stepped, cleared."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from reader.ui.screens.reader import ReaderScreen
from reader.ui.widgets.find_bar import FindBar
from reader.workspace import Workspace
from tests.ui.helpers import app_on, open_article, seed_meta, settle, workspace_with

SIZE = (110, 30)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = workspace_with(tmp_path, None)
    yield workspace
    workspace.close()


async def open_seed(pilot: Pilot[object], ws: Workspace) -> ReaderScreen:
    return await open_article(pilot, ws, seed_meta(ws))


def marked(screen: ReaderScreen, name: str) -> list[str]:
    layer = screen.article_view._marks.get(name)
    text = screen.article.text if screen.article else ""
    return [text[s:e] for s, e, _ in layer.spans] if layer else []


async def test_find_marks_both_spellings_and_counts(ws: Workspace) -> None:
    app = app_on(ws)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_seed(pilot, ws)
        await pilot.press("slash", *"Barazi")
        await settle(pilot)
        assert marked(screen, "find") == ["Barazi", "Barazi", "Barrazi"]
        count = screen.query_one("#find-count", Static)
        assert str(count.render()) == "1/3"
        assert marked(screen, "find-current") == ["Barazi"]

        await pilot.press("enter", "enter")
        await settle(pilot)
        assert str(count.render()) == "3/3"
        assert marked(screen, "find-current") == ["Barrazi"]
        start = screen.article.text.index("al-Barrazi")  # type: ignore[union-attr]
        assert screen.article_view.current_block == screen.article.block_at(start)  # type: ignore[union-attr]

        await pilot.press("f3")
        await settle(pilot)
        assert str(count.render()) == "1/3"

        await pilot.press("escape")
        await settle(pilot)
        assert not screen.query_one(FindBar).is_open
        assert marked(screen, "find") == [] and marked(screen, "find-current") == []
        assert isinstance(app.screen, ReaderScreen)  # Esc closed the bar, not the article
        assert screen.focused is screen.article_view


async def test_ctrl_f_opens_find_too(ws: Workspace) -> None:
    app = app_on(ws)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_seed(pilot, ws)
        await pilot.press("ctrl+f", *"Homs")
        await settle(pilot)
        assert len(marked(screen, "find")) == 5
