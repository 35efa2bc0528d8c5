"""Check the annotation database and repair what can be repaired, never losing the original.

``reader`` itself refuses to open a damaged file (it never overwrites one). The doctor:

* reports a missing, unreadable, damaged, newer or older file, and entries that break the
  rules (notes without an id, duplicate ids, bad tags);
* for a damaged file, copies it aside as ``<name>.corrupt-<time>``, salvages every document
  that still parses (each is one line, so damage costs only the lines it touches), adds what
  complete temp files of interrupted writers hold, and writes a fresh valid file;
* for bad entries in a valid file, copies it aside as ``<name>.before-doctor-<time>`` and
  writes it back cleaned; an older schema is migrated the same way.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from reader.atomic_file import write_atomically
from reader.atomic_storage import (
    META_ID,
    META_TABLE,
    CorruptDatabase,
    Data,
    Document,
    exclusive_lock,
    parse_database,
    serialize,
    temp_files,
)
from reader.migrations import CURRENT_SCHEMA, migrate, schema_of
from reader.store import anchor_to_doc, is_newer, note_from_doc
from reader.tags import BadTag, normalize_tag

_KEY = re.compile(r'"((?:[^"\\]|\\.)*)"\s*:\s*\{')
_TABLE_START = re.compile(r'\s*(?:"\d+"\s*:\s*\{|\})')


@dataclass
class Report:
    """What the doctor found and did, for the CLI to print."""

    path: Path
    status: str = "ok"
    problems: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the database is usable now."""
        return not self.unresolved

    def render(self) -> str:
        lines = [f"database: {self.path}", f"status: {self.status}"]
        for title, items in (
            ("found", self.problems),
            ("done", self.actions),
            ("still wrong", self.unresolved),
        ):
            if items:
                lines.append(f"{title}:")
                lines.extend(f"  - {item}" for item in items)
        return "\n".join(lines)


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


# -- salvaging a damaged file -----------------------------------------------------------


def salvage(raw: bytes) -> tuple[Data, int]:
    """Every document that still parses, by table; and how many could not be read.

    Works on this storage's one-document-per-line files and, less finely, on any TinyDB
    JSON file (compact or indented): it looks for ``"<id>": {`` and decodes from there.
    """
    text = raw.decode("utf-8", "replace")
    decoder = json.JSONDecoder()
    data: Data = {}
    table: str | None = None
    lost = 0
    pos = 0
    while True:
        match = _KEY.search(text, pos)
        if match is None:
            break
        key = match.group(1)
        brace = match.end() - 1
        if not key.isdigit():
            if _TABLE_START.match(text, match.end()):
                table = key
            pos = match.end()
            continue
        try:
            doc, end = decoder.raw_decode(text, brace)
        except json.JSONDecodeError:
            lost += 1
            newline = text.find("\n", brace)
            pos = len(text) if newline == -1 else newline + 1
            continue
        if table is not None and isinstance(doc, dict):
            data.setdefault(table, {})[key] = doc
        else:
            lost += 1
        pos = end
    return data, lost


def _merge_sources(sources: list[Data]) -> Data:
    """Documents from several salvaged copies in one data set (clean() removes duplicates)."""
    merged: Data = {}
    for data in sources:
        for name, table in data.items():
            target = merged.setdefault(name, {})
            for doc in table.values():
                target[str(len(target) + 1)] = doc
    return merged


# -- checking and cleaning entries ------------------------------------------------------


def clean(data: Data) -> tuple[Data, list[str]]:
    """Schema-1 data with every entry valid and unique; and what had to change."""
    problems: list[str] = []
    notes: dict[str, Document] = {}
    bad_notes = 0
    for doc in data.get("notes", {}).values():
        nid, article, text = doc.get("id"), doc.get("article"), doc.get("text")
        if not (isinstance(nid, str) and nid and isinstance(article, str) and article):
            bad_notes += 1
            continue
        note = note_from_doc(doc)
        tags = _clean_tags(doc.get("tags"))
        fixed: Document = {
            "id": nid,
            "article": article,
            "text": text if isinstance(text, str) else "",
            "anchor": anchor_to_doc(note.anchor),
            "tags": tags,
            "created": note.created,
            "updated": note.updated,
        }
        if fixed != doc:
            problems.append(f"note {nid}: repaired malformed fields")
        old = notes.get(nid)
        if old is not None:
            problems.append(f"note {nid}: appeared twice; kept the one edited last")
            if not is_newer(fixed["updated"], old["updated"]):
                continue
        notes[nid] = fixed
    if bad_notes:
        problems.append(f"{bad_notes} note(s) without an id or article could not be kept")

    articles: dict[str, Document] = {}
    for doc in data.get("articles", {}).values():
        aid = doc.get("id")
        if not isinstance(aid, str) or not aid:
            problems.append("an article record without an id was dropped")
            continue
        hashes = [h for h in doc.get("hashes") or [] if isinstance(h, str)]
        fixed = {**doc, "hashes": hashes, "tags": _clean_tags(doc.get("tags"))}
        if fixed != doc:
            problems.append(f"article {aid}: repaired malformed fields")
        old = articles.get(aid)
        if old is not None:
            problems.append(f"article {aid}: appeared twice; merged")
            fixed["hashes"] = old["hashes"] + [h for h in hashes if h not in old["hashes"]]
            fixed["tags"] = old["tags"] + [t for t in fixed["tags"] if t not in old["tags"]]
        articles[aid] = fixed

    reading: dict[str, Document] = {}
    for doc in data.get("reading", {}).values():
        aid = doc.get("article")
        position = doc.get("position")
        if not isinstance(aid, str) or not aid or not isinstance(position, int):
            problems.append("a malformed reading position was dropped")
            continue
        old = reading.get(aid)
        if old is not None:
            problems.append(f"reading position of {aid}: appeared twice; kept the latest")
            if not is_newer(str(doc.get("opened", "")), str(old.get("opened", ""))):
                continue
        reading[aid] = doc

    extra = set(data) - {META_TABLE, "notes", "articles", "reading"}
    if extra:
        problems.append("unknown tables kept as they are: " + ", ".join(sorted(extra)))
    meta = data.get(META_TABLE, {}).get(META_ID, {})
    cleaned: Data = {
        META_TABLE: {META_ID: {**meta, "schema": CURRENT_SCHEMA}},
        "articles": {str(i): d for i, d in enumerate(articles.values(), 1)},
        "notes": {str(i): d for i, d in enumerate(notes.values(), 1)},
        "reading": {str(i): d for i, d in enumerate(reading.values(), 1)},
    }
    for name in sorted(extra):
        cleaned[name] = data[name]
    return cleaned, problems


def _clean_tags(raw: object) -> list[str]:
    tags: dict[str, None] = {}
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, str):
            try:
                tags.setdefault(normalize_tag(item), None)
            except BadTag:
                continue
    return list(tags)


def _counts(data: Data) -> str:
    return (
        f"{len(data.get('notes', {}))} notes, {len(data.get('articles', {}))} article records, "
        f"{len(data.get('reading', {}))} reading positions"
    )


def _write(path: Path, data: Data) -> None:
    meta = data[META_TABLE][META_ID]
    meta["rev"] = secrets.token_hex(8)
    meta.pop("digest", None)  # describes the old lines; the next save writes a true one
    write_atomically(path, serialize(data))


def _as_current(data: Data) -> Data:
    version = schema_of(data)
    if isinstance(version, int) and not isinstance(version, bool) and version < CURRENT_SCHEMA:
        return migrate(data, version)
    return data


# -- the checks ---------------------------------------------------------------------------


def examine(path: Path, repair: bool = True, lock_timeout: float = 30.0) -> Report:
    """Check the database at ``path``; with ``repair``, fix what can be fixed."""
    report = Report(path)
    if not path.exists():
        report.status = "no database yet (it is created with the first note, tag or position)"
        return report
    if path.is_dir():
        report.status = "unusable"
        report.unresolved.append(f"{path} is a folder; move it away or use --db")
        return report
    try:
        with exclusive_lock(path, lock_timeout):
            _examine_locked(path, report, repair)
    except OSError as exc:
        report.unresolved.append(f"could not finish: {exc.strerror or exc}")
    return report


def _examine_locked(path: Path, report: Report, repair: bool) -> None:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        report.status = "unreadable"
        report.unresolved.append(
            f"cannot read it: {exc.strerror or exc}; fix its permissions (nothing was changed)"
        )
        return
    leftovers = temp_files(path)
    try:
        data = parse_database(raw, path)
    except CorruptDatabase as exc:
        report.status = "damaged"
        where = f" (line {exc.line}, column {exc.column})" if exc.line is not None else ""
        report.problems.append(f"{exc.problem}{where}")
        if repair:
            _recover(path, raw, leftovers, report)
        else:
            report.unresolved.append("run `reader doctor` without --check to recover it")
        return

    version = schema_of(data)
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        report.problems.append(f"the schema version {version!r} is not a number")
        version = CURRENT_SCHEMA
    if isinstance(version, int) and version > CURRENT_SCHEMA:
        report.status = "written by a newer reader"
        report.unresolved.append(
            f"schema {version} is newer than this reader's {CURRENT_SCHEMA}; upgrade reader "
            "(nothing was changed)"
        )
        return
    if version is None:
        report.status = "ok (empty)"
        return
    problems: list[str] = list(report.problems)
    report.problems.clear()
    if version < CURRENT_SCHEMA:
        problems.append(f"schema {version} is older than {CURRENT_SCHEMA}: it will be migrated")
    cleaned, entry_problems = clean(_as_current(data))
    problems += entry_problems
    if leftovers:
        report.actions.append(
            f"{len(leftovers)} temp file(s) left by an interrupted save are ignored "
            "(the database itself is complete)"
        )
    if not problems:
        report.status = f"ok ({_counts(cleaned)})"
        return
    report.status = "needs repair"
    report.problems += problems
    if not repair:
        report.unresolved.append("run `reader doctor` without --check to repair it")
        return
    aside = path.with_name(f"{path.name}.before-doctor-{_stamp()}")
    shutil.copy2(path, aside)
    report.actions.append(f"copied the original to {aside}")
    _write(path, cleaned)
    report.actions.append(f"wrote the repaired database ({_counts(cleaned)})")
    report.status = "repaired"


def _recover(path: Path, raw: bytes, leftovers: list[Path], report: Report) -> None:
    aside = path.with_name(f"{path.name}.corrupt-{_stamp()}")
    shutil.copy2(path, aside)
    report.actions.append(f"copied the damaged file to {aside}")
    salvaged, lost = salvage(raw)
    sources = [_as_current(salvaged)] if salvaged else []
    report.actions.append(
        f"salvaged {_counts(salvaged)} from it"
        + (f"; {lost} damaged entr{'y' if lost == 1 else 'ies'} could not be read" if lost else "")
    )
    for leftover in sorted(leftovers, key=lambda p: p.stat().st_mtime_ns):
        try:
            complete = parse_database(leftover.read_bytes(), leftover)
        except (CorruptDatabase, OSError):
            continue
        sources.append(_as_current(complete))
        report.actions.append(f"added what the temp file {leftover.name} holds")
    merged = _merge_sources(sources) if sources else {}
    cleaned, _ = clean(merged)
    _write(path, cleaned)
    report.actions.append(f"wrote a fresh database with {_counts(cleaned)}")
    report.status = "recovered"
