"""The jump index's service: built one article at a time, notes synced a batch at a time.

What a session holds at its peak is set here: the build must not keep every article
loaded, and a sync must not read every note of the store in one list.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import reader.library
import reader.ui.search_service as search_service
from reader.models import Anchor, Article, EntitySpan
from reader.ui.search_service import SearchService, sync_from_store
from reader.workspace import Workspace

ARTICLES = {
    f"{name}.md": f"# The {name} report\n\nDr. Anna {name.title()} visited Valletta on Monday.\n"
    for name in ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot")
}


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    lib = tmp_path / "lib"
    lib.mkdir()
    for name, text in ARTICLES.items():
        (lib / name).write_text(text, encoding="utf-8")
    workspace = Workspace.for_paths(tmp_path / "db.json", [lib], include_seeds=False)
    yield workspace
    workspace.close()


def live_articles() -> int:
    return sum(1 for o in gc.get_objects() if isinstance(o, Article))


def test_the_build_holds_one_article_at_a_time(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, int]] = []
    find = ws.entities

    def entities(article: Article) -> list[EntitySpan]:
        seen.append((article.text, live_articles()))
        return find(article)

    monkeypatch.setattr(ws, "entities", entities)
    monkeypatch.setattr(search_service, "ENTITY_PAUSE", 0)
    monkeypatch.setattr(reader.library, "CACHE_SIZE", 0)  # the library's own few, not ours
    service = SearchService(ws)
    service.build()
    assert service.error == "" and service.index is not None
    texts = sorted(text for text, _ in seen)
    assert texts == sorted(ws.load(m).text for m in ws.articles())
    # The article handed to the entity pass, and perhaps one more still being freed.
    assert max(alive for _, alive in seen) <= 2
    assert service.index.query("@anna delta")[0].article_id == next(
        m.id for m in ws.articles() if "delta" in m.title
    )


def run_sync(service: SearchService, reads: list[Any]) -> None:
    async def on_store(fn: Any, *args: Any) -> Any:
        result = fn(*args)
        reads.append((fn.__name__, result))
        return result

    asyncio.run(sync_from_store(service, on_store))


def test_notes_are_read_a_batch_of_articles_at_a_time(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    metas = ws.articles()
    for k, meta in enumerate(metas):
        ws.store.add_note(meta.id, f"Harbour ferry timetable {k}")
        ws.store.add_note(meta.id, f"Second thought {k}", Anchor("Valletta", start=0, end=8))
    ws.store.add_tags(metas[0].id, ["malta"])
    monkeypatch.setattr(search_service, "NOTE_BATCH", 2)
    service = SearchService(ws)
    service.build()
    reads: list[Any] = []
    run_sync(service, reads)
    assert service.synced.is_set() and service.index is not None
    batches = [result for name, result in reads if name == "read_notes"]
    assert len(batches) == 3 and all(len(batch) == 4 for batch in batches)
    assert len(service.index.note_ids()) == 2 * len(metas)
    assert service.index.query("#malta")[0].article_id == metas[0].id

    first = ws.store.notes(metas[1].id)[0]
    ws.store.delete_note(first.id)
    ws.store.update_note(ws.store.notes(metas[2].id)[0].id, text="Lighthouse keeper")
    ws.store.remove_tags(metas[0].id, ["malta"])
    run_sync(service, [])
    assert first.id not in service.index.note_ids()
    assert service.index.query(">lighthouse keeper")[0].article_id == metas[2].id
    assert not service.index.query("#malta")


def test_a_sync_waits_for_the_index(ws: Workspace) -> None:
    ws.store.add_note(ws.articles()[0].id, "Harbour ferry timetable")
    service = SearchService(ws)

    async def sync_then_build() -> None:
        task = asyncio.create_task(sync_from_store(service, lambda fn, *a: _now(fn(*a))))
        await asyncio.sleep(0.3)
        assert not task.done()
        await asyncio.to_thread(service.build)
        await task

    asyncio.run(sync_then_build())
    assert service.index is not None and service.synced.is_set()
    assert service.index.query(">ferry timetable")


async def _now(value: Any) -> Any:
    return value
