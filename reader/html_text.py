"""HTML -> Markdown with trafilatura: the article's main text, title, author and date.

Saved web pages are mostly navigation, cookie banners and scripts; trafilatura finds the
article in them. Its Markdown output (with YAML front matter) then goes the Markdown way, so
an HTML article keeps its headings, lists, links and figures. Tags are never stripped by hand.
"""

from __future__ import annotations

from reader.articles import Unreadable, decode

INSTALL_HINT = "HTML articles need trafilatura: pip install 'reading-room[html]'"


def html_to_markdown(html: bytes | str, url: str | None = None) -> str:
    """Markdown (with front matter) for the main text of ``html``. Raises Unreadable."""
    try:
        import trafilatura
    except ImportError as exc:  # also lxml.html.clean missing: trafilatura fails at import
        raise Unreadable(INSTALL_HINT) from exc
    # Bytes go in as they are: trafilatura reads the page's declared charset (and guesses
    # well without one), which a saved Cyrillic or Greek page needs.
    source: bytes | str = html
    if isinstance(html, bytes) and html.startswith((b"\xff\xfe", b"\xfe\xff")):
        source = decode(html)  # UTF-16 with a BOM: lxml wants it decoded
    try:
        result = trafilatura.extract(
            source,
            url=url,
            output_format="markdown",
            include_images=True,
            include_links=True,
            include_formatting=True,
            include_tables=True,
            include_comments=False,
            with_metadata=True,
            favor_recall=True,
        )
    except Exception as exc:  # trafilatura and lxml raise many kinds on broken pages
        raise Unreadable(f"HTML could not be read ({type(exc).__name__})") from exc
    if not result or not result.strip():
        raise Unreadable("no article text found in this HTML page")
    return str(result)
