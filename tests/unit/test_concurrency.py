"""Two processes writing the same database at once: every note of both is kept."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.store import Store

ROOT = Path(__file__).resolve().parents[2]

ADDER = """
import sys
sys.path.insert(0, {root!r})
from reader.store import Store
store = Store.open({db!r})
for i in range({n}):
    store.add_note("article", "{name} note %d" % i)
    if i % 50 == 0:
        store.add_tags("article", ["{name}-%d" % i])
store.close()
"""


@pytest.mark.slow
def test_two_processes_each_add_500_notes(tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", ADDER.format(root=str(ROOT), db=str(db), n=500, name=name)]
        )
        for name in ("left", "right")
    ]
    for proc in procs:
        assert proc.wait(timeout=600) == 0
    with Store.open(db) as store:
        texts = {n.text for n in store.notes()}
        assert len(store.notes()) == 1000
        assert texts == {f"{side} note {i}" for side in ("left", "right") for i in range(500)}
        assert len(store.tags("article")) == 20


def _cli_works() -> bool:
    probe = subprocess.run(
        [sys.executable, "-m", "reader", "--help"],
        capture_output=True,
        cwd=ROOT,
        timeout=60,
    )
    return probe.returncode == 0


@pytest.mark.slow
def test_two_real_cli_processes_add_notes(tmp_path: Path) -> None:
    if not _cli_works():
        pytest.skip("`python -m reader --help` does not run in this checkout")
    library = tmp_path / "library"
    library.mkdir()
    (library / "homs.md").write_text(
        "# The Siege of Homs\n\nThe siege of Homs lasted from 2011 to 2014.\n", encoding="utf-8"
    )
    db = tmp_path / "annotations.json"
    script = "\n".join(
        [
            "set -e",
            *[
                f'"$PY" -m reader --db "$DB" --library "$LIB" --no-seeds '
                f'note add "Siege of Homs" "$NAME {i}" >/dev/null'
                for i in range(8)
            ],
        ]
    )
    env = {**os.environ, "PY": sys.executable, "DB": str(db), "LIB": str(library)}
    procs = [
        subprocess.Popen(["sh", "-c", script], cwd=ROOT, env={**env, "NAME": name})
        for name in ("left", "right")
    ]
    for proc in procs:
        assert proc.wait(timeout=600) == 0
    with Store.open(db) as store:
        assert len(store.notes()) == 16
