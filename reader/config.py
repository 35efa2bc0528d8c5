"""The TOML settings file: where the libraries are, the theme, the entity backend, the keys.

Loading never raises: a settings file with a mistake must not stop someone from reading.
Each problem becomes a warning that names the file, the line and what is wrong, and the
default is used for whatever could not be read. Nothing here creates a folder except
:func:`save_theme` and :func:`write_default`, which are asked to write.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.atomic_file import write_atomically
from reader.errors import ReaderError
from reader.safety import visible_line

if TYPE_CHECKING:
    import tomllib

DEFAULT_THEME = "textual-dark"
DEFAULT_ENTITIES = "builtin"


@dataclass
class Settings:
    """Effective settings; every field has a default so a missing file is a valid one."""

    #: Extra library folders, scanned besides the bundled articles and the user's library.
    library_dirs: list[Path] = field(default_factory=list)
    #: The annotation database; None means the default in the data folder.
    db: Path | None = None
    #: Where exports go; None means the default in the data folder.
    export_dir: Path | None = None
    #: Any Textual theme name; the UI checks it and falls back when unknown.
    theme: str = DEFAULT_THEME
    #: Entity backend: "builtin" or "spacy:MODEL".
    entities: str = DEFAULT_ENTITIES
    #: Binding id -> keys (comma separated), handed to ``App.set_keymap``.
    keys: dict[str, str] = field(default_factory=dict)


class ConfigExists(ReaderError):
    """``reader config --init`` would overwrite a settings file."""


DEFAULT_CONFIG = """\
# Settings for reader. Every line is optional; a commented line shows the default.
# Paths may start with ~ ; a relative path is taken from this file's folder.

# Extra folders of articles (.txt, .md, .html), scanned with their subfolders.
# library_dirs = ["~/Articles"]

# The annotation database (notes, tags, reading state).
# db = "~/.local/share/reader/annotations.json"

# Where `reader export` writes.
# export_dir = "~/.local/share/reader/exports"

# Any Textual theme: textual-dark, textual-light, nord, gruvbox, dracula, ...
# theme = "textual-dark"

# How people, places and organisations are found: "builtin" or "spacy:en_core_web_sm".
# entities = "builtin"

# Key bindings: binding id = keys (comma separated). `reader config` lists the ids in use.
[keys]
# "app.quit" = "ctrl+q"
"""

_PATH_KEYS = ("db", "export_dir")
_STRING_KEYS = ("theme", "entities")
_KNOWN = ("library_dirs", *_PATH_KEYS, *_STRING_KEYS, "keys")


def load_settings(path: Path | None) -> tuple[Settings, list[str]]:
    """Settings from ``path`` plus warnings for every problem; a missing file is no problem."""
    settings = Settings()
    if path is None:
        return settings, []
    shown = visible_line(str(path))
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        return settings, []
    except IsADirectoryError:
        return settings, [f"{shown}: is a folder, not a settings file; using defaults"]
    except OSError as exc:
        reason = visible_line(exc.strerror or str(exc))
        return settings, [f"{shown}: cannot be read ({reason}); using defaults"]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return settings, [f"{shown}: line {line}: not UTF-8 text; using defaults"]
    import tomllib  # here: most runs have no settings file, and start-up counts

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return settings, [f"{shown}: {_toml_problem(exc)}; using defaults"]
    warnings: list[str] = []
    _apply(settings, data, text, Path(path), shown, warnings)
    return settings, warnings


def _toml_problem(exc: tomllib.TOMLDecodeError) -> str:
    """'line N, column M: what' from tomllib's '... (at line N, column M)' message."""
    message = str(exc)
    found = re.search(r"\s*\(at line (\d+), column (\d+)\)\s*$", message)
    if found is None:
        found_end = re.search(r"\s*\(at end of document\)\s*$", message)
        if found_end:
            return f"at the end: {message[: found_end.start()]}"
        return visible_line(message)
    what = message[: found.start()]
    return f"line {found.group(1)}, column {found.group(2)}: {visible_line(what)}"


def _line_of(text: str, key: str) -> str:
    """'line N: ' for the first line assigning ``key``, or '' when it cannot be found."""
    pattern = re.compile(rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\")\s*=", re.MULTILINE)
    found = pattern.search(text)
    if found is None:
        header = re.compile(rf"^\s*\[\s*{re.escape(key)}\s*\]", re.MULTILINE).search(text)
        found = header
    if found is None:
        return ""
    return f"line {text.count(chr(10), 0, found.start()) + 1}: "


def _apply(
    settings: Settings, data: dict[str, Any], text: str, path: Path, shown: str, out: list[str]
) -> None:
    base = path.parent

    def warn(key: str, problem: str) -> None:
        out.append(f"{shown}: {_line_of(text, key)}{problem}")

    def as_path(raw: str) -> Path:
        p = Path(raw).expanduser()
        return p if p.is_absolute() else base / p

    for key, value in data.items():
        name = visible_line(key)
        if key not in _KNOWN:
            known = ", ".join(_KNOWN)
            warn(key, f"unknown setting {name!r} (known: {known}); ignored")
        elif key == "library_dirs":
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                warn(key, "library_dirs must be a list of folder names; ignored")
                continue
            settings.library_dirs = [as_path(v) for v in value if v.strip()]
        elif key in _PATH_KEYS:
            if not isinstance(value, str) or not value.strip():
                warn(key, f"{name} must be a path in quotes; ignored")
                continue
            setattr(settings, key, as_path(value))
        elif key in _STRING_KEYS:
            if not isinstance(value, str) or not value.strip():
                warn(key, f"{name} must be a name in quotes; ignored")
                continue
            setattr(settings, key, value.strip())
        elif key == "keys":
            if not isinstance(value, dict):
                warn(key, "keys must be a [keys] table of binding id = keys; ignored")
                continue
            for binding, keys in _flatten(value):
                if not isinstance(keys, str) or not keys.strip():
                    label = visible_line(binding)
                    warn(binding, f"keys for {label!r} must be keys in quotes; ignored")
                    continue
                settings.keys[binding] = keys.strip()


def _flatten(table: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """Binding ids from a table: unquoted ``app.quit = ...`` is a nested table in TOML."""
    pairs: list[tuple[str, Any]] = []
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            pairs.extend(_flatten(value, f"{name}."))
        else:
            pairs.append((name, value))
    return pairs


def _toml_string(value: str) -> str:
    """A TOML basic string; JSON's escapes are valid TOML ones."""
    return json.dumps(value, ensure_ascii=False)


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, text.encode("utf-8"), default_mode=0o644)


#: A top-level ``theme = ...`` line: the key bare or quoted, the value a string (or
#: anything up to a comment), then an optional comment, which is kept.
_THEME_LINE = re.compile(
    r"""^(?P<key>[ \t]*(?:theme|"theme"|'theme')[ \t]*=[ \t]*)"""
    r"""(?:"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^#\n]*?)"""
    r"""(?P<comment>[ \t]*(?:\#.*)?)$""",
    re.MULTILINE,
)
_TABLE_HEADER = re.compile(r"^[ \t]*\[", re.MULTILINE)


def save_theme(path: Path, theme: str) -> None:
    """Set ``theme`` in the settings file, keeping every other line and comment as it is.

    The top-level ``theme = ...`` line is rewritten; without one, the line goes before the
    first ``[table]`` so that it stays a top-level key.
    """
    value = _toml_string(theme)
    line = f"theme = {value}"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    header = _TABLE_HEADER.search(text)
    top_end = header.start() if header else len(text)
    existing = _THEME_LINE.search(text, 0, top_end)
    if existing:
        kept = existing.group("key") + value + existing.group("comment")
        text = text[: existing.start()] + kept + text[existing.end() :]
    elif header:
        text = text[:top_end] + line + "\n\n" + text[top_end:]
    else:
        text = text + ("" if not text or text.endswith("\n") else "\n") + line + "\n"
    _write_atomic(path, text)


def write_default(path: Path, force: bool = False) -> None:
    """Write the commented default settings file; refuses to overwrite unless ``force``."""
    if path.exists() and not force:
        raise ConfigExists(f"{visible_line(str(path))} exists; use --force to overwrite it")
    _write_atomic(path, DEFAULT_CONFIG)


def describe(settings: Settings) -> dict[str, Any]:
    """The effective settings as plain data, for ``reader config`` and ``--json``."""
    return {
        "library_dirs": [str(p) for p in settings.library_dirs],
        "db": str(settings.db) if settings.db else None,
        "export_dir": str(settings.export_dir) if settings.export_dir else None,
        "theme": settings.theme,
        "entities": settings.entities,
        "keys": dict(settings.keys),
    }
