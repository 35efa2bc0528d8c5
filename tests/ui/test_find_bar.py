"""The find bar on its own: counts, typo tolerance, stepping, closing."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Static

from reader.ui.widgets.find_bar import FindBar

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_28f3cce3a5980af7.txt"
TEXT = SEED.read_text(encoding="utf-8")


class Harness(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.reports: list[FindBar.Matches] = []
        self.closed = 0

    def compose(self) -> ComposeResult:
        yield FindBar()

    def on_find_bar_matches(self, event: FindBar.Matches) -> None:
        self.reports.append(event)

    def on_find_bar_closed(self, _: FindBar.Closed) -> None:
        self.closed += 1


def count_text(app: App[None]) -> str:
    return str(app.query_one("#find-count", Static).render())


async def find(pilot: Pilot[None], query: str, origin: int = 0) -> FindBar:
    """Open the bar over the seed, type ``query`` and wait for the search to finish."""
    bar = pilot.app.query_one(FindBar)
    bar.open(TEXT, origin=origin)
    await pilot.press(*query)
    await pilot.app.workers.wait_for_complete()
    return bar


async def test_typo_tolerant_find_counts_both_spellings() -> None:
    app = Harness()
    async with app.run_test(size=(80, 10)) as pilot:
        bar = await find(pilot, "Barazi")
        await pilot.pause()
        found = {TEXT[s:e] for s, e in bar.spans}
        assert found == {"Barazi", "Barrazi"}
        assert len(bar.spans) == 3
        assert count_text(app) == "1/3"
        last = app.reports[-1]
        assert last.query == "Barazi" and last.current == 0


async def test_enter_and_shift_enter_step_through_matches() -> None:
    app = Harness()
    async with app.run_test(size=(80, 10)) as pilot:
        bar = await find(pilot, "Homs")
        await pilot.pause()
        total = len(bar.spans)
        assert total >= 5
        await pilot.press("enter")
        await pilot.pause()
        assert count_text(app) == f"2/{total}"
        await pilot.press("shift+enter", "shift+enter")
        await pilot.pause()
        assert count_text(app) == f"{total}/{total}"  # wraps round
        assert app.reports[-1].current == total - 1


async def test_matches_count_from_the_reading_place() -> None:
    app = Harness()
    async with app.run_test(size=(80, 10)) as pilot:
        await find(pilot, "Barazi", origin=TEXT.index("al-Barrazi"))
        await pilot.pause()
        assert count_text(app) == "3/3"


async def test_escape_closes_and_clears() -> None:
    app = Harness()
    async with app.run_test(size=(80, 10)) as pilot:
        bar = await find(pilot, "Homs")
        await pilot.press("escape")
        await pilot.pause()
        assert not bar.is_open
        assert bar.spans == []
        assert app.closed == 1


async def test_no_match_says_so() -> None:
    app = Harness()
    async with app.run_test(size=(80, 10)) as pilot:
        await find(pilot, "zzzqqq")
        await pilot.pause()
        assert count_text(app) == "no match"
