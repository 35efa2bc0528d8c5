"""``reader add URL``: download a web page and keep its article as a Markdown file.

A page is fetched with the standard library only, within limits (time, size, redirects),
and each way it can fail has its own message. The saved file carries its origin in YAML
front matter (url, fetch time, title, author, date, source), so the library shows the same
metadata without the network, forever.
"""

from __future__ import annotations

import codecs
import datetime as _dt
import email.message
import http.client
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import yaml

from reader import __version__
from reader.articles import binary_reason, decode
from reader.errors import ReaderError
from reader.markdown_text import split_front_matter
from reader.safety import visible_line

#: Pages larger than this are refused (a news article is well under 1 MB of HTML).
MAX_BYTES = 10 * 1024 * 1024
#: Seconds for connecting and for each read, and for the whole download.
TIMEOUT = 20.0
MAX_REDIRECTS = 5
USER_AGENT = f"reader/{__version__} (+article download)"

#: The symbols safety.visible puts for control characters: kept in a title, not in a name.
_SYMBOLS = re.compile("[\u2400-\u2426\ufffd]")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TEXT_TYPES = ("text/plain", "text/markdown", "text/x-markdown")


class FetchError(ReaderError):
    """A page could not be downloaded or read; the message says which way it failed."""


@dataclass(frozen=True)
class Page:
    """A downloaded page: where it ended up after redirects, its bytes and media type."""

    url: str
    data: bytes
    media_type: str
    charset: str = ""


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    """Follows at most MAX_REDIRECTS redirects, and only to http(s) addresses."""

    max_redirections = MAX_REDIRECTS
    max_repeats = 2

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: object,
        code: int,
        msg: str,
        headers: email.message.Message,
        newurl: str,
    ) -> urllib.request.Request | None:
        scheme = urllib.parse.urlsplit(newurl).scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchError(f"the page redirects to a non-web address ({visible_line(newurl)})")
        return super().redirect_request(req, fp, code, msg, headers, newurl)  # type: ignore[arg-type]


def check_url(url: str) -> str:
    """The URL, trimmed, if it is an http(s) address with a host; FetchError otherwise."""
    url = url.strip()
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not a web address (http:// or https://): {visible_line(url)}")
    return url


def fetch(
    url: str,
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_BYTES,
) -> Page:
    """Download ``url``; FetchError with a clear message on every kind of failure."""
    url = check_url(url)
    shown = visible_line(url)
    host = visible_line(urllib.parse.urlsplit(url).hostname or "")
    opener = urllib.request.build_opener(_LimitedRedirects())
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            media_type = response.headers.get_content_type()
            charset = response.headers.get_content_charset() or ""
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchError(
                    f"the page is too large ({_mb(int(length))}; limit {_mb(max_bytes)})"
                )
            chunks: list[bytes] = []
            size = 0
            while chunk := response.read(64 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"the page is too large (over {_mb(max_bytes)})")
                if time.monotonic() > deadline:
                    raise FetchError(f"{host} took too long to send the page (over {timeout:g} s)")
                chunks.append(chunk)
            final_url = response.geturl()
    except FetchError:
        raise
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400 and "not allowed" in str(exc.msg):
            raise FetchError(f"the page redirects to a non-web address ({shown})") from exc
        if 300 <= exc.code < 400:
            raise FetchError(f"too many redirects fetching {shown}") from exc
        reason = visible_line(str(exc.reason or ""))
        raise FetchError(f"the server answered {exc.code} {reason} for {shown}") from exc
    except urllib.error.URLError as exc:
        raise FetchError(_network_reason(exc.reason, host, timeout)) from exc
    except TimeoutError as exc:
        raise FetchError(f"{host} did not answer in time ({timeout:g} s)") from exc
    except (ConnectionError, http.client.HTTPException, OSError) as exc:
        raise FetchError(_network_reason(exc, host, timeout)) from exc
    return Page(url=final_url, data=b"".join(chunks), media_type=media_type, charset=charset)


def _network_reason(reason: object, host: str, timeout: float) -> str:
    if isinstance(reason, socket.gaierror):
        return f"cannot find the host {host} (no such name, or no network)"
    if isinstance(reason, ConnectionRefusedError):
        return f"{host} refused the connection"
    if isinstance(reason, TimeoutError | socket.timeout):
        return f"{host} did not answer in time ({timeout:g} s)"
    if isinstance(reason, ConnectionResetError):
        return f"{host} closed the connection"
    text = visible_line(getattr(reason, "strerror", None) or str(reason))
    return f"cannot reach {host}: {text}"


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def page_text(page: Page) -> str:
    """The page's text, decoded by its declared charset (or sniffed); FetchError when the
    page is not text or its charset is unknown."""
    if page.media_type not in (*_HTML_TYPES, *_TEXT_TYPES):
        raise FetchError(f"not a web page or text ({visible_line(page.media_type)})")
    reason = binary_reason(page.data[:8192])
    if reason:
        raise FetchError(f"the page is not text: {reason}")
    if page.charset:
        try:
            codec = codecs.lookup(page.charset)
        except LookupError as exc:
            label = visible_line(page.charset)
            raise FetchError(f"the page declares an unknown encoding ({label})") from exc
        if codec.name not in ("utf-8", "utf-16", "utf-32"):
            text = page.data.decode(codec.name, errors="replace")
            return text.replace("\r\n", "\n").replace("\r", "\n")
    return decode(page.data)


def page_to_markdown(page: Page, fetched: _dt.datetime | None = None) -> tuple[str, str]:
    """(title, Markdown document with front matter) for a downloaded page."""
    from reader.articles import Unreadable
    from reader.html_text import html_to_markdown

    text = page_text(page)
    if page.media_type in _HTML_TYPES:
        try:
            extracted = html_to_markdown(text, url=page.url)
        except Unreadable as exc:
            raise FetchError(f"{exc.reason} ({visible_line(page.url)})") from exc
        found, body = split_front_matter(extracted)
    else:
        found, body = split_front_matter(text)
    when = (fetched or _dt.datetime.now(_dt.UTC)).replace(microsecond=0)
    front: dict[str, str] = {}
    for key, names in (
        ("title", ("title",)),
        ("author", ("author",)),
        ("date", ("date",)),
        ("source", ("source", "sitename", "hostname")),
    ):
        value = next((found[n] for n in names if found.get(n)), "")
        if value:
            front[key] = visible_line(value)
    title = front.get("title") or _first_heading(body) or urllib.parse.urlsplit(page.url).netloc
    front["title"] = visible_line(title)
    front["url"] = visible_line(page.url)
    front["fetched"] = when.isoformat()
    header = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=10_000)
    return front["title"], f"---\n{header}---\n\n{body.strip()}\n"


def _first_heading(body: str) -> str:
    for line in body.splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip()
    return ""


def add_url(url: str, folder: Path, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> Path:
    """Download ``url`` and save its article into ``folder`` as a new Markdown file."""
    from reader.library import write_new_article

    page = fetch(url, timeout=timeout, max_bytes=max_bytes)
    title, document = page_to_markdown(page)
    name = _SYMBOLS.sub("", title).strip() or urllib.parse.urlsplit(page.url).netloc
    return write_new_article(folder, name, ".md", document.encode("utf-8"))
