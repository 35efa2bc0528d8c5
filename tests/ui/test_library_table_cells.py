"""The list's quick way with plain cells draws exactly what Rich's way draws, and the
list draws each cell's own style (bold for unread), which Rich leaves out of its segments."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text

from reader.ui.widgets.library_table import LibraryTable, plain_cell
from tests.ui.helpers import app_on, settle, workspace_with


def through_rich(text: Text, width: int) -> str:
    text = text.copy()
    text.truncate(width, overflow="ellipsis")
    if text.justify == "right":
        text.pad_left(width - text.cell_len)
    text.truncate(width, pad=True)
    segments = list(text.render(Console()))
    assert all(not segment.style for segment in segments)
    return "".join(segment.text for segment in segments)


@pytest.mark.parametrize(
    "text",
    [
        Text("Harbour news", style="bold"),
        Text("A title far longer than the column it has to fit in"),
        Text("1,234", justify="right"),
        Text("12345678", justify="right"),
        Text(""),
        Text(" "),
    ],
)
@pytest.mark.parametrize("width", [1, 2, 7, 12, 40])
def test_plain_cells_match_rich(text: Text, width: int) -> None:
    quick = plain_cell(text, width)
    assert quick is not None
    assert quick == through_rich(text, width)


@pytest.mark.parametrize(
    "text",
    [Text("Zoë's café"), Text("東京の港"), Text("•"), Text.assemble(("a", "dim"), ("b", "bold"))],
)
def test_other_cells_go_through_rich(text: Text) -> None:
    assert plain_cell(text, 10) is None


def title_styles(table: LibraryTable, title: str) -> set[bool]:
    """Whether each cell of ``title`` on screen is drawn bold."""
    for y in range(1, table.size.height):
        strip = table.render_line(y)
        if title in strip.text:
            return {bool(s.style and s.style.bold) for s in strip if title in s.text}
    raise AssertionError(f"{title!r} is not on screen")


async def test_unread_titles_are_drawn_bold_and_read_ones_are_not(tmp_path: Path) -> None:
    files = {"a.txt": "Alpha Notes\n\nThe body.\n", "h.txt": "Harbour News\n\nThe body.\n"}
    app = app_on(workspace_with(tmp_path, files, include_seeds=False))
    async with app.run_test(size=(100, 20)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(LibraryTable)
        assert table.selected_id is not None and "Alpha" in table.metas[table.cursor_row].title
        assert title_styles(table, "Harbour News") == {True}  # unread, not under the cursor
        await pilot.press("m", "j")  # Alpha read, the cursor (drawn bold itself) moves on
        await settle(pilot)
        assert title_styles(table, "Alpha Notes") == {False}
