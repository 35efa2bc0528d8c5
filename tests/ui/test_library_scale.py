"""The library list with 10,000 articles, and the theme remembered in the settings file."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from textual.app import App, ComposeResult

from reader.models import ArticleMeta
from reader.ui.app import ReaderApp
from reader.ui.screens.library import order
from reader.ui.widgets.library_table import LibrarySnapshot, LibraryTable
from tests.ui.conftest import SIZE
from tests.ui.helpers import settle


def many(n: int) -> LibrarySnapshot:
    metas = [
        ArticleMeta(
            id=f"{i:016x}",
            path=Path(f"/lib/{i}.txt"),
            title=f"Article number {i} about harbour {i % 97}",
            source=f"Source {i % 13}",
            words=100 + i % 5000,
        )
        for i in range(n)
    ]
    tags = {m.id: ("harbour",) for m in metas[::10]}
    return LibrarySnapshot(metas, tags, {m.id: 2 for m in metas[::7]}, frozenset())


class Harness(App[None]):
    def compose(self) -> ComposeResult:
        yield LibraryTable()


async def test_ten_thousand_rows_populate_fast() -> None:
    snapshot = many(10_000)
    app = Harness()
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.query_one(LibraryTable)
        started = time.process_time()
        rows = order(snapshot, "", None, "title", False)
        table.show(rows, snapshot)
        await pilot.pause()
        assert time.process_time() - started < 0.5
        assert table.row_count == 10_000
        started = time.process_time()
        rows = order(snapshot, "harbour 5", "harbour", "notes", False)
        table.show(rows, snapshot)
        await pilot.pause()
        assert time.process_time() - started < 0.5
        assert 0 < table.row_count < 10_000


async def test_theme_is_remembered(app_for: Callable[..., ReaderApp]) -> None:
    app = app_for(watch_theme=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await settle(pilot)
    config = app.ws.locations.config.read_text(encoding="utf-8")
    assert 'theme = "nord"' in config
