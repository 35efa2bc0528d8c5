"""UI test fixtures: a real Workspace on a small fixture library, and screenshot rows."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from reader.models import ArticleMeta
from reader.ui.app import ReaderApp, make_app
from reader.workspace import Workspace

#: Four articles: Markdown with structure, a long plain text, one whose title is markup,
#: and a binary file the library lists as unreadable.
LIBRARY = Path(__file__).parent / "library"
SIZE = (110, 34)


def workspace(db: Path) -> Workspace:
    return Workspace.for_paths(db=db, libraries=[LIBRARY], include_seeds=False)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "db.json"


@pytest.fixture
def ws(db: Path) -> Workspace:
    workspace_ = workspace(db)
    yield workspace_
    workspace_.close()


@pytest.fixture
def app_for(db: Path) -> Callable[..., ReaderApp]:
    """A new app on the same database each call (a restart)."""
    opened: list[Workspace] = []

    def make(**opts: object) -> ReaderApp:
        ws_ = workspace(db)
        opened.append(ws_)
        opts.setdefault("poll", False)
        opts.setdefault("watch_theme", False)
        return make_app(ws_, **opts)

    yield make
    for ws_ in opened:
        ws_.close()


def meta_titled(ws: Workspace, words: str) -> ArticleMeta:
    return next(m for m in ws.articles() if words in m.title)


_SVG_TEXT = re.compile(
    r'<text [^>]*x="([\d.]+)"[^>]*clip-path="url\(#[\w-]*-line-(\d+)\)">([^<]*)</text>'
)


def screenshot_rows(svg: str) -> list[str]:
    """The text of each row of a screenshot from ``App.export_screenshot``.

    Rich writes one ``<text>`` per run of one style, placed at column x / 12.2 (a 20-pixel
    font at an aspect ratio of 0.61) and clipped to its line; runs of blanks may be left out.
    """
    rows: dict[int, list[str]] = {}
    for x, row, text in _SVG_TEXT.findall(svg):
        line = rows.setdefault(int(row), [])
        column = round(float(x) / 12.2)
        for i, char in enumerate(html.unescape(text).replace("\xa0", " ")):
            while len(line) <= column + i:
                line.append(" ")
            line[column + i] = char
    return ["".join(rows.get(r, [])).rstrip() for r in range(max(rows, default=-1) + 1)]
