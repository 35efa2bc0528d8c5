"""The library index's listing: what the last scan showed, read back before any scan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import reader.library as library_module
from reader.library import IndexListing, Library, read_listing, title_order
from reader.workspace import Workspace


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def lib_dir(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    _write(root / "b.txt", "banana split\nBody.")
    _write(root / "a.txt", "Cherry stone\nBody.")
    _write(root / "sub" / "c.md", "# apple pie\n\nBody.")
    _write(root / "copy.txt", "banana split\nBody.")  # same bytes as b.txt: left out
    (root / "blob.txt").write_bytes(b"\x00\x01\x02" * 100)  # listed, with its problem
    return root


def test_listing_is_what_the_scan_listed_in_title_order(lib_dir: Path, tmp_path: Path) -> None:
    index = tmp_path / "cache" / "index.json"
    lib = Library.scan([lib_dir], index_path=index, ids_from="db-1")
    listing = read_listing(index, [lib_dir], "db-1")
    assert listing is not None
    assert list(listing) == sorted(lib.metas(), key=title_order)
    assert [m.title for m in listing][:3] == ["apple pie", "banana split", "blob"]
    assert len(listing) == len(lib.metas()) == 4
    assert any(m.problem for m in listing)


def test_listing_only_for_the_same_folders_and_database(lib_dir: Path, tmp_path: Path) -> None:
    index = tmp_path / "index.json"
    Library.scan([lib_dir], index_path=index, ids_from="db-1")
    assert read_listing(index, [lib_dir], "db-1") is not None
    assert read_listing(index, [lib_dir], "db-2") is None
    assert read_listing(index, [lib_dir, tmp_path / "more"], "db-1") is None
    assert read_listing(tmp_path / "missing.json", [lib_dir], "db-1") is None


def test_an_index_for_other_folders_is_rewritten_for_these(lib_dir: Path, tmp_path: Path) -> None:
    index = tmp_path / "index.json"
    Library.scan([lib_dir], index_path=index, ids_from="db-1")
    Library.scan([lib_dir], index_path=index, ids_from="db-2")
    assert read_listing(index, [lib_dir], "db-1") is None
    assert read_listing(index, [lib_dir], "db-2") is not None


def test_ids_given_anew_rewrite_the_listing(lib_dir: Path, tmp_path: Path) -> None:
    """A database that names the same files differently: the next listing has its ids."""
    index = tmp_path / "index.json"
    Library.scan([lib_dir], index_path=index, ids_from="db")

    def renamed(content_hash: str, path: str, title: str, size: int) -> str:
        return "new-" + content_hash

    lib = Library.scan([lib_dir], index_path=index, identify=renamed, ids_from="db")
    listing = read_listing(index, [lib_dir], "db")
    assert listing is not None
    assert {m.id for m in listing} == {m.id for m in lib.metas()}
    assert sum(m.id.startswith("new-") for m in listing) == 3


def test_old_or_damaged_index_files_give_no_listing(lib_dir: Path, tmp_path: Path) -> None:
    index = tmp_path / "index.json"
    index.write_text(json.dumps({"version": 1, "files": {}}), encoding="utf-8")
    assert read_listing(index, [lib_dir], "") is None
    index.write_text("{not json\n[]\n", encoding="utf-8")
    assert read_listing(index, [lib_dir], "") is None
    Library.scan([lib_dir], index_path=index)  # both kinds are rebuilt by a scan
    assert read_listing(index, [lib_dir], "") is not None
    header = index.read_text(encoding="utf-8").splitlines()[0]
    index.write_text(header + "\n", encoding="utf-8")  # says 4 articles, lists none
    assert read_listing(index, [lib_dir], "") is None


def test_a_damaged_line_is_shown_as_such_not_raised(
    lib_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = tmp_path / "index.json"
    Library.scan([lib_dir], index_path=index)
    lines = index.read_text(encoding="utf-8").splitlines()
    lines[2] = '["half a line'
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    listing = read_listing(index, [lib_dir], "")
    assert listing is not None
    assert listing[0].title == "apple pie"
    assert listing[1].problem
    # and a scan reads every file again rather than trusting the rest of that index
    reads: list[Path] = []
    real = library_module.read_record

    def counting(path: Path, st: object) -> dict[str, object]:
        reads.append(path)
        return real(path, st)  # type: ignore[arg-type]

    monkeypatch.setattr(library_module, "read_record", counting)
    Library.scan([lib_dir], index_path=index)
    assert len(reads) == 5


def test_listing_reads_only_the_lines_asked_for() -> None:
    good = json.dumps(["/lib/x.txt", "id-x", 10, 1, "txt", "h", "X", "", "", "", "", 2, ""])
    listing = IndexListing([good.encode(), b"never parsed"])
    assert listing[0].id == "id-x" and listing[0].path == Path("/lib/x.txt")
    assert listing[-2] is listing[0]
    assert [m.id for m in listing[:1]] == ["id-x"]
    with pytest.raises(IndexError):
        listing[2]


def test_workspace_listing_until_the_library_is_scanned(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    _write(lib / "one.txt", "One\nBody.")
    ws = Workspace.for_paths(tmp_path / "db.json", [lib], include_seeds=False)
    assert ws.listed_articles() is None  # no index yet
    scanned = ws.articles()
    ws.close()
    again = Workspace.for_paths(tmp_path / "db.json", [lib], include_seeds=False)
    listing = again.listed_articles()
    assert listing is not None and list(listing) == scanned
    assert "store" not in again.__dict__  # the database was not opened for it
    again.articles()
    assert again.listed_articles() is None
    again.close()
