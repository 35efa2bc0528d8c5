"""The list's quick way with plain cells draws exactly what Rich's way draws (text and
styles: a cell's own style is not in Rich's segments either)."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.text import Text

from reader.ui.widgets.library_table import plain_cell


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
