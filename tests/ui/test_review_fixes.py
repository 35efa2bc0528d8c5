"""Regression tests for UI defects found in review."""

from __future__ import annotations

from pathlib import Path

from textual.geometry import Offset
from textual.selection import Selection

from reader.ui.app import make_app
from reader.ui.screens.note_editor import NoteEditor
from reader.ui.screens.reader import ReaderScreen
from reader.workspace import Workspace


async def test_a_note_on_a_blank_selection_is_refused_not_a_crash(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "walrus.md").write_text(
        "# Walrus\n\nThe walrus sleeps on the ice.\n\nIt wakes at dawn.\n"
    )
    ws = Workspace.for_paths(tmp_path / "db.json", [lib], include_seeds=False)
    app = make_app(ws, poll=False, watch_theme=False)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            (meta,) = ws.articles()
            screen = ReaderScreen(ws, meta)
            await app.push_screen(screen)
            for _ in range(50):
                await pilot.pause()
                if screen.article is not None and screen.view._layout is not None:
                    break
            view = screen.view
            layout = view._layout
            assert layout is not None and screen.article is not None
            text = screen.article.text
            gap = text.index(" on the ice")  # the space before "on"
            y = layout.line_of(gap)
            line = layout.lines[y]
            x = view._text_x(line) + (gap - line.start)
            app.screen.selections = {view: Selection.from_offsets(Offset(x, y), Offset(x + 1, y))}
            await pilot.pause()
            assert view.selection == (gap, gap + 1)
            await pilot.press("n")
            await pilot.pause()
            assert app.screen is screen
            assert not isinstance(app.screen, NoteEditor)
            assert ws.store.notes(meta.id) == []
    finally:
        ws.close()


async def test_library_screen_shows_a_folder_it_cannot_list(
    tmp_path: Path, unlistable_library: Path
) -> None:
    ws = Workspace.for_paths(tmp_path / "db.json", [unlistable_library], include_seeds=False)
    app = make_app(ws, poll=False, watch_theme=False)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            for _ in range(50):
                await pilot.pause()
                if app._notifications:
                    break
            messages = [n.message for n in app._notifications]
            assert any("locked" in m and "cannot be listed" in m for m in messages)
    finally:
        ws.close()
