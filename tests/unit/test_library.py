"""Library scanning, the on-disk index, ids, loading and LibraryQuery."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from unit_helpers import use_private_dirs

import reader.library as library_module
from reader.articles import Unreadable
from reader.library import Library, LibraryQuery, path_id
from reader.models import ArticleMeta, ReadingState


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_private_dirs(monkeypatch, tmp_path, tmp_path / "config" / "config.toml")


def read_index(index: Path) -> tuple[dict[str, object], list[list[object]]]:
    """The index file's header and its lines, one per file."""
    header, *rows = index.read_text(encoding="utf-8").splitlines()
    return json.loads(header), [json.loads(row) for row in rows]


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def lib_dir(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    _write(root / "a.txt", "Alpha title\nAlpha body text here.")
    _write(root / "sub" / "b.md", "# Beta\n\nBeta body.")
    _write(root / "sub" / "deeper" / "c.html", "<html><body><p>" + "Gamma words. " * 20)
    _write(root / "ignored.pdf.bak", "not an article")
    _write(root / ".hidden" / "d.txt", "Hidden")
    _write(root / "notes.TXT", "Upper-case suffix counts too")
    return root


def test_scan_finds_articles_recursively(lib_dir: Path, tmp_path: Path) -> None:
    lib = Library.scan([lib_dir], index_path=tmp_path / "cache" / "index.json")
    titles = [m.title for m in lib.metas()]
    assert titles[:3] == ["Alpha title", "Upper-case suffix counts too", "Beta"]
    assert titles[3].startswith("Gamma words.")
    assert len(titles) == 4
    assert {m.fmt for m in lib.metas()} == {"txt", "md", "html"}
    assert all(not m.problem for m in lib.metas())


def test_index_is_written_atomically_and_reused(
    lib_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = tmp_path / "cache" / "deep" / "index.json"
    assert not index.parent.exists()
    first = Library.scan([lib_dir], index_path=index)
    header, rows = read_index(index)
    assert header["version"] == library_module.INDEX_VERSION
    assert len(rows) == 4
    assert not [p for p in index.parent.iterdir() if p.name.startswith(".index-")]

    reads: list[Path] = []
    real = library_module.read_record

    def counting(path: Path, st: os.stat_result) -> dict[str, object]:
        reads.append(path)
        return real(path, st)

    monkeypatch.setattr(library_module, "read_record", counting)
    warm = Library.scan([lib_dir], index_path=index)
    assert reads == []
    assert warm.metas() == first.metas()

    changed = lib_dir / "a.txt"
    changed.write_text("Alpha renamed\nNew body, longer than before.", encoding="utf-8")
    assert warm.rescan() is True
    assert reads == [changed]
    assert warm.metas()[0].title == "Alpha renamed"
    assert warm.rescan() is False


def test_corrupt_index_is_rebuilt(lib_dir: Path, tmp_path: Path) -> None:
    index = tmp_path / "index.json"
    index.write_text("{not json", encoding="utf-8")
    lib = Library.scan([lib_dir], index_path=index)
    assert len(lib.metas()) == 4
    assert read_index(index)[0]["version"] == library_module.INDEX_VERSION


def test_unwritable_index_only_warns(lib_dir: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    lib = Library.scan([lib_dir], index_path=blocker / "index.json")
    assert len(lib.metas()) == 4
    assert any("index not saved" in w for w in lib.warnings)


def test_identify_is_asked_with_hash_path_title_size(lib_dir: Path, tmp_path: Path) -> None:
    calls: list[tuple[str, str, str, int]] = []

    def identify(content_hash: str, path: str, title: str, size: int) -> str:
        calls.append((content_hash, path, title, size))
        return "id-" + os.path.basename(path)

    lib = Library.scan([lib_dir], index_path=None, identify=identify)
    assert lib.get("id-a.txt").title == "Alpha title"
    assert ("Alpha title", (lib_dir / "a.txt").stat().st_size) in {(c[2], c[3]) for c in calls}
    with pytest.raises(KeyError):
        lib.get("nope")


def test_duplicate_content_is_listed_once(tmp_path: Path) -> None:
    one = _write(tmp_path / "one" / "x.txt", "Same text\nbody")
    _write(tmp_path / "two" / "y.txt", "Same text\nbody")
    lib = Library.scan([tmp_path / "one", tmp_path / "two"])
    assert [m.path for m in lib.metas()] == [one]


def test_same_folder_twice_and_missing_folders(lib_dir: Path, tmp_path: Path) -> None:
    lib = Library.scan([lib_dir, lib_dir, tmp_path / "missing"])
    assert len(lib.metas()) == 4


def test_load_and_cache(lib_dir: Path) -> None:
    lib = Library.scan([lib_dir])
    meta = lib.metas()[0]
    article = lib.load(meta.id)
    assert article.id == meta.id
    assert article.text.startswith("Alpha title")
    assert lib.load(meta.id) is article
    (lib_dir / "a.txt").write_text("Alpha title\nChanged body!", encoding="utf-8")
    os.utime(lib_dir / "a.txt", ns=(1, 1))
    reloaded = lib.load(meta.id)
    assert reloaded is not article
    assert "Changed body" in reloaded.text


def test_load_vanished_file(lib_dir: Path) -> None:
    lib = Library.scan([lib_dir])
    meta = lib.metas()[0]
    meta.path.unlink()
    with pytest.raises(Unreadable, match="cannot be read"):
        lib.load(meta.id)


def test_cache_is_bounded(tmp_path: Path) -> None:
    for i in range(library_module.CACHE_SIZE + 5):
        _write(tmp_path / f"{i:03}.txt", f"Article number {i}\nbody {i}")
    lib = Library.scan([tmp_path])
    for meta in lib.metas():
        lib.load(meta.id)
    assert len(lib._cache) == library_module.CACHE_SIZE


def test_find_path(lib_dir: Path) -> None:
    lib = Library.scan([lib_dir])
    found = lib.find_path(lib_dir / "sub" / "b.md")
    assert found is not None and found.title == "Beta"
    assert lib.find_path(lib_dir / "nothing.txt") is None


def test_path_id_shape() -> None:
    assert len(path_id(Path("/x/y.txt"))) == 16
    assert path_id(Path("/x/y.txt")) != path_id(Path("/x/z.txt"))


# -- LibraryQuery ---------------------------------------------------------------------------


def _meta(i: str, title: str, source: str = "", words: int = 0, mtime: int = 0) -> ArticleMeta:
    return ArticleMeta(
        id=i, path=Path(f"/lib/{i}.txt"), title=title, source=source, words=words, mtime_ns=mtime
    )


METAS = [
    _meta("a", "Homs evacuation", "Afrasianet", 300, 3),
    _meta("b", "aleppo siege", "", 100, 2),
    _meta("c", "Beirut port", "Reuters", 900, 1),
]
TAGS = {"a": ("Syria", "war"), "b": ("syria",), "c": ()}
NOTES = {"a": 1, "c": 5}
STATES = {
    "b": ReadingState("b", read=True, opened="2024-01-02T00:00:00"),
    "c": ReadingState("c", opened="2024-03-01T00:00:00"),
}


def _query() -> LibraryQuery:
    return LibraryQuery(
        METAS,
        tags_of=lambda i: TAGS.get(i, ()),
        notes_of=lambda i: NOTES.get(i, 0),
        state_of=STATES.get,
    )


@pytest.mark.parametrize("tag", ["syria", "SYRIA", " Syria "])
def test_tagged_is_case_insensitive(tag: str) -> None:
    assert _query().tagged(tag).ids() == ["a", "b"]


def test_containing_matches_title_source_tags_and_every_word() -> None:
    q = _query()
    assert q.containing("HOMS").ids() == ["a"]
    assert q.containing("reuters").ids() == ["c"]
    assert q.containing("war homs").ids() == ["a"]
    assert q.containing("war beirut").ids() == []
    assert q.containing("  ").ids() == ["a", "b", "c"]


def test_chaining_is_pure() -> None:
    q = _query()
    narrowed = q.tagged("syria").containing("aleppo")
    assert narrowed.ids() == ["b"]
    assert len(q) == 3
    assert len(narrowed) == 1


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("title", ["b", "c", "a"]),
        ("source", ["a", "c", "b"]),
        ("words", ["b", "a", "c"]),
        ("notes", ["c", "a", "b"]),
        ("recent", ["c", "b", "a"]),
        ("read", ["c", "a", "b"]),
    ],
)
def test_sorted_by(key: str, expected: list[str]) -> None:
    assert _query().sorted_by(key).ids() == expected
    assert _query().sorted_by(key, reverse=True).ids() == expected[::-1]


def test_sorted_by_unknown_key() -> None:
    with pytest.raises(ValueError, match="unknown sort key"):
        _query().sorted_by("colour")


def test_unread_and_readable() -> None:
    assert _query().unread().ids() == ["a", "c"]
    broken = [*METAS, ArticleMeta(id="z", path=Path("/z.txt"), title="z", problem="binary file")]
    assert [m.id for m in LibraryQuery(broken).readable()] == ["a", "b", "c"]


def test_query_without_store_callables() -> None:
    q = LibraryQuery(METAS)
    assert q.tagged("syria").ids() == []
    assert q.sorted_by("notes").ids() == ["b", "c", "a"]
    assert q.sorted_by("recent").ids() == ["a", "b", "c"]


@pytest.mark.parametrize("count", [498, 499])
def test_index_of_any_size_spares_reading_files_again(tmp_path: Path, count: int) -> None:
    # The index is written a few hundred lines at a time; at 499 articles the last piece
    # was empty and left a blank line, which made every later start read every file.
    folder = tmp_path / "lib"
    folder.mkdir()
    for i in range(count):
        (folder / f"a{i:04}.txt").write_text(f"Title {i}\n\nbody {i}\n")
    index = tmp_path / "index.jsonl"
    Library.scan([folder], index)
    assert b"" not in index.read_bytes().split(b"\n")[:-1]
    reads = []
    real = library_module.read_record

    def counted(path: Path, st: os.stat_result) -> dict[str, object]:
        reads.append(path)
        return real(path, st)

    library_module.read_record = counted  # type: ignore[assignment]
    try:
        again = Library.scan([folder], index)
    finally:
        library_module.read_record = real  # type: ignore[assignment]
    assert len(again.metas()) == count
    assert reads == []


def test_index_with_a_blank_line_is_still_read(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "a.txt").write_text("Alpha\n\nbody\n")
    index = tmp_path / "index.jsonl"
    Library.scan([folder], index)
    index.write_bytes(index.read_bytes() + b"\n\n")
    assert [m.title for m in Library(dirs=[folder], index_path=index)._read_index().values()] == [
        "Alpha"
    ]


def test_failed_index_write_is_tried_again_by_the_next_rescan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "a.txt").write_text("Alpha\n\nbody\n")
    index = tmp_path / "index.jsonl"
    lib = Library.scan([folder], index)
    (folder / "b.txt").write_text("Beta\n\nbody\n")

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(library_module, "write_atomically", full_disk)
        assert lib.rescan()
    assert any("not saved" in w for w in lib.warnings)
    lib.rescan()  # the disk has room again; nothing changed in the folder meanwhile
    listing = library_module.read_listing(index, [folder], "")
    assert listing is not None
    assert [m.title for m in listing] == ["Alpha", "Beta"]
