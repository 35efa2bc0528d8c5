"""Untrusted strings -> Textual ``Content`` / Rich ``Text``, never markup.

Titles, sources, tags, note text and file names come from files and users. Textual parses a
plain ``str`` handed to ``Static``, ``Label``, notifications and many widgets as markup, actions
included, so ``[@click=app.quit]`` in a title would become a live button. Everything the UI
shows from outside goes through these helpers, which build styled objects from plain text.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.style import Style
from rich.text import Text
from textual.content import Content

from reader.cells import clip
from reader.safety import visible, visible_line

#: A piece of a line: plain text and an optional style (a Textual style string or Rich Style).
Piece = tuple[str, str | Style | None]


def line(text: str, style: str = "") -> Content:
    """One-line field (title, tag, file name) as literal Content, control characters shown."""
    content = Content(visible_line(text))
    return content.stylize(style) if style else content


def block(text: str, style: str = "") -> Content:
    """Multi-line text (a note, a quote) as literal Content; line breaks kept."""
    content = Content(visible(text))
    return content.stylize(style) if style else content


def join(pieces: Iterable[tuple[str, str]], one_line: bool = True) -> Content:
    """Content from ``(text, style)`` pieces, each text taken literally."""
    make = visible_line if one_line else visible
    return Content.assemble(*[(make(text), style) for text, style in pieces])


def cell(text: str, style: str | Style = "") -> Text:
    """A DataTable cell: a Rich ``Text`` (DataTable parses plain strings as markup)."""
    return Text(visible_line(text), style=style, no_wrap=True, overflow="ellipsis")


def truncate(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` terminal cells with an ellipsis (previews)."""
    return clip(" ".join(text.split()), width)
