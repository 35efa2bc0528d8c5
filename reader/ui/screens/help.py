"""Every key of the current screen and the app, read from the bindings themselves.

Nothing here is written by hand, so the list cannot drift from what the keys do, and keys a
user remapped in the settings file show as remapped.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from reader.ui.safe_text import cell
from reader.ui.widgets.steady_footer import SteadyFooter


def binding_rows(app_nodes: Iterable[DOMNode]) -> list[tuple[str, str, str, str]]:
    """(where, keys, description, id) for every binding of ``app_nodes``, keys merged."""
    rows: list[tuple[str, str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    for node in app_nodes:
        where = _where(node)
        by_action: dict[str, tuple[Binding, list[str]]] = {}
        # BindingsMap of the node, with the user's keymap applied by Textual.
        for key, binding in node._bindings:
            if binding.system:
                continue
            entry = by_action.setdefault(binding.id or binding.action, (binding, []))
            entry[1].append(node.app.get_key_display(Binding(key, binding.action)))
        for name, (binding, keys) in by_action.items():
            if (where, name) in seen:
                continue
            seen.add((where, name))
            description = binding.description or binding.tooltip or binding.action
            rows.append((where, ", ".join(dict.fromkeys(keys)), description, binding.id or ""))
    return rows


def _where(node: DOMNode) -> str:
    if node is node.app:
        return "Everywhere"
    name = type(node).__name__
    for suffix in ("Screen", "View", "Panel", "Table"):
        if name.endswith(suffix) and name != suffix:
            return name[: -len(suffix)] + " " + suffix.lower()
    return name


def nodes_of(screen: Screen[object]) -> list[DOMNode]:
    """The screen, its widgets that have keys, then the app."""
    nodes: list[DOMNode] = [screen]
    for widget in screen.walk_children():
        if type(widget).__module__.startswith("reader.") and widget._bindings.key_to_bindings:
            nodes.append(widget)
    nodes.append(screen.app)
    return nodes


class HelpScreen(ModalScreen[None]):
    """The keys of the screen underneath and of the app; any key listed here works there."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Static(Content.styled("Keys", "bold"), id="help-title")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            yield Static(
                Content.styled(
                    "Remap a key in the settings file under [keys]: binding id = keys.",
                    "$text-muted",
                ),
                id="help-hint",
            )
        yield SteadyFooter()

    def on_mount(self) -> None:
        stack = self.app.screen_stack
        below = stack[-2] if len(stack) > 1 else self.app.screen
        table = self.query_one(DataTable)
        table.add_columns("Where", "Keys", "Does", "Id")
        for where, keys, description, binding_id in binding_rows(nodes_of(below)):
            table.add_row(
                cell(where, "dim"), cell(keys, "bold"), cell(description), cell(binding_id, "dim")
            )
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
