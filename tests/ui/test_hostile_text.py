"""Scripts a terminal finds hard: right-to-left, combining marks, zero-width characters,
emoji (ZWJ sequences and flags) and wide CJK, in the reader's article view.

Every rendered line fits the view, shows exactly the article text it stands for (nothing
dropped, nothing split inside a character cluster), highlights line up with their spans,
and a note on a selection of such text anchors to exactly that text, also after a restart.
The end of the file adds the markup checks ``test_untrusted_text.py`` leaves out: tag names
in the tag editor, notes in the notes panel and jump box results.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.style import Style
from textual.geometry import Offset
from textual.pilot import Pilot
from textual.selection import Selection
from textual.widgets import Input, OptionList, TextArea

from reader.anchoring import locate, place_notes
from reader.ui.app import ReaderApp, make_app
from reader.ui.screens.jump import JumpScreen
from reader.ui.screens.note_editor import NoteEditor
from reader.ui.screens.reader import ReaderScreen
from reader.ui.screens.reader_features import MARK_FIND, MARK_FIND_CURRENT
from reader.ui.screens.tag_editor import TagEditor
from reader.ui.search_service import service_for
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.notes_panel import NotesPanel
from reader.workspace import Workspace
from tests.ui.helpers import settle

ZWJ = "\u200d"
ZWSP = "\u200b"
SCIENTIST = "👩" + ZWJ + "🔬"
FAMILY = "👨" + ZWJ + "👩" + ZWJ + "👧" + ZWJ + "👦"
ASSAD = "بشار الأسد"
TITLE = "Hostile scripts: " + ASSAD + " in 東京都"
PARAGRAPHS = [
    f"Talal al-Barazi met {ASSAD} in Homs on 12 May 2018. The cafe\u0301 served cre\u0300me "
    f"bru\u0302le\u0301e to a scientist {SCIENTIST} and a family {FAMILY} under flags 🇸🇾 and "
    "🇯🇵, and nobody in 東京都 noticed.",
    f"Zero{ZWSP}width{ZWSP}spaces{ZWSP}hide{ZWSP}between{ZWSP}words, a soft\u00adhyphen too; "
    "東京都の人口は約千四百万人で、東京都庁は新宿にあります。" * 3,
    "東京都" * 40,
    SCIENTIST * 30,
    "e\u0301" * 90,
    f"قال {ASSAD} إن المدينة ستبقى، وقال Talal al-Barazi إن حمص ستعود. " * 4,
    FAMILY + " " + "🇸🇾" * 25 + " " + "a\u0308" * 10 + " done",
]
ARTICLE = TITLE + "\n\n" + "\n\n".join(PARAGRAPHS) + "\n"
WIDTHS = (100, 47, 31)
HEIGHT = 40


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "scripts.txt").write_text(ARTICLE, encoding="utf-8")
    return folder


@pytest.fixture
def app_for(tmp_path: Path, library: Path) -> Iterator[Callable[[], ReaderApp]]:
    """A new app on the same database each call (a restart)."""
    opened: list[Workspace] = []

    def make() -> ReaderApp:
        ws = Workspace.for_paths(db=tmp_path / "db.json", libraries=[library], include_seeds=False)
        opened.append(ws)
        return make_app(ws, poll=False, watch_theme=False)

    yield make
    for ws in opened:
        ws.close()


async def open_only_article(pilot: Pilot[object]) -> ReaderScreen:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReaderScreen), screen
    assert screen.article is not None
    return screen


def cluster_inside(text: str, i: int) -> bool:
    """True if a line starting at ``i`` would cut a character cluster in two."""
    if i <= 0 or i >= len(text):
        return False
    ch, before = text[i], text[i - 1]
    if unicodedata.combining(ch) or ch == ZWJ or before == ZWJ:
        return True
    if "\ufe00" <= ch <= "\ufe0f":
        return True
    regional = "\U0001f1e6" <= ch <= "\U0001f1ff"
    if regional and "\U0001f1e6" <= before <= "\U0001f1ff":
        # a flag is a pair: cutting between pairs is fine, inside one is not
        run = 0
        j = i - 1
        while j >= 0 and "\U0001f1e6" <= text[j] <= "\U0001f1ff":
            run += 1
            j -= 1
        return run % 2 == 1
    return False


async def rendered_lines(
    pilot: Pilot[object], view: ArticleView
) -> list[tuple[int, str, list[tuple[int, str, Style]]]]:
    """Every layout line as (virtual y, the strip's text, [(offset, char, style)])."""
    layout = view._layout
    assert layout is not None and view.article is not None
    layout.complete()
    view._sync_virtual_size()
    await pilot.pause()
    height = view.scrollable_content_region.height
    width = view.scrollable_content_region.width
    out = []
    top = 0
    while top < len(layout.lines):
        view.scroll_to(y=top, animate=False, immediate=True)
        await pilot.pause()
        scrolled = int(view.scroll_y)
        assert scrolled <= top
        for y in range(top - scrolled, min(height, len(layout.lines) - scrolled)):
            vy = scrolled + y
            strip = view.render_line(y)
            segments = list(strip)
            shown = "".join(seg.text for seg in segments)
            assert cell_len(shown) <= width, f"line {vy} is wider than the view"
            assert strip.cell_length <= width
            line = layout.lines[vy]
            chars: list[tuple[int, str, Style]] = []
            if line.block >= 0:
                x = view._text_x(line)
                column = 0
                for seg in segments:
                    for ch in seg.text:
                        if column >= x and len(chars) < line.end - line.start:
                            chars.append((line.start + len(chars), ch, seg.style or Style()))
                        column += 1
            out.append((vy, shown, chars))
        top = scrolled + height
    return out


async def test_lines_fit_and_show_exactly_their_text(app_for: Callable[[], ReaderApp]) -> None:
    app = app_for()
    async with app.run_test(size=(WIDTHS[0], HEIGHT)) as pilot:
        screen = await open_only_article(pilot)
        view = screen.view
        article = screen.article
        assert article is not None
        text = article.text
        for word in (ASSAD, SCIENTIST, FAMILY, "東京都", "cafe\u0301", ZWSP):
            assert word in text  # nothing normalised away on the way in
        for width in WIDTHS:
            await pilot.resize_terminal(width, HEIGHT)
            await settle(pilot)
            layout = view._layout
            assert layout is not None
            lines = await rendered_lines(pilot, view)
            assert len(lines) == len(layout.lines)
            measure = layout.width
            for vy, shown, chars in lines:
                line = layout.lines[vy]
                if line.block < 0:
                    continue
                part = text[line.start : line.end]
                assert cell_len(part) <= measure, (width, vy, part)
                assert "".join(ch for _, ch, _ in chars) == part, (width, vy, shown)
                assert part in shown
                assert not cluster_inside(text, line.start), (width, vy, part)
                assert not cluster_inside(text, line.end) or line.end == line.start, (width, part)
            # Together the lines hold every character of every block; breaks only at spaces.
            for index, block in enumerate(article.blocks):
                own = [layout.lines[vy] for vy, _, _ in lines if layout.lines[vy].block == index]
                assert own[0].start == block.start and own[-1].end == block.end
                for a, b in pairwise(own):
                    assert text[a.end : b.start].strip() == "", (width, text[a.end : b.start])


def style_at(
    lines: list[tuple[int, str, list[tuple[int, str, Style]]]],
) -> dict[int, tuple[str, Style]]:
    return {offset: (ch, style) for _, _, chars in lines for offset, ch, style in chars}


def assert_lined_up(
    shown: dict[int, tuple[str, Style]],
    text: str,
    start: int,
    end: int,
    styles: list[Style],
    covered: set[int],
) -> None:
    """The styled characters of the span are exactly ``text[start:end]``, no more, no less.

    A character has the span's style when one of ``styles`` (the span's own, or one that is
    drawn over it, like the current find match) is part of its style. ``covered`` holds the
    offsets of every span of the same kind: a neighbour there may share the style.
    """

    def has(offset: int) -> bool:
        return offset in shown and any(shown[offset][1] + s == shown[offset][1] for s in styles)

    inside = [o for o in range(start, end) if o in shown]
    assert "".join(shown[o][0] for o in inside) == "".join(text[o] for o in inside) and all(
        has(o) for o in inside
    ), text[start:end]
    visible = "".join(shown[o][0] for o in range(start, end) if o in shown)
    assert visible.replace(" ", "") == text[start:end].replace(" ", "")
    for outside in (start - 1, end):
        if outside in shown and outside not in covered and not text[outside].isspace():
            assert not has(outside), (text[start:end], outside)


async def test_highlights_line_up_with_their_spans(app_for: Callable[[], ReaderApp]) -> None:
    app = app_for()
    async with app.run_test(size=(WIDTHS[1], HEIGHT)) as pilot:
        screen = await open_only_article(pilot)
        view = screen.view
        text = screen.article.text  # type: ignore[union-attr]
        # entities (the builtin finder runs in the background)
        spans = list(view._entity_layer.spans)
        assert spans, "no entity was highlighted"
        lines = await rendered_lines(pilot, view)
        shown = style_at(lines)
        covered = {o for start, end, _ in spans for o in range(start, end)}
        for start, end, style in spans:
            assert_lined_up(shown, text, start, end, [style], covered)
        # find matches
        for query in ("Barazi", "東京都", "scientist"):
            await pilot.press("slash")
            await settle(pilot)
            find = screen.query_one("#find-input", Input)
            find.value = query
            await settle(pilot)
            layer = view._marks.get(MARK_FIND)
            assert layer is not None and layer.spans, query
            lines = await rendered_lines(pilot, view)
            shown = style_at(lines)
            current = view._marks.get(MARK_FIND_CURRENT)
            over = [style for _, _, style in current.spans] if current is not None else []
            covered = {o for start, end, _ in layer.spans for o in range(start, end)}
            for start, end, style in layer.spans:
                assert query.casefold() in text[start:end].casefold(), (query, text[start:end])
                assert_lined_up(shown, text, start, end, [style, *over], covered)
            await pilot.press("escape")
            await settle(pilot)


async def test_note_on_a_selection_of_hard_text_survives_a_restart(
    app_for: Callable[[], ReaderApp],
) -> None:
    app = app_for()
    async with app.run_test(size=(WIDTHS[0], HEIGHT)) as pilot:
        screen = await open_only_article(pilot)
        view = screen.view
        text = screen.article.text  # type: ignore[union-attr]
        layout = view._layout
        assert layout is not None
        # From the Arabic name through the combining marks and the ZWJ emoji: one line each
        # end, selected as the mouse would (columns are characters of the strip).
        start = text.index(ASSAD)
        end = text.index(FAMILY) + len(FAMILY)
        y0, y1 = layout.line_of(start), layout.line_of(end - 1)
        first, last = layout.lines[y0], layout.lines[y1]
        x0 = view._text_x(first) + (start - first.start)
        x1 = view._text_x(last) + (end - last.start)
        app.screen.selections = {view: Selection.from_offsets(Offset(x0, y0), Offset(x1, y1))}
        await pilot.pause()
        assert view.selection == (start, end)
        await pilot.press("n")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.quote == text[start:end]
        editor.query_one(TextArea).insert("ملاحظة 東京 " + SCIENTIST)
        await pilot.press("ctrl+s")
        await settle(pilot)
        (note,) = app.ws.store.notes(screen.meta.id)
        assert note.anchor is not None
        assert (note.anchor.start, note.anchor.end, note.anchor.exact) == (
            start,
            end,
            text[start:end],
        )
        assert locate(note.anchor, text) == (start, end)
    again = app_for()
    async with again.run_test(size=(WIDTHS[2], HEIGHT)) as pilot:
        screen = await open_only_article(pilot)
        text = screen.article.text  # type: ignore[union-attr]
        (placed,) = screen.placed
        assert not placed.orphaned
        assert (placed.start, placed.end) == (start, end)
        assert text[placed.start : placed.end] == note.anchor.exact
        assert placed.note.text == "ملاحظة 東京 " + SCIENTIST
        (again_placed,) = place_notes(again.ws.store.notes(screen.meta.id), text)
        assert (again_placed.start, again_placed.end) == (start, end)


# -- markup in tag names, notes and jump results ---------------------------------------------

MARKUP = ("$variable", "[/]", "[@click=app.quit]quit[/]", "[bold red]x[/]")


def no_actions(content: object) -> None:
    spans = getattr(content, "spans", [])
    for span in spans:
        style = str(span.style)
        assert "@click" not in style and "red" not in style, style


async def test_markup_in_tags_notes_and_jump_results_is_literal(
    tmp_path: Path, library: Path
) -> None:
    db = tmp_path / "db.json"
    ws = Workspace.for_paths(db=db, libraries=[library], include_seeds=False)
    try:
        (meta,) = ws.articles()
        for text in MARKUP:
            ws.store.add_note(meta.id, f"note {text} end")
        ws.store.close()
        app = make_app(
            Workspace.for_paths(db=db, libraries=[library], include_seeds=False),
            poll=False,
            watch_theme=False,
        )
        async with app.run_test(size=(110, 40), notifications=True) as pilot:
            screen = await open_only_article(pilot)
            # tag names typed in the tag editor ($ and [ are allowed in a tag)
            await pilot.press("t")
            await settle(pilot)
            editor = app.screen
            assert isinstance(editor, TagEditor)
            for tag in MARKUP[:3]:
                await pilot.press(*tag, "enter")
            assert editor.tags == ["$variable", "[/]", "[@click=app.quit]quit[/]"]
            options = editor.query_one(OptionList)
            for index in range(options.option_count):
                prompt = options.get_option_at_index(index).prompt
                no_actions(prompt)
            rendered = "\n".join(str(options.get_option_at_index(i).prompt) for i in range(3))
            for tag in MARKUP[:3]:
                assert "#" + tag in rendered
            await pilot.click(OptionList, offset=(4, 2))
            await settle(pilot)
            assert app.is_running and app.return_code is None
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.is_running and app.return_code is None
            assert set(app.ws.store.tags(meta.id)) == {
                "$variable",
                "[/]",
                "[@click=app.quit]quit[/]",
            }
            assert "[@click=app.quit]quit[/]" in str(screen.query_one("#reader-meta").render())

            # notes in the notes panel, clicked
            await pilot.press("p")
            await settle(pilot)
            panel = screen.query_one(NotesPanel)
            shown = []
            for index in range(panel.option_list.option_count):
                prompt = panel.option_list.get_option_at_index(index).prompt
                no_actions(prompt)
                shown.append(str(prompt))
            for text in MARKUP:
                assert any(f"note {text} end" in s for s in shown), text
            for row in range(1, 12, 2):
                await pilot.click(NotesPanel, offset=(6, row))
                await settle(pilot)
                assert app.is_running and app.return_code is None
            if not isinstance(app.screen, ReaderScreen):
                await pilot.press("escape")
                await settle(pilot)

            # jump box results: notes and tags found by their markup-like text
            assert service_for(app, app.ws).ready.wait(30)
            for query in ("click=app.quit", "$variable"):
                await pilot.press("ctrl+p")
                await settle(pilot)
                jump = app.screen
                assert isinstance(jump, JumpScreen)
                await pilot.press(*query)
                await settle(pilot)
                results = jump.query_one(OptionList)
                assert results.option_count > 0
                texts = []
                for index in range(results.option_count):
                    prompt = results.get_option_at_index(index).prompt
                    no_actions(prompt)
                    texts.append(str(prompt))
                assert any(query in t for t in texts), texts
                await pilot.click(OptionList, offset=(6, 0))
                await settle(pilot)
                assert app.is_running and app.return_code is None
                if isinstance(app.screen, JumpScreen):
                    await pilot.press("escape")
                    await settle(pilot)
        assert app.return_code is None or app.return_code == 0
    finally:
        ws.close()
