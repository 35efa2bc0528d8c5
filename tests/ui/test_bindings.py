"""Every key binding has an id (users remap keys by id) and a description (footer, help)."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

from textual.binding import Binding
from textual.dom import DOMNode

import reader.ui


def reader_ui_classes() -> list[type[DOMNode]]:
    """Widgets, screens and the app defined anywhere under reader/ui."""
    root = Path(reader.ui.__file__).parent
    found: list[type[DOMNode]] = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        module = importlib.import_module(".".join(parts))
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, DOMNode) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def test_every_binding_has_an_id_and_a_description() -> None:
    classes = reader_ui_classes()
    names = {c.__name__ for c in classes}
    assert {"ReaderApp", "LibraryScreen", "ReaderScreen", "ArticleView", "NotesPanel"} <= names
    problems: list[str] = []
    ids: dict[str, str] = {}
    for cls in classes:
        for binding in cls.__dict__.get("BINDINGS", []):
            where = f"{cls.__name__} {binding!r}"
            if not isinstance(binding, Binding):
                problems.append(f"{where}: not a Binding")
                continue
            if not binding.id:
                problems.append(f"{where}: no id")
            if not binding.description:
                problems.append(f"{where}: no description")
            if binding.id:
                owner = ids.setdefault(binding.id, cls.__name__)
                if owner != cls.__name__:
                    problems.append(f"{where}: id also used by {owner}")
    assert problems == []
