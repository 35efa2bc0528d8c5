"""Errors a user can act on. The CLI prints their message to stderr, without a traceback."""

from __future__ import annotations


class ReaderError(Exception):
    """Base of every error that is the user's to fix, not a bug."""

    exit_code = 1


class UnknownArticle(ReaderError):
    """No article matched an ARTICLE argument."""

    def __init__(self, query: str, candidates: list[str] | None = None) -> None:
        self.query = query
        self.candidates = candidates or []
        lines = [f"no article matches {query!r}"]
        if self.candidates:
            lines.append("closest:")
            lines.extend(f"  {c}" for c in self.candidates)
        super().__init__("\n".join(lines))


class AmbiguousArticle(ReaderError):
    """Several articles match an ARTICLE argument about equally well."""

    def __init__(self, query: str, candidates: list[str]) -> None:
        self.query = query
        self.candidates = candidates
        lines = [f"{query!r} matches more than one article; use an id or more words:"]
        lines.extend(f"  {c}" for c in candidates)
        super().__init__("\n".join(lines))
