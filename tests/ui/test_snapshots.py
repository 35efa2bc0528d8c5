"""SVG snapshots of the main views on the fixture library (fixed size, no clock, no toasts).

Update after an intended change with ``pytest tests/ui/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from reader.anchoring import make_anchor
from reader.ui.app import make_app
from tests.ui.conftest import LIBRARY, workspace
from tests.ui.helpers import settle

SIZE = (110, 34)


def prepared(db: Path):  # type: ignore[no-untyped-def]
    """The fixture library with a note, an article note and tags already saved."""
    ws = workspace(db)
    harbour = next(m for m in ws.articles() if "Valletta" in m.title)
    article = ws.load(harbour)
    start = article.text.index("The European Commission")
    end = article.text.index("euros.", start) + len("euros.")
    ws.store.add_note(harbour.id, "Who paid, and how much.", make_anchor(article.text, start, end))
    ws.store.add_note(harbour.id, "Read this with the 2019 budget report.")
    ws.store.add_tags(harbour.id, ["malta", "harbours"])
    ws.store.set_read(next(m for m in ws.articles() if "walk" in m.title).id)
    return make_app(ws, poll=False, watch_theme=False)


async def open_harbour(pilot: Pilot[object]) -> None:
    await settle(pilot)
    await pilot.press("slash", *"valletta", "enter")
    await settle(pilot)


def test_library_view(snap_compare, db: Path) -> None:  # type: ignore[no-untyped-def]
    assert LIBRARY.is_dir()
    assert snap_compare(prepared(db), terminal_size=SIZE, run_before=settle)


def test_reader_view_with_entities_and_notes(snap_compare, db: Path) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[object]) -> None:
        await open_harbour(pilot)
        await pilot.press("j", "j", "p")
        await settle(pilot)

    assert snap_compare(prepared(db), terminal_size=SIZE, run_before=run_before)


def test_note_editor(snap_compare, db: Path) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[object]) -> None:
        await open_harbour(pilot)
        await pilot.press("j", "v", "l", "n")
        await settle(pilot)
        await pilot.press(*"Two sentences, one note.")

    assert snap_compare(prepared(db), terminal_size=SIZE, run_before=run_before)
