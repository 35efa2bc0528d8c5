"""Schema versions of the annotation database and the steps that carry old files forward.

Schema 0 is the layout of the first releases, before the ``meta`` table existed:

* ``notes``: ``{"id", "article", "text", "quote", "offset", "tags": "a, b", "time"}``:
  a passage was only its quote and start offset (no context to re-find it after an edit),
  tags were one comma-separated string and there was a single timestamp;
* ``tags``: one document per (article, tag) pair, ``{"article", "tag"}``, in the case the
  user typed it;
* ``articles``: ``{"id", "path", "title", "hash"}``, one hash per article;
* ``positions``: ``{"article", "position", "read"}``.

Schema 1 (current) is described in docs/reliability.md: ``meta``, ``articles`` (with tags
and every content hash seen), ``notes`` (with a full anchor and a tag list), ``reading``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from reader.tags import BadTag, normalize_tag

Data = dict[str, dict[str, dict[str, Any]]]

CURRENT_SCHEMA = 1


def schema_of(data: Data) -> int | object | None:
    """The schema version stored in ``data``; None for an empty (new) database.

    A file with tables but no ``meta`` table is schema 0. Whatever is stored is returned
    as is, so a caller can report a nonsense version instead of guessing.
    """
    meta = data.get("meta", {}).get("1")
    if meta is not None and "schema" in meta:
        return meta["schema"]
    if any(data.get(name) for name in data if name != "meta"):
        return 0
    return None


def _tag_list(raw: object) -> list[str]:
    """Tags from an old record, normalised; ones that are not valid tags any more are dropped."""
    items = raw.split(",") if isinstance(raw, str) else raw if isinstance(raw, list) else []
    tags: dict[str, None] = {}
    for item in items:
        if not isinstance(item, str):
            continue
        try:
            tags.setdefault(normalize_tag(item), None)
        except BadTag:
            continue
    return list(tags)


def _from_0_to_1(data: Data) -> Data:
    articles: dict[str, dict[str, Any]] = {}
    for doc in data.get("articles", {}).values():
        aid = doc.get("id")
        if not isinstance(aid, str) or not aid:
            continue
        hashes = [doc["hash"]] if isinstance(doc.get("hash"), str) else []
        articles[aid] = {
            "id": aid,
            "path": str(doc.get("path", "")),
            "title": str(doc.get("title", "")),
            "size": 0,
            "hashes": hashes,
            "tags": [],
        }
    for doc in data.get("tags", {}).values():
        aid = doc.get("article")
        if not isinstance(aid, str) or not aid:
            continue
        record = articles.setdefault(
            aid, {"id": aid, "path": "", "title": "", "size": 0, "hashes": [], "tags": []}
        )
        for tag in _tag_list([doc.get("tag")]):
            if tag not in record["tags"]:
                record["tags"].append(tag)

    notes: dict[str, dict[str, Any]] = {}
    for doc in data.get("notes", {}).values():
        quote = doc.get("quote")
        offset = doc.get("offset")
        anchor = None
        if isinstance(quote, str) and quote:
            start = offset if isinstance(offset, int) and offset >= 0 else 0
            anchor = {
                "exact": quote,
                "prefix": "",
                "suffix": "",
                "start": start,
                "end": start + len(quote),
            }
        stamp = str(doc.get("time", ""))
        nid = doc.get("id")
        notes[str(len(notes) + 1)] = {
            "id": nid if isinstance(nid, str) and nid else uuid.uuid4().hex[:16],
            "article": str(doc.get("article", "")),
            "text": str(doc.get("text", "")),
            "anchor": anchor,
            "tags": _tag_list(doc.get("tags", "")),
            "created": stamp,
            "updated": stamp,
        }

    reading: dict[str, dict[str, Any]] = {}
    for doc in data.get("positions", {}).values():
        aid = doc.get("article")
        if not isinstance(aid, str) or not aid:
            continue
        position = doc.get("position")
        reading[str(len(reading) + 1)] = {
            "article": aid,
            "position": position if isinstance(position, int) and position >= 0 else 0,
            "read": bool(doc.get("read", False)),
            "opened": "",
        }

    return {
        "meta": {"1": {"schema": 1}},
        "articles": {str(i): rec for i, rec in enumerate(articles.values(), 1)},
        "notes": notes,
        "reading": reading,
    }


#: ``STEPS[n]`` turns schema ``n`` into schema ``n + 1``.
STEPS: dict[int, Callable[[Data], Data]] = {0: _from_0_to_1}


def migrate(data: Data, version: int) -> Data:
    """Carry ``data`` from ``version`` to :data:`CURRENT_SCHEMA`, one step at a time."""
    while version < CURRENT_SCHEMA:
        data = STEPS[version](data)
        version += 1
    return data
