"""One run's world: settings, locations, the library and the annotation store.

The CLI and the TUI both hold a Workspace, so an ARTICLE argument, a note or a tag means
the same thing in both. Expensive parts (scanning folders, opening the database) happen on
first use, so ``reader --help`` and ``reader entities --jsonl`` stay instant.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from reader.config import Settings, load_settings
from reader.errors import AmbiguousArticle, ReaderError, UnknownArticle
from reader.models import Article, ArticleMeta, EntitySpan, PlacedNote
from reader.paths import Locations, default_config_path

if TYPE_CHECKING:
    from reader.entities import EntityFinder
    from reader.store import Store

#: A fuzzy title match must score at least this much (0-100) to count.
MATCH_THRESHOLD = 60.0
#: Two matches closer than this are ambiguous unless one is exact.
AMBIGUITY_MARGIN = 4.0


class Workspace:
    """Settings, locations, library and store for one run of reader."""

    def __init__(
        self,
        locations: Locations,
        settings: Settings | None = None,
        entity_backend: str | None = None,
        warnings: Sequence[str] = (),
    ) -> None:
        self.locations = locations
        self.settings = settings or Settings()
        self.entity_backend = entity_backend or self.settings.entities or "builtin"
        #: Problems found while loading settings, for the UI and the CLI to show.
        self.warnings: list[str] = list(warnings)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Workspace:
        config_path = args.config or default_config_path()
        settings, warnings = load_settings(config_path)
        locations = Locations.resolve(
            db=args.db,
            libraries=args.library,
            export_dir=args.export_dir,
            config=config_path,
            include_seeds=not args.no_seeds,
            configured_db=settings.db,
            configured_libraries=settings.library_dirs,
            configured_export_dir=settings.export_dir,
        )
        return cls(locations, settings, args.entities, warnings)

    @classmethod
    def for_paths(
        cls,
        db: Path,
        libraries: Sequence[Path] = (),
        include_seeds: bool = True,
        export_dir: Path | None = None,
        config: Path | None = None,
    ) -> Workspace:
        """A workspace from explicit paths: what tests and the screenshot script use."""
        settings, warnings = load_settings(config) if config else (Settings(), [])
        locations = Locations.resolve(
            db=db,
            libraries=list(libraries),
            export_dir=export_dir,
            config=config,
            include_seeds=include_seeds,
        )
        return cls(locations, settings, None, warnings)

    # -- parts, opened on first use ---------------------------------------------------

    # The store, the entity finder and note placing are imported when first used: the
    # library screen is painted from the library index before any of them is needed.

    @cached_property
    def store(self) -> Store:
        from reader.store import Store

        return Store.open(self.locations.db)

    @cached_property
    def library(self) -> Library:
        return Library.scan(
            self.locations.library_dirs,
            index_path=self.index_path,
            identify=self.store.identify,
            ids_from=str(self.locations.db),
        )

    @property
    def index_path(self) -> Path:
        return self.locations.cache / "library-index.json"

    def listed_articles(self) -> Sequence[ArticleMeta] | None:
        """The articles as the last scan listed them, in title order, from the library
        index alone: nothing walked, the database not opened. None if there is no index
        for these folders and this database, or the library has been scanned already (then
        :meth:`articles` is as quick). A first look only: the scan has the last word.
        """
        if "library" in self.__dict__:
            return None
        return read_listing(self.index_path, self.locations.library_dirs, str(self.locations.db))

    @cached_property
    def entity_finder(self) -> EntityFinder:
        from reader.entities import get_finder

        return get_finder(self.entity_backend)

    def close(self) -> None:
        if "store" in self.__dict__:
            self.store.close()

    # -- articles -----------------------------------------------------------------------

    def articles(self) -> list[ArticleMeta]:
        return self.library.metas()

    def load(self, article: ArticleMeta | str) -> Article:
        return self.library.load(article if isinstance(article, str) else article.id)

    def load_if_readable(self, meta: ArticleMeta) -> Article | None:
        """The article, or None when it cannot be read (listed as unreadable, or gone or
        broken since the scan): exports and note lists then fall back to stored quotes."""
        if meta.problem:
            return None
        try:
            return self.load(meta)
        except (ReaderError, OSError):
            return None

    def entities(self, article: Article) -> list[EntitySpan]:
        return self.entity_finder(article.text)

    def placed_notes(self, article: Article) -> list[PlacedNote]:
        from reader.anchoring import place_notes

        return place_notes(self.store.notes(article.id), article.text)

    def resolve_article(self, query: str) -> ArticleMeta:
        """An ARTICLE argument: an id, an id prefix, or words of the title (fuzzy)."""
        metas = self.articles()
        q = query.strip()
        if not q:
            raise UnknownArticle(query)
        by_id = [m for m in metas if m.id == q]
        if by_id:
            return by_id[0]
        if len(q) >= 4:
            prefixed = [m for m in metas if m.id.startswith(q)]
            if len(prefixed) == 1:
                return prefixed[0]
        exact = [m for m in metas if m.title.casefold() == q.casefold()]
        if len(exact) == 1:
            return exact[0]
        from reader.search import rank_titles  # the search package is heavy; only here

        ranked = rank_titles(q, metas, limit=6)
        good = [(m, s) for m, s in ranked if s >= MATCH_THRESHOLD]
        if not good:
            raise UnknownArticle(query, [describe(m) for m, _ in ranked[:5]])
        if len(good) > 1 and good[0][1] - good[1][1] < AMBIGUITY_MARGIN:
            raise AmbiguousArticle(query, [describe(m) for m, _ in good])
        return good[0][0]


def describe(meta: ArticleMeta) -> str:
    """How an article is named in CLI messages: its id and title."""
    return f"{meta.id}  {meta.title}"


# Imported last: it imports models only, never this one.
from reader.library import Library, read_listing  # noqa: E402
