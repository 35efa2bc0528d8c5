"""Escape sequences in an article, its title and a note never reach a real terminal.

The real ``reader`` command runs in tmux with ``pipe-pane`` recording every byte it writes
to the terminal. The article's text and title carry colour and cursor sequences, a screen
clear, OSC 52 (write the clipboard), OSC 8 (a hyperlink), bells and C1 controls; a note with
the same is added from the command line, and a tag with them is refused. Textual writes its
own CSI sequences, so the checks look for the article's distinctive sequences and payloads:
none may appear as sent, and the screen shows the visible symbols (``␛``) instead.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.e2e.tmux import READER, Tmux, locations_env, reader_command

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        shutil.which("tmux") is None, reason="tmux is not installed (make test installs it)"
    ),
]

TIMEOUT = 25.0

OSC52 = "\x1b]52;c;SGVsbG8=\x07"
OSC8 = "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"
TITLE = "Hostile \x1b[31mtitle\x1b[0m \x1b]52;c;VGl0bGU=\x07 ok"
FILLER = "Plain words keep this a text file, not a binary one."
BODY = [
    "First paragraph clears \x1b[2J the screen and homes \x1b[H the cursor. " + FILLER,
    "Second turns \x1b[31mred\x1b[0m and moves \x1b[10;10H and \x1b[5A up. " + FILLER,
    "Third writes the clipboard " + OSC52 + " quietly. " + FILLER,
    "Fourth links " + OSC8 + " away. " + FILLER,
    "Fifth rings \x07 the bell, backs \x08 up and sends \x9b31m C1 CSI and \x9d OSC. " + FILLER,
]
NOTE = "Note \x1b[2J with \x1b]52;c;Tm90ZQ==\x07 and \x1b]8;;http://x\x1b\\ bell \x07 end"
BAD_TAG = "evil\x1b[31m"

#: Byte strings that only the hostile text could have produced. Textual moves the cursor
#: and sets colours itself, so a bare CSI sequence proves nothing; these are the article's
#: own operating system commands, bells, C1 controls, and CSI
#: sequences with the article's words around them.
FORBIDDEN = [
    b"\x1b]52;",
    b"\x1b]8;;http://x",
    b"\xc2\x9b",
    b"\xc2\x9d",
    b"\x9b31m",
    b"clears \x1b[2J",
    b"homes \x1b[H",
    b"moves \x1b[10;10H",
    b"and \x1b[5A",
    b"\x1b[31mred",
    b"\x1b[31mtitle",
    b"Note \x1b[2J",
    b"backs \x08",
]


@pytest.fixture
def env(isolated_locations: Path, tmp_path: Path) -> dict[str, str]:
    """The isolated locations of the autouse fixture and a one-article library."""
    library = tmp_path / "hostile-library"
    library.mkdir()
    text = TITLE + "\n\n" + "\n\n".join(BODY) + "\n"
    (library / "hostile.txt").write_text(text, encoding="utf-8")
    values = locations_env()
    values["READER_LIBRARY"] = str(library)
    values["LC_ALL"] = "C.UTF-8"
    return values


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [str(READER), "--no-seeds", *args],
        capture_output=True,
        timeout=60,
        env={**os.environ, **env},
    )


@pytest.mark.skipif(not READER.exists(), reason=f"no reader console script at {READER}")
def test_escapes_in_article_title_and_note_never_reach_the_terminal(
    env: dict[str, str], tmp_path: Path
) -> None:
    added = cli(env, "note", "add", "Hostile", NOTE)
    assert added.returncode == 0, added.stderr
    assert b"\x1b" not in added.stdout and b"\x07" not in added.stdout
    refused = cli(env, "tag", "add", "Hostile", BAD_TAG)
    assert refused.returncode != 0
    assert b"control" in refused.stderr
    assert b"\x1b" not in refused.stderr + refused.stdout
    assert cli(env, "tag", "list", "--json").stdout.strip() == b"[]"
    listed = cli(env, "note", "list")
    assert listed.returncode == 0, listed.stderr
    assert b"\x1b" not in listed.stdout and b"\x07" not in listed.stdout

    record = tmp_path / "terminal-output.bin"
    go = tmp_path / "go"
    tmux = Tmux("reader-safety", timeout=TIMEOUT, utf8=True)
    screen, keys, wait_for = tmux.screen, tmux.keys, tmux.wait_for
    program = reader_command(env, "--no-seeds")
    # The app waits for the recorder to be attached, so not one byte goes unrecorded.
    command = f"sh -c {shlex.quote(f'while [ ! -e {go} ]; do sleep 0.05; done; exec {program}')}"

    started = tmux.start(command, 120, 40)
    assert started.returncode == 0, started.stderr
    try:
        piped = tmux.run(
            "pipe-pane", "-o", "-t", tmux.session, f"cat >> {shlex.quote(str(record))}"
        )
        assert piped.returncode == 0, piped.stderr
        for option in (("window-size", "manual"),):
            tmux.run("set-option", "-t", tmux.session, *option)
        tmux.run("resize-window", "-t", tmux.session, "-x", "120", "-y", "40")
        go.touch()
        wait_for(lambda: "Hostile" in screen() and "Library" in screen(), "the library")
        library_screen = screen()
        assert "␛[31mtitle␛[0m" in library_screen
        keys("Enter")
        wait_for(lambda: "1 note" in screen() and "words" in screen(), "the article")
        wait_for(lambda: "Fifth rings" in screen(), "the last paragraph")
        shown = screen()
        assert "Hostile ␛[31mtitle␛[0m ␛]52;c;VGl0bGU=␇ ok" in shown
        assert "clears ␛[2J the screen" in shown
        assert "␛[31mred␛[0m and moves ␛[10;10H" in shown
        assert "clipboard ␛]52;c;SGVsbG8=␇ quietly" in shown
        assert "links ␛]8;;http://x␛\\link␛]8;;␛\\ away" in shown
        assert "rings ␇ the bell, backs ␈ up" in shown
        keys("p")
        wait_for(lambda: "␛]52;c;Tm90ZQ==␇" in screen(), "the note in the notes panel")
        assert "Note ␛[2J with" in screen()
        keys("p")
        keys("q")
        wait_for(lambda: "Type to filter" in screen(), "the library again")
        keys("C-q")
        tmux.wait_for_exit()
    finally:
        tmux.kill()

    output = record.read_bytes()
    assert len(output) > 1000, "the recorder caught (almost) nothing"
    assert "␛".encode() in output  # the recording holds the article, made visible
    # Textual's only operating system command sets the mouse pointer's shape (OSC 22, ended
    # by a bell); with those taken out there is no OSC and no bell left at all.
    own = re.sub(rb"\x1b\]22;[a-z-]*\x07", b"", output)
    assert b"\x1b]" not in own
    assert b"\x07" not in own
    for needle in FORBIDDEN:
        assert needle not in output, f"{needle!r} reached the terminal"
    # What the article sent is there, but only as visible symbols (entity highlights may
    # split the longer runs between styles, so these are short).
    for visible in ("␛[2J", "␛]", ";c;SGVsbG8=␇", "␛]8;;http"):
        assert visible.encode() in output, visible
