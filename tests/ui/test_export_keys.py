"""The export keys: x in the reader, X in the library; files written, a notification."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from reader.ui.screens.reader import ReaderScreen
from reader.workspace import Workspace
from tests.ui.helpers import app_on, settle, workspace_with

SIZE = (110, 30)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = workspace_with(
        tmp_path,
        {"walk.txt": "A walk\n\nWe walked to the hill.\n"},
        export_dir=tmp_path / "out [bold]",
    )
    yield workspace
    workspace.close()


def messages(pilot: Pilot[object]) -> list[str]:
    return [n.message for n in pilot.app._notifications]


async def test_x_exports_the_open_article(ws: Workspace) -> None:
    seed = next(m for m in ws.articles() if m.title.startswith("Syrian"))
    ws.store.add_note(seed.id, "Check the evacuation figures")
    app = app_on(ws)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.push_screen(ReaderScreen(ws, seed))
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        files = list(ws.locations.export_dir.glob("*.md"))
        assert len(files) == 1
        assert "Check the evacuation figures" in files[0].read_text(encoding="utf-8")
        note = messages(pilot)[-1]
        assert str(files[0]) in note  # the path, "[bold]" and all, shown literally


async def test_shift_x_exports_every_annotated_article(ws: Workspace) -> None:
    metas = ws.articles()
    for meta in metas:
        ws.store.add_note(meta.id, f"note on {meta.title}")
    app = app_on(ws)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("X")
        await settle(pilot)
        files = sorted(ws.locations.export_dir.glob("*.md"))
        assert len(metas) >= 2
        assert len(files) == len(metas)
        expected = f"Exported {len(metas)} articles to {ws.locations.export_dir}"
        assert messages(pilot)[-1] == expected
