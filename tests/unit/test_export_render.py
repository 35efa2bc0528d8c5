"""The pure renderer: order, options, and the parts around the notes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from test_export_structure import PARSER, make_article, passage, skeleton, split_front_matter

from reader.export import (
    ExportItem,
    ExportOptions,
    parse_since,
    render_article_markdown,
    render_collection_markdown,
    select_notes,
)
from reader.export.markup import code_span, escape_inline, escape_line, fenced_block
from reader.export.sections import wikilink_target
from reader.models import Anchor, ArticleMeta, EntitySpan, Note, PlacedNote

STAMP = "2024-06-01T12:00:00+00:00"


def test_passages_come_in_reading_order_whatever_the_input_order() -> None:
    article = make_article(["Alpha one.", "Beta two.", "Gamma three."])
    notes = [
        passage(article, "Gamma", "third", "c", created="2024-01-01"),
        passage(article, "Alpha", "first", "a", created="2024-01-03"),
        passage(article, "Beta", "second", "b", created="2024-01-02"),
    ]
    md = render_article_markdown(
        article.meta, article, notes, (), ExportOptions(), exported_at=STAMP
    )
    assert md.index("¶ 1 · Alpha") < md.index("¶ 2 · Beta") < md.index("¶ 3 · Gamma")
    again = render_article_markdown(
        article.meta, article, list(reversed(notes)), (), ExportOptions(), exported_at=STAMP
    )
    assert again == md


def test_since_filters_notes_and_is_recorded() -> None:
    article = make_article(["Alpha one."])
    old = PlacedNote(Note("o", article.id, "old", created="2024-01-01T00:00:00+00:00"))
    new = PlacedNote(
        Note("n", article.id, "new", created="2024-01-01T00:00:00+00:00",
             updated="2024-03-01T00:00:00+00:00")
    )  # fmt: skip
    odd = PlacedNote(Note("x", article.id, "no readable time", created="yesterday"))
    since = datetime(2024, 2, 1, tzinfo=UTC)
    assert [p.note.id for p in select_notes([old, new, odd], since)] == ["n", "x"]
    options = ExportOptions(since=since)
    md = render_article_markdown(
        article.meta, article, select_notes([old, new], since), (), options, exported_at=STAMP
    )
    data, _ = split_front_matter(md)
    assert data["changed_since"] == "2024-02-01T00:00:00+00:00" and data["notes"] == 1


def test_parse_since() -> None:
    assert parse_since("2024-05-01").tzinfo is not None
    assert parse_since("2024-05-01T10:00:00+02:00").utcoffset().total_seconds() == 7200  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="not a date"):
        parse_since("last week")


def test_an_unreadable_article_still_exports_its_notes() -> None:
    meta = ArticleMeta(id="f1", path=Path("gone.txt"), title="Gone", problem="not UTF-8 text")
    note = PlacedNote(Note("n", "f1", "kept", Anchor("the stored quote"), created="2024-01-01"))
    md = render_article_markdown(meta, None, [note], (), ExportOptions(), exported_at=STAMP)
    data, body = split_front_matter(md)
    assert data["passages"] == 1 and data["orphans"] == 0
    assert "not UTF-8 text" in body and "> the stored quote" in body
    assert skeleton(body) == ["h1", "p", "p", "h2", "h3", "quote", "note", "p"]


def test_entities_without_wikilinks_and_an_empty_figures_section() -> None:
    article = make_article(["Ada Lovelace met Babbage."])
    spans = [EntitySpan(0, 12, "PERSON", key="Ada Lovelace"), EntitySpan(17, 24, "PERSON")]
    md = render_article_markdown(
        article.meta, article, [], (), ExportOptions(entities=True, figures=True), spans,
        exported_at=STAMP,
    )  # fmt: skip
    assert "- **Ada Lovelace** · 1 mention" in md and "- **Babbage** · 1 mention" in md
    assert "[[" not in md and "No figures found." in md


def test_collection_of_one_is_the_article_file_and_of_many_has_one_front_matter() -> None:
    a = make_article(["One."], title="First")
    b = make_article(["Two."], title="Second")
    note = PlacedNote(Note("n", a.id, "note"))
    items = [ExportItem(a.meta, a, [note]), ExportItem(b.meta, b, [])]
    single = render_collection_markdown(items[:1], ExportOptions(), exported_at=STAMP)
    assert single == items[0].render(ExportOptions(), STAMP)
    both = render_collection_markdown(items, ExportOptions(), exported_at=STAMP)
    data, body = split_front_matter(both)
    assert data["articles"] == 2 and data["notes"] == 1
    assert skeleton(body).count("h1") == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- item", "\\- item"),
        ("1986. A year", "1986\\. A year"),
        ("# h", "\\# h"),
        ("==mark== %%c%%", "\\=\\=mark=\\= %\\%c%\\%"),
        ("a <b> & `c` [d](e) *f* _g_ | ~h~ $i$", None),
    ],
)
def test_escape_line(text: str, expected: str | None) -> None:
    out = escape_line(text)
    if expected is not None:
        assert out == expected
    [para] = [t for t in PARSER.parse(out) if t.type == "inline"]
    assert {c.type for c in para.children or []} == {"text"}
    assert "".join(c.content for c in para.children or []) == text
    assert escape_inline("tab\there\x1b") == "tab here␛"


def test_code_span_and_fence_outgrow_their_content() -> None:
    assert code_span("a`b") == "``a`b``"
    assert code_span("`x`") == "`` `x` ``"
    assert fenced_block("```\ncode\n````")[0] == "`````text"


@pytest.mark.parametrize(
    ("key", "target"),
    [("Ada Lovelace", "Ada Lovelace"), ("a|b]]c#d^e", "a-b))cde"), ("../x", "x")],
)
def test_wikilink_targets_are_safe_note_names(key: str, target: str) -> None:
    assert wikilink_target(key) == target
