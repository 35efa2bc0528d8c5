"""Markdown building blocks that cannot be broken by the text put into them.

Everything that comes from an article or a note is untrusted here: a title may hold ``#``
or ``<script>``, a quote may start with ``-`` or ``1986.``, a tag may hold backticks. Each
helper writes its text so that it reads as the same characters and nothing more.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from reader.safety import visible, visible_line

#: ASCII punctuation that starts or ends Markdown (CommonMark, GFM, Obsidian) inline syntax:
#: emphasis, code, links, HTML, headings, tables, strikethrough, math, entities.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$&])")
#: Obsidian reads ``==x==`` as a highlight and ``%%x%%`` as a comment that hides text.
_DOUBLED = re.compile(r"([=%])(?=\1)")
#: A line start that would begin a list item or a setext underline.
_LIST_START = re.compile(r"^([-+=]|\d{1,9}(?=[.)]))")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")


def normalize_newlines(text: str) -> str:
    """CRLF, CR and the Unicode line separators all become ``\\n``."""
    return _NEWLINES.sub("\n", text)


def escape_inline(text: str) -> str:
    """One line of literal text, safe anywhere inline: every special character escaped."""
    text = visible_line(text.replace("\t", " "))
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    return _DOUBLED.sub(lambda m: m.group(1) + "\\", text)


def escape_line(text: str) -> str:
    """One line of literal text that starts a block: inline escapes plus the line starts
    (``- `` lists, ``1.`` lists, ``===`` underlines) and no leading indentation."""
    return guard_line_start(escape_inline(text.strip()))


def guard_line_start(line: str) -> str:
    """Escape a first character that would start a list item or a setext underline; the
    rest of the line must already be escaped."""
    match = _LIST_START.match(line)
    if match is None:
        return line
    if match.group(1).isdigit():
        end = match.end()
        return f"{line[:end]}\\{line[end:]}"
    return f"\\{line}"


def quote_block(text: str) -> list[str]:
    """Literal text as a blockquote: every line prefixed, runs of blank lines kept as one."""
    lines: list[str] = []
    for raw in normalize_newlines(text).split("\n"):
        line = escape_line(raw)
        if line:
            lines.append(f"> {line}")
        elif lines and lines[-1] != ">":
            lines.append(">")
    while lines and lines[-1] == ">":
        lines.pop()
    return lines or ["> …"]


def code_span(text: str) -> str:
    """Literal text as inline code, delimited by more backticks than it contains."""
    text = visible_line(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def fenced_block(text: str, info: str = "text") -> list[str]:
    """Literal text as a fenced code block no line of it can close."""
    body = visible(normalize_newlines(text))
    longest = max((len(run) for run in re.findall(r"`{3,}", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{info}", *body.split("\n"), fence]


def front_matter(data: dict[str, Any]) -> list[str]:
    """YAML front matter between ``---`` lines; checked to read back as the same data.

    Strings are passed through :func:`visible_line` by the caller, so the YAML holds no
    line breaks and no control characters; ``safe_dump`` quotes anything that YAML would
    otherwise read as a number, a date, a boolean or a document marker.
    """
    dumped = yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=10_000
    )
    if yaml.safe_load(dumped) != data:  # pragma: no cover - guards a PyYAML regression
        dumped = yaml.safe_dump(data, sort_keys=False, allow_unicode=False, width=10_000)
    return ["---", *dumped.rstrip("\n").split("\n"), "---"]


def prefix_lines(lines: list[str], prefix: str = "> ") -> list[str]:
    """Put lines inside a blockquote container; blank lines keep a bare ``>``."""
    bare = prefix.rstrip()
    return [f"{prefix}{line}" if line else bare for line in lines]
