"""The baseline app: Textual showing one ``Static``, stopped right after its first paint.

Start-up and peak memory of reader are given as multiples of this process, run the same way
(``bench/common.run_headless``) in the same benchmark run; it prints its own peak RSS.

    .venv/bin/python bench/minimal_app.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import report_peak_rss, run_headless
from textual.app import App, ComposeResult
from textual.widgets import Static


class MinimalApp(App[None]):
    """One line of text and nothing else."""

    def compose(self) -> ComposeResult:
        yield Static("reader", id="only")


def painted(app: App[None]) -> bool:
    return bool(app.screen.query("#only"))


def main() -> int:
    seconds = run_headless(MinimalApp(), painted)
    print(f"painted_s={seconds:.4f}")
    report_peak_rss()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
