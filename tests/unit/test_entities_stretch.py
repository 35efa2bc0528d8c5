"""Entities of one stretch of an article: whole paragraphs, offsets into the whole text."""

from __future__ import annotations

from pathlib import Path

from reader.entities import find_entities
from reader.entities.stretch import entities_in, stretch_around
from reader.models import Article, ArticleMeta, Block

PARAGRAPH = (
    "Talal al-Barazi, the governor of Homs, said on Monday that 1,500 people left "
    "the al-Waer neighborhood for Aleppo province."
)


def article_of(paragraphs: list[str]) -> Article:
    text = "\n\n".join(paragraphs)
    blocks, pos = [], 0
    for p in paragraphs:
        blocks.append(Block(pos, pos + len(p)))
        pos += len(p) + 2
    meta = ArticleMeta(id="a", path=Path("a.txt"), title="A", words=len(text.split()))
    return Article(meta, text, tuple(blocks))


def test_stretch_is_whole_paragraphs_around_the_offset() -> None:
    article = article_of([PARAGRAPH] * 40)
    blocks = article.blocks
    offset = blocks[20].start + 10
    start, end = stretch_around(article, offset, 300, 600)
    assert start in {b.start for b in blocks} and end in {b.end for b in blocks}
    assert start <= offset - 300 and end >= offset + 600
    assert start > 0 and end < len(article.text)  # not the whole article
    assert stretch_around(article, 0, 300, 600)[0] == 0


def test_a_paragraph_longer_than_the_stretch_is_cut_between_words() -> None:
    article = article_of([PARAGRAPH, " ".join([PARAGRAPH] * 200), PARAGRAPH])
    text = article.text
    middle = article.blocks[1]
    offset = middle.start + (middle.end - middle.start) // 2
    start, end = stretch_around(article, offset, 300, 600)
    assert middle.start < start and end < middle.end
    assert text[start - 1] == " " and text[end] == " "
    assert end - start < 2 * (300 + 600)


def test_text_without_paragraphs_is_cut_between_words() -> None:
    text = " ".join([PARAGRAPH] * 50)
    meta = ArticleMeta(id="a", path=Path("a.txt"), title="A", words=len(text.split()))
    article = Article(meta, text, ())
    start, end = stretch_around(article, 3000, 500, 500)
    assert text[start - 1] == " " and text[end] == " "
    assert start <= 2500 and end >= 3500


def test_entities_in_a_stretch_point_into_the_whole_text() -> None:
    article = article_of([PARAGRAPH] * 10)
    text = article.text
    block = article.blocks[4]
    spans = entities_in(find_entities, text, block.start, block.end)
    alone = find_entities(PARAGRAPH)
    assert [(s.start - block.start, s.end - block.start, s.label, s.key) for s in spans] == [
        (s.start, s.end, s.label, s.key) for s in alone
    ]
    assert "Talal al-Barazi" in {text[s.start : s.end] for s in spans}
    assert entities_in(find_entities, text, 0, len(text)) == find_entities(text)


def test_an_offset_beyond_the_text_gives_its_last_paragraphs() -> None:
    article = article_of([PARAGRAPH] * 10)
    size = len(article.text)
    start, end = stretch_around(article, size * 3, 300, 600)
    assert end == size and 0 < start < size
    assert stretch_around(article, -50, 300, 600)[0] == 0
    empty = article_of([])
    assert stretch_around(empty, 100, 300, 600) == (0, 0)
