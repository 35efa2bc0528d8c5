"""The exported Markdown keeps its shape whatever the notes, quotes, titles and tags hold.

Each document is parsed with a CommonMark parser and compared, block by block, with the
skeleton the data calls for: one ``#`` title, the ``##`` sections, one ``###`` per passage,
a blockquote per quote and a callout per note, and nothing else at the top level.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from reader.export import ExportOptions, render_article_markdown
from reader.models import Anchor, Article, ArticleMeta, Block, Note, PlacedNote

PARSER = MarkdownIt("commonmark")
STAMP = "2024-06-01T12:00:00+00:00"

HOSTILE = [
    "---",
    "# heading\n## another",
    "title\n=====",
    "text\n---\nmore",
    "> quoted\n> # inner heading",
    "```\nunclosed fence\n# inside",
    "````\n```\nnested\n```",
    "~~~\ntilde fence",
    "<!-- unclosed comment",
    "<script>alert(1)</script>",
    "</blockquote><h1>out</h1>",
    "<div>\n\n# after html",
    "title: yaml\ntags: [a, b]\n---",
    "a\r\nb\rc\n\r\nd",
    "bell\x07 esc\x1b[31m nul\x00 del\x7f c1\x9b",
    "    indented code\n# h",
    "\t# tab heading",
    "- item\n  # heading in list\n- ---",
    "1. one\n2) ---",
    "* * *",
    "___",
    "%% obsidian comment",
    "[ref]: https://example.com\n[ref]",
    "line with trailing backslash\\",
    "\u2028separator\u2029para\x85nel",
    "> [!warning] nested callout\n> body",
    "<https://example.com> and <b>bold</b>",
]


# -- building documents from plain data ------------------------------------------------


def make_article(paragraphs: list[str], title: str = "A title") -> Article:
    """An article of one block per paragraph, joined by blank lines."""
    text = ""
    blocks = []
    for para in paragraphs:
        if text:
            text += "\n\n"
        blocks.append(Block(len(text), len(text) + len(para)))
        text += para
    meta = ArticleMeta(id="a1b2c3d4e5f60718", path=Path("article.txt"), title=title)
    return Article(meta, text, tuple(blocks))


def passage(article: Article, needle: str, text: str, note_id: str, **kw: Any) -> PlacedNote:
    start = article.text.index(needle)
    end = start + len(needle)
    anchor = Anchor(needle, start=start, end=end)
    note = Note(note_id, article.id, text, anchor, **kw)
    return PlacedNote(note, start, end)


# -- reading documents back --------------------------------------------------------------


def split_front_matter(markdown: str) -> tuple[dict[str, Any], str]:
    assert markdown.startswith("---\n")
    end = markdown.index("\n---\n", 3)
    data = yaml.safe_load(markdown[4:end])
    assert isinstance(data, dict)
    return data, markdown[end + 5 :]


def skeleton(body: str) -> list[str]:
    """The top-level blocks: ``h1``…, ``p``, ``quote`` or ``note`` (a callout), ``list``."""
    tokens = PARSER.parse(body)
    out = []
    for i, tok in enumerate(tokens):
        if tok.level != 0 or (not tok.type.endswith("_open") and tok.nesting != 0):
            continue
        if tok.type == "heading_open":
            out.append(tok.tag)
        elif tok.type == "paragraph_open":
            out.append("p")
        elif tok.type == "blockquote_open":
            first = tokens[i + 2] if i + 2 < len(tokens) else None
            is_note = first is not None and first.content.startswith("[!note]")
            out.append("note" if is_note else "quote")
        elif tok.type == "bullet_list_open":
            out.append("list")
        elif tok.nesting == 0:
            out.append(tok.type)
    return out


def all_tokens(tokens: list[Token]) -> list[Token]:
    out = []
    for tok in tokens:
        out.append(tok)
        out.extend(tok.children or [])
    return out


def assert_safe(body: str) -> None:
    """No rule, no raw HTML, and headings only where the renderer put them (top level)."""
    for tok in all_tokens(PARSER.parse(body)):
        assert tok.type not in ("hr", "html_block", "html_inline"), tok
        if tok.type == "heading_open":
            assert tok.level == 0, tok


def expected_skeleton(notes: list[PlacedNote], article_notes: int, orphans: int) -> list[str]:
    """What :func:`skeleton` must give for notes whose texts are all non-blank."""
    out = ["h1", "p"]
    if article_notes:
        out += ["h2"] + ["note", "p"] * article_notes
    if notes:
        out += ["h2"] + ["h3", "quote", "note", "p"] * len(notes)
    if orphans:
        out += ["h2", "p"] + ["h3", "quote", "note", "p"] * orphans
    return out


def inline_text(body: str, kind: str) -> list[str]:
    """Plain text of each top-level block of ``kind``: "quote" (a blockquote that is not a
    note callout) or a heading tag. Such blocks must hold nothing but literal text."""
    tokens = PARSER.parse(body)
    blocks: list[tuple[Token, list[Token]]] = []
    for tok in tokens:
        if tok.level == 0 and tok.nesting == 1:
            blocks.append((tok, []))
        elif blocks and tok.type == "inline":
            blocks[-1][1].append(tok)
    texts = []
    for opener, inlines in blocks:
        if kind == "quote":
            if opener.type != "blockquote_open" or inlines[0].content.startswith("[!note]"):
                continue
        elif opener.tag != kind:
            continue
        parts = []
        for inline in inlines:
            for child in inline.children or []:
                assert child.type in ("text", "softbreak"), (kind, child)
                parts.append(child.content if child.type == "text" else "\n")
            parts.append("\n")
        texts.append("".join(parts).strip())
    return texts


# -- hostile notes -------------------------------------------------------------------------


def test_hostile_notes_each_stay_inside_their_callout() -> None:
    paras = [f"Paragraph {i} with words to quote." for i in range(len(HOSTILE))]
    article = make_article(paras)
    notes = [
        passage(article, f"Paragraph {i} with", text, f"n{i:02}", created="2024-01-01")
        for i, text in enumerate(HOSTILE)
    ]
    md = render_article_markdown(
        article.meta, article, notes, ("t",), ExportOptions(), exported_at=STAMP
    )
    data, body = split_front_matter(md)
    assert data["passages"] == len(HOSTILE)
    assert skeleton(body) == expected_skeleton(notes, 0, 0)
    assert_safe(body)
    for ch in "\x00\x07\x1b\x7f\x9b\r":
        assert ch not in md


def test_hostile_text_as_an_article_level_note_and_as_an_orphan() -> None:
    article = make_article(["Only paragraph."])
    for i, text in enumerate(HOSTILE):
        general = PlacedNote(Note(f"g{i}", article.id, text, created="2024-01-01"))
        orphan = PlacedNote(
            Note(f"o{i}", article.id, text, Anchor(text), updated="x"), orphaned=True
        )
        md = render_article_markdown(
            article.meta, article, [orphan, general], (), ExportOptions(), exported_at=STAMP
        )
        _, body = split_front_matter(md)
        assert skeleton(body) == expected_skeleton([], 1, 1), text
        assert_safe(body)


def test_front_matter_survives_a_hostile_title_and_tags() -> None:
    article = make_article(["Text."], title="---\nkey: value\n# Title: with 'quotes' & \"more\"")
    tags = ("yes", "null", "1.0", "---", "a: b", "#x", "[list]", "`tick`")
    md = render_article_markdown(
        article.meta, article, [], tags, ExportOptions(), exported_at=STAMP
    )
    data, body = split_front_matter(md)
    assert data["tags"] == list(tags)
    assert data["exported"] == STAMP
    assert data["title"] == "---␤key: value␤# Title: with 'quotes' & \"more\""
    assert skeleton(body) == ["h1", "p"]
    assert inline_text(body, "h1") == [data["title"]]


def test_a_blank_note_is_a_highlight_without_a_callout() -> None:
    article = make_article(["Highlighted words here."])
    note = passage(article, "Highlighted words", "  \n ", "n1")
    md = render_article_markdown(
        article.meta, article, [note], (), ExportOptions(), exported_at=STAMP
    )
    _, body = split_front_matter(md)
    assert skeleton(body) == ["h1", "p", "h2", "h3", "quote", "p"]


# -- properties ----------------------------------------------------------------------------

#: Pieces that start Markdown constructs, mixed with arbitrary text.
MARKDOWN_PIECES = [
    *"#>-*_`~<!=%[]()|\\\n\r\t +.1:",
    "```",
    "~~~",
    "---",
    "===",
    "***",
    "<!--",
    "-->",
    "<div>",
    "</blockquote>",
    "<script>",
    "\n# ",
    "\n    ",
    "\n> ",
    "\n- ",
    "\n1. ",
    "\r\n",
    "%%",
    "[!note]",
    "[x]: /u",
    "&lt;",
]
any_text = st.lists(
    st.one_of(st.text(st.characters(codec="utf-8"), max_size=6), st.sampled_from(MARKDOWN_PIECES)),
    max_size=16,
).map("".join)
plain_words = st.text(st.characters(codec="utf-8", exclude_characters="\n\r"), max_size=40)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    texts=st.lists(any_text.filter(lambda t: t.strip(" \t\n\r\x0b\x0c")), min_size=1, max_size=4),
    general=any_text.filter(lambda t: t.strip(" \t\n\r\x0b\x0c")),
    orphan_quote=any_text,
    tags=st.lists(plain_words, max_size=4),
    title=any_text,
)
def test_any_notes_quotes_and_tags_keep_the_structure(
    texts: list[str], general: str, orphan_quote: str, tags: list[str], title: str
) -> None:
    paras = [f"Quote {i} {t}" for i, t in enumerate(texts)]
    article = make_article(paras, title=title)
    notes = [
        passage(article, para, text, f"n{i}", tags=tuple(tags))
        for i, (para, text) in enumerate(zip(paras, texts, strict=True))
    ]
    extra = [
        PlacedNote(Note("g", article.id, general, created="2024-01-01")),
        PlacedNote(
            Note("o", article.id, general, Anchor(orphan_quote), created="2024-01-02"),
            orphaned=True,
        ),
    ]
    md = render_article_markdown(
        article.meta, article, notes + extra, tuple(tags), ExportOptions(), exported_at=STAMP
    )
    data, body = split_front_matter(md)
    assert data["notes"] == len(texts) + 2
    assert data["tags"] == [t.replace("\t", "␉") for t in data["tags"]]
    assert len(data["tags"]) == len(tags)
    assert skeleton(body) == expected_skeleton(notes, 1, 1)
    assert_safe(body)
    quotes = inline_text(body, "quote")
    assert len(quotes) == len(texts) + 1
    assert all(ch not in md for ch in "\r\x00\x1b")
