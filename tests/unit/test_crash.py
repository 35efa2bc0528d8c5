"""Writers killed with SIGKILL at random moments lose no acknowledged change (bench/crash.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_twenty_kills_lose_nothing(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "crash.py"), "--kills", "20", "--ballast", "500",
         "--dir", str(tmp_path), "--seed", "7"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["kills"] >= 20, result.stdout
    assert summary["corruptions"] == 0, result.stdout
    assert summary["lost"] == 0, result.stdout
    assert summary["injected"] == 0, result.stdout
    assert result.returncode == 0, result.stderr


def test_kill_between_temp_write_and_rename_leaves_old_file(tmp_path: Path) -> None:
    """A writer killed after writing its temp file: the database is the old one, whole."""
    db = tmp_path / "annotations.json"
    script = f"""
import os, signal, sys
sys.path.insert(0, {str(ROOT)!r})
from reader import atomic_storage
from reader.store import Store
store = Store.open({str(db)!r})
store.add_note("a", "kept")
def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
atomic_storage.os.replace = die
store.add_note("a", "never acknowledged")
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert proc.returncode == -9
    leftovers = list(tmp_path.glob(".annotations.json.*.tmp"))
    assert len(leftovers) == 1  # the dead writer's temp file
    from reader.store import Store

    with Store.open(db) as store:
        assert [n.text for n in store.notes()] == ["kept"]
        store.add_note("a", "next")  # the next writer sweeps the leftover
    assert not list(tmp_path.glob(".annotations.json.*.tmp"))
