"""Nothing lost, nothing injected: whatever is in a library folder, the scan survives it.

Every file either loads (decoded with replacement where needed) or is listed as unreadable
with the reason; no control character reaches a title or a text.
"""

from __future__ import annotations

import builtins
import codecs
import os
import unicodedata
from pathlib import Path

import pytest
from unit_helpers import use_private_dirs

from reader.articles import Unreadable
from reader.library import Library
from reader.models import ArticleMeta
from reader.safety import BIDI_CONTROLS


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_private_dirs(monkeypatch, tmp_path, tmp_path / "config" / "config.toml")


def _clean(text: str, allow: str = "") -> bool:
    return not any(
        (unicodedata.category(ch) in ("Cc", "Cs") and ch not in allow) or ch in BIDI_CONTROLS
        for ch in text
    )


def _scan(folder: Path, tmp_path: Path) -> Library:
    return Library.scan([folder], index_path=tmp_path / "cache" / "index.json")


def _by_name(lib: Library) -> dict[str, ArticleMeta]:
    return {m.path.name: m for m in lib.metas()}


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    root.mkdir()
    files: dict[str, bytes] = {
        "binary.txt": bytes(range(256)) * 40,
        "png.md": b"\x89PNG\r\n\x1a\n" + bytes(200),
        "nul.txt": b"Title with a NUL \x00 inside\nbody",
        "invalid.txt": b"Caf\xc3\xa9 and a broken \xff\xfe byte\nbody",
        "cp1252.txt": "Smart “quotes” in a title\nbody".encode("cp1252"),
        "utf16.txt": codecs.BOM_UTF16_LE + "UTF-16 title\r\nbody".encode("utf-16-le"),
        "utf16be.md": codecs.BOM_UTF16_BE + "# BE heading\n\nbody".encode("utf-16-be"),
        "crlf.txt": b"CRLF title\r\n\r\nfirst\r\n\r\nsecond\rthird",
        "empty.txt": b"",
        "blank.md": b"\n\n   \n",
        "ansi.txt": b"\x1b[2J\x1b[31mRed\x1b[0m title \x07\x1b]52;c;cm0gLXJm\x07\n"
        b"OSC 8 \x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\ and \xc2\x9b31m C1 \xc3\xa9",
        "markup.txt": b"[bold red]Not bold[/] and [@click=app.quit]quit[/]\nbody",
        "rtl.txt": "\u202eevil override\u202c then \u05e9\u05dc\u05d5\u05dd\n".encode(),
        "emoji.txt": ("👩\u200d👩\u200d👧 e\u0301 東京 " * 40).encode(),
    }
    for name, data in files.items():
        (root / name).write_bytes(data)
    return root


def test_hostile_folder_scans_and_every_file_loads_or_says_why(
    hostile: Path, tmp_path: Path
) -> None:
    lib = _scan(hostile, tmp_path)
    metas = _by_name(lib)
    assert len(metas) == len(list(hostile.iterdir()))
    assert metas["binary.txt"].problem == "binary file (not text)"
    assert metas["png.md"].problem == "binary file (a PNG image)"
    for name, meta in metas.items():
        assert _clean(meta.title), name
        assert meta.title, name
        if meta.problem:
            with pytest.raises(Unreadable):
                lib.load(meta.id)
            continue
        article = lib.load(meta.id)
        assert _clean(article.text, allow="\n\t"), name


def test_decoded_contents(hostile: Path, tmp_path: Path) -> None:
    lib = _scan(hostile, tmp_path)
    metas = _by_name(lib)

    def text(name: str) -> str:
        return lib.load(metas[name].id).text

    assert metas["nul.txt"].title == "Title with a NUL \u2400 inside"
    assert text("invalid.txt").startswith("Café and a broken \ufffd\ufffd byte")
    assert metas["cp1252.txt"].title == "Smart “quotes” in a title"
    assert metas["utf16.txt"].title == "UTF-16 title"
    assert text("utf16.txt") == "UTF-16 title\nbody"
    assert metas["utf16be.md"].title == "BE heading"
    assert "\r" not in text("crlf.txt")
    crlf = lib.load(metas["crlf.txt"].id)
    assert [crlf.block_text(i) for i in range(len(crlf.blocks))] == [
        "CRLF title",
        "first",
        "second\nthird",
    ]
    assert metas["empty.txt"].title == "empty"
    assert metas["blank.md"].title == "blank"
    ansi = text("ansi.txt")
    assert "\u241b[2J\u241b[31mRed" in ansi
    assert "\ufffd31m C1" in ansi
    assert metas["markup.txt"].title == "[bold red]Not bold[/] and [@click=app.quit]quit[/]"
    assert text("rtl.txt").startswith("\ufffdevil override\ufffd then")


def test_titles_of_long_mixed_scripts_are_trimmed_whole(hostile: Path, tmp_path: Path) -> None:
    title = _by_name(_scan(hostile, tmp_path))["emoji.txt"].title
    assert title.endswith("…")
    assert len(title) <= 101
    original = " ".join(("👩\u200d👩\u200d👧 e\u0301 東京 " * 40).split())
    body = title[:-1]
    assert original.startswith(body)
    after = original[len(body)]
    assert not unicodedata.combining(after)
    assert after != "\u200d" and body[-1] != "\u200d"


def test_fifty_megabyte_file_and_one_megabyte_line(tmp_path: Path) -> None:
    root = tmp_path / "big"
    root.mkdir()
    line = ("All work and no play makes a long article. " * 24 + "\n").encode()
    with open(root / "fifty.txt", "wb") as f:
        for _ in range(50 * 1024 * 1024 // len(line)):
            f.write(line)
    (root / "one-line.txt").write_bytes(b"word " * (1024 * 1024 // 5))
    (root / "one-line.md").write_bytes(b"# Title\n\n" + b"x" * (1024 * 1024))
    lib = _scan(root, tmp_path)
    metas = _by_name(lib)
    assert not any(m.problem for m in metas.values())
    big = metas["fifty.txt"]
    assert big.title.startswith("All work and no play")
    assert 10_000_000 < big.words < 12_000_000
    one = lib.load(metas["one-line.txt"].id)
    assert len(one.blocks) == 1
    assert metas["one-line.txt"].title.endswith("…")
    assert lib.load(metas["one-line.md"].id).title == "Title"


def test_file_over_the_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import reader.articles
    import reader.library

    monkeypatch.setattr(reader.library, "MAX_ARTICLE_BYTES", 1000)
    monkeypatch.setattr(reader.articles, "MAX_ARTICLE_BYTES", 1000)
    root = tmp_path / "lib"
    root.mkdir()
    (root / "big.txt").write_bytes(b"x" * 2000)
    meta = _scan(root, tmp_path).metas()[0]
    assert meta.problem.startswith("too large")


def test_unreadable_file_is_listed_with_the_reason(
    hostile: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = builtins.open
    locked = str(hostile / "markup.txt")

    def guarded(file: object, *args: object, **kwargs: object) -> object:
        if str(file) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(builtins, "open", guarded)
    lib = _scan(hostile, tmp_path)
    meta = _by_name(lib)["markup.txt"]
    assert meta.problem == "cannot be read: Permission denied"
    monkeypatch.setattr(builtins, "open", real_open)
    assert lib.rescan() is True
    assert not _by_name(lib)["markup.txt"].problem


def test_symlink_loops_end(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "b" / "x.txt").write_text("Inside the loop\nbody", encoding="utf-8")
    os.symlink(root / "a", root / "a" / "b" / "back")
    os.symlink(root, root / "self")
    os.symlink(root / "nowhere", root / "dangling.txt")
    os.symlink(root / "dangling2.txt", root / "dangling2.txt")
    lib = _scan(root, tmp_path)
    metas = lib.metas()
    readable = [m for m in metas if not m.problem]
    assert [m.title for m in readable] == ["Inside the loop"]
    assert {m.path.name for m in metas if m.problem} == {"dangling.txt", "dangling2.txt"}


def test_fifo_is_skipped_not_read(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    os.mkfifo(root / "pipe.txt")
    (root / "ok.txt").write_text("Fine\nbody", encoding="utf-8")
    assert [m.title for m in _scan(root, tmp_path).metas()] == ["Fine"]


def test_control_characters_in_file_names(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    evil = "\x1b[31mred\x07\nname.txt"
    (root / evil).write_bytes(b"")
    (root / "\x1b]52;c;eA==\x07.md").write_text("", encoding="utf-8")
    raw = os.fsencode(str(root)) + b"/bad-\xff-bytes.txt"
    with open(raw, "wb") as f:
        f.write(b"")
    lib = _scan(root, tmp_path)
    metas = lib.metas()
    assert len(metas) == 3
    for meta in metas:
        assert _clean(meta.title), meta.title
    assert any(m.title == "\u241b[31mred\u2407\u2424name" for m in metas)
    # the index survives file names that are not valid UTF-8
    warm = _scan(root, tmp_path)
    assert warm.metas() == metas


def test_unlistable_folder_is_a_warning(tmp_path: Path, unlistable_library: Path) -> None:
    lib = _scan(unlistable_library, tmp_path)
    assert [m.title for m in lib.metas()] == ["Fine"]
    assert any("locked" in w and "Permission denied" in w for w in lib.warnings)


def test_big_markdown_is_plain_text_and_big_html_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import reader.articles as articles

    monkeypatch.setattr(articles, "MAX_MARKDOWN_BYTES", 100)
    monkeypatch.setattr(articles, "MAX_HTML_BYTES", 100)
    source = b"# Heading\n\n" + b"*emphasis* and words " * 10
    article = articles.article_from_bytes(source, Path("big.md"))
    assert article.text.startswith("# Heading")
    assert article.styles == ()
    with pytest.raises(Unreadable, match="HTML page too large"):
        articles.article_from_bytes(b"<p>" + b"x" * 200, Path("big.html"))
