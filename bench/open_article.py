"""Opening a long article: the first screen of a ~100,000-word article, highlighted, beside
Textual's ``Log`` widget showing the same plain text (``run_test``, 120x40, same run).

reader's figure covers what happens between pressing Enter and a highlighted first screen:
reading and parsing the file (a fresh workspace each time, so nothing is cached), finding
the entities (their cache cleared), and ``ArticleView.set_article`` up to the next paint.
The baseline covers ``Log.write(text)`` up to the next paint. Runs alternate, and the
medians are compared. The same is also timed through the real ``ReaderScreen`` (text
first, then highlights), for information.

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


def time_view(article_file: Path, highlighted: bool = True) -> float:
    """Load, find entities and show, from a fresh workspace (nothing cached)."""
    import reader.entities
    from reader.ui.widgets.article_view import ArticleView
    from reader.workspace import Workspace

    async def act(app: Any) -> None:
        reader.entities.cache_clear()
        work = Path(tempfile.mkdtemp(dir=OUT))
        try:
            ws = Workspace.for_paths(work / "db.json", [article_file.parent], include_seeds=False)
            article = ws.load(ws.articles()[0])
            entities = ws.entities(article) if highlighted else []
            app.query_one(ArticleView).set_article(article, entities)
            ws.close()
        finally:
            shutil.rmtree(work, ignore_errors=True)

    return run_in_app(ArticleView, act)


def time_reader_screen(article_file: Path) -> tuple[float, float]:
    """Through the app: Enter on the library row, to the text, then to the highlights."""
    import reader.entities
    from reader.ui.app import make_app
    from reader.ui.screens.reader import ReaderScreen
    from reader.ui.search_service import service_for
    from reader.workspace import Workspace

    work = Path(tempfile.mkdtemp(dir=OUT))

    async def go() -> tuple[float, float]:
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
            while not app.screen.view.entities:
                await asyncio.sleep(0.002)
            await painted(app)
            highlighted = time.perf_counter() - start
        ws.close()
        return text, highlighted

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
        screen_times: list[tuple[float, float]] = []

        def screen() -> float:
            screen_times.append(time_reader_screen(article_file))
            return screen_times[-1][1]

        times = alternate(
            {
                "view": lambda: time_view(article_file),
                "log": lambda: time_log(text),
                "plain": lambda: time_view(article_file, highlighted=False),
                "screen": screen,
            },
            repeats,
            warmup,
        )
        kept = screen_times[-repeats:]
        return {
            "words": float(len(text.split())),
            "view_s": median(times["view"]),
            "plain_s": median(times["plain"]),
            "log_s": median(times["log"]),
            "screen_text_s": median([t for t, _ in kept]),
            "screen_highlighted_s": median([h for _, h in kept]),
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
        f"{r['words']:,.0f} words: highlighted {r['view_s']:.3f} s, plain {r['plain_s']:.3f} s,"
        f" Log {r['log_s']:.3f} s, ratio {r['view_s'] / r['log_s']:.2f}x;"
        f" through ReaderScreen: text {r['screen_text_s']:.3f} s,"
        f" highlighted {r['screen_highlighted_s']:.3f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
