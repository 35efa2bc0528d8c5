"""Saved web pages: the article is found, the rest of the page is left out."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from reader.articles import Unreadable, article_from_bytes
from reader.html_text import html_to_markdown

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"


def test_news_page() -> None:
    path = PAGES / "news.html"
    article = article_from_bytes(path.read_bytes(), path)
    meta = article.meta
    assert meta.fmt == "html"
    assert meta.title == "Evacuation of Homs district begins"
    assert meta.author == "Mira Haddad"
    assert meta.date == "2017-03-18"
    assert meta.source == "Harbour Times"
    assert "cookies" not in article.text
    assert "Transfer rumours" not in article.text
    assert "tracker" not in article.text
    assert "1,500 people" in article.text
    kinds = [b.kind for b in article.blocks]
    assert kinds[0] == "heading"
    assert "figure" in kinds
    assert "list_item" in kinds
    assert "report published on Friday[1]" in article.text
    assert article.links == ("https://news.example/report",)


def test_hostile_page_reaches_no_terminal() -> None:
    path = PAGES / "hostile.html"
    article = article_from_bytes(path.read_bytes(), path)
    for text in (article.text, article.title):
        assert "\x1b" not in text
        assert "\x07" not in text
        assert "\u202e" not in text
    assert "[bold red]markup[/bold red]" in article.text
    assert "[@click=app.quit]quit[/]" in article.text


def test_page_without_article_text() -> None:
    with pytest.raises(Unreadable, match="no article text"):
        html_to_markdown(b"<html><body></body></html>")


def test_missing_trafilatura_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    with pytest.raises(Unreadable, match=r"reading-room\[html\]"):
        article_from_bytes((PAGES / "news.html").read_bytes(), Path("news.html"))


def test_declared_legacy_charset_is_honoured() -> None:
    body = "Москва сегодня объявила о новых мерах поддержки для жителей города. " * 4
    html = (
        '<html><head><meta charset="windows-1251"><title>Новости</title></head><body>'
        f"<article><h1>Новости дня</h1><p>{body}</p></article></body></html>"
    )
    article = article_from_bytes(html.encode("cp1251"), Path("ru.html"))
    assert article.title == "Новости дня"
    assert "Москва сегодня" in article.text


def test_utf16_page_with_bom() -> None:
    html = (PAGES / "news.html").read_text(encoding="utf-8")
    data = b"\xff\xfe" + html.replace('charset="utf-8"', "").encode("utf-16-le")
    article = article_from_bytes(data, Path("news16.html"))
    assert article.title == "Evacuation of Homs district begins"
