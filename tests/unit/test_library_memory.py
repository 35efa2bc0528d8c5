"""The library stays small at thousands of articles: one object per file, paths as strings.

No timings here (bench/ has those); memory is counted with tracemalloc.
"""

from __future__ import annotations

import gc
import json
import pickle
import tracemalloc
from dataclasses import replace
from pathlib import Path

import pytest

from reader.library import Library, read_listing
from reader.models import ArticleMeta

ARTICLES = 3000


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def big_library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A library of ARTICLES small files, scanned once so its index is warm."""
    root = tmp_path_factory.mktemp("big")
    lib = root / "articles"
    lib.mkdir()
    for n in range(ARTICLES):
        (lib / f"{n:06d}.txt").write_text(
            f"Report number {n} from the field\n\nSome words of article {n}, and more words.\n",
            encoding="utf-8",
        )
    index = root / "index.json"
    Library.scan([lib], index_path=index)
    return lib, index


def test_a_warm_scan_holds_little_and_peaks_low(big_library: tuple[Path, Path]) -> None:
    lib, index = big_library
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        library = Library.scan([lib], index_path=index)
        metas = library.metas()
        gc.collect()
        held, peak = (m - before for m in tracemalloc.get_traced_memory())
    finally:
        tracemalloc.stop()
    assert len(metas) == ARTICLES
    # With a Path per article and the index's records kept beside the articles, about
    # 2.2 KB per article were held and 3.1 KB at the peak; now about 0.5 and 0.8 KB.
    assert held < ARTICLES * 800
    assert peak < ARTICLES * 1500


def test_reading_the_listing_does_not_hold_the_whole_file(big_library: tuple[Path, Path]) -> None:
    lib, index = big_library
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        listing = read_listing(index, [lib], "")
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert listing is not None and len(listing) == ARTICLES
    # its lines (1.2 times the file), not also the whole file they were split from (2.2)
    assert peak < index.stat().st_size * 1.6


def test_a_rescan_of_unchanged_files_makes_no_new_articles(
    big_library: tuple[Path, Path],
) -> None:
    lib, index = big_library
    library = Library.scan([lib], index_path=index)
    first = library.metas()
    stamp = index.stat().st_mtime_ns
    assert library.rescan() is False
    assert all(a is b for a, b in zip(first, library.metas(), strict=True))
    assert index.stat().st_mtime_ns == stamp  # and the index is not written again


def test_the_path_is_kept_as_its_string() -> None:
    text = "/library/folder/article.txt"
    meta = ArticleMeta(id="a", path=text, title="T")  # type: ignore[arg-type]
    assert meta.path_text is text
    assert meta.path == Path(text) and isinstance(meta.path, Path)
    same = ArticleMeta(id="a", path=Path(text), title="T")
    assert same == meta and hash(same) == hash(meta)
    assert same.path_text == text
    assert replace(meta, id="b").path == Path(text)
    assert pickle.loads(pickle.dumps(meta)) == meta
    assert "PosixPath" in repr(meta) or "WindowsPath" in repr(meta)


def test_a_library_path_is_one_string_shared_with_the_index(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    _write(lib / "one.txt", "One\nBody.")
    index = tmp_path / "index.json"
    Library.scan([lib], index_path=index)
    warm = Library.scan([lib], index_path=index)
    meta = warm.metas()[0]
    assert meta.path == lib / "one.txt"
    assert meta.path_text is next(iter(warm._indexed))
    assert meta.id is meta.content_hash  # the usual id, the hash, is one string too


def test_copies_follow_the_file_they_copy(tmp_path: Path) -> None:
    one = _write(tmp_path / "a" / "x.txt", "Same text\nbody")
    two = _write(tmp_path / "b" / "y.txt", "Same text\nbody")
    dirs = [tmp_path / "a", tmp_path / "b"]
    index = tmp_path / "index.json"

    def index_ids() -> dict[str, str]:
        rows = index.read_text(encoding="utf-8").splitlines()[1:]
        return {Path(row[0]).name: row[1] for row in map(json.loads, rows)}

    lib = Library.scan(dirs, index_path=index)
    assert [m.path for m in lib.metas()] == [one]
    assert index_ids() == {"x.txt": lib.metas()[0].id, "y.txt": ""}
    assert Library.scan(dirs, index_path=index).metas() == lib.metas()
    one.unlink()
    again = Library.scan(dirs, index_path=index)
    assert [m.path for m in again.metas()] == [two]
    assert index_ids() == {"y.txt": again.metas()[0].id}
    listing = read_listing(index, dirs, "")
    assert listing is not None and [m.path for m in listing] == [two]
