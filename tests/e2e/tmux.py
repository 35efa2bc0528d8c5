"""Driving the real ``reader`` command in tmux: the console script, its environment and a
session to start, read, type into and wait on."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

READER = Path(sys.executable).parent / "reader"


def locations_env() -> dict[str, str]:
    """The isolated reader locations of the autouse fixture, for the child process."""
    keys = ("READER_DATA_DIR", "READER_CONFIG", "READER_CACHE_DIR", "READER_DB")
    values = {k: os.environ[k] for k in keys}
    values["READER_EXPORT_DIR"] = os.environ["READER_EXPORT_DIR"]
    return values


def reader_command(env: dict[str, str], *args: str) -> str:
    """A shell command running ``reader`` with ``args`` in ``env`` on an xterm."""
    assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    return " ".join([f"env {assignments} TERM=xterm-256color {shlex.quote(str(READER))}", *args])


class Tmux:
    """One tmux server on its own socket with one session, ``reader``."""

    def __init__(self, prefix: str, *, timeout: float, utf8: bool = False) -> None:
        self.socket = f"{prefix}-{uuid.uuid4().hex[:8]}"
        self.session = "reader"
        self.timeout = timeout
        self.utf8 = utf8

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        flags = ["-u"] if self.utf8 else []
        return subprocess.run(
            ["tmux", *flags, "-L", self.socket, *args], capture_output=True, text=True, timeout=10
        )

    def start(self, command: str, width: int, height: int) -> subprocess.CompletedProcess[str]:
        return self.run(
            "new-session", "-d", "-s", self.session, "-x", str(width), "-y", str(height), command
        )

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session).stdout

    def keys(self, *names: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", self.session, *(["-l"] if literal else []), *names)

    def wait_for(self, check: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if check():
                return
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}; the screen was:\n{self.screen()}")

    def wait_for_exit(self) -> None:
        self.wait_for(
            lambda: self.run("has-session", "-t", self.session).returncode != 0, "the app to exit"
        )

    def kill(self) -> None:
        self.run("kill-server")
