"""A note's own Markdown, kept as Markdown but unable to reach outside its block.

A note is written in Markdown and should read as Markdown in Obsidian (links, emphasis,
lists, code). It must not add a heading or a rule to the exported document, nor raw HTML
(an unclosed ``<!--``, ``<script>`` or ``</blockquote>`` swallows or breaks everything after
it once rendered). So the note is parsed with a CommonMark parser, the lines that would make
such blocks get one backslash where the construct starts, and the result is parsed again
until it is clean. Whatever cannot be cleaned falls back to a fenced block, which nothing
inside can end. The caller puts the lines inside a blockquote container, which ends every
open list, fence or quote of the note where the note ends.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from reader.export.markup import fenced_block, normalize_newlines
from reader.safety import visible

#: The first line of a note's callout (Obsidian; GitHub shows it as an alert).
CALLOUT = "[!note]"
#: Rounds of escaping before giving up and fencing the note.
MAX_ROUNDS = 24

_PARSER = MarkdownIt("commonmark")
#: Blockquote markers and indentation before a construct's first character.
_CONTAINER = re.compile(r"[ >]*")
_LIST_MARKER = re.compile(r"(?:[-+*]|\d{1,9}[.)])(?= |$)")
#: Obsidian hides everything between ``%%`` pairs, even across the rest of the file.
_OBSIDIAN_COMMENT = re.compile(r"%(?=%)")
#: What every heading, HTML block and Obsidian comment needs somewhere in it.
_RISKY_CHARACTER = re.compile(r"[#<%]")
#: A line that ends in nothing but rule characters, after a list marker or quote marker
#: perhaps: it could be a rule, or underline the line before it into a heading.
_UNDERLINE_OR_RULE = re.compile(r"(?:^|[ >])[=\-*_][ =\-*_]*$", re.MULTILINE)


def note_lines(text: str, marker: str = CALLOUT) -> list[str]:
    """The lines of a note body, to follow ``marker`` inside a ``> `` container.

    The body is checked together with the marker line, because that is how it is read: a
    first line of ``===`` would otherwise turn the marker into a heading. Empty for an
    empty note.
    """
    body = _prepare(text)
    if not body.strip():
        return []
    if not _RISKY_CHARACTER.search(body) and not _UNDERLINE_OR_RULE.search(body):
        return body.split("\n")  # nothing in it can make a heading, a rule or HTML
    lines = [marker, *body.split("\n")]
    for _ in range(MAX_ROUNDS):
        tokens = _PARSER.parse("\n".join(lines))
        found, changed = _fix_round(lines, tokens)
        if not found and lines[0] == marker:
            return _escape_comments(lines, tokens)[1:]
        if not changed:
            break
    return fenced_block(body)


def _prepare(text: str) -> str:
    """One newline style, visible control characters, tabs as spaces (a tab's width
    depends on its column, and the container prefix moves the column), no outer blanks."""
    text = visible(normalize_newlines(text))
    lines = [_trim_end(line.expandtabs(4)) for line in text.split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def _trim_end(line: str) -> str:
    """Trailing spaces go, except the two that make a hard line break."""
    stripped = line.rstrip()
    return f"{stripped}  " if stripped and line.endswith("  ") else stripped


def _fix_round(lines: list[str], tokens: list[Token]) -> tuple[bool, bool]:
    """Escape the start of every heading, rule and HTML construct in ``tokens``.

    Returns (found any, changed a line); found without a change means the construct could
    not be placed, and the caller fences the note instead.
    """
    found = changed = False
    block_map: list[int] | None = None
    for tok in tokens:
        if tok.map is not None:
            block_map = tok.map
        if tok.type == "heading_open" and tok.map:
            found = True
            if tok.markup.startswith("#"):
                changed |= _escape_start(lines, tok.map[0], "#")
            else:  # setext: the underline is the last line
                changed |= _escape_start(lines, tok.map[1] - 1, "=-")
        elif tok.type == "hr" and tok.map:
            found = True
            changed |= _escape_start(lines, tok.map[0], "-*_")
        elif tok.type == "html_block" and tok.map:
            found = True
            changed |= _escape_start(lines, tok.map[0], "<")
        elif tok.type == "inline" and tok.children and block_map:
            for child in tok.children:
                if child.type == "html_inline":
                    found = True
                    changed |= _escape_inline_html(lines, block_map, child.content)
    return found, changed


def _escape_start(lines: list[str], index: int, chars: str) -> bool:
    """Put a backslash before the construct's first character on line ``index``, looking
    past blockquote markers, indentation and list markers."""
    if not 0 <= index < len(lines):
        return False
    line = lines[index]
    pos = 0
    while True:
        pos = _CONTAINER.match(line, pos).end()  # type: ignore[union-attr]
        if pos < len(line) and line[pos] in chars:
            lines[index] = f"{line[:pos]}\\{line[pos:]}"
            return True
        marker = _LIST_MARKER.match(line, pos)
        if marker is None:
            return False
        pos = marker.end()


def _escape_inline_html(lines: list[str], block_map: list[int], content: str) -> bool:
    """Backslash the ``<`` of each unescaped occurrence of an inline HTML tag or comment
    within the block's lines (a multi-line tag is found by its first line)."""
    needle = content.split("\n", 1)[0]
    changed = False
    for index in range(block_map[0], min(block_map[1], len(lines))):
        line = lines[index]
        out = []
        start = 0
        while (hit := line.find(needle, start)) != -1:
            backslashes = len(line[:hit]) - len(line[:hit].rstrip("\\"))
            out.append(line[start:hit])
            if backslashes % 2 == 0:
                out.append("\\")
                changed = True
            out.append(needle)
            start = hit + len(needle)
        out.append(line[start:])
        lines[index] = "".join(out)
    return changed


def _escape_comments(lines: list[str], tokens: list[Token]) -> list[str]:
    """Break up ``%%`` outside code blocks, so Obsidian cannot hide the rest of the file."""
    in_code: set[int] = set()
    for tok in tokens:
        if tok.type in ("fence", "code_block") and tok.map:
            in_code.update(range(tok.map[0], tok.map[1]))
    return [
        line if i in in_code else _OBSIDIAN_COMMENT.sub("%\\\\", line)
        for i, line in enumerate(lines)
    ]
