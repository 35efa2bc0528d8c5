"""Counts in words, the line under an article's title, and one footer key per action."""

from __future__ import annotations

from pathlib import Path

from textual.binding import Binding
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from reader.anchoring import make_anchor
from reader.ui.app import ReaderApp, make_app
from reader.ui.export_keys import message
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.reader import ReaderScreen
from reader.ui.wording import counted
from reader.workspace import Workspace
from tests.ui.helpers import settle

SIZE = (120, 36)


def one_article_app(tmp_path: Path, articles: int) -> ReaderApp:
    library = tmp_path / "library"
    library.mkdir()
    for i in range(articles):
        (library / f"a{i}.txt").write_text(f"Article {i}\n\nSome words.\n", encoding="utf-8")
    ws = Workspace.for_paths(db=tmp_path / "db.json", libraries=[library], include_seeds=False)
    return make_app(ws, poll=False, watch_theme=False)


def status(app: ReaderApp) -> str:
    return str(app.screen.query_one("#library-status", Static).render())


def footer_keys(app: ReaderApp) -> list[tuple[str, str]]:
    return [(key.key_display, key.description) for key in app.screen.query(FooterKey)]


def test_counted() -> None:
    assert counted(1, "article") == "1 article"
    assert counted(0, "article") == "0 articles"
    assert counted(2_500, "word") == "2,500 words"
    assert message([Path("a"), Path("b")], Path("out"), "x") == "Exported 2 articles to out"


async def test_library_header_says_one_article(tmp_path: Path) -> None:
    app = one_article_app(tmp_path, 1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert "Library  1 article · 1 unread ·" in status(app)
    app.ws.close()


async def test_library_header_counts_several_and_filtered(tmp_path: Path) -> None:
    app = one_article_app(tmp_path, 2)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Library  2 articles · 2 unread ·" in status(app)
        await pilot.press("slash", *"Article 1")
        await settle(pilot)
        assert "Library  1 of 2 articles ·" in status(app)
    app.ws.close()


async def test_meta_line_has_one_separator_between_fields(tmp_path: Path) -> None:
    ws = Workspace.for_paths(db=tmp_path / "db.json", libraries=[], include_seeds=True)
    meta = next(m for m in ws.articles() if m.title.startswith("Syrian rebels"))
    article = ws.load(meta)
    block = article.blocks[1]
    ws.store.add_note(meta.id, "One.", make_anchor(article.text, block.start, block.end))
    ws.store.add_tags(meta.id, ["syria", "evacuation"])
    app = make_app(ws, poll=False, watch_theme=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = ReaderScreen(ws, meta)
        await app.push_screen(screen)
        await settle(pilot)
        line = str(screen.query_one("#reader-meta", Static).render())
        assert line == "Afrasianet · 369 words · 2 min · 1 note · unread · #syria #evacuation"
        ws.store.add_note(meta.id, "Two.")
        screen.reload_annotations()
        await settle(pilot)
        line = str(screen.query_one("#reader-meta", Static).render())
        assert " · 2 notes · " in line
    ws.close()


async def test_footer_shows_each_action_once(tmp_path: Path) -> None:
    app = one_article_app(tmp_path, 1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        keys = footer_keys(app)
        assert [d for _, d in keys].count("Quit") == 1
        assert ("q", "Quit") in keys
        assert len({d for _, d in keys}) == len(keys), keys
        quit_binding = next(
            b for b in ReaderApp.BINDINGS if isinstance(b, Binding) and b.key == "ctrl+q"
        )
        assert (quit_binding.id, quit_binding.description, quit_binding.show) == (
            "app.quit",
            "Quit",
            False,
        )
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        keys = footer_keys(app)
        assert len({d for _, d in keys}) == len(keys), keys
    app.ws.close()
