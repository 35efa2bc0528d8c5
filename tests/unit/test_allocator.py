"""Freed large blocks go back to the system: the threshold is set where glibc is the C
library, and asking elsewhere is harmless."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

from reader.allocator import return_large_blocks


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's mallopt only")
def test_threshold_is_set_with_glibc() -> None:
    assert return_large_blocks() is True
    assert return_large_blocks() is True  # again, as a second index build would


def test_a_freed_large_block_leaves_the_process() -> None:
    """Large blocks made among small survivors, then freed: the resident size falls back.

    The survivors are above pymalloc's 512 bytes, so they sit in the C heap between the
    large blocks; with glibc's growing threshold the freed blocks stay in that heap.
    """
    if platform.libc_ver()[0] != "glibc":
        pytest.skip("glibc's mallopt only")
    script = """
import sys
from reader.allocator import return_large_blocks
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
if sys.argv[1] == "set":
    return_large_blocks()
blocks, keep = [], []
freed = bytearray(1 << 20)
del freed
before = rss()
for i in range(200):
    blocks.append(bytearray(256 * 1024))
    keep.append(bytearray(1024))
del blocks
print(rss() - before)
"""
    grown = {}
    for mode in ("set", "unset"):
        out = subprocess.run(
            [sys.executable, "-c", script, mode], capture_output=True, text=True, check=True
        )
        grown[mode] = float(out.stdout)
    assert grown["set"] < 10 < grown["unset"]


def test_a_python_without_ctypes_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """Some Python builds have no ``_ctypes``: the threshold stays as it is, nothing raises."""
    monkeypatch.setitem(sys.modules, "ctypes", None)
    assert return_large_blocks() is False
