"""`reader list`, `show`, `import` and `add` through a real workspace in tmp folders."""

from __future__ import annotations

import http.server
import json
import threading
from pathlib import Path

import pytest
from unit_helpers import run_command, use_private_dirs

from reader.cli import library as library_cli
from reader.paths import seeds_dir

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEED_FILES = [p for p in seeds_dir().iterdir() if p.suffix in (".txt", ".md")]


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_private_dirs(monkeypatch, tmp_path, tmp_path / "config" / "config.toml", clear=True)


def run(*argv: str) -> int:
    return run_command(library_cli.register, *argv)


def test_list_shows_the_seed(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("list") == 0
    out = capsys.readouterr().out
    assert "Syrian rebels" in out
    assert "Afrasianet" in out


def test_list_json_fields(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("list", "--json") == 0
    records = json.loads(capsys.readouterr().out)
    assert len(records) == len(SEED_FILES)
    record = next(r for r in records if r["source"] == "Afrasianet")
    assert record["words"] > 300
    assert record["tags"] == []
    assert record["notes"] == 0
    assert record["state"] == "unread"


def test_import_then_list_and_show(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    essay = FIXTURES / "markdown" / "essay.md"
    news = FIXTURES / "pages" / "news.html"
    assert run("import", str(essay), str(news)) == 0
    out = capsys.readouterr().out
    library = tmp_path / "data" / "library"
    assert (library / "essay.md").read_bytes() == essay.read_bytes()
    assert (library / "news.html").exists()
    assert "Notes on reading: slowly" in out

    assert run("import", str(essay)) == 0
    assert "already in the library" in capsys.readouterr().out

    assert run("list", "--sort", "words", "--json") == 0
    titles = [r["title"] for r in json.loads(capsys.readouterr().out)]
    assert titles[0] == "Notes on reading: slowly"
    assert len(titles) == 2 + len(SEED_FILES)

    assert run("show", "Notes on reading: slowly") == 0
    shown = capsys.readouterr().out
    assert shown.startswith("Notes on reading: slowly\n")
    assert "author: Ada Example, Ben Example" in shown
    assert "> Nobody reads a good book quickly." in shown
    assert "    def read(article):" in shown


def test_show_json_has_blocks_and_entities(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("show", "Syrian rebels", "--json") == 0
    record = json.loads(capsys.readouterr().out)
    assert record["text"].startswith("Afrasianet - ")
    assert record["blocks"][0] == {
        "start": 0,
        "end": record["blocks"][0]["end"],
        "kind": "paragraph",
        "level": 0,
        "ref": "",
    }
    assert isinstance(record["entities"], list)
    for span in record["entities"]:
        assert record["text"][span["start"] : span["end"]] == span["text"]


def test_import_refuses_non_articles(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(b"%PDF-1.7")
    fake = tmp_path / "image.txt"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    good = tmp_path / "good.txt"
    good.write_text("Good title\nbody", encoding="utf-8")
    assert run("import", str(pdf), str(fake), str(tmp_path / "missing.md"), str(good)) == 1
    captured = capsys.readouterr()
    assert "not an article file (.pdf files" in captured.err
    assert "binary file (a PNG image)" in captured.err
    assert "missing.md: not a file" in captured.err
    assert (tmp_path / "data" / "library" / "good.txt").exists()


def test_import_name_collision_gets_a_number(tmp_path: Path) -> None:
    one = tmp_path / "a" / "same.txt"
    two = tmp_path / "b" / "same.txt"
    for path, text in ((one, "First\nbody"), (two, "Second\nbody")):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
    assert run("import", str(one), str(two)) == 0
    library = tmp_path / "data" / "library"
    assert sorted(p.name for p in library.iterdir()) == ["same (2).txt", "same.txt"]


def test_add_reports_failures(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("add", "not-a-url") == 1
    assert "not a web address" in capsys.readouterr().err


def test_add_saves_and_lists_the_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = (FIXTURES / "pages" / "news.html").read_bytes()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/world/homs"
        assert run("add", url) == 0
    finally:
        httpd.shutdown()
        httpd.server_close()
    out = capsys.readouterr().out
    saved = tmp_path / "data" / "library" / "Evacuation of Homs district begins.md"
    assert saved.exists()
    assert "Evacuation of Homs district begins" in out.splitlines()[-1]
    assert run("list", "--json") == 0
    records = json.loads(capsys.readouterr().out)
    added = next(r for r in records if r["title"] == "Evacuation of Homs district begins")
    assert added["url"] == url
    assert added["format"] == "md"
