"""Make untrusted text safe to show in a terminal without moving any offset.

Article files, titles fetched from the web and file names can carry escape sequences
(ESC [ ... for colours and cursor moves, OSC 52 to write the clipboard, OSC 8 links), bells
and bidi overrides that make text display in a different order than it is stored. Every such
character is replaced by one visible code point, so an offset into the original text is the
same offset into the shown text and notes stay anchored.
"""

from __future__ import annotations

import re

#: Shown for DEL.
DEL_SYMBOL = "\u2421"  # ␡
#: Shown for C1 controls, bidi overrides/isolates and lone surrogates.
REPLACEMENT = "\ufffd"
#: Shown for a line break in a one-line field, and for U+2028/U+2029.
NEWLINE_SYMBOL = "\u2424"  # ␤
#: Shown for a tab in a one-line field.
TAB_SYMBOL = "\u2409"  # ␉

#: Bidi embedding/override (U+202A-U+202E) and isolate (U+2066-U+2069) controls: they can
#: make text display in another order than it is stored. LRM/RLM/ALM and ZWJ/ZWNJ stay:
#: real scripts need them and they cannot reorder a whole run.
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))

_C0_KEEP = "\n\t"


def _symbol(ch: str) -> str:
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return DEL_SYMBOL
    if ch in "\u2028\u2029":
        return NEWLINE_SYMBOL
    return REPLACEMENT


_UNSAFE = (
    r"\x00-\x08\x0b-\x1f\x7f-\x9f"
    r"\u202a-\u202e\u2066-\u2069\u2028\u2029"
    r"\ud800-\udfff"
)
_UNSAFE_RE = re.compile(f"[{_UNSAFE}]")
_UNSAFE_LINE_RE = re.compile(f"[{_UNSAFE}\\n\\t]")

_LINE_SYMBOLS = {"\n": NEWLINE_SYMBOL, "\t": TAB_SYMBOL}


def _replace(match: re.Match[str]) -> str:
    return _symbol(match.group())


def _replace_line(match: re.Match[str]) -> str:
    ch = match.group()
    return _LINE_SYMBOLS.get(ch) or _symbol(ch)


def is_unsafe(ch: str) -> bool:
    """True for a character :func:`visible` replaces (``\\n`` and ``\\t`` are safe)."""
    return _UNSAFE_RE.match(ch) is not None


def visible(text: str) -> str:
    """Every control character as a visible symbol; ``\\n`` and ``\\t`` kept; same length.

    C0 controls become the Control Pictures (U+2400 + n, so ESC shows as ␛), DEL becomes ␡,
    C1 controls, bidi overrides/isolates and lone surrogates become U+FFFD, and the Unicode
    line/paragraph separators become ␤.
    """
    if _UNSAFE_RE.search(text) is None:
        return text
    return _UNSAFE_RE.sub(_replace, text)


def visible_line(text: str) -> str:
    """Like :func:`visible`, for one-line fields (titles, tags, file names): ``\\n`` and
    ``\\t`` become ␤ and ␉ too, so the field cannot break the line it is shown on."""
    if _UNSAFE_LINE_RE.search(text) is None:
        return text
    return _UNSAFE_LINE_RE.sub(_replace_line, text)
