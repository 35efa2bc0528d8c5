"""The performance suite keeps working: ``bench/run_all.py --smoke`` runs to its table.

Timings are not asserted (CI machines are too noisy for that); only that every benchmark
still runs against the current code and the table is printed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def shared_dir() -> Path:
    """``/work/shared`` beside the repository, or ``$READER_SHARED``."""
    env = os.environ.get("READER_SHARED")
    return Path(env) if env else ROOT.parent / "shared"


def run_bench(
    script: str, *args: str, timeout: float, **env: str
) -> subprocess.CompletedProcess[str]:
    """``bench/<script>`` run with this Python from the repository's root."""
    return subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.mark.slow
def test_smoke_run_prints_the_table(tmp_path: Path) -> None:
    if not (shared_dir() / "corpus" / "dev.jsonl").is_file():
        pytest.skip(f"the corpus is not at {shared_dir() / 'corpus'} (set READER_SHARED)")
    proc = run_bench("run_all.py", "--smoke", timeout=300, READER_SHARED=str(shared_dir()))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "| figure | reader | baseline | ratio |" in proc.stdout
    assert "start-up to the painted library" in proc.stdout
    assert "per 10x" in proc.stdout


@pytest.mark.slow
def test_store_memory_bench_runs_on_a_small_database(tmp_path: Path) -> None:
    from reader.store import Store

    db = tmp_path / "reader.json"
    with Store.open(db) as store, store.batch():
        for i in range(30):
            store.add_note(f"{i % 3:016x}", f"note {i}")
    proc = run_bench("store_memory.py", "--db", str(db), timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.count("worst peak over the imports") == 2
