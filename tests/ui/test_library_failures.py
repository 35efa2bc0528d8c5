"""The library when the database cannot be read, and keys pressed before it has been.

A database written by a newer reader (an unknown schema) stands for any that cannot be
opened: the app must say so and stay up, and recover once the file is fixed.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

import reader.ui.app as app_module
import reader.ui.screens.library as library_screen
from reader.store import Store
from reader.ui.app import ReaderApp
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.reader import ReaderScreen
from reader.ui.widgets.library_table import LibrarySnapshot, LibraryTable
from reader.workspace import Workspace
from tests.ui.conftest import SIZE, meta_titled, workspace
from tests.ui.helpers import settle

AppFor = Callable[..., ReaderApp]


@pytest.fixture
def indexed(db: Path) -> bytes:
    """A library scanned once (so the list has an index), with a read mark; the
    database's good bytes."""
    ws = workspace(db)
    ws.store.set_read(meta_titled(ws, "harbour").id, True)
    ws.close()
    return db.read_bytes()


@pytest.fixture
def newer_schema(db: Path, indexed: bytes) -> bytes:
    """The database as a newer reader left it; its good bytes, to fix it with."""
    db.write_bytes(indexed.replace(b'"schema": 1', b'"schema": 99'))
    return indexed


@pytest.fixture
def held_back(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Reading the snapshot on the store thread waits until the event is set."""
    release = threading.Event()
    real = library_screen.read_snapshot

    def waiting(ws: Workspace) -> object:
        release.wait(20)
        return real(ws)

    monkeypatch.setattr(library_screen, "read_snapshot", waiting)
    yield release
    release.set()


def messages(app: ReaderApp) -> list[str]:
    return [n.message for n in app._notifications]


async def library(pilot: Pilot[object]) -> LibraryScreen:
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, LibraryScreen)
    return screen


async def test_opening_a_listed_row_after_a_failed_load_names_the_problem(
    app_for: AppFor, newer_schema: bytes
) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        screen = await library(pilot)
        assert screen.query_one(LibraryTable).row_count == 4  # from the index
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        refusal = [m for m in messages(app) if m.startswith("Not while")]
        assert refusal and "schema version 99" in refusal[0]
        await pilot.press("m")
        await settle(pilot)
        assert app.screen is screen
    assert app.return_code in (None, 0)


async def test_an_article_opened_on_a_database_that_cannot_be_read_says_so(
    app_for: AppFor, newer_schema: bytes
) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await library(pilot)
        meta = next(m for m in app.ws.listed_articles() or [] if "harbour" in m.title)
        await app.push_screen(ReaderScreen(app.ws, meta))
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        notices = [n for n in app._notifications if n.title == "Cannot open"]
        assert notices and "schema version 99" in notices[0].message
    assert app.return_code in (None, 0)


async def test_typing_in_the_jump_box_on_a_database_that_cannot_be_read(
    app_for: AppFor, newer_schema: bytes
) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await library(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await pilot.press("h", "a", "r")
        await pilot.pause(0.5)
        await settle(pilot)
        assert type(app.screen).__name__ == "JumpScreen"
    assert app.return_code in (None, 0)


async def test_polling_a_broken_database_reports_it_once_off_the_ui_thread(
    app_for: AppFor, newer_schema: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "POLL_SECONDS", 0.05)
    opened_on: list[str] = []
    real_open = Store.open.__func__  # type: ignore[attr-defined]

    def spy(cls: type[Store], *args: object, **kwargs: object) -> Store:
        opened_on.append(threading.current_thread().name)
        return real_open(cls, *args, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(Store, "open", classmethod(spy))
    app = app_for(poll=True)
    async with app.run_test(size=SIZE) as pilot:
        await library(pilot)
        await pilot.pause(0.6)
        await settle(pilot)
        broken = [m for m in messages(app) if "schema version 99" in m]
        assert len(broken) == 1
    assert len(opened_on) > 3  # every poll tries again...
    assert threading.main_thread().name not in opened_on  # ...never on the UI thread


async def test_the_library_recovers_once_the_database_is_fixed(
    app_for: AppFor, db: Path, newer_schema: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "POLL_SECONDS", 0.05)
    app = app_for(poll=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await library(pilot)
        assert screen.snapshot.pending
        db.write_bytes(newer_schema)  # `reader doctor`, or the newer reader's export
        for _ in range(40):
            await pilot.pause(0.05)
            if not screen.snapshot.pending:
                break
        await settle(pilot)
        assert not screen.snapshot.pending
        assert screen.snapshot.read == {meta_titled(app.ws, "harbour").id}
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)


def row_of(table: LibraryTable, words: str) -> int:
    return next(i for i in range(table.row_count) if words in table.cells(i)[1].plain)


async def test_keys_pressed_before_the_store_is_read_act_on_their_own_rows(
    app_for: AppFor, indexed: bytes, held_back: threading.Event
) -> None:
    """``m`` on two rows marks those two; Enter opens the row it was pressed on, though
    the cursor has moved on by the time the store's data is in."""
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(3):
            await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LibraryScreen) and screen.snapshot.pending
        table = screen.query_one(LibraryTable)
        markup, harbour, walk = (row_of(table, w) for w in ("bold red", "harbour", "long walk"))
        assert table.cursor_row == markup < harbour < walk
        await pilot.press("m", *["j"] * (harbour - markup), "m")
        await pilot.press(*["j"] * (walk - harbour), "enter", "k")
        held_back.set()
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert "long walk" in app.screen.meta.title
        states = await app.call_store(app.ws.store.reading_states)
        # each toggled from what the store said: the harbour was read, and is no longer
        assert {s.article_id for s in states if s.read} == {table.metas[markup].id}


async def test_a_row_the_scan_took_away_is_not_acted_on(
    app_for: AppFor, indexed: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    gone: list[str] = []
    real = library_screen.read_snapshot

    def without(ws: Workspace) -> LibrarySnapshot:
        release.wait(20)
        snapshot = real(ws)
        metas = [m for m in snapshot.metas if m.id not in gone]
        return dataclasses.replace(snapshot, metas=metas)

    monkeypatch.setattr(library_screen, "read_snapshot", without)
    app = app_for()
    try:
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(3):
                await pilot.pause()
            screen = app.screen
            assert isinstance(screen, LibraryScreen) and screen.snapshot.pending
            table = screen.query_one(LibraryTable)
            await pilot.press(*["j"] * row_of(table, "harbour"))
            gone.append(str(table.selected_id))
            await pilot.press("m", "enter")
            release.set()
            await settle(pilot)
            assert app.screen is screen
            assert "That article is no longer in the library" in messages(app)
            states = await app.call_store(app.ws.store.reading_states)
            assert {s.article_id for s in states if s.read} == set(gone)  # read as it was
    finally:
        release.set()


async def test_m_twice_on_one_row_leaves_it_as_it_was(app_for: AppFor, indexed: bytes) -> None:
    """Each ``m`` toggles the mark the one before left, though neither is saved yet."""
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        screen = await library(pilot)
        assert not screen.snapshot.pending
        table = screen.query_one(LibraryTable)
        await pilot.press(*["j"] * row_of(table, "long walk"))
        busy = threading.Event()  # the store thread busy with a long save meanwhile
        app.run_worker(app.call_store(busy.wait, 20))
        await pilot.press("m", "m")
        busy.set()
        await settle(pilot)
        states = await app.call_store(app.ws.store.reading_states)
        assert {s.article_id for s in states if s.read} == {meta_titled(app.ws, "harbour").id}
