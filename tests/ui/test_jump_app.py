"""The jump box in the app: ctrl+p anywhere, Enter opens the article at the place."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from reader.models import Anchor
from reader.ui.screens.jump import JumpScreen
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.reader import ReaderScreen
from reader.ui.search_service import service_for
from reader.workspace import Workspace
from tests.ui.helpers import app_on, settle, workspace_with

SIZE = (110, 30)
OTHER = "Rice harvest breaks records\n\nFarmers in the Mekong delta brought in a record crop.\n"


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = workspace_with(tmp_path, {"rice.txt": OTHER})
    yield workspace
    workspace.close()


async def ready(pilot: Pilot[object], ws: Workspace) -> None:
    """The library is shown and the index built (it builds in the background)."""
    await settle(pilot)
    assert service_for(pilot.app, ws).ready.wait(30)


async def jump(pilot: Pilot[object], keys: str, query: str) -> None:
    await pilot.press(keys)
    await pilot.pause()
    assert isinstance(pilot.app.screen, JumpScreen)
    await pilot.press(*query)
    await pilot.press("enter")
    await settle(pilot)


async def test_misspelled_title_opens_the_article(ws: Workspace) -> None:
    app = app_on(ws)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, ws)
        await jump(pilot, "ctrl+p", "rice harvset")
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.meta.title == "Rice harvest breaks records"


async def test_entity_jump_lands_on_the_mention(ws: Workspace) -> None:
    app = app_on(ws)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, ws)
        await jump(pilot, "colon", "@Bashar Asad")
        screen = app.screen
        assert isinstance(screen, ReaderScreen) and screen.article is not None
        start = screen.article.text.index("Bashar Assad")
        assert screen.article_view.current_block == screen.article.block_at(start)
        cursor = screen.article_view._marks["cursor"].spans
        assert [(s, e) for s, e, _ in cursor] == [(start, start + len("Bashar Assad"))]


async def test_tag_and_note_prefixes_see_changes_made_after_start(ws: Workspace) -> None:
    app = app_on(ws)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, ws)
        rice = next(m for m in ws.articles() if m.title.startswith("Rice"))
        seed = next(m for m in ws.articles() if m.title.startswith("Syrian"))
        text = ws.load(seed).text
        at = text.index("optimistic")
        await app.call_store(ws.store.add_tags, rice.id, ["farming"])
        await app.call_store(
            ws.store.add_note,
            seed.id,
            "hopeful governor",
            Anchor("optimistic", start=at, end=at + len("optimistic")),
        )

        await jump(pilot, "ctrl+p", "#farmng")
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.meta.id == rice.id

        await jump(pilot, "ctrl+p", ">hopefull")
        screen = app.screen
        assert isinstance(screen, ReaderScreen) and screen.meta.id == seed.id
        assert screen.article is not None
        assert screen.article_view.current_block == screen.article.block_at(at)
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)  # the jump replaced, not stacked


async def test_a_note_whose_passage_moved_opens_where_the_passage_is_now(ws: Workspace) -> None:
    app = app_on(ws)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, ws)
        rice = next(m for m in ws.articles() if m.title.startswith("Rice"))
        text = ws.load(rice).text
        at = text.index("record crop")
        # stored where the passage was before an edit moved it (the title's first words)
        moved = Anchor("record crop", prefix="brought in a ", suffix=".", start=0, end=11)
        await app.call_store(ws.store.add_note, rice.id, "a bumper year", moved)

        await jump(pilot, "ctrl+p", ">bumper year")
        screen = app.screen
        assert isinstance(screen, ReaderScreen) and screen.meta.id == rice.id
        cursor = screen.article_view._marks["cursor"].spans
        assert [(s, e) for s, e, _ in cursor] == [(at, at + len("record crop"))]


async def test_escape_goes_back_where_it_was(ws: Workspace) -> None:
    app = app_on(ws)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, ws)
        await pilot.press("ctrl+p", *"rice", "escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)


async def test_results_shown_before_the_notes_are_read_are_asked_again(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.ui.screens.jump as jump_module

    query = ">hopeful governor"
    real_sync = jump_module.sync_from_store
    app = app_on(ws)

    async def late_sync(*args: Any) -> None:
        """The notes arrive only after the typed query's results are on screen."""
        while not (isinstance(app.screen, JumpScreen) and app.screen.shown_query == query):
            await asyncio.sleep(0.01)
        await real_sync(*args)

    monkeypatch.setattr(jump_module, "sync_from_store", late_sync)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, ws)
        seed = next(m for m in ws.articles() if m.title.startswith("Syrian"))
        await app.call_store(ws.store.add_note, seed.id, "hopeful governor")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*query)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, JumpScreen)
        assert [(h.kind, h.article_id) for h in screen.hits][:1] == [("note", seed.id)]


async def test_articles_added_edited_or_removed_while_open_are_followed(
    tmp_path: Path,
) -> None:
    ws = workspace_with(tmp_path, {"rice.txt": OTHER}, include_seeds=False)
    library = tmp_path / "library"
    app = app_on(ws)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, ws)
        service = service_for(app, ws)

        def found(query: str) -> set[str]:
            return {hit.title for hit in service.query(query)}

        async def rescan() -> None:
            await app._rescan_library()
            for _ in range(200):  # the index follows on its own thread
                await pilot.pause(0.05)
                if service._follow_lock.acquire(blocking=False):
                    service._follow_lock.release()
                    if not any(t.name == "reader-search-follow" for t in threading.enumerate()):
                        return
            raise AssertionError("the index never caught up")

        (library / "kites.txt").write_text(
            "Kite festival over the lagoon\n\nHundreds of painted kites filled the sky.\n"
        )
        await rescan()
        assert "Kite festival over the lagoon" in found("/painted kites")

        assert "Rice harvest breaks records" in found("/mekong delta")
        (library / "rice.txt").write_text(OTHER.replace("Mekong delta", "Irrawaddy basin"))
        await rescan()
        assert "Rice harvest breaks records" in found("/irrawaddy basin")
        assert "Rice harvest breaks records" not in found("/mekong delta")

        (library / "kites.txt").unlink()
        await rescan()
        assert not found("/painted kites") and not found("kite festival")
    ws.close()
