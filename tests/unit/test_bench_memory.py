"""bench/memory.py measures a whole session: the jump box is opened, so notes are indexed.

No figures are asserted (they belong to the benchmark), only that the session reaches each
step, reports memory at each, and that the step table reads them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import memory  # noqa: E402


def test_step_table_has_a_row_per_step_against_the_minimal_app() -> None:
    figures: dict[str, float] = {"minimal_rss_mb": 40.0, "rss_mb": 120.0}
    for k, step in enumerate(memory.STEPS):
        figures[f"rss_mb@{step}"] = 50.0 + k
        figures[f"peak_mb@{step}"] = 60.0 + 10 * k
    rows = memory.step_table(figures)
    assert len(rows) == 2 + len(memory.STEPS) + 1
    assert "| jump box opened: notes and tags indexed, one query | 53 MB | 90 MB | 2.25x |" in rows
    assert rows[-1] == "| whole session (exit) | | 120 MB | 3.00x |"


@pytest.mark.slow
def test_a_session_opens_the_jump_box_and_reports_every_step(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from common import home_env

    args = ["--db", str(tmp_path / "annotations.json")]
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "memory.py"), "--drive", *args],
        cwd=ROOT,
        env=home_env(tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    figures = json.loads(proc.stdout.splitlines()[-1])
    for step in memory.STEPS:
        assert figures[f"rss_mb@{step}"] > 0
        assert figures[f"peak_mb@{step}"] >= figures[f"rss_mb@{step}"]
    assert figures["jump_notes_s"] >= 0
    assert any(line.startswith("peak_rss_mb=") for line in proc.stdout.splitlines())
