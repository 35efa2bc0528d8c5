"""File names made from titles: safe on every OS, and never outside the chosen folder.

A title is untrusted text (it comes from the article file). Turned into a file name it must
not name another folder (``../../etc/passwd``, ``/abs``, ``C:\\x``), a device (``CON``,
``NUL``), a hidden file, or something Windows, macOS or a sync tool refuses (``:*?"<>|``,
control characters, trailing dots or spaces, over-long names).
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

#: Longest stem we make, in characters; the byte limit below bites first for wide scripts.
MAX_STEM_CHARS = 120
#: Most file systems allow 255 bytes per name; leave room for a suffix and a temp prefix.
MAX_STEM_BYTES = 180

#: Windows device names, reserved with any extension and in any case.
RESERVED_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{dev}{n}" for dev in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")}
)

#: Characters a name may not hold on some OS, or that break an Obsidian ``[[link]]``.
_REPLACEMENTS = {
    "/": "-",
    "\\": "-",
    "|": "-",
    ":": " - ",
    '"': "'",
    "*": "",
    "?": "",
    "<": "",
    ">": "",
    "#": "",
    "^": "",
    "[": "(",
    "]": ")",
}
_TABLE = str.maketrans(_REPLACEMENTS)
_SPACES = re.compile(r"\s+")
_DASHES = re.compile(r"(?:\s*-\s*){2,}")
#: Unicode categories dropped: controls, format characters (bidi overrides, zero-width
#: joiners), surrogates, private use and unassigned code points.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


def safe_stem(text: str, fallback: str = "untitled", max_chars: int = MAX_STEM_CHARS) -> str:
    """A file name stem (no extension) made from ``text``, safe on every OS.

    Never empty, never ``.`` or ``..``, never a reserved device name, no path separators,
    no leading dot (hidden) and no trailing dot or space (Windows drops them).
    """
    stem = _clean(text, max_chars)
    if not stem:
        stem = _clean(fallback, max_chars) or "untitled"
    return stem


def _clean(text: str, max_chars: int) -> str:
    text = unicodedata.normalize("NFC", text)
    kept = []
    for ch in text.translate(_TABLE):
        category = unicodedata.category(ch)
        if ch.isspace() or category in ("Zl", "Zp"):
            kept.append(" ")
        elif category not in _DROPPED_CATEGORIES:
            kept.append(ch)
    stem = _DASHES.sub(" - ", _SPACES.sub(" ", "".join(kept)))
    stem = _trim(stem.strip(" .-…"), max(1, max_chars))
    head, dot, rest = stem.partition(".")
    if head.strip().upper() in RESERVED_NAMES:
        # Windows reserves the name before the first dot ("CON.txt", "Aux. notes"), so
        # the mark goes there; at the end it would leave the name still reserved.
        stem = f"{head}_{dot}{rest}"
    return stem


def _trim(stem: str, max_chars: int) -> str:
    """Cut to the character and byte limits, at a word boundary when one is near."""
    limit = max_chars
    while len(stem[:limit].encode("utf-8")) > MAX_STEM_BYTES:
        limit -= 1
    if len(stem) > limit:
        cut = stem[:limit]
        space = cut.rfind(" ")
        stem = cut[:space] if space > limit // 2 else cut
    # Windows refuses names ending in a dot or space; a cut may have exposed one.
    return stem.rstrip(" .")


def name_key(name: str) -> str:
    """The form two names clash in: case-insensitive and normalisation-insensitive, as on
    the default file systems of Windows and macOS."""
    return unicodedata.normalize("NFC", name).casefold()


def is_safe_name(name: str) -> bool:
    """True if ``name`` is one plain path component that :func:`safe_stem` could produce."""
    if not name or name in (".", "..") or name != name.strip(" ."):
        return False
    if any(ch in name for ch in '/\\:*?"<>|\x00') or name.startswith("."):
        return False
    if any(unicodedata.category(ch) in _DROPPED_CATEGORIES for ch in name):
        return False
    return name.split(".")[0].strip().upper() not in RESERVED_NAMES


def contained_path(folder: Path, name: str) -> Path:
    """``folder / name``, refusing any name that could land outside ``folder``.

    The check is both lexical (one safe component) and on the resolved path, so a name can
    never climb out even through a symlinked folder.
    """
    if not is_safe_name(name) or os.path.basename(name) != name:
        raise ValueError(f"unsafe file name: {name!r}")
    path = folder / name
    if path.resolve(strict=False).parent != folder.resolve(strict=False):
        raise ValueError(f"file name escapes the export folder: {name!r}")
    return path
