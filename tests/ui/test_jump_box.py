"""The jump box on its own: ranking off the UI thread, prefixes, stale results dropped."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from textual.app import App
from textual.widgets import Input, OptionList

from reader.entities import find_entities
from reader.models import Anchor, Note
from reader.search import Doc, Hit, SearchIndex
from reader.ui.screens.jump import JumpScreen, hit_prompt

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_28f3cce3a5980af7.txt"
TEXT = SEED.read_text(encoding="utf-8")
SEED_TITLE = "Syrian rebels begin evacuating last stronghold in Homs"


def make_index() -> SearchIndex:
    docs = [
        Doc("seed", SEED_TITLE, TEXT, "Afrasianet"),
        Doc("rice", "Rice harvest breaks records in Vietnam", "Farmers in the Mekong delta."),
        Doc("moon", "A quiet launch to the Moon", "The lander touched down at dawn."),
    ]
    quote_at = TEXT.index("optimistic")
    notes = [
        Note(
            "n1",
            "seed",
            "Governor sounds hopeful about reconciliation",
            Anchor("optimistic", start=quote_at, end=quote_at + 10),
        )
    ]
    return SearchIndex(
        docs,
        notes,
        tags={"seed": ("syria",), "rice": ("farming",)},
        entities={"seed": find_entities(TEXT)},
    )


class Harness(App[None]):
    """Opens the jump box at once and records what it was dismissed with."""

    def __init__(self, search: object) -> None:
        super().__init__()
        self.search = search
        self.result: list[Hit | None] = []

    def on_mount(self) -> None:
        self.push_screen(JumpScreen(self.search), self.result.append)  # type: ignore[arg-type]


async def type_and_open(query: str, index: SearchIndex | None = None) -> Hit | None:
    index = index or make_index()
    app = Harness(index.query)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*query)
        await pilot.press("enter")
        for _ in range(50):
            if app.result:
                break
            await pilot.pause(0.05)
    return app.result[0] if app.result else None


async def test_misspelled_title_then_enter_opens_it() -> None:
    hit = await type_and_open("rice harvst")
    assert hit is not None and hit.article_id == "rice"


async def test_tag_prefix() -> None:
    hit = await type_and_open("#farm")
    assert hit is not None and hit.kind == "tag" and hit.article_id == "rice"


async def test_entity_prefix_goes_to_the_mention() -> None:
    hit = await type_and_open("@Barazi")
    assert hit is not None and hit.kind == "entity" and hit.article_id == "seed"
    assert hit.offset is not None and "Barazi" in TEXT[hit.offset : hit.offset + 20]


async def test_note_prefix() -> None:
    hit = await type_and_open(">reconciliaton")
    assert hit is not None and hit.kind in ("note", "quote") and hit.article_id == "seed"


async def test_rows_show_kind_match_and_context() -> None:
    index = make_index()
    app = Harness(index.query)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*"Homs")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, JumpScreen)
        kinds = {h.kind for h in screen.hits}
        assert "title" in kinds and len(kinds) > 1
        rows = app.screen.query_one("#jump-results", OptionList)
        assert rows.option_count == len(screen.hits)
        text_hit = next(h for h in screen.hits if h.kind != "title")
        prompt = hit_prompt(text_hit)
        assert SEED_TITLE in prompt.plain  # the article it is in
        assert any("underline" in str(span.style) for span in prompt.spans)


def test_markup_in_results_stays_literal() -> None:
    hit = Hit("title", "x", "[@click=app.quit]t[/]", 90.0, "[@click=app.quit]t[/]")
    assert "[@click=app.quit]t[/]" in hit_prompt(hit).plain


async def test_fast_typing_keeps_only_the_final_querys_results() -> None:
    """Early queries answer late; their results must never replace the newer ones."""
    index = make_index()
    release = threading.Event()

    def slow_search(query: str, limit: int) -> list[Hit]:
        if query != "moon":
            release.wait(2)  # older queries finish after the final one
        time.sleep(0.01)
        return index.query(query, limit)

    app = Harness(slow_search)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*"moon")
        for _ in range(40):
            screen = app.screen
            if isinstance(screen, JumpScreen) and screen.shown_query == "moon":
                break
            await pilot.pause(0.05)
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, JumpScreen)
        assert screen.query_one(Input).value == "moon"
        assert screen.shown_query == "moon"
        assert screen.hits and screen.hits[0].article_id == "moon"
