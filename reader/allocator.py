"""Freed memory handed back to the system at once, where the C library allows it.

glibc serves a large block (an index column, a chunk read from the database) from the
main heap once a block of that size has been freed, and a heap only shrinks from its
top: in a long session the holes left behind stay resident, megabytes of them after the
jump index reads 100,000 notes. A fixed threshold keeps every block of 128 KB or more in
a mapping of its own, returned when it is freed. Elsewhere this does nothing.
"""

from __future__ import annotations

import sys

#: glibc's ``mallopt`` parameter for the size from which blocks get their own mapping.
M_MMAP_THRESHOLD = -3
#: glibc's own starting threshold, kept fixed instead of growing with freed blocks.
THRESHOLD = 128 * 1024


def return_large_blocks() -> bool:
    """Fix glibc's threshold for mapped blocks; whether it was set."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes  # here: a Python built without libffi has none

        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (ImportError, OSError, AttributeError):  # musl and others: no mallopt
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, THRESHOLD))
