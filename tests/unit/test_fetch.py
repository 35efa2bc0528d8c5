"""`reader add`: downloads from a local HTTP server on 127.0.0.1, good pages and bad ones."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from unit_helpers import use_private_dirs

from reader.articles import article_from_bytes
from reader.fetch import FetchError, add_url, check_url, fetch, page_to_markdown
from reader.markdown_text import split_front_matter

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
NEWS = (PAGES / "news.html").read_bytes()
HOSTILE = (PAGES / "hostile.html").read_bytes()
LIMIT = 64 * 1024


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_private_dirs(monkeypatch, tmp_path, tmp_path / "config" / "config.toml")


class Handler(http.server.BaseHTTPRequestHandler):
    """Saved pages and misbehaving answers, one per path."""

    protocol_version = "HTTP/1.0"
    release = threading.Event()

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, code: int, body: bytes, ctype: str = "text/html; charset=utf-8") -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        if path == "/news":
            self._send(200, NEWS)
        elif path == "/hostile":
            self._send(200, HOSTILE)
        elif path == "/latin1":
            body = NEWS.replace(b'charset="utf-8"', b"").decode().replace("Homs", "Homs\u00e9")
            self._send(200, body.encode("latin-1"), "text/html; charset=iso-8859-1")
        elif path == "/plain":
            self._send(200, b"Plain title\n\nPlain body text.", "text/plain")
        elif path == "/missing":
            self._send(404, b"<h1>Not found</h1>")
        elif path == "/broken":
            self._send(500, b"oops")
        elif path == "/to-news":
            self.send_response(302)
            self.send_header("Location", "/news")
            self.end_headers()
        elif path.startswith("/loop"):
            self.send_response(302)
            self.send_header("Location", f"/loop{len(path)}")
            self.end_headers()
        elif path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
        elif path == "/huge-declared":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(LIMIT * 100))
            self.end_headers()
        elif path == "/huge-streamed":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(40):
                    self.wfile.write(b"<p>" + b"x" * 8192 + b"</p>")
            except OSError:
                pass
        elif path == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html>")
            self.wfile.flush()
            Handler.release.wait(10)
        elif path == "/image":
            self._send(200, b"\x89PNG\r\n\x1a\n" + bytes(100), "image/png")
        elif path == "/binary-as-html":
            self._send(200, bytes(range(256)) * 8)
        elif path == "/bad-charset":
            self._send(200, NEWS, "text/html; charset=x-no-such-thing")
        elif path == "/empty":
            self._send(200, b"<html><body></body></html>")
        else:
            self._send(404, b"")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        Handler.release.set()
        httpd.shutdown()
        httpd.server_close()


def test_fetch_news_and_save(server: str, tmp_path: Path) -> None:
    folder = tmp_path / "library"
    saved = add_url(f"{server}/news", folder)
    assert saved.parent == folder
    assert saved.name == "Evacuation of Homs district begins.md"
    document = saved.read_text(encoding="utf-8")
    front, body = split_front_matter(document)
    assert front["title"] == "Evacuation of Homs district begins"
    assert front["author"] == "Mira Haddad"
    assert front["date"] == "2017-03-18"
    assert front["source"] == "Harbour Times"
    assert front["url"] == f"{server}/news"
    assert front["fetched"]
    assert "cookies" not in body
    article = article_from_bytes(saved.read_bytes(), saved)
    assert article.meta.title == "Evacuation of Homs district begins"
    assert article.meta.url == f"{server}/news"
    assert "1,500 people" in article.text
    again = add_url(f"{server}/news", folder)
    assert again.name == "Evacuation of Homs district begins (2).md"


def test_redirect_is_followed_and_final_url_kept(server: str) -> None:
    page = fetch(f"{server}/to-news")
    assert page.url == f"{server}/news"
    assert page.media_type == "text/html"


def test_declared_charset_is_used(server: str) -> None:
    _, document = page_to_markdown(fetch(f"{server}/latin1"))
    assert "Homsé" in document


def test_plain_text_page(server: str) -> None:
    title, document = page_to_markdown(fetch(f"{server}/plain"))
    assert title == f"{server.split('//')[1]}"
    assert "Plain body text." in document


def test_hostile_title_is_saved_harmless(server: str, tmp_path: Path) -> None:
    saved = add_url(f"{server}/hostile", tmp_path)
    raw = saved.read_bytes()
    assert b"\x1b" not in raw and b"\x07" not in raw
    assert "/" not in saved.name.replace(".md", "")
    front = yaml.safe_load(raw.decode().split("---")[1])
    assert "\x1b" not in front["title"]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", "answered 404"),
        ("/broken", "answered 500"),
        ("/loop", "too many redirects"),
        ("/to-file", "non-web address"),
        ("/huge-declared", "too large"),
        ("/huge-streamed", "too large"),
        ("/image", "not a web page or text (image/png)"),
        ("/binary-as-html", "not text"),
        ("/bad-charset", "unknown encoding (x-no-such-thing)"),
        ("/empty", "no article text"),
    ],
)
def test_failures_have_clear_messages(server: str, path: str, message: str) -> None:
    with pytest.raises(FetchError, match=message.replace("(", r"\(").replace(")", r"\)")):
        page_to_markdown(fetch(f"{server}{path}", timeout=5, max_bytes=LIMIT))


def test_slow_server_times_out(server: str) -> None:
    with pytest.raises(FetchError, match=r"did not answer in time|took too long"):
        fetch(f"{server}/slow", timeout=0.3)


def test_connection_refused() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError, match="refused the connection"):
        fetch(f"http://127.0.0.1:{port}/", timeout=2)


def test_unknown_host(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_host(*args: object, **kwargs: object) -> object:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    with pytest.raises(FetchError, match=r"cannot find the host nowhere\.invalid"):
        fetch("http://nowhere.invalid/page", timeout=2)


@pytest.mark.parametrize("url", ["ftp://x/y", "file:///etc/passwd", "example.com", "http://"])
def test_only_web_addresses(url: str) -> None:
    with pytest.raises(FetchError, match="not a web address"):
        check_url(url)


def test_nothing_is_written_on_failure(server: str, tmp_path: Path) -> None:
    folder = tmp_path / "library"
    with pytest.raises(FetchError):
        add_url(f"{server}/missing", folder)
    assert not folder.exists()
