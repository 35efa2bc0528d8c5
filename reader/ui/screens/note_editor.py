"""Writing a note: the quoted passage above a multi-line editor; Ctrl+S saves, Esc cancels."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from reader.safety import visible
from reader.ui.safe_text import truncate
from reader.ui.widgets.steady_footer import SteadyFooter


class NoteEditor(ModalScreen[str | None]):
    """Dismisses with the note text, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="note_editor.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="note_editor.cancel"),
    ]

    #: Focused as the editor mounts, so keys typed the moment it shows land in the text.
    AUTO_FOCUS = "#note-editor-text"

    def __init__(self, quote: str | None, text: str = "", heading: str = "New note") -> None:
        super().__init__()
        #: The passage the note is about; None for a note on the whole article.
        self.quote = quote
        self.initial = text
        self.heading = heading

    def compose(self) -> ComposeResult:
        with Vertical(id="note-editor"):
            yield Static(Content.styled(self.heading, "bold"), id="note-editor-title")
            if self.quote is None:
                about = Content.styled("On the whole article", "italic $text-muted")
            else:
                shown = truncate(visible(self.quote), 400)
                about = Content.styled("“" + shown + "”", "italic $text-muted")
            yield Static(about, id="note-editor-quote")
            yield TextArea(self.initial, id="note-editor-text", soft_wrap=True)
        yield SteadyFooter()

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)
