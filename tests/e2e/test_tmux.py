"""The real ``reader`` command in a real terminal (tmux): open, write a note, quit, check.

tmux gives the app a true pseudo-terminal, so this covers what Pilot cannot: start-up from
the console script, the terminal driver, key decoding and a clean exit that saves.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.e2e.tmux import READER, Tmux, locations_env, reader_command

pytestmark = pytest.mark.e2e

TIMEOUT = 20.0
SEED_TITLE = "Syrian rebels"


@pytest.fixture
def env(isolated_locations: Path) -> dict[str, str]:
    """The isolated locations of the autouse fixture, for the child process."""
    return locations_env()


@pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed (make test installs it)"
)
@pytest.mark.skipif(not READER.exists(), reason=f"no reader console script at {READER}")
def test_note_written_in_the_app_is_saved(env: dict[str, str]) -> None:
    tmux = Tmux("reader-e2e", timeout=TIMEOUT)
    screen, keys, wait_for = tmux.screen, tmux.keys, tmux.wait_for

    started = tmux.start(reader_command(env), 120, 36)
    assert started.returncode == 0, started.stderr
    try:
        wait_for(lambda: SEED_TITLE in screen() and "Library" in screen(), "the library")
        keys("Enter")
        # the header (title, words, notes) shows before the text has loaded; keys act on text
        wait_for(lambda: "0 notes" in screen() and "The first buses" in screen(), "the article")
        wait_for(lambda: "Next entity" in screen(), "the reader's keys in the footer")
        assert SEED_TITLE in screen()
        keys("j")
        keys("n")
        wait_for(lambda: "New note" in screen(), "the note editor")
        keys("written in tmux", literal=True)
        wait_for(lambda: "written in tmux" in screen(), "the typed note")
        keys("C-s")
        wait_for(lambda: "1 note" in screen(), "the saved note")
        keys("q")
        wait_for(lambda: "Library" in screen() and "Type to filter" in screen(), "library")
        keys("q")
        tmux.wait_for_exit()
    finally:
        tmux.kill()

    listed = subprocess.run(
        [str(READER), "note", "list", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
    )
    assert listed.returncode == 0, listed.stderr
    notes = json.loads(listed.stdout)
    assert [n["text"] for n in notes] == ["written in tmux"]
    assert notes[0]["quote"] and notes[0]["quote"].startswith("The first buses")
    assert SEED_TITLE in notes[0]["article_title"]
