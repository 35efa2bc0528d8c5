"""Regular expressions whose compiled form ships with the package.

Compiling the figure grammar and the name patterns takes tens of milliseconds, nearly all
of it in the regex parser, which is written in Python. What the parser and compiler
produce is a list of integers for the regex engine, so ``scripts/build_entity_data.py``
stores it in ``data/patterns.<python tag>.bin`` and this module hands it straight to the
engine. The file is keyed by the pattern text and flags; another Python, an edited
pattern, or a missing or unreadable file only mean a normal compile.
"""

from __future__ import annotations

import marshal
import os
import re
import sys
from pathlib import Path
from typing import Any

try:  # the regex engine's own compiler: stable across 3.11-3.13, absent elsewhere
    import _sre
    from re import _compiler, _parser  # type: ignore[attr-defined]

    _FORMAT = f"{sys.implementation.cache_tag}-{_sre.MAGIC}-{_sre.CODESIZE}"
except (ImportError, AttributeError):  # pragma: no cover - other implementations
    _sre = None
    _FORMAT = ""

#: The stored programs for this Python, if it has them.
CACHE_FILE: Path | None = (
    Path(__file__).resolve().parent / "data" / f"patterns.{_FORMAT}.bin" if _FORMAT else None
)

_programs: dict[tuple[str, int], tuple[Any, ...]] | None = None
#: Every (pattern, flags) compiled through here in this process, for ``save``.
used: dict[tuple[str, int], None] = {}
#: Those that were not in the stored file.
missed: dict[tuple[str, int], None] = {}


def _read() -> dict[tuple[str, int], tuple[Any, ...]]:
    if CACHE_FILE is None:
        return {}
    try:
        data = marshal.loads(CACHE_FILE.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return data if isinstance(data, dict) else {}


def save(path: Path | None = None) -> Path | None:
    """Store the programs of every pattern compiled so far (the build script calls this)."""
    target = path or CACHE_FILE
    if target is None or _sre is None:
        return None
    programs = {key: _program(*key) for key in used}
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    tmp.write_bytes(marshal.dumps(programs))
    os.replace(tmp, target)
    return target


def _program(pattern: str, flags: int) -> tuple[Any, ...]:
    """What ``re.compile`` hands the engine: flags, code, group count and names."""
    tree = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(tree, flags)]
    groupindex = dict(tree.state.groupdict)
    indexgroup: list[str | None] = [None] * tree.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (flags | tree.state.flags, code, tree.state.groups - 1, groupindex, tuple(indexgroup))


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from the stored program when there is one."""
    global _programs
    flags = int(flags)
    used[(pattern, flags)] = None
    if _sre is None:
        return re.compile(pattern, flags)
    if _programs is None:
        _programs = _read()  # two threads may both read it: harmless
    # each pattern is compiled once (at import or in a cached function): its stored program
    # is not kept after, where it held 0.3 MB for the life of the process
    kept = _programs.pop((pattern, flags), None)
    if kept is not None:
        try:
            return _sre.compile(pattern, *kept)
        except (RuntimeError, TypeError, ValueError):
            pass  # not a program this engine accepts
    missed[(pattern, flags)] = None
    return re.compile(pattern, flags)


__all__ = ["CACHE_FILE", "compile", "save"]
