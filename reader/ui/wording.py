"""Counts in words: "1 article", "2 articles", "1,500 words"."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` with ``noun``, plural unless the count is exactly one."""
    word = noun if count == 1 else (plural or noun + "s")
    return f"{count:,} {word}"
