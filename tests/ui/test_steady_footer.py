"""SteadyFooter: Textual's footer keys, composed again only when they change."""

from __future__ import annotations

from typing import ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets._footer import FooterKey

from reader.ui.widgets.steady_footer import SteadyFooter


class Box(Widget, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("x", "mark", "Mark")]

    marking = False

    def action_mark(self) -> None:
        self.marking = not self.marking
        self.refresh_bindings()

    def action_unmark(self) -> None:
        self.action_mark()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.marking if action == "unmark" else True


class Boxed(Box):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("u", "unmark", "Unmark")]


class Host(App[None]):
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Boxed()
        yield SteadyFooter()


def descriptions(screen: Screen[object]) -> list[str]:
    return [key.description for key in screen.query(FooterKey)]


async def test_composed_in_a_screen_it_shows_the_focused_keys_and_follows_changes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    recomposed: list[int] = []
    original = SteadyFooter.recompose

    async def counting(self: SteadyFooter) -> None:
        recomposed.append(1)
        await original(self)

    monkeypatch.setattr(SteadyFooter, "recompose", counting)
    app = Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.pause()
        assert descriptions(app.screen) == ["Mark", "Quit"]
        settled = len(recomposed)
        for _ in range(3):
            app.screen.refresh_bindings()
            await pilot.pause()
        assert len(recomposed) == settled  # the same keys: nothing composed
        await pilot.press("x")
        await pilot.pause()
        await pilot.pause()
        assert descriptions(app.screen) == ["Mark", "Unmark", "Quit"]
        assert len(recomposed) == settled + 1


def test_the_footer_internals_it_relies_on_are_still_there() -> None:
    """It sets Footer's ``_bindings_ready``; a Textual that renamed it would leave the
    footer empty without an error, so this fails first."""
    from textual.widgets import Footer

    assert "_bindings_ready" in Footer._reactives
