"""The whole performance suite in one command, printed as one table of ratios.

    .venv/bin/python bench/run_all.py            # 100, 1,000 and 10,000 articles (make bench)
    .venv/bin/python bench/run_all.py --smoke    # 100 articles, few repetitions (CI)

Every figure sits beside a baseline measured in the same run, because the machines are
shared and noisy: start-up and memory beside a minimal Textual app, opening a long article
beside Textual's ``Log``, saving a note beside TinyDB's default ``JSONStorage``, jumping
beside Textual's fuzzy ``Matcher`` and entity finding beside spaCy's tokenizer. Synthetic
libraries are generated once and kept in ``bench/out/``; the figures are also written to
``bench/out/results.json``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import memory
import open_article
import scaling
import startup
from common import BENCH, OUT, PYTHON, corpus_available, machine, run_process, shared_dir


@dataclass
class Row:
    """One line of the table: reader's figure, the baseline's, and the target if any."""

    figure: str
    reader: str
    baseline: str
    ratio: float | None = None
    target: float | None = None
    #: For targets that are not a ratio: the verdict, worked out by the caller.
    met: bool | None = None
    note: str = ""

    def verdict(self) -> str:
        if self.met is not None:
            return "met" if self.met else "MISSED"
        if self.target is None or self.ratio is None:
            return ""
        return "met" if self.ratio <= self.target else "MISSED"


@dataclass
class Plan:
    sizes: list[int]
    notes: int
    big_notes: int | None
    repeats: int
    words: int
    store_sizes: list[int]
    jump_sample: int
    #: Untimed A/B rounds first (they fill the page cache and compile bytecode).
    warmup: int


#: The longest the UI may stall while a note saves (about three frames at 60 Hz).
STALL_MS = 50.0

FULL = Plan([100, 1000, 10000], 10000, 100000, 5, 100_000, [10000, 100000], 40, 1)
SMOKE = Plan([100], 1000, None, 1, 10_000, [1000], 3, 0)


def seconds(value: float) -> str:
    return f"{value:.3f} s" if value >= 0.1 else f"{1000 * value:.1f} ms"


def megabytes(value: float) -> str:
    return f"{value:.0f} MB"


def beside_minimal(
    figure: str,
    figures: dict[str, float],
    key: str,
    base: str = "minimal_s",
    unit: Callable[[float], str] = seconds,
    target: float | None = None,
    note: str = "",
) -> Row:
    """A row comparing ``figures[key]`` with the minimal app's ``figures[base]``."""
    return Row(
        figure,
        unit(figures[key]),
        f"{unit(figures[base])} minimal app",
        figures[key] / figures[base],
        target,
        note=note,
    )


def subprocess_figures(args: list[str]) -> str:
    """Run one of the other benchmark scripts and return what it printed."""
    return run_process([PYTHON, *args], timeout=3600).stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="reader's performance suite")
    parser.add_argument("--smoke", action="store_true", help="smallest size, few repetitions")
    parser.add_argument("--repeats", type=int, default=None, help="A/B rounds per timing")
    args = parser.parse_args(argv)
    if not corpus_available():
        print(f"skipped: no corpus at {shared_dir() / 'corpus'} (set READER_SHARED)")
        return 0
    plan = SMOKE if args.smoke else FULL
    if args.repeats:
        plan.repeats = args.repeats
    started = time.perf_counter()
    OUT.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    raw: dict[str, object] = {"machine": machine(), "plan": asdict(plan)}
    big = max(plan.sizes)

    def step(name: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f} s] {name}", file=sys.stderr, flush=True)

    # -- start-up -------------------------------------------------------------------------
    step("start-up, bundled seeds")
    seeds = startup.measure(None, 0, plan.repeats, plan.warmup)
    raw["startup_seeds"] = seeds
    rows.append(
        beside_minimal(
            "start-up to the painted library, bundled seeds", seeds, "reader_s", target=1.5
        )
    )
    by_size: dict[int, dict[str, float]] = {}
    for size in plan.sizes:
        step(f"start-up, {size:,} articles")
        by_size[size] = startup.measure(size, plan.notes, plan.repeats, plan.warmup)
    raw["startup"] = by_size
    for size, s in by_size.items():
        rows.append(
            beside_minimal(
                f"start-up, {size:,} articles, {plan.notes:,} notes (warm index)",
                s,
                "reader_s",
                target=2.0 if size == 10000 else None,
                note=f"files read: warm {s['warm_files_read']:.0f}",
            )
        )
    s = by_size[big]
    rows.append(
        beside_minimal(
            f"cold start (no index), {big:,} articles",
            s,
            "cold_s",
            note=f"files read: {s['cold_files_read']:.0f}",
        )
    )

    # -- opening a long article -----------------------------------------------------------
    step(f"opening a {plan.words:,}-word article")
    o = open_article.measure(plan.repeats, plan.words, plan.warmup)
    raw["open_article"] = o
    rows.append(
        Row(
            f"open a {o['words']:,.0f}-word article: first screen, highlighted",
            seconds(o["view_s"]),
            f"{seconds(o['log_s'])} Log",
            o["view_s"] / o["log_s"],
            2.0,
            note=(
                f"{o['first_screen_entities']:.0f} entities on it, all shown;"
                f" without highlights {seconds(o['plain_s'])}"
            ),
        )
    )
    rows.append(
        Row(
            "  the same through ReaderScreen: first screen, highlighted",
            seconds(o["screen_highlighted_s"]),
            f"{seconds(o['log_s'])} Log",
            o["screen_highlighted_s"] / o["log_s"],
        )
    )
    rows.append(
        Row(
            "  the whole article's entities painted: view / ReaderScreen",
            f"{seconds(o['view_whole_s'])} / {seconds(o['screen_whole_s'])}",
            f"{seconds(o['log_s'])} Log",
            o["screen_whole_s"] / o["log_s"],
            note="found after the first screen, off the UI thread",
        )
    )

    # -- memory and saving while the UI runs ----------------------------------------------
    sessions: dict[str, dict[str, float]] = {}
    for size in plan.sizes:
        step(f"session (memory, save stalls), {size:,} articles, {plan.notes:,} notes")
        sessions[f"{size}/{plan.notes}"] = memory.measure(size, plan.notes, warm=not args.smoke)
    if plan.big_notes:
        step(f"session, {big:,} articles, {plan.big_notes:,} notes")
        sessions[f"{big}/{plan.big_notes}"] = memory.measure(big, plan.big_notes)
    raw["sessions"] = sessions
    for key, m in sessions.items():
        articles, notes = (int(x) for x in key.split("/"))
        target = 3.0 if (articles, notes) == (10000, 100000) else None
        rows.append(
            beside_minimal(
                f"peak RSS, {articles:,} articles, {notes:,} notes",
                m,
                "rss_mb",
                base="minimal_rss_mb",
                unit=megabytes,
                target=target,
                note=(
                    f"jump index ready after {seconds(m['jump_index_s'])};"
                    f" notes indexed {seconds(m['jump_notes_s'])} after the jump box opened;"
                    f" {m['rss_mb_without_jump_box']:.0f} MB if it is never opened"
                ),
            )
        )
    for key, m in sessions.items():
        articles, notes = (int(x) for x in key.split("/"))
        rows.append(
            Row(
                f"UI stall while a note saves on the store thread, {articles:,} articles,"
                f" {notes:,} notes",
                f"{m['store_thread_save_max_lag_ms']:.0f} ms",
                f"{m['idle_max_lag_ms']:.0f} ms idle",
                met=m["store_thread_save_max_lag_ms"] <= STALL_MS if notes >= 100000 else None,
                note=f"the save takes {m['store_save_ms']:.0f} ms on its thread;"
                f" target: no stall over {STALL_MS:.0f} ms",
            )
        )
        rows.append(
            Row(
                f"  the same through the note editor, {notes:,} notes",
                f"{m['save_max_lag_ms']:.0f} ms",
                f"{m['cancel_max_lag_ms']:.0f} ms closing the editor unsaved",
                note=f"Ctrl+S to listed {seconds(m['save_s'])}",
            )
        )

    # -- the other benchmarks -------------------------------------------------------------
    step("saving a note (bench/store.py)")
    out = subprocess_figures(
        [str(BENCH / "store.py"), "--json", "--sizes", *map(str, plan.store_sizes)]
    )
    store_results = json.loads(out.strip().splitlines()[-1])
    raw["store"] = store_results
    for r in store_results:
        rows.append(
            Row(
                f"save a note, {r['notes']:,} notes: median / p95",
                f"{r['ours_median_ms']:.1f} / {r['ours_p95_ms']:.1f} ms",
                f"{r['tinydb_median_ms']:.1f} / {r['tinydb_p95_ms']:.1f} ms TinyDB JSONStorage",
                r["ratio_median"],
                0.5 if r["notes"] == 10000 else None,
                note=f"p95 ratio {r['ratio_p95']:.2f}; crash-safe (temp file, fsync, rename)",
            )
        )

    step(f"jump keystrokes, {big:,} articles (bench/jump.py)")
    out = subprocess_figures(
        [
            str(BENCH / "jump.py"),
            "--speed",
            str(big),
            "--notes",
            str(plan.notes),
            "--sample",
            str(plan.jump_sample),
            "--json",
        ]
    )
    j = json.loads(out[out.index("{") :])
    raw["jump"] = j
    rows.append(
        Row(
            f"jump keystroke, {big:,} articles, {plan.notes:,} notes: median / p95",
            f"{j['median_ms']:.1f} / {j['p95_ms']:.1f} ms",
            f"{j['matcher_median_ms']:.1f} / {j['matcher_p95_ms']:.1f} ms Matcher on titles",
            j["median_ms"] / j["matcher_median_ms"],
            note=f"index built in {seconds(j['build_s'])}",
        )
    )

    if args.smoke:  # its quality scoring alone takes longer than the smoke run may
        rows.append(Row("entities", "skipped with --smoke", ""))
        out = ""
    else:
        step("entity throughput (bench/entities.py)")
        out = subprocess_figures([str(BENCH / "entities.py")])
    raw["entities"] = out
    found = re.search(
        r"synthetic article\s+(\d+) words\s+builtin\s+([\d,]+) words/s"
        r"(?:\s+spacy\.blank(?: tokenizer)?\s+([\d,]+) words/s)?",
        out,
    )
    if found:
        ours = float(found.group(2).replace(",", ""))
        theirs = float(found.group(3).replace(",", "")) if found.group(3) else None
        rows.append(
            Row(
                "entities, ~100,000-word article (words/s, higher is better)",
                f"{ours:,.0f} words/s",
                f"{theirs:,.0f} words/s spacy.blank tokenizer" if theirs else "spaCy absent",
                theirs / ours if theirs else None,
                note="ratio = time, reader / tokenizer alone",
            )
        )

    # -- scaling --------------------------------------------------------------------------
    series: dict[str, dict[int, float]] = {
        "start-up beyond the minimal app": {
            n: s["reader_s"] - s["minimal_s"] for n, s in by_size.items()
        },
        "cold start": {n: s["cold_s"] for n, s in by_size.items()},
        "jump index ready (in session)": {
            int(k.split("/")[0]): m["jump_index_s"]
            for k, m in sessions.items()
            if k.endswith(f"/{plan.notes}")
        },
        "peak RSS beyond the minimal app": {
            int(k.split("/")[0]): m["rss_mb"] - m["minimal_rss_mb"]
            for k, m in sessions.items()
            if k.endswith(f"/{plan.notes}")
        },
    }
    raw["scaling"] = series
    (OUT / "results.json").write_text(json.dumps(raw, indent=2, default=str))

    print_report(raw["machine"], rows, series)  # type: ignore[arg-type]
    step("done")
    return 0


def print_report(
    info: dict[str, str], rows: list[Row], series: dict[str, dict[int, float]]
) -> None:
    print(
        f"\nMachine: {info['cores']} cores, {info['memory']}, {info['cpu']}; Python"
        f" {info['python']}, Textual {info['textual']}, TinyDB {info['tinydb']},"
        f" rapidfuzz {info['rapidfuzz']}\n"
    )
    print("| figure | reader | baseline | ratio | target | | notes |")
    print("| --- | ---: | ---: | ---: | ---: | --- | --- |")
    for r in rows:
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else ""
        target = f"<= {r.target:g}x" if r.target is not None else ""
        print(
            f"| {r.figure} | {r.reader} | {r.baseline} | {ratio} | {target}"
            f" | {r.verdict()} | {r.note} |"
        )
    units = {k: "MB" if "RSS" in k else "s" for k in series}
    print("\nGrowth from the smallest to the largest library (linear = 10x per 10x):\n")
    print("\n".join(scaling.table(series, units)))


if __name__ == "__main__":
    raise SystemExit(main())
