"""Tags: editing an article's tags, and picking one tag to filter the library by.

Tags are checked with :func:`reader.tags.normalize_tag` as they are typed, so a bad one is
refused on the spot with the rule it breaks, before anything is saved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from reader.errors import ReaderError
from reader.safety import visible_line
from reader.ui.widgets.steady_footer import SteadyFooter


def _normalize(raw: str) -> str:
    from reader.tags import normalize_tag

    return normalize_tag(raw)


def tag_option(tag: str, count: int | None = None) -> Option:
    label = Content.assemble(("#" + visible_line(tag), "bold"))
    if count is not None:
        label = label + Content.styled(f"  {count}", "$text-muted")
    return Option(label, id=tag)


class TagEditor(ModalScreen[tuple[str, ...] | None]):
    """Dismisses with the article's new tags (Ctrl+S / Esc keeps them; Ctrl+G discards)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Done", id="tag_editor.save", priority=True),
        Binding("escape", "save", "Done", show=False, id="tag_editor.done"),
        Binding("ctrl+g", "cancel", "Discard changes", id="tag_editor.cancel"),
        Binding("delete,d,x", "remove", "Remove tag", id="tag_editor.remove"),
        Binding("up", "focus_list", "Tags", show=False, id="tag_editor.list"),
    ]

    def __init__(self, title: str, tags: Sequence[str], known: Mapping[str, int]) -> None:
        super().__init__()
        self.article_title = title
        #: The tags as edited so far, normalised.
        self.tags: list[str] = list(tags)
        self.known = dict(known)

    def compose(self) -> ComposeResult:
        with Vertical(id="tag-editor"):
            yield Static(
                Content.assemble(
                    ("Tags of ", "bold"), (visible_line(self.article_title), "italic")
                ),
                id="tag-editor-title",
            )
            yield OptionList(id="tag-editor-list")
            yield Input(
                placeholder="Add a tag and press Enter (Tab completes)",
                suggester=SuggestFromList(
                    sorted(self.known, key=lambda t: -self.known[t]), case_sensitive=False
                ),
                id="tag-editor-input",
            )
            yield Static(id="tag-editor-message")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self._show()
        self.query_one(Input).focus()

    def _show(self) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([tag_option(t) for t in self.tags])
        if not self.tags:
            options.add_option(Option(Content.styled("no tags yet", "$text-muted"), disabled=True))

    def _say(self, text: str, style: str = "") -> None:
        self.query_one("#tag-editor-message", Static).update(
            Content.styled(visible_line(text), style)
        )

    @on(Input.Submitted, "#tag-editor-input")
    def _add(self, event: Input.Submitted) -> None:
        raw = event.value
        if not raw.strip():
            self.action_save()
            return
        added: list[str] = []
        for piece in raw.split(","):
            if not piece.strip():
                continue
            try:
                tag = _normalize(piece)
            except ReaderError as exc:
                self._say(str(exc), "bold $error")
                return
            if tag not in self.tags:
                self.tags.append(tag)
                added.append(tag)
        event.input.value = ""
        self._show()
        self._say(
            "added " + ", ".join("#" + t for t in added) if added else "already there", "$success"
        )

    def action_focus_list(self) -> None:
        options = self.query_one(OptionList)
        if self.tags:
            options.focus()
            if options.highlighted is None:
                options.highlighted = len(self.tags) - 1

    def action_remove(self) -> None:
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is None or not 0 <= index < len(self.tags):
            if self.tags:
                options.focus()
                options.highlighted = len(self.tags) - 1
            return
        removed = self.tags.pop(index)
        self._show()
        if self.tags:
            options.highlighted = min(index, len(self.tags) - 1)
        self._say("removed #" + removed, "$warning")

    def action_save(self) -> None:
        self.dismiss(tuple(self.tags))

    def action_cancel(self) -> None:
        self.dismiss(None)


class TagPicker(ModalScreen[str | None]):
    """Pick one tag to filter by; dismisses with it, "" for no tag filter, None to cancel."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="tag_picker.cancel"),
        Binding("ctrl+x", "clear", "No tag filter", id="tag_picker.clear"),
        Binding("down", "focus_list", "List", show=False, id="tag_picker.list"),
    ]

    def __init__(self, counts: Mapping[str, int], current: str | None = None) -> None:
        super().__init__()
        self.counts = dict(counts)
        self.current = current

    def compose(self) -> ComposeResult:
        ordered = sorted(self.counts, key=lambda t: (-self.counts[t], t))
        with Vertical(id="tag-picker"):
            yield Static(Content.styled("Filter by tag", "bold"), id="tag-picker-title")
            yield Input(
                placeholder="Tag (Tab completes, Enter picks)",
                suggester=SuggestFromList(ordered, case_sensitive=False),
                id="tag-picker-input",
            )
            yield OptionList(
                *[tag_option(t, self.counts[t]) for t in ordered], id="tag-picker-list"
            )
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if not self.counts:
            self.query_one(OptionList).add_option(
                Option(
                    Content.styled("no tags yet: press t in an article to add some", "$text-muted"),
                    disabled=True,
                )
            )

    @on(Input.Changed, "#tag-picker-input")
    def _narrow(self, event: Input.Changed) -> None:
        text = event.value.strip().lstrip("#").casefold()
        ordered = sorted(self.counts, key=lambda t: (not t.startswith(text), -self.counts[t], t))
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([tag_option(t, self.counts[t]) for t in ordered if text in t])

    @on(Input.Submitted, "#tag-picker-input")
    def _submit(self, event: Input.Submitted) -> None:
        raw = event.value.strip()
        if not raw:
            options = self.query_one(OptionList)
            if options.option_count and options.highlighted is not None:
                option = options.get_option_at_index(options.highlighted)
                self.dismiss(option.id)
            return
        try:
            tag = _normalize(raw)
        except ReaderError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if tag in self.counts:
            self.dismiss(tag)
            return
        options = self.query_one(OptionList)
        if options.option_count:
            first = options.get_option_at_index(0)
            if first.id:
                self.dismiss(first.id)
                return
        self.notify(f"no article is tagged #{visible_line(tag)}", severity="warning", markup=False)

    @on(OptionList.OptionSelected, "#tag-picker-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(event.option.id)

    def action_focus_list(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        if options.highlighted is None and options.option_count:
            options.highlighted = 0

    def action_clear(self) -> None:
        self.dismiss("")

    def action_cancel(self) -> None:
        self.dismiss(None)
