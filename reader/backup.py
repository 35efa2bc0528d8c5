"""Every annotation to one documented JSON file and back (docs/backup-format.md).

A backup is independent of the database's own layout, so it stays readable when the schema
changes. Restoring merges: nothing already in the database is duplicated or lost, a note
present on both sides keeps the version edited last.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from reader.atomic_file import write_atomically
from reader.errors import ReaderError
from reader.models import Note, ReadingState
from reader.store import (
    Store,
    anchor_from_doc,
    anchor_to_doc,
    note_from_doc,
    now_iso,
    record_from_doc,
)
from reader.tags import BadTag, normalize_tags

FORMAT = "reader-backup"
VERSION = 1


class BadBackup(ReaderError):
    """The file is not a backup this version of reader can restore; nothing was changed."""

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"cannot restore {source}: {problem}. Nothing was changed.")


# -- writing ---------------------------------------------------------------------------


def backup_data(store: Store) -> dict[str, Any]:
    """The backup document for everything in ``store``."""
    dump = store.dump()
    notes = []
    for doc in dump["notes"]:
        note = note_from_doc(doc)
        notes.append(
            {
                "id": note.id,
                "article_id": note.article_id,
                "text": note.text,
                "anchor": anchor_to_doc(note.anchor),
                "tags": list(note.tags),
                "created": note.created,
                "updated": note.updated,
            }
        )
    articles = []
    for doc in dump["articles"]:
        rec = record_from_doc(doc)
        articles.append(
            {
                "id": rec.id,
                "path": rec.path,
                "title": rec.title,
                "size": doc.get("size") if isinstance(doc.get("size"), int) else 0,
                "hashes": list(rec.hashes),
                "tags": list(rec.tags),
                "added": str(doc.get("added", "")),
            }
        )
    reading = [
        {
            "article_id": state.article_id,
            "position": state.position,
            "read": state.read,
            "opened": state.opened,
        }
        for state in store.reading_states()
    ]
    return {
        "format": FORMAT,
        "version": VERSION,
        "created": now_iso(),
        "articles": articles,
        "notes": notes,
        "reading": reading,
    }


def dumps(data: dict[str, Any]) -> bytes:
    """Indented UTF-8 JSON (lone surrogates, which UTF-8 cannot hold, as escapes)."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    try:
        return text.encode("utf-8") + b"\n"
    except UnicodeEncodeError:
        return json.dumps(data, indent=1).encode("ascii") + b"\n"


def write_backup(store: Store, dest: Path | IO[bytes]) -> dict[str, int]:
    """Write a backup to a file (atomically) or a binary stream; returns counts per part."""
    data = backup_data(store)
    payload = dumps(data)
    if isinstance(dest, Path):
        _write_atomic(dest, payload)
    else:
        dest.write(payload)
        dest.flush()
    return {name: len(data[name]) for name in ("articles", "notes", "reading")}


def _write_atomic(path: Path, payload: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, payload)
    except OSError as exc:
        raise ReaderError(f"could not write the backup {path}: {exc.strerror or exc}") from exc


# -- reading ---------------------------------------------------------------------------


def load_backup(raw: bytes, source: str = "the backup") -> dict[str, Any]:
    """Parse and check a backup; :class:`BadBackup` says what is wrong and where."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise BadBackup(source, "it is not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise BadBackup(
            source, f"not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BadBackup(source, f'it is not a reader backup (no "format": "{FORMAT}")')
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise BadBackup(source, f"the format version {version!r} is not a number")
    if version > VERSION:
        raise BadBackup(
            source, f"it has format version {version}; this reader reads up to {VERSION}"
        )
    for part in ("articles", "notes", "reading"):
        if not isinstance(data.get(part, []), list):
            raise BadBackup(source, f'"{part}" must be a list')
    return data


def _text(entry: dict[str, Any], key: str, where: str, source: str, default: str = "") -> str:
    value = entry.get(key, default)
    if not isinstance(value, str):
        raise BadBackup(source, f'{where}: "{key}" must be text')
    return value


def _tags(entry: dict[str, Any], where: str, source: str) -> tuple[str, ...]:
    tags = entry.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise BadBackup(source, f'{where}: "tags" must be a list of text')
    try:
        return normalize_tags(tags)
    except BadTag as exc:
        raise BadBackup(source, f"{where}: {exc}") from exc


def _notes(data: dict[str, Any], source: str) -> list[Note]:
    notes = []
    for i, entry in enumerate(data.get("notes", []), 1):
        where = f"note #{i}"
        if not isinstance(entry, dict):
            raise BadBackup(source, f"{where} is not an object")
        nid = _text(entry, "id", where, source)
        article = _text(entry, "article_id", where, source)
        if not nid or not article:
            raise BadBackup(source, f'{where}: "id" and "article_id" cannot be empty')
        raw_anchor = entry.get("anchor")
        anchor = anchor_from_doc(raw_anchor)
        if raw_anchor is not None and anchor is None:
            raise BadBackup(source, f'{where}: "anchor" needs an "exact" text')
        notes.append(
            Note(
                id=nid,
                article_id=article,
                text=_text(entry, "text", where, source),
                anchor=anchor,
                tags=_tags(entry, where, source),
                created=_text(entry, "created", where, source),
                updated=_text(entry, "updated", where, source),
            )
        )
    return notes


def _articles(data: dict[str, Any], source: str) -> list[dict[str, Any]]:
    records = []
    for i, entry in enumerate(data.get("articles", []), 1):
        where = f"article #{i}"
        if not isinstance(entry, dict):
            raise BadBackup(source, f"{where} is not an object")
        aid = _text(entry, "id", where, source)
        if not aid:
            raise BadBackup(source, f'{where}: "id" cannot be empty')
        hashes = entry.get("hashes", [])
        if not isinstance(hashes, list) or not all(isinstance(h, str) for h in hashes):
            raise BadBackup(source, f'{where}: "hashes" must be a list of text')
        size = entry.get("size", 0)
        records.append(
            {
                "id": aid,
                "path": _text(entry, "path", where, source),
                "title": _text(entry, "title", where, source),
                "size": size if isinstance(size, int) and not isinstance(size, bool) else 0,
                "hashes": list(hashes),
                "tags": list(_tags(entry, where, source)),
                "added": _text(entry, "added", where, source),
            }
        )
    return records


def _reading(data: dict[str, Any], source: str) -> list[ReadingState]:
    states = []
    for i, entry in enumerate(data.get("reading", []), 1):
        where = f"reading state #{i}"
        if not isinstance(entry, dict):
            raise BadBackup(source, f"{where} is not an object")
        aid = _text(entry, "article_id", where, source)
        position = entry.get("position", 0)
        read = entry.get("read", False)
        if not aid or not isinstance(position, int) or position < 0:
            raise BadBackup(source, f"{where}: needs an article_id and a position >= 0")
        if not isinstance(read, bool):  # "false" must not read as true
            raise BadBackup(source, f"{where}: read must be true or false")
        states.append(ReadingState(aid, position, read, _text(entry, "opened", where, source)))
    return states


@dataclass
class RestoreReport:
    """What a restore did, per part: added, updated (the backup's was newer) or kept."""

    notes: Counter[str] = field(default_factory=Counter)
    articles: Counter[str] = field(default_factory=Counter)
    reading: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        def part(name: str, counts: Counter[str]) -> str:
            return (
                f"{name}: {counts['added']} added, {counts['updated']} updated, "
                f"{counts['kept']} already there"
            )

        return "\n".join(
            [
                part("notes", self.notes),
                part("articles", self.articles),
                part("reading positions", self.reading),
            ]
        )


def restore(store: Store, data: dict[str, Any], source: str = "the backup") -> RestoreReport:
    """Merge a loaded backup into ``store`` in one write; checks everything first."""
    articles = _articles(data, source)
    notes = _notes(data, source)
    reading = _reading(data, source)
    report = RestoreReport()
    with store.batch():
        for record in articles:
            report.articles[store.merge_record(record)] += 1
        for note in notes:
            report.notes[store.merge_note(note)] += 1
        for state in reading:
            report.reading[store.merge_reading(state)] += 1
    return report


def restore_file(store: Store, path: Path) -> RestoreReport:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BadBackup(str(path), exc.strerror or str(exc)) from exc
    return restore(store, load_backup(raw, str(path)), str(path))
