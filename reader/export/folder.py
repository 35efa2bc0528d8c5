"""Write one Markdown file per article into a folder, safely and re-runnably.

File names come from titles (see :mod:`reader.filenames`) and can never leave the folder.
A file is overwritten only when it is this article's earlier export (its front matter
holds the same ``reader_id``), so exporting into an Obsidian vault never clobbers the
user's own notes: a clash gets the article id as a suffix instead. A file whose content
would change only in its ``exported:`` time is left alone, so re-exports diff cleanly.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from reader.atomic_file import write_atomically
from reader.export.collection import ExportItem
from reader.export.gather import gather
from reader.export.options import ExportOptions
from reader.export.render import ID_KEY
from reader.filenames import MAX_STEM_CHARS, contained_path, name_key, safe_stem

if TYPE_CHECKING:
    from reader.workspace import Workspace

SUFFIX = ".md"
#: Bytes read at a time from an existing file while looking for the end of its front matter.
_HEAD_BYTES = 8192
#: Front matter longer than this (many long tags, say) is not looked for any further.
_MAX_FRONT_MATTER = 1 << 20
_EXPORTED_LINE = re.compile(r"^exported: .*$", re.MULTILINE)


def now_stamp() -> str:
    """The export time the CLI and the app pass: local time with its offset, to seconds."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def export_to_folder(
    ws: Workspace,
    article_ids: Iterable[str],
    folder: Path | None = None,
    options: ExportOptions | None = None,
    exported_at: str | None = None,
) -> list[Path]:
    """Export each article to its own file in ``folder`` (default: the export folder).

    The folder is created on first write. Returns the files, in the order of
    ``article_ids``, including ones left untouched because nothing but the time changed.
    """
    options = options or ExportOptions()
    items = gather(ws, article_ids, options)
    return write_items(items, folder or ws.locations.export_dir, options, exported_at)


def write_items(
    items: list[ExportItem],
    folder: Path,
    options: ExportOptions,
    exported_at: str | None = None,
) -> list[Path]:
    """Render and write ``items`` into ``folder``; the pure half of :func:`export_to_folder`."""
    stamp = exported_at or now_stamp()
    if items:
        folder.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    paths = []
    for item in items:
        path = choose_path(folder, item.meta.title, item.meta.id, taken)
        taken.add(name_key(path.name))
        write_if_changed(path, item.render(options, stamp))
        paths.append(path)
    return paths


def choose_path(folder: Path, title: str, article_id: str, taken: set[str]) -> Path:
    """The first free name among ``Title.md``, ``Title (id8).md``, ``Title (id).md``…

    A name is free if no other article of this run took it and no file of someone else
    holds it. Every candidate goes through :func:`contained_path`.
    """
    id_tag = safe_stem(article_id, fallback="article")
    tags = ["", id_tag[:8], id_tag, *(f"{id_tag} {n}" for n in range(2, 1000))]
    for tag in tags:
        room = MAX_STEM_CHARS - len(tag) - 3
        stem = safe_stem(title, fallback="Untitled", max_chars=room)
        name = f"{stem} ({tag}){SUFFIX}" if tag else f"{stem}{SUFFIX}"
        if name_key(name) in taken:
            continue
        try:
            path = contained_path(folder, name)
        except ValueError:
            continue
        if not os.path.lexists(path) or owner_of(path) == article_id:
            return path
    raise OSError(f"no free file name for {title!r} in {folder}")  # pragma: no cover


def owner_of(path: Path) -> str | None:
    """The ``reader_id`` in a file's front matter, or None if it is not one of ours."""
    if path.is_symlink() or not path.is_file():
        return None
    head = _front_matter(path)
    if head is None:
        return None
    try:
        data = yaml.safe_load(head)
    except yaml.YAMLError:
        return None
    value = data.get(ID_KEY) if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def _front_matter(path: Path) -> str | None:
    """The YAML between a file's opening and closing ``---`` lines, if it starts with one."""
    head = b""
    try:
        with path.open("rb") as fh:
            while len(head) < _MAX_FRONT_MATTER:
                chunk = fh.read(_HEAD_BYTES)
                head += chunk
                if not head.startswith(b"---\n"[: len(head)]) or not chunk:
                    break
                end = head.find(b"\n---\n", 3)
                if end != -1:
                    return head[4:end].decode("utf-8", errors="replace")
    except OSError:
        return None
    return None


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` atomically unless the file differs only in its export time.

    Returns True if the file was written.
    """
    try:
        old = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        old = None
    if old is not None and _without_time(old) == _without_time(text):
        return False
    write_atomic(path, text)
    return True


def _without_time(text: str) -> str:
    return _EXPORTED_LINE.sub("exported:", text, count=1)


def write_atomic(path: Path, text: str) -> None:
    """An export file: ordinary permissions, LF line ends, crash-safe replacement."""
    write_atomically(path, text.encode("utf-8"), default_mode=0o644)
