"""Plain helpers the UI tests share: settling the app, making a workspace, opening an article."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.worker import WorkerCancelled, WorkerState

from reader.models import ArticleMeta
from reader.ui.app import ReaderApp, make_app
from reader.ui.screens.reader import ReaderScreen
from reader.workspace import Workspace


async def settle(pilot: Pilot[object]) -> None:
    """Let workers (store calls) finish and the screen repaint."""
    for _ in range(3):
        await pilot.pause()
        await wait_for_workers(pilot.app)
    await pilot.pause()


async def wait_for_workers(app: App[object]) -> None:
    """Wait for every started worker; a failed one still fails the test.

    Textual's ``wait_for_complete`` raises when a worker is cancelled while it waits, and
    the app cancels a store poll whenever the next one starts: that worker is done, not
    failed.
    """
    for worker in list(app.workers):
        if worker.state is WorkerState.PENDING:
            continue
        with contextlib.suppress(WorkerCancelled):
            await worker.wait()


def workspace_with(tmp_path: Path, files: dict[str, str] | None, **options: Any) -> Workspace:
    """A workspace on ``tmp_path/db.json`` (with the bundled seeds unless told otherwise).

    ``files`` (name to text) make a library folder ``tmp_path/library``; ``None`` means no
    library folder at all.
    """
    libraries: list[Path] = []
    if files is not None:
        library = tmp_path / "library"
        library.mkdir()
        for name, text in files.items():
            (library / name).write_text(text, encoding="utf-8")
        libraries.append(library)
    return Workspace.for_paths(db=tmp_path / "db.json", libraries=libraries, **options)


def app_on(ws: Workspace) -> ReaderApp:
    """The app on ``ws``, with polling and theme-watching off."""
    return make_app(ws, poll=False, watch_theme=False)


def seed_meta(ws: Workspace) -> ArticleMeta:
    """The bundled seed article."""
    return next(m for m in ws.articles() if m.title.startswith("Syrian rebels"))


async def open_article(pilot: Pilot[object], ws: Workspace, meta: ArticleMeta) -> ReaderScreen:
    """Settle the app, push a reader on ``meta`` and settle again."""
    await settle(pilot)
    screen = ReaderScreen(ws, meta)
    await pilot.app.push_screen(screen)
    await settle(pilot)
    return screen
