"""Opening a long article: the first screen of a ~100,000-word article, highlighted, beside
Textual's ``Log`` widget showing the same plain text (``run_test``, 120x40, same run).

reader's figure covers what happens between pressing Enter and a highlighted first screen,
the way the reader screen does it: reading and parsing the file (a fresh workspace each
time, so nothing is cached), finding the entities of the paragraphs the view opens on
(their cache cleared), and ``ArticleView.set_article`` with them up to the next paint. Each
run then checks that every entity the whole article's pass finds on that first screen was
highlighted (and fails if not), and times the whole pass separately, up to the paint
that replaces the first screen's entities with it. The baseline covers
``Log.write(text)`` up to the next paint. Runs alternate, and the medians are compared.
The same is also timed through the real ``ReaderScreen`` (text, highlighted, whole pass),
for information.

    .venv/bin/python bench/open_article.py [--repeats N] [--words N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import OUT, SIZE, alternate, median, shared_dir

WORDS = 100_000


def long_text(words: int = WORDS) -> str:
    """The dev corpus's articles one after another until there are ``words`` words."""
    path = shared_dir() / "corpus" / "dev.jsonl"
    texts = [json.loads(line)["text"] for line in path.open(encoding="utf-8") if line.strip()]
    parts: list[str] = []
    count = 0
    while count < words:
        for text in texts:
            parts.append(text)
            count += len(text.split())
            if count >= words:
                break
    return "\n\n".join(parts)


async def painted(app: Any) -> None:
    """Wait for the screen's next paint."""
    done = asyncio.Event()
    app.screen.call_after_refresh(done.set)
    await done.wait()


def run_in_app(compose: Callable[[], Any], act: Callable[[Any], Awaitable[None]]) -> float:
    """Seconds ``act(app)`` takes up to the next paint, in a one-widget app under run_test."""
    from textual.app import App, ComposeResult

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield compose()

    async def go() -> float:
        app = Host()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            start = time.perf_counter()
            await act(app)
            await painted(app)
            return time.perf_counter() - start

    return asyncio.run(go())


def time_log(text: str) -> float:
    from textual.widgets import Log

    async def act(app: Any) -> None:
        app.query_one(Log).write(text)

    return run_in_app(Log, act)


def time_plain_view(article_file: Path) -> float:
    """Load and show without entities, from a fresh workspace (nothing cached)."""
    from reader.ui.widgets.article_view import ArticleView
    from reader.workspace import Workspace

    async def act(app: Any) -> None:
        work = Path(tempfile.mkdtemp(dir=OUT))
        try:
            ws = Workspace.for_paths(work / "db.json", [article_file.parent], include_seeds=False)
            app.query_one(ArticleView).set_article(ws.load(ws.articles()[0]))
            ws.close()
        finally:
            shutil.rmtree(work, ignore_errors=True)

    return run_in_app(ArticleView, act)


def on_first_screen(view: Any, spans: list[Any]) -> list[Any]:
    """The spans that start on the lines the view shows."""
    layout = view._layout
    top = int(view.scroll_y)
    lines = layout.lines[top : top + view.scrollable_content_region.height]
    if not lines:
        return []
    first, last = lines[0].start, max(line.end for line in lines)
    return [s for s in spans if first <= s.start < last]


def time_view(article_file: Path) -> tuple[float, float, int]:
    """Seconds to the first screen highlighted and to the whole pass's highlights, from a
    fresh workspace (nothing cached), done as the reader screen does it; and how many of
    the whole pass's entities the first screen shows (all of them, or this raises)."""
    from textual.app import App, ComposeResult

    import reader.entities
    from reader.ui.entity_preview import preview_within, start_preview
    from reader.ui.widgets.article_view import ArticleView
    from reader.workspace import Workspace

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield ArticleView()

    async def go() -> tuple[float, float, int]:
        app = Host()
        work = Path(tempfile.mkdtemp(dir=OUT))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            view = app.query_one(ArticleView)
            reader.entities.cache_clear()
            start = time.perf_counter()
            ws = Workspace.for_paths(work / "db.json", [article_file.parent], include_seeds=False)
            article = ws.load(ws.articles()[0])
            preview = start_preview(ws.entity_finder, view, article, 0)
            first = await preview_within(preview)
            view.set_article(article, first or [])
            await painted(app)
            first_screen = time.perf_counter() - start
            entities = await asyncio.to_thread(ws.entities, article)
            view.set_entities(entities)
            await painted(app)
            whole = time.perf_counter() - start
            shown = {(s.start, s.end) for s in first or []}
            expected = on_first_screen(view, entities)
            missing = [s for s in expected if (s.start, s.end) not in shown]
            if missing or not expected:
                raise AssertionError(f"first screen not highlighted: {missing or 'no entities'}")
            ws.close()
        shutil.rmtree(work, ignore_errors=True)
        return first_screen, whole, len(expected)

    return asyncio.run(go())


def time_reader_screen(article_file: Path) -> tuple[float, float, float]:
    """Through the app: Enter on the library row, to the text, to the first highlights,
    and to the whole article's entities."""
    import reader.entities
    from reader.ui.app import make_app
    from reader.ui.screens.reader import ReaderScreen
    from reader.ui.search_service import service_for
    from reader.workspace import Workspace

    work = Path(tempfile.mkdtemp(dir=OUT))

    async def go() -> tuple[float, float, float]:
        ws = Workspace.for_paths(work / "db.json", [article_file.parent], include_seeds=False)
        app = make_app(ws, poll=False, watch_theme=False)
        async with app.run_test(size=SIZE) as pilot:
            # Let the jump index finish first, so it does not share the CPU with the open.
            service = service_for(app, ws)
            while not service.ready.is_set():
                await asyncio.sleep(0.01)
            await pilot.pause()
            reader.entities.cache_clear()
            ws.library.rescan()
            start = time.perf_counter()
            app.push_screen(ReaderScreen(ws, ws.articles()[0]))
            while not (isinstance(app.screen, ReaderScreen) and app.screen.article):
                await asyncio.sleep(0.002)
            await painted(app)
            text = time.perf_counter() - start
            screen = app.screen
            if screen.view.entities:
                highlighted = text
            else:
                while not screen.view.entities:
                    await asyncio.sleep(0.002)
                await painted(app)
                highlighted = time.perf_counter() - start
            while not screen.entities_complete:
                await asyncio.sleep(0.002)
            await painted(app)
            whole = time.perf_counter() - start
        ws.close()
        return text, highlighted, whole

    try:
        return asyncio.run(go())
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(repeats: int, words: int = WORDS, warmup: int = 1) -> dict[str, float]:
    """Medians, in seconds, of reader's view and of the Log baseline."""
    text = long_text(words)
    folder = Path(tempfile.mkdtemp(prefix="open-", dir=OUT))
    try:
        article_file = folder / "long" / "long-article.txt"
        article_file.parent.mkdir()
        article_file.write_text("A long article\n\n" + text + "\n", encoding="utf-8")
        screen_times: list[tuple[float, float, float]] = []
        view_times: list[tuple[float, float, int]] = []

        def screen() -> float:
            screen_times.append(time_reader_screen(article_file))
            return screen_times[-1][1]

        def view() -> float:
            view_times.append(time_view(article_file))
            return view_times[-1][0]

        times = alternate(
            {
                "view": view,
                "log": lambda: time_log(text),
                "plain": lambda: time_plain_view(article_file),
                "screen": screen,
            },
            repeats,
            warmup,
        )
        kept = screen_times[-repeats:]
        kept_views = view_times[-repeats:]
        return {
            "words": float(len(text.split())),
            "view_s": median(times["view"]),
            "view_whole_s": median([w for _, w, _ in kept_views]),
            "first_screen_entities": float(min(n for _, _, n in kept_views)),
            "plain_s": median(times["plain"]),
            "log_s": median(times["log"]),
            "screen_text_s": median([t for t, _, _ in kept]),
            "screen_highlighted_s": median([h for _, h, _ in kept]),
            "screen_whole_s": median([w for _, _, w in kept]),
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="a long article's first screen beside Log")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--words", type=int, default=WORDS)
    args = parser.parse_args(argv)
    r = measure(args.repeats, args.words)
    print(
        f"{r['words']:,.0f} words: first screen highlighted {r['view_s']:.3f} s"
        f" ({r['first_screen_entities']:.0f} entities on it, all shown),"
        f" whole article's entities {r['view_whole_s']:.3f} s, plain {r['plain_s']:.3f} s,"
        f" Log {r['log_s']:.3f} s, ratio {r['view_s'] / r['log_s']:.2f}x;"
        f" through ReaderScreen: text {r['screen_text_s']:.3f} s,"
        f" highlighted {r['screen_highlighted_s']:.3f} s"
        f" ({r['screen_highlighted_s'] / r['log_s']:.2f}x),"
        f" whole article's entities {r['screen_whole_s']:.3f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
