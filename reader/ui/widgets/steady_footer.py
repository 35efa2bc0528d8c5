"""Textual's footer, composed again only when the keys it shows change.

Textual's ``Footer`` recomposes (one widget mounted per key) on every refresh of a screen's
bindings: the focus moving, the screen resuming, a widget asking. Opening the reader
screen did that three or four times, about a tenth of a second each, before the text
could paint. This one compares what it would show with what it shows, once per refresh.

Composed before the screen's focus is set, it shows nothing until the first change, as
Textual's does (the focused widget's keys would be missing). Mounted after, it shows the
keys at once and is never composed again unless they change.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


class SteadyFooter(Footer):
    """A ``Footer`` that recomposes only when its keys, labels or their states change."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        #: What the footer shows now (None: nothing yet).
        self._shown: tuple[object, ...] | None = None
        self._check_pending = False

    def compose(self) -> ComposeResult:
        if self.screen.focused is not None:
            self._bindings_ready = True
        self._shown = self._keys_to_show() if self._bindings_ready else None
        yield from super().compose()

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or self._check_pending:
            return
        if self.is_attached and screen is self.screen:
            # False when it could not be scheduled: the next change must try again
            self._check_pending = self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        self._check_pending = False
        if self.is_attached and self._keys_to_show() != self._shown:
            await self.recompose()

    def _keys_to_show(self) -> tuple[object, ...]:
        """Everything ``Footer.compose`` reads from the screen's bindings."""
        active = self.screen.active_bindings
        keys = tuple(
            (binding, enabled, tooltip)
            for _, binding, enabled, tooltip in active.values()
            if binding.show
        )
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        palette_key = None if palette is None else (palette.binding, palette.enabled)
        return (self.show_command_palette, self.compact, palette_key, keys)
