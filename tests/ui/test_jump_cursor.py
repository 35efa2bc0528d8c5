"""The jump box keeps the cursor on its hit when asked again, and a hit it cannot place
again still opens where it was found."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import pytest
from textual.app import App
from textual.widgets import OptionList

from reader.errors import ReaderError
from reader.search import Hit
from reader.ui.screens.jump import JumpScreen, place_of
from reader.ui.search_service import SearchService


def hits_for(query: str) -> list[Hit]:
    return [
        Hit("title", f"a{i}", f"Article {i}", 90.0 - i, f"{query} {i}", offset=i * 10)
        for i in range(5)
    ]


class Harness(App[None]):
    """Opens the jump box at once and records what it was dismissed with."""

    def __init__(self, search: Any) -> None:
        super().__init__()
        self.search = search
        self.result: list[Hit | None] = []

    def on_mount(self) -> None:
        self.push_screen(JumpScreen(self.search), self.result.append)


async def test_asking_again_keeps_the_cursor_on_its_hit() -> None:
    """The notes sync asks the typed query again: Enter still opens the row moved to."""
    app = Harness(lambda query, limit: hits_for(query))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("h", "a")
        await pilot.pause(0.2)
        await pilot.press("down", "down")
        screen = app.screen
        assert isinstance(screen, JumpScreen)
        assert screen.query_one("#jump-results", OptionList).highlighted == 2
        screen.ask_again()
        await pilot.pause(0.2)
        assert screen.query_one("#jump-results", OptionList).highlighted == 2
        await pilot.press("enter")
        await pilot.pause()
    assert app.result and app.result[0] is not None and app.result[0].article_id == "a2"


async def test_a_new_query_starts_at_its_best_hit() -> None:
    app = Harness(lambda query, limit: hits_for(query))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("h", "a")
        await pilot.pause(0.2)
        await pilot.press("down", "down", "r")
        await pilot.pause(0.2)
        screen = app.screen
        assert isinstance(screen, JumpScreen)
        assert screen.query_one("#jump-results", OptionList).highlighted == 0


@pytest.mark.parametrize(
    ("problem", "said"),
    [
        (ReaderError("the annotation database is damaged"), "damaged"),
        # the index reads its strings back from a file in the cache folder
        (OSError(5, "Input/output error"), "Input/output error"),
    ],
)
async def test_a_search_that_cannot_read_the_library_shows_why(
    problem: Exception, said: str
) -> None:
    def broken(query: str, limit: int) -> list[Hit]:
        raise problem

    app = Harness(broken)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("h", "a")
        await pilot.pause(0.3)
        screen = app.screen
        assert isinstance(screen, JumpScreen)
        results = screen.query_one("#jump-results", OptionList)
        assert results.option_count == 1
        shown = str(results.get_option_at_index(0).prompt)
        assert "Cannot search" in shown and said in shown
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code is None or app.return_code == 0
    assert not app.result  # nothing to open, and no crash


def test_a_hit_the_index_cannot_place_opens_where_it_was_found() -> None:
    class Failing:
        def place(self, hit: Hit) -> tuple[int, int] | None:
            raise ValueError("a note the index no longer knows")

    service = cast(SearchService, SimpleNamespace(index=Failing()))
    hit = Hit("note", "a1", "Article", 80.0, "a note", offset=12, end=20, note_id="n1")
    assert place_of(service, hit) == (12, 20)
