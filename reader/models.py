"""Plain value objects shared by every layer.

They are frozen so that a cached article or a note handed to the UI can never be changed
behind the store's back; every change goes through the store and comes back as a new value.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

#: The entity labels, in the order the legend and exports show them.
LABELS: tuple[str, ...] = ("PERSON", "ORG", "PLACE", "GROUP", "DATE", "NUMBER")

#: Fine labels of figures and dates; names have ``fine == ""``.
FINE_LABELS: tuple[str, ...] = (
    "DATE",
    "TIME",
    "CARDINAL",
    "ORDINAL",
    "MONEY",
    "PERCENT",
    "QUANTITY",
)

BlockKind = Literal["paragraph", "heading", "quote", "list_item", "code", "figure", "rule"]


@dataclass(frozen=True, slots=True)
class EntitySpan:
    """One mention: code-point offsets into the article text, end exclusive.

    ``key`` names the entity the mention belongs to (the longest spelling seen in the
    article), so short forms and spelling variants group together.
    """

    start: int
    end: int
    label: str
    fine: str = ""
    key: str = ""


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph-like unit of the article text; notes attach to blocks.

    ``start``/``end`` are offsets into :attr:`Article.text`. ``level`` is the heading
    level or list depth; ``ref`` carries extra data (a link target, a figure's source).
    """

    start: int
    end: int
    kind: BlockKind = "paragraph"
    level: int = 0
    ref: str = ""


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """What the library list needs, cheap enough to keep for 10,000 articles.

    ``id`` is the stable annotation key (it survives moves, renames and light edits);
    ``content_hash`` identifies the current bytes. ``problem`` is set, and the text is
    empty, when the file could not be read; the reason is shown to the user.

    ``path`` is given and read as a ``Path`` but kept as its string (see below):
    :attr:`path_text` reads that string without making a ``Path``.
    """

    id: str
    path: Path
    title: str
    source: str = ""
    author: str = ""
    date: str = ""
    url: str = ""
    words: int = 0
    size: int = 0
    mtime_ns: int = 0
    content_hash: str = ""
    fmt: Literal["txt", "md", "html"] = "txt"
    problem: str = ""

    @property
    def reading_minutes(self) -> int:
        """Minutes at 230 words a minute, never less than one for a non-empty text."""
        return max(1, round(self.words / 230)) if self.words else 0

    @property
    def path_text(self) -> str:
        text: str = _PATH_SLOT.__get__(self)
        return text


# A Path object, its parts and its cached string cost about 0.5 KB more than the string
# alone: 5 MB for a library of 10,000 articles. So the slot holds the path's string, and
# ``path`` makes a Path from it when read (a microsecond or two; few callers read it
# often).
_PATH_SLOT: Any = vars(ArticleMeta)["path"]  # the slot's own accessor (``slots=True``)


def _read_path(meta: ArticleMeta) -> Path:
    return Path(_PATH_SLOT.__get__(meta))


def _keep_path(meta: ArticleMeta, path: Path | str) -> None:
    _PATH_SLOT.__set__(meta, os.fspath(path))


ArticleMeta.path = property(_read_path, _keep_path, doc="The article's file.")  # type: ignore[assignment, misc]


@dataclass(frozen=True, slots=True)
class Article:
    """A loaded article: display text with control characters already made visible."""

    meta: ArticleMeta
    text: str
    blocks: tuple[Block, ...]
    links: tuple[str, ...] = ()
    #: Inline styles from Markdown: (start, end, style) with style "bold", "italic",
    #: "code", "strike" or "link"; sorted by start.
    styles: tuple[tuple[int, int, str], ...] = ()

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def title(self) -> str:
        return self.meta.title

    def block_text(self, index: int) -> str:
        block = self.blocks[index]
        return self.text[block.start : block.end]

    def block_at(self, offset: int) -> int:
        """Index of the block holding ``offset`` (the nearest one before it otherwise)."""
        lo, hi = 0, len(self.blocks) - 1
        if hi < 0:
            return 0
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.blocks[mid].start <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a passage note points: a TextQuoteSelector plus a TextPositionSelector.

    The quote with its context finds the passage again after light edits; the offsets
    break ties and make the common, unedited case instant.
    """

    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int = 0
    end: int = 0


@dataclass(frozen=True, slots=True)
class Note:
    """A note on a passage (``anchor`` set) or on the whole article (``anchor`` None)."""

    id: str
    article_id: str
    text: str
    anchor: Anchor | None = None
    tags: tuple[str, ...] = ()
    created: str = ""
    updated: str = ""


@dataclass(frozen=True, slots=True)
class PlacedNote:
    """A note resolved against the article's current text.

    ``start``/``end`` are where the passage is now; ``orphaned`` means it could not be
    found again (the note is kept and shown, never dropped).
    """

    note: Note
    start: int = -1
    end: int = -1
    orphaned: bool = False


@dataclass(frozen=True, slots=True)
class ReadingState:
    """Per-article reading progress, remembered across sessions."""

    article_id: str
    position: int = 0
    read: bool = False
    opened: str = ""


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """What the store knows of an article: its identity across moves and edits."""

    id: str
    path: str
    title: str
    hashes: tuple[str, ...] = field(default_factory=tuple)
    tags: tuple[str, ...] = ()
