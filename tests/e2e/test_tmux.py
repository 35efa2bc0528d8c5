"""The real ``reader`` command in a real terminal (tmux): open, write a note, quit, check.

tmux gives the app a true pseudo-terminal, so this covers what Pilot cannot: start-up from
the console script, the terminal driver, key decoding and a clean exit that saves.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

READER = Path(sys.executable).parent / "reader"
TIMEOUT = 20.0
SEED_TITLE = "Syrian rebels"


def run_tmux(socket: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True, timeout=10)


def wait_for(check: Callable[[], bool], what: str, screen: Callable[[], str]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}; the screen was:\n{screen()}")


@pytest.fixture
def env(isolated_locations: Path) -> dict[str, str]:
    """The isolated locations of the autouse fixture, for the child process."""
    keys = ("READER_DATA_DIR", "READER_CONFIG", "READER_CACHE_DIR", "READER_DB")
    values = {k: os.environ[k] for k in keys}
    values["READER_EXPORT_DIR"] = os.environ["READER_EXPORT_DIR"]
    return values


@pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed (make test installs it)"
)
@pytest.mark.skipif(not READER.exists(), reason=f"no reader console script at {READER}")
def test_note_written_in_the_app_is_saved(env: dict[str, str]) -> None:
    socket = f"reader-e2e-{uuid.uuid4().hex[:8]}"
    session = "reader"
    assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    command = f"env {assignments} TERM=xterm-256color {shlex.quote(str(READER))}"

    def screen() -> str:
        return run_tmux(socket, "capture-pane", "-p", "-t", session).stdout

    def keys(*names: str, literal: bool = False) -> None:
        run_tmux(socket, "send-keys", "-t", session, *(["-l"] if literal else []), *names)

    started = run_tmux(socket, "new-session", "-d", "-s", session, "-x", "120", "-y", "36", command)
    assert started.returncode == 0, started.stderr
    try:
        wait_for(lambda: SEED_TITLE in screen() and "Library" in screen(), "the library", screen)
        keys("Enter")
        wait_for(lambda: "words" in screen() and "0 notes" in screen(), "the article", screen)
        assert SEED_TITLE in screen()
        keys("j")
        keys("n")
        wait_for(lambda: "New note" in screen(), "the note editor", screen)
        keys("written in tmux", literal=True)
        wait_for(lambda: "written in tmux" in screen(), "the typed note", screen)
        keys("C-s")
        wait_for(lambda: "1 note" in screen(), "the saved note", screen)
        keys("q")
        wait_for(lambda: "Library" in screen() and "Type to filter" in screen(), "library", screen)
        keys("q")
        wait_for(
            lambda: run_tmux(socket, "has-session", "-t", session).returncode != 0,
            "the app to exit",
            screen,
        )
    finally:
        run_tmux(socket, "kill-server")

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
