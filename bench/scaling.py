"""How the figures grow with the library: growth per tenfold more articles.

A figure measured at 100 and at 10,000 articles grows by ``(f(10,000) / f(100)) ** (1/2)``
per 10x. Linear growth is 10; anything above means something costs more than once per
article. Times are taken *beyond* their baseline (reader's start-up minus the minimal
app's), so a fixed cost such as importing Textual does not hide the growth.

    .venv/bin/python bench/scaling.py [--sizes 100 1000 10000]   # start-up and memory only
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Mapping
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

#: Growth per 10x above this counts as faster than linear (a little room for noise).
LINEAR = 10.0
NOISE = 1.25


def growth_per_10x(by_size: Mapping[int, float]) -> float | None:
    """Growth factor per tenfold more articles, from the smallest size to the largest."""
    sizes = sorted(s for s, v in by_size.items() if v is not None and v > 0)
    if len(sizes) < 2:
        return None
    small, large = sizes[0], sizes[-1]
    decades = math.log10(large / small)
    return float((by_size[large] / by_size[small]) ** (1 / decades))


def verdict(factor: float | None) -> str:
    if factor is None:
        return "n/a"
    return "ok (at most linear)" if factor <= LINEAR * NOISE else "FASTER THAN LINEAR"


def table(series: Mapping[str, Mapping[int, float]], unit: Mapping[str, str]) -> list[str]:
    """Markdown rows: one figure per row, its value at each size and its growth per 10x."""
    sizes = sorted({s for values in series.values() for s in values})
    lines = [
        "| figure | " + " | ".join(f"{s:,} articles" for s in sizes) + " | per 10x | |",
        "| --- |" + " ---: |" * len(sizes) + " ---: | --- |",
    ]
    for name, values in series.items():
        cells = [
            f"{values[s]:.3g} {unit.get(name, '')}".strip() if s in values else "-" for s in sizes
        ]
        factor = growth_per_10x(values)
        shown = f"{factor:.2f}x" if factor is not None else "-"
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {shown} | {verdict(factor)} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    import memory
    import startup

    parser = argparse.ArgumentParser(description="growth of start-up and memory with size")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--notes", type=int, default=10000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    series: dict[str, dict[int, float]] = {
        "start-up beyond the minimal app": {},
        "cold start": {},
        "peak RSS beyond the minimal app": {},
    }
    for size in args.sizes:
        s = startup.measure(size, args.notes, args.repeats)
        m = memory.measure(size, args.notes)
        series["start-up beyond the minimal app"][size] = s["reader_s"] - s["minimal_s"]
        series["cold start"][size] = s["cold_s"]
        series["peak RSS beyond the minimal app"][size] = m["rss_mb"] - m["minimal_rss_mb"]
    units = {"peak RSS beyond the minimal app": "MB"}
    print("\n".join(table(series, {k: units.get(k, "s") for k in series})))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
