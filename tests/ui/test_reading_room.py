"""The reading room end to end through Pilot: library, reader, notes, tags and state."""

from __future__ import annotations

import asyncio
import errno
from collections.abc import Callable

from textual.geometry import Offset
from textual.selection import Selection
from textual.widgets import DataTable, Input, OptionList, Static, TextArea

from reader.store import Store
from reader.ui.app import ReaderApp
from reader.ui.screens.confirm import Confirm
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.note_editor import NoteEditor
from reader.ui.screens.reader import ReaderScreen
from reader.ui.screens.tag_editor import TagEditor, TagPicker
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.library_table import LibraryTable
from reader.ui.widgets.notes_panel import NotesPanel
from tests.ui.conftest import SIZE
from tests.ui.helpers import settle

AppFor = Callable[..., ReaderApp]
FIRST_SENTENCE = "Maria Camilleri has worked the Grand Harbour in Valletta since 1998."


def table_titles(app: ReaderApp) -> list[str]:
    table = app.screen.query_one(LibraryTable)
    return [table.cells(row)[1].plain for row in range(table.row_count)]


async def open_article(pilot, words: str) -> ReaderScreen:  # type: ignore[no-untyped-def]
    """Type to filter the library, then Enter opens the best match."""
    await settle(pilot)
    await pilot.press("slash", *words, "enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReaderScreen), screen
    return screen


async def write_note(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(pilot.app.screen, NoteEditor)
    pilot.app.screen.query_one(TextArea).insert(text)
    await pilot.press("ctrl+s")
    await settle(pilot)


# -- library ------------------------------------------------------------------------------


async def test_library_lists_every_article_with_unreadable_greyed(app_for: AppFor) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        titles = table_titles(app)
        assert len(titles) == 4
        broken = next(t for t in titles if "broken" in t)
        assert "binary file" in broken
        table = app.screen.query_one(LibraryTable)
        row = titles.index(broken)
        assert "dim" in str(table.cells(row)[1].spans[0].style)


async def test_type_to_filter(app_for: AppFor) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"valletta")  # no binding: typing goes to the filter
        await settle(pilot)
        assert app.screen.query_one("#library-filter", Input).value == "valletta"
        assert table_titles(app) == ["The harbour at Valletta"]
        await pilot.press("escape")  # back to the table, then clear
        await pilot.press("escape")
        await settle(pilot)
        assert len(table_titles(app)) == 4


async def test_sort_cycles_keys(app_for: AppFor) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        assert screen.sort_key == "title"
        await pilot.press("s")
        assert screen.sort_key == "source"
        assert table_titles(app)[0] == "The harbour at Valletta"  # Coastal Review first
        await pilot.press("s")
        assert screen.sort_key == "words"
        await settle(pilot)
        assert "walk" in table_titles(app)[-1]  # the longest last
        await pilot.press("s", "s", "s")
        assert screen.sort_key == "title"


async def test_filter_by_tag_with_picker(app_for: AppFor, ws) -> None:  # type: ignore[no-untyped-def]
    harbour = next(m for m in ws.articles() if "Valletta" in m.title)
    walk = next(m for m in ws.articles() if "walk" in m.title)
    ws.store.add_tags(harbour.id, ["travel", "malta"])
    ws.store.add_tags(walk.id, ["travel"])
    ws.store.close()
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TagPicker)
        await pilot.press(*"mal", "enter")
        await settle(pilot)
        assert table_titles(app) == ["The harbour at Valletta"]
        await pilot.press("t")
        await settle(pilot)
        await pilot.press(*"TRAVEL", "enter")
        await settle(pilot)
        assert sorted(table_titles(app)) == [
            "The harbour at Valletta",
            "The long walk to the coast",
        ]


# -- reader: paragraphs and notes ---------------------------------------------------------


async def test_open_and_move_current_paragraph(app_for: AppFor) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_article(pilot, "valletta")
        view = screen.view
        assert view.article is not None and view.current_block == 0
        await pilot.press("j", "j", "down")
        assert view.current_block == 3
        await pilot.press("k")
        assert view.current_block == 2
        title = screen.query_one("#reader-title", Static).render()
        assert "The harbour at Valletta" in str(title)


async def test_click_makes_paragraph_current(app_for: AppFor) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_article(pilot, "walk")
        view = screen.view
        layout = view._layout
        assert layout is not None
        first, _ = layout.block_lines(3)
        x = view._left() + 10
        await pilot.click(ArticleView, offset=(x, first))
        assert view.current_block == 3


async def test_paragraph_note_saved(app_for: AppFor, db) -> None:  # type: ignore[no-untyped-def]
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_article(pilot, "valletta")
        await pilot.press("j", "n")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.quote is not None and editor.quote.startswith("Maria Camilleri")
        await write_note(pilot, "Since 1998.")
        notes = app.ws.store.notes(screen.meta.id)
        assert [n.text for n in notes] == ["Since 1998."]
        anchor = notes[0].anchor
        assert anchor is not None and anchor.exact.startswith("Maria Camilleri")
        assert screen.placed and screen.view._note_blocks == {1}


async def test_keyboard_selection_note(app_for: AppFor) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_article(pilot, "valletta")
        await pilot.press("j", "v")
        sel = screen.view.selection
        assert sel is not None
        text = screen.article.text  # type: ignore[union-attr]
        assert text[sel[0] : sel[1]] == FIRST_SENTENCE
        await pilot.press("l")
        sel = screen.view.selection
        assert sel is not None and text[sel[0] : sel[1]].endswith("most of them.")
        await pilot.press("h")
        sel = screen.view.selection
        assert sel is not None and text[sel[0] : sel[1]].endswith("since 1998.")
        await pilot.press("n")
        await settle(pilot)
        await write_note(pilot, "first sentence")
        (note,) = app.ws.store.notes(screen.meta.id)
        assert note.anchor is not None
        assert note.anchor.exact == FIRST_SENTENCE


async def test_mouse_selection_note(app_for: AppFor) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_article(pilot, "valletta")
        view = screen.view
        layout = view._layout
        assert layout is not None and view.article is not None
        text = view.article.text
        start = text.index("Grand Harbour")
        y = layout.line_of(start)
        line = layout.lines[y]
        x0 = view._text_x(line) + (start - line.start)
        x1 = x0 + len("Grand Harbour")
        app.screen.selections = {view: Selection.from_offsets(Offset(x0, y), Offset(x1, y))}
        await pilot.pause()
        assert app.screen.get_selected_text() == "Grand Harbour"
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor) and app.screen.quote == "Grand Harbour"
        await write_note(pilot, "the big one")
        (note,) = app.ws.store.notes(screen.meta.id)
        assert note.anchor is not None and (note.anchor.start, note.anchor.exact) == (
            start,
            "Grand Harbour",
        )


async def test_article_note(app_for: AppFor) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_article(pilot, "valletta")
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor) and app.screen.quote is None
        await write_note(pilot, "A good piece\non harbours.")
        (note,) = app.ws.store.notes(screen.meta.id)
        assert note.anchor is None and note.text == "A good piece\non harbours."
        panel = screen.query_one(NotesPanel)
        assert panel.notes[0].note.id == note.id


async def test_edit_delete_confirm_and_undo(app_for: AppFor) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_article(pilot, "valletta")
        await pilot.press("n")
        await settle(pilot)
        await write_note(pilot, "draft")
        await pilot.press("p")  # notes panel, focused
        await settle(pilot)
        assert isinstance(app.focused, OptionList)
        app.focused.highlighted = 0
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == "draft"
        await write_note(pilot, " edited")
        (note,) = app.ws.store.notes(screen.meta.id)
        assert note.text == "draft edited"
        # delete, but say no
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await settle(pilot)
        assert len(app.ws.store.notes(screen.meta.id)) == 1
        # delete, yes
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.ws.store.notes(screen.meta.id) == []
        assert screen.query_one(NotesPanel).notes == []
        # undo
        await pilot.press("u")
        await settle(pilot)
        (restored,) = app.ws.store.notes(screen.meta.id)
        assert restored.id == note.id and restored.text == "draft edited"
        assert len(screen.query_one(NotesPanel).notes) == 1


async def test_jump_to_note_passage(app_for: AppFor) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_article(pilot, "walk")
        for _ in range(30):
            await pilot.press("j")
        await pilot.press("n")
        await settle(pilot)
        await write_note(pilot, "far down")
        await pilot.press("g")
        assert screen.view.current_block == 0
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.view.current_block == 30
        assert app.focused is screen.view


async def test_failed_save_keeps_text(app_for: AppFor, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from reader.atomic_storage import SaveFailed

    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_article(pilot, "valletta")

        def refuse(*args: object, **kwargs: object) -> None:
            raise SaveFailed(app.ws.locations.db, OSError(errno.ENOSPC, "No space left on device"))

        monkeypatch.setattr(app.ws.store, "add_note", refuse)
        await pilot.press("n")
        await settle(pilot)
        await write_note(pilot, "precious words")
        # The app keeps running; the editor is back with the text.
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == "precious words"
        assert any("the disk is full" in str(n.message) for n in app._notifications)
        monkeypatch.undo()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [n.text for n in app.ws.store.notes(screen.meta.id)] == ["precious words"]


# -- tags ---------------------------------------------------------------------------------


async def test_tags_add_remove_bad_and_completion(app_for: AppFor, ws) -> None:  # type: ignore[no-untyped-def]
    walk = next(m for m in ws.articles() if "walk" in m.title)
    ws.store.add_tags(walk.id, ["maritime"])
    ws.store.close()
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_article(pilot, "valletta")
        await pilot.press("t")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, TagEditor)
        await pilot.press(*"  Malta ", "enter")
        await pilot.press(*"#Harbour", "enter")
        assert editor.tags == ["malta", "harbour"]
        # a bad tag is refused with the rule it breaks
        await pilot.press(*"two words", "enter")
        message = str(editor.query_one("#tag-editor-message", Static).render())
        assert "whitespace" in message
        assert editor.tags == ["malta", "harbour"]
        editor.query_one(Input).value = ""
        # completion from tags already in use
        await pilot.press(*"mar")
        await pilot.pause()
        await pilot.press("right", "enter")
        assert editor.tags == ["malta", "harbour", "maritime"]
        # remove one: up to the list, then d
        await pilot.press("up")
        editor.query_one(OptionList).highlighted = 1
        await pilot.press("d")
        assert editor.tags == ["malta", "maritime"]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.ws.store.tags(screen.meta.id) == ("malta", "maritime")
        meta = str(screen.query_one("#reader-meta", Static).render())
        assert "#malta" in meta


# -- state --------------------------------------------------------------------------------


async def test_notes_and_position_survive_a_restart(app_for: AppFor) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot, "walk")
        for _ in range(12):
            await pilot.press("j")
        await pilot.press("n")
        await settle(pilot)
        await write_note(pilot, "remember me")
        await pilot.press("q")  # back to the library saves the position
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
    again = app_for()
    async with again.run_test(size=SIZE) as pilot:
        screen = await open_article(pilot, "walk")
        assert screen.view.current_block == 12
        assert [p.note.text for p in screen.placed] == ["remember me"]
        layout = screen.view._layout
        assert layout is not None
        first, _ = layout.block_lines(12)
        assert screen.view.scroll_y <= first < screen.view.scroll_y + screen.view.size.height


async def test_read_state_at_end_and_toggle(app_for: AppFor) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_article(pilot, "walk")
        assert not screen.read
        await pilot.press("G")
        await settle(pilot)
        assert screen.read
        assert app.ws.store.reading_state(screen.meta.id).read
        await pilot.press("m")
        await settle(pilot)
        assert not app.ws.store.reading_state(screen.meta.id).read
        await pilot.press("m", "q")
        await settle(pilot)
        await pilot.press("escape")  # the library kept the filter typed to open it
        await settle(pilot)
        titles = table_titles(app)
        table = app.screen.query_one(LibraryTable)
        row = titles.index("The long walk to the coast")
        assert table.cells(row)[0].plain.strip() == ""  # no unread marker
        other = titles.index("The harbour at Valletta")
        assert table.cells(other)[0].plain == "•"


async def test_external_change_is_picked_up(app_for: AppFor, db) -> None:  # type: ignore[no-untyped-def]
    app = app_for(poll=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_article(pilot, "valletta")
        other = Store.open(db)
        try:
            other.add_note(screen.meta.id, "from the command line")
            other.add_tags(screen.meta.id, ["cli"])
        finally:
            other.close()
        for _ in range(100):
            await asyncio.sleep(0.1)
            if screen.placed:
                break
        await settle(pilot)
        assert [p.note.text for p in screen.placed] == ["from the command line"]
        assert screen.tags == ("cli",)


# -- keys ---------------------------------------------------------------------------------


async def test_help_lists_the_bindings(app_for: AppFor) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot, "valletta")
        await pilot.press("question_mark")
        await settle(pilot)
        table = app.screen.query_one("#help-table", DataTable)
        ids = {str(table.get_cell_at((row, 3))) for row in range(table.row_count)}
        assert {"reader.add_note", "article.next_paragraph", "notes.delete", "app.quit"} <= ids
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)


async def test_keymap_from_settings_remaps_by_id(app_for: AppFor) -> None:
    app = app_for()
    app.ws.settings.keys["reader.add_note"] = "w"
    app.set_keymap(dict(app.ws.settings.keys))
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot, "valletta")
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
