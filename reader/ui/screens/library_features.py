"""What the library screen adds to the list: the jump key and exporting every note.

:class:`LibraryFeatures` is the library screen's base class, so these keys live next to
the code they run and the screen itself stays about listing and filtering.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.screen import Screen

from reader.ui.export_keys import EXPORT_LIBRARY_BINDING, export_notes

if TYPE_CHECKING:
    from reader.workspace import Workspace


class LibraryFeatures(Screen[None]):
    """Base of the library screen: export all (``X``) and jump (``:``, or ctrl+p anywhere)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        EXPORT_LIBRARY_BINDING,
        Binding("colon", "app.jump", "Jump", show=False, id="library.jump"),
    ]

    ws: Workspace

    @work(group="export")
    async def action_export_library(self) -> None:
        await export_notes(self.app, self.ws, None, "the library")
