"""Titles, article text, notes and messages are shown literally: markup is never parsed.

The fixture article ``markup.txt`` has the title ``[bold red]x[/] [@click=app.quit]quit[/]``;
if any of it reached Textual as markup, the title would turn red or become a quit button.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Static, TextArea
from textual.widgets._toast import Toast

from reader.ui.app import ReaderApp
from reader.ui.screens.note_editor import NoteEditor
from reader.ui.screens.reader import ReaderScreen
from reader.ui.screens.tag_editor import TagPicker
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.library_table import LibraryTable
from reader.ui.widgets.notes_panel import NotesPanel
from tests.ui.conftest import SIZE
from tests.ui.helpers import settle

EVIL = "[bold red]x[/] [@click=app.quit]quit[/]"


def no_markup_styles(spans: object) -> bool:
    return all("@click" not in str(s.style) and "red" not in str(s.style) for s in spans)  # type: ignore[attr-defined]


async def test_markup_is_literal_everywhere(app_for: Callable[..., ReaderApp]) -> None:
    app = app_for()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        # library row
        table = app.screen.query_one(LibraryTable)
        titles = [table.cells(r)[1] for r in range(table.row_count)]
        cell = next(t for t in titles if "click" in t.plain)
        assert cell.plain == EVIL
        assert no_markup_styles(cell.spans)

        # reader: title and text
        await pilot.press("slash", *"click", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        title = screen.query_one("#reader-title", Static).render()
        assert str(title) == EVIL
        view = screen.query_one(ArticleView)
        shown = "".join(seg.text for y in range(view.size.height) for seg in view.render_line(y))
        assert "[@click=app.quit]quit[/]" in shown
        for y in range(view.size.height):
            for seg in view.render_line(y):
                assert seg.style is None or "@click" not in str(seg.style.meta)

        # clicking the title or the text does not quit
        await pilot.click("#reader-title")
        await pilot.click(ArticleView, offset=(view._left() + 20, 2))
        await settle(pilot)
        assert app.is_running and app.return_code is None

        # notes panel
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        app.screen.query_one(TextArea).insert(EVIL)
        await pilot.press("ctrl+s")
        await settle(pilot)
        panel = screen.query_one(NotesPanel)
        prompt = panel.option_list.get_option_at_index(0).prompt
        assert EVIL in prompt.plain  # type: ignore[union-attr]
        assert no_markup_styles(prompt.spans)  # type: ignore[union-attr]

        # a notification carrying user text (an unknown tag typed in the tag picker)
        await pilot.press("q")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TagPicker)
        await pilot.press(*"[@click=app.quit]quit[/]", "enter")
        await settle(pilot)
        toasts = list(app.screen.query(Toast))
        assert toasts
        rendered = toasts[-1].render()
        assert "[@click=app.quit]quit[/]" in str(rendered)
        await pilot.click(Toast)
        await settle(pilot)
        assert app.is_running and app.return_code is None
