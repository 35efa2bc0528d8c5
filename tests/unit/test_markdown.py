"""Markdown keeps its structure: headings, lists, quotes, code, links and figures."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.articles import article_from_bytes
from reader.markdown_text import render_markdown, split_front_matter

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "markdown"


def _blocks(text: str, blocks: tuple) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(b.kind, text[b.start : b.end]) for b in blocks]


def test_essay_fixture_metadata() -> None:
    path = FIXTURES / "essay.md"
    article = article_from_bytes(path.read_bytes(), path)
    meta = article.meta
    assert meta.title == "Notes on reading: slowly"
    assert meta.author == "Ada Example, Ben Example"
    assert meta.date == "2021-05-04"
    assert meta.source == "Field Journal"
    assert meta.url == "https://field-journal.example/notes"
    assert meta.fmt == "md"


def test_essay_fixture_structure() -> None:
    path = FIXTURES / "essay.md"
    article = article_from_bytes(path.read_bytes(), path)
    blocks = _blocks(article.text, article.blocks)
    assert blocks[0] == ("heading", "Reading slowly")
    assert blocks[1][0] == "paragraph"
    assert "Field Journal[1]." in blocks[1][1]
    assert ("list_item", "• Read the first paragraph twice.") in blocks
    assert ("list_item", "  1. Keep it short.") in blocks
    assert ("list_item", "• Come back the next day[2].") in blocks
    assert ("quote", "Nobody reads a good book quickly. -- an old saying") in blocks
    assert ("figure", "[Figure: A reader at a window]") in blocks
    code = [text for kind, text in blocks if kind == "code"]
    assert code == ["def read(article):\n    return article.slowly()"]
    assert ("paragraph", "habit | minutes\nrereading | 5") in blocks
    assert ("rule", "* * *") in blocks
    assert article.links == (
        "https://field-journal.example/",
        "https://field-journal.example/next",
    )
    assert blocks[-3] == ("heading", "Links")
    assert blocks[-2] == ("list_item", "[1] https://field-journal.example/")
    figure = next(b for b in article.blocks if b.kind == "figure")
    assert figure.ref == "window.jpg"
    nested = [b for b in article.blocks if b.kind == "list_item" and b.level == 2]
    assert len(nested) == 2


def test_styles_cover_the_right_words() -> None:
    rendered = render_markdown("Some *em* and **strong** and `code` and ~~gone~~ [a link](u).")
    spans = {(rendered.text[s:e], style) for s, e, style in rendered.styles}
    assert ("em", "italic") in spans
    assert ("strong", "bold") in spans
    assert ("code", "code") in spans
    assert ("gone", "strike") in spans
    assert ("a link", "link") in spans


def test_styles_in_list_items_follow_the_prefix() -> None:
    rendered = render_markdown("- one **two**\n  three *four*\n")
    spans = {(rendered.text[s:e], style) for s, e, style in rendered.styles}
    assert spans == {("two", "bold"), ("four", "italic")}


def test_same_link_twice_keeps_its_number() -> None:
    rendered = render_markdown("[a](http://x) [b](http://y) [c](http://x) [d](#frag)")
    first = rendered.text.split("\n")[0]
    assert first == "a[1] b[2] c[1] d"
    assert rendered.links == ("http://x", "http://y")


def test_inline_image_and_image_without_alt() -> None:
    rendered = render_markdown("Text ![alt](a.png) more.\n\n![](b.png)\n")
    assert "Text [Figure: alt] more." in rendered.text
    assert rendered.blocks[-1].kind == "figure"
    assert rendered.text.endswith("[Figure]")


def test_html_in_markdown_is_kept_as_text() -> None:
    rendered = render_markdown("<div>raw</div>\n\nafter <b>x</b>\n")
    assert "<div>raw</div>" in rendered.text
    assert "after <b>x</b>" in rendered.text


def test_front_matter_yaml_and_fallback() -> None:
    fields, body = split_front_matter("---\ntitle: Breaking: news\nauthor: A\n---\nBody\n")
    assert fields == {"title": "Breaking: news", "author": "A"}
    assert body == "Body\n"
    fields, body = split_front_matter("---\n- not a mapping\n---\nBody")
    assert fields == {}
    assert body.startswith("---")
    assert split_front_matter("No front matter") == ({}, "No front matter")


def test_title_falls_back_to_first_heading_then_text() -> None:
    assert render_markdown("Intro\n\n# Real Title\n").title == "Real Title"
    article = article_from_bytes(b"Just a paragraph.\n\nAnother.", Path("a.md"))
    assert article.title == "Just a paragraph."
    article = article_from_bytes(b"Reuters - Markets fell.\n\nMore.", Path("a.md"))
    assert article.meta.source == "Reuters"
    assert article.title == "Markets fell."


def test_escape_sequences_in_markdown_become_visible() -> None:
    article = article_from_bytes(b"# Hi \x1b[2J there\n\nBody \x07 text", Path("a.md"))
    assert "\x1b" not in article.text and "\x07" not in article.text
    assert "\u241b" in article.title


def test_markup_like_text_survives_markdown() -> None:
    rendered = render_markdown("Literal \\[bold red\\]x and [@click=app.quit] y\n")
    assert "[bold red]x" in rendered.text
    assert "[@click=app.quit] y" in rendered.text


_MD_ALPHABET = st.sampled_from(
    [*"ab #*_-`>[]()!\n\t|~\\1.", "\x1b", "\x00", "é", "\u202e", "東", "\r", "---\n"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_MD_ALPHABET, max_size=80).map("".join) | st.text())
def test_render_properties(source: str) -> None:
    rendered = render_markdown(source)
    previous = 0
    for block in rendered.blocks:
        assert 0 <= block.start < block.end <= len(rendered.text)
        assert block.start >= previous
        previous = block.end
    for start, end, _style in rendered.styles:
        assert 0 <= start < end <= len(rendered.text)
    assert "\x1b" not in rendered.text and "\x00" not in rendered.text
    assert "\x1b" not in rendered.title
