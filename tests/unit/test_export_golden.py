"""Golden files: the exact Markdown of the seed article's export, reviewed by eye.

Regenerate with ``UPDATE_GOLDEN=1 pytest tests/unit/test_export_golden.py`` after an
intended change, and read the diff before committing it.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
import yaml
from test_export_structure import assert_safe, skeleton, split_front_matter

from reader.articles import article_from_bytes
from reader.entities import find_entities
from reader.export import ExportOptions, render_article_markdown
from reader.models import Anchor, Article, Note, PlacedNote

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_28f3cce3a5980af7.txt"
GOLDEN = ROOT / "tests" / "golden"
STAMP = "2024-06-01T12:00:00+00:00"
TAGS = ("syria", "evacuations", "to-read/2024")


@pytest.fixture(scope="module")
def seed() -> Article:
    return article_from_bytes(SEED.read_bytes(), SEED, article_id="28f3cce3a5980af7")


def placed(article: Article, needle: str, text: str, note_id: str, **kw: object) -> PlacedNote:
    start = article.text.index(needle)
    end = start + len(needle)
    text_ = article.text
    anchor = Anchor(needle, text_[start - 20 : start], text_[end : end + 20], start, end)
    note = Note(note_id, article.id, text, anchor, **kw)  # type: ignore[arg-type]
    return PlacedNote(note, start, end)


def seed_notes(article: Article) -> list[PlacedNote]:
    """Two passage notes (one full of Markdown), one on the article, one orphan; given out
    of order, as the renderer must sort them itself."""
    return [
        placed(
            article,
            "all rebels from al-Waer are due to depart within around six weeks",
            "Six weeks: compare with the **Aleppo** evacuation.\n\n"
            "- who runs the buses?\n- where do they go?\n\n"
            "```\n# raw notes, kept as code\n```",
            "b2",
            tags=("timeline",),
            created="2024-05-02T08:30:00+00:00",
            updated="2024-05-03T18:05:00+02:00",
        ),
        placed(
            article,
            "the first group of evacuees includes over 1,500 people",
            "# Not a heading\n---\n<!-- not a comment -->\n> and a *quoted* aside",
            "a1",
            tags=("figures", "check"),
            created="2024-05-01T10:00:00+00:00",
            updated="2024-05-01T10:00:00+00:00",
        ),
        PlacedNote(
            Note(
                "z9",
                article.id,
                "Useful background; the numbers need a second source.",
                tags=("summary",),
                created="2024-05-01T09:00:00+00:00",
            )
        ),
        PlacedNote(
            Note(
                "o1",
                article.id,
                "This sentence was in an earlier version of the file.",
                Anchor("rebels were offered safe passage to Idlib", start=500, end=541),
                created="2024-04-30T16:45:00+00:00",
            ),
            orphaned=True,
        ),
    ]


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert path.exists(), f"{path} is missing: run with UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True), text.splitlines(keepends=True), name, "now"
            )
        )
        pytest.fail(f"{name} differs (UPDATE_GOLDEN=1 to accept):\n{diff}")


def test_seed_notes_golden(seed: Article) -> None:
    md = render_article_markdown(
        seed.meta, seed, seed_notes(seed), TAGS, ExportOptions(), exported_at=STAMP
    )
    check_golden("seed_notes.md", md)
    data, body = split_front_matter(md)
    assert data["notes"] == 4 and data["passages"] == 2 and data["orphans"] == 1
    assert skeleton(body) == [
        "h1", "p",
        "h2", "note", "p",
        "h2", "h3", "quote", "note", "p", "h3", "quote", "note", "p",
        "h2", "p", "h3", "quote", "note", "p",
    ]  # fmt: skip
    assert_safe(body)


def test_seed_full_golden(seed: Article) -> None:
    options = ExportOptions(entities=True, wikilinks=True, figures=True)
    md = render_article_markdown(
        seed.meta,
        seed,
        seed_notes(seed),
        TAGS,
        options,
        find_entities(seed.text),
        exported_at=STAMP,
    )
    check_golden("seed_full.md", md)
    _, body = split_front_matter(md)
    assert_safe(body)
    assert "## Entities" in body and "## Figures" in body
    assert "[[Talal al-Barazi]]" in body


def test_golden_files_have_valid_front_matter() -> None:
    for path in sorted(GOLDEN.glob("*.md")):
        head = path.read_text(encoding="utf-8").split("\n---\n", 1)[0]
        assert isinstance(yaml.safe_load(head.removeprefix("---\n")), dict), path
