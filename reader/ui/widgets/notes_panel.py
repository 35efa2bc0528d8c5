"""The notes of the open article: quote and text of each, orphans marked; Enter jumps."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.models import PlacedNote
from reader.safety import visible, visible_line
from reader.ui.safe_text import truncate


def note_prompt(placed: PlacedNote, text: str = "") -> Content:
    """One list entry: where the note points, its quote and its text, all literal."""
    note = placed.note
    if note.anchor is None:
        head = Content.styled("Article note", "bold $secondary")
    elif placed.orphaned:
        head = Content.assemble(
            ("⚠ passage not found: ", "bold $warning"),
            (visible_line(truncate(note.anchor.exact, 60)), "italic"),
        )
    else:
        exact = text[placed.start : placed.end] if text else note.anchor.exact
        head = Content.styled("“" + visible_line(truncate(exact, 70)) + "”", "italic $text-muted")
    body = Content(visible(note.text.strip()) or "(empty)")
    parts: list[Content] = [head, Content("\n"), body]
    if note.tags:
        parts.append(Content("\n"))
        parts.append(Content.styled(visible_line(" ".join("#" + t for t in note.tags)), "$accent"))
    return Content("").join(parts)


class NotesPanel(Vertical, can_focus=False):
    """A list of the article's notes beside the text."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit note", id="notes.edit"),
        Binding("d,delete", "delete", "Delete note", id="notes.delete"),
    ]

    class Jump(Message):
        """Show this note's passage."""

        def __init__(self, placed: PlacedNote) -> None:
            super().__init__()
            self.placed = placed

    class Edit(Message):
        def __init__(self, placed: PlacedNote) -> None:
            super().__init__()
            self.placed = placed

    class Delete(Message):
        def __init__(self, placed: PlacedNote) -> None:
            super().__init__()
            self.placed = placed

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.notes: list[PlacedNote] = []

    def compose(self) -> ComposeResult:
        yield Static(Content.styled("Notes", "bold"), id="notes-title")
        yield OptionList(id="notes-list")

    @property
    def option_list(self) -> OptionList:
        return self.query_one("#notes-list", OptionList)

    def show(self, notes: list[PlacedNote], text: str = "") -> None:
        """List ``notes`` (reading order, article notes first, orphans last)."""
        article_notes = [n for n in notes if n.note.anchor is None]
        passage = [n for n in notes if n.note.anchor is not None and not n.orphaned]
        orphans = [n for n in notes if n.note.anchor is not None and n.orphaned]
        self.notes = article_notes + passage + orphans
        options = self.option_list
        highlighted = options.highlighted
        selected_id = (
            self.notes[highlighted].note.id
            if highlighted is not None and highlighted < len(self.notes)
            else None
        )
        options.clear_options()
        options.add_options([Option(note_prompt(n, text), id=n.note.id) for n in self.notes])
        count = len(self.notes)
        title = f"Notes ({count})" if count else "Notes — none yet (n adds one)"
        self.query_one("#notes-title", Static).update(Content.styled(title, "bold"))
        if selected_id is not None:
            for index, placed in enumerate(self.notes):
                if placed.note.id == selected_id:
                    options.highlighted = index
                    break

    def focus_list(self) -> None:
        """Focus the list with a note highlighted, so Enter, e and d act at once."""
        options = self.option_list
        options.focus()
        if options.highlighted is None and options.option_count:
            options.highlighted = 0

    @property
    def highlighted(self) -> PlacedNote | None:
        index = self.option_list.highlighted
        if index is None or not 0 <= index < len(self.notes):
            return None
        return self.notes[index]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        placed = self.highlighted
        if placed is not None:
            self.post_message(self.Jump(placed))

    def action_edit(self) -> None:
        placed = self.highlighted
        if placed is not None:
            self.post_message(self.Edit(placed))

    def action_delete(self) -> None:
        placed = self.highlighted
        if placed is not None:
            self.post_message(self.Delete(placed))
