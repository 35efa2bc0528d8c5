"""The library shown from its index first, then filled in from the scan and the store.

The scan and the store's data are held back on the store thread here, so the first look
can be checked before they arrive, and what it becomes once they do.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

import reader.ui.screens.library as library_screen
from reader.ui.app import ReaderApp
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.reader import ReaderScreen
from reader.ui.widgets.library_table import UNREAD_MARK, LibraryTable
from reader.workspace import Workspace
from tests.ui.conftest import SIZE, meta_titled, workspace
from tests.ui.helpers import settle

AppFor = Callable[..., ReaderApp]


@pytest.fixture
def held_back(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Reading the snapshot on the store thread waits until the event is set (or 20 s
    have passed); then it marks the event's ``done`` event."""
    release = threading.Event()
    done = threading.Event()
    release.done = done  # type: ignore[attr-defined]
    real = library_screen.read_snapshot

    def waiting(ws: Workspace) -> object:
        release.wait(20)
        try:
            return real(ws)
        finally:
            done.set()

    monkeypatch.setattr(library_screen, "read_snapshot", waiting)
    yield release
    release.set()


@pytest.fixture
def annotated(db: Path) -> None:
    """A library scanned once (so it has an index), with a note, a tag and a read mark."""
    ws = workspace(db)
    walk = meta_titled(ws, "long walk")
    ws.store.add_note(walk.id, "a note", None)
    ws.store.add_tags(walk.id, ["coast"])
    ws.store.set_read(meta_titled(ws, "harbour").id, True)
    ws.close()


def row_text(table: LibraryTable, title: str) -> list[str]:
    row = next(i for i in range(table.row_count) if title in table.cells(i)[1].plain)
    return [cell.plain for cell in table.cells(row)]


def status(screen: LibraryScreen) -> str:
    return str(screen.query_one("#library-status", Static).render())


async def first_look(pilot: Pilot[object]) -> LibraryScreen:
    for _ in range(3):
        await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, LibraryScreen)
    return screen


@pytest.mark.usefixtures("annotated")
async def test_rows_come_from_the_index_then_show_the_store(
    app_for: AppFor, held_back: threading.Event
) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        screen = await first_look(pilot)
        table = screen.query_one(LibraryTable)
        assert screen.snapshot.pending
        assert table.row_count == 4
        # titles and lengths at once; no read mark, note count or tag claimed yet
        walk = row_text(table, "long walk")
        assert walk[0] == " " and walk[5] == "" and walk[6] == ""
        assert int(walk[3].replace(",", "")) > 0
        assert UNREAD_MARK not in "".join(row_text(table, "harbour"))
        assert "reading read marks, tags and notes" in status(screen)

        held_back.set()
        await settle(pilot)
        assert not screen.snapshot.pending
        walk = row_text(table, "long walk")
        assert walk[0] == UNREAD_MARK and walk[5] == "coast" and walk[6] == "1"
        assert row_text(table, "harbour")[0] == " "
        assert "reading" not in status(screen) and "unread" in status(screen)


@pytest.mark.usefixtures("annotated")
async def test_enter_before_the_store_is_read_opens_once_it_is(
    app_for: AppFor, held_back: threading.Event
) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        screen = await first_look(pilot)
        table = screen.query_one(LibraryTable)
        walk_row = next(i for i in range(4) if "long walk" in table.cells(i)[1].plain)
        await pilot.press(*["j"] * walk_row, "enter")
        await pilot.pause()
        assert app.screen is screen  # waits for the scan: an id could still change
        held_back.set()
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert "long walk" in app.screen.meta.title


@pytest.mark.usefixtures("annotated")
async def test_quitting_does_not_wait_for_the_library_to_load(
    app_for: AppFor, held_back: threading.Event
) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await first_look(pilot)
        await pilot.press("q")
    assert not held_back.done.is_set()  # type: ignore[attr-defined]


async def test_without_an_index_the_list_waits_for_the_scan(
    app_for: AppFor, held_back: threading.Event
) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        screen = await first_look(pilot)
        assert screen.query_one(LibraryTable).row_count == 0
        assert "reading the library…" in status(screen)  # not a blank screen meanwhile
        held_back.set()
        await settle(pilot)
        assert not screen.snapshot.pending
        assert screen.query_one(LibraryTable).row_count == 4
        assert "reading" not in status(screen)


@pytest.mark.usefixtures("annotated")
async def test_the_jump_index_starts_once_the_library_is_read(
    app_for: AppFor, held_back: threading.Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Building it reads every article: it waits for the library's own loading."""
    import reader.ui.app as app_module
    from reader.ui.search_service import SearchService

    monkeypatch.setattr(app_module, "INDEX_DELAY_SECONDS", 0.01)
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await first_look(pilot)
        await pilot.pause(0.2)
        assert not [v for v in vars(app).values() if isinstance(v, SearchService)]
        held_back.set()
        await settle(pilot)
        for _ in range(100):
            if [v for v in vars(app).values() if isinstance(v, SearchService)]:
                break
            await pilot.pause(0.05)
        else:
            raise AssertionError("the jump index never started")
