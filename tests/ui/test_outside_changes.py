"""Notes added by other processes while the app is open and adding notes of its own.

Two command lines add 20 notes through ``python -m reader note add``, a script adds 500
through :class:`reader.store.Store`, and the app adds a few through its own flow (``n``, type,
Ctrl+S) at the same time. Afterwards the database holds every note of all of them, and the
open article shows the outside notes without a restart (the app polls the store).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from textual.widgets import Static

from reader.store import Store
from reader.ui.app import ReaderApp
from reader.ui.screens.note_editor import NoteEditor
from reader.ui.screens.reader import ReaderScreen
from reader.ui.widgets.notes_panel import NotesPanel
from tests.ui.conftest import LIBRARY, SIZE
from tests.ui.helpers import settle

ROOT = Path(__file__).resolve().parents[2]
CLI_NOTES = 20
CLI_LOOPS = 2
STORE_NOTES = 500
APP_NOTES = 4
#: Generous: two cores shared by the app, three writers and whatever else runs.
TIMEOUT = 25.0

STORE_ADDER = """
import sys
sys.path.insert(0, {root!r})
from reader.store import Store
store = Store.open({db!r})
for i in range({n}):
    store.add_note({article!r}, "store note %d" % i)
store.close()
"""


def cli_loop(db: Path, article: str, name: str, count: int) -> subprocess.Popen[bytes]:
    """One shell adding ``count`` notes, one ``python -m reader note add`` after another."""
    lines = ["set -e"] + [
        f'"$PY" -m reader --db "$DB" --library "$LIB" --no-seeds '
        f'note add "$ARTICLE" "{name} note {i}" >/dev/null'
        for i in range(count)
    ]
    env = {
        **os.environ,
        "PY": sys.executable,
        "DB": str(db),
        "LIB": str(LIBRARY),
        "ARTICLE": article,
    }
    return subprocess.Popen(["sh", "-c", "\n".join(lines)], cwd=ROOT, env=env)


async def wait_until(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


async def test_notes_from_outside_and_from_the_app_are_all_kept_and_shown(
    app_for: Callable[..., ReaderApp], db: Path
) -> None:
    app = app_for(poll=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"valletta", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        article = screen.meta.id

        procs = [cli_loop(db, article, f"cli{k}", CLI_NOTES // CLI_LOOPS) for k in range(CLI_LOOPS)]
        script = STORE_ADDER.format(root=str(ROOT), db=str(db), n=STORE_NOTES, article=article)
        procs.append(subprocess.Popen([sys.executable, "-c", script]))
        try:
            for i in range(APP_NOTES):
                await pilot.press("j", "n")
                await wait_until(lambda: isinstance(app.screen, NoteEditor), "the note editor")
                await pilot.press(*f"app note {i}")
                await pilot.press("ctrl+s")
                await wait_until(lambda: app.screen is screen, "the editor to close")
                await settle(pilot)
            deadline = time.monotonic() + 60
            for proc in procs:
                while proc.poll() is None:
                    assert time.monotonic() < deadline, "the outside writers did not finish"
                    await asyncio.sleep(0.1)
                assert proc.returncode == 0
        finally:
            for proc in procs:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()

        total = CLI_NOTES + STORE_NOTES + APP_NOTES
        expected = (
            {f"cli{k} note {i}" for k in range(CLI_LOOPS) for i in range(CLI_NOTES // CLI_LOOPS)}
            | {f"store note {i}" for i in range(STORE_NOTES)}
            | {f"app note {i}" for i in range(APP_NOTES)}
        )
        # The app shows them all without a restart: the panel and the line under the title.
        await wait_until(lambda: len(screen.placed) == total, f"{total} notes in the app")
        await settle(pilot)
        panel = screen.query_one(NotesPanel)
        await wait_until(lambda: len(panel.notes) == total, "the notes panel")
        meta = screen.query_one("#reader-meta", Static)
        await wait_until(lambda: f"{total} notes" in str(meta.render()), "the note count")
        assert {p.note.text for p in screen.placed} == expected

    # And the file holds them all, none overwritten.
    with Store.open(db) as store:
        notes = store.notes(article)
        assert len(notes) == total
        assert {n.text for n in notes} == expected
        assert len({n.id for n in notes}) == total
