"""Markdown -> display text with its structure kept as data.

The reader shows plain text with styles, not rendered Markdown widgets (those stall on long
articles), so the Markdown is rendered here once: headings, paragraphs, list items (with
their bullets or numbers in the text), quotes, code and tables become :class:`Block`s over
the display text; emphasis and code become style spans; a link keeps its words and gains a
reference number, "words[1]", with the targets listed at the end; an image becomes a
"[Figure: alt text]" block. Nothing in the source is dropped silently.
"""

from __future__ import annotations

import datetime as _dt
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from reader.models import Block, BlockKind
from reader.safety import visible, visible_line

_FRONT = re.compile(r"\A(?:\ufeff)?---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_SIMPLE_FIELD = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*)")

_TITLE_KEYS = ("title",)
_AUTHOR_KEYS = ("author", "authors", "by")
_DATE_KEYS = ("date", "published", "pubdate")
_SOURCE_KEYS = ("source", "sitename", "site", "publisher", "hostname")
_URL_KEYS = ("url", "source_url", "link", "canonical")

_INLINE_STYLES = {"em": "italic", "strong": "bold", "s": "strike"}
_BULLET = "•"


@dataclass(frozen=True)
class Rendered:
    """Display text, its blocks and styles, the link targets, and front-matter metadata."""

    text: str
    blocks: tuple[Block, ...]
    links: tuple[str, ...] = ()
    styles: tuple[tuple[int, int, str], ...] = ()
    title: str = ""
    author: str = ""
    date: str = ""
    source: str = ""
    url: str = ""
    front: dict[str, str] = field(default_factory=dict)


def split_front_matter(source: str) -> tuple[dict[str, str], str]:
    """(fields, body) for a text opening with a YAML front matter block.

    Values are flattened to strings (lists joined with ", ", dates in ISO form). Front matter
    that YAML refuses (trafilatura writes unquoted titles, which break on ": ") is read line
    by line as ``key: value``.
    """
    found = _FRONT.match(source)
    if not found:
        return {}, source
    raw = found.group(1) or ""
    body = source[found.end() :]
    data: Any
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError:
        data = None
    if not isinstance(data, dict):
        data = {}
        for line in raw.splitlines():
            simple = _SIMPLE_FIELD.fullmatch(line.strip())
            if simple:
                data[simple.group(1)] = simple.group(2).strip().strip("'\"")
        if not data:
            return {}, source
    return {str(k).lower(): _flat(v) for k, v in data.items() if v is not None}, body


def _flat(value: object) -> str:
    if isinstance(value, _dt.date | _dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(_flat(v) for v in value if v is not None)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_flat(v)}" for k, v in value.items())
    return str(value).strip()


def _pick(front: dict[str, str], keys: tuple[str, ...]) -> str:
    for key in keys:
        if front.get(key):
            return visible_line(" ".join(front[key].split()))
    return ""


_PARSER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


class _Builder:
    """Appends blocks to the display text, tracking offsets, styles and link numbers."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.blocks: list[Block] = []
        self.styles: list[tuple[int, int, str]] = []
        self.links: dict[str, int] = {}

    def _append(self, text: str) -> None:
        self.parts.append(text)
        self.pos += len(text)

    def block(
        self,
        text: str,
        kind: BlockKind,
        level: int = 0,
        ref: str = "",
        styles: list[tuple[int, int, str]] | None = None,
        tight: bool = False,
    ) -> None:
        lead = len(text) - len(text.lstrip("\n"))
        text = text.strip("\n")
        if not text.strip():
            return
        if self.blocks:
            follows_item = tight and self.blocks[-1].kind == kind == "list_item"
            self._append("\n" if follows_item else "\n\n")
        start = self.pos
        self._append(text)
        self.blocks.append(Block(start, self.pos, kind, level, ref))
        for s, e, style in styles or ():
            s, e = max(0, s - lead), min(len(text), e - lead)
            if e > s:
                self.styles.append((start + s, start + e, style))

    def link_number(self, href: str) -> int:
        return self.links.setdefault(href, len(self.links) + 1)

    def inline(self, token: Token) -> tuple[str, list[tuple[int, int, str]]]:
        """Text of an inline token, with styles relative to its start."""
        out: list[str] = []
        length = 0
        styles: list[tuple[int, int, str]] = []
        open_at: dict[str, list[int]] = {}
        link_stack: list[tuple[str, int]] = []

        def add(text: str) -> None:
            nonlocal length
            out.append(text)
            length += len(text)

        for child in token.children or ():
            kind = child.type
            base = kind.rsplit("_", 1)[0]
            if kind == "text" or kind == "html_inline":
                add(child.content)
            elif kind == "softbreak":
                add(" ")
            elif kind == "hardbreak":
                add("\n")
            elif kind == "code_inline":
                styles.append((length, length + len(child.content), "code"))
                add(child.content)
            elif base in _INLINE_STYLES and kind.endswith("_open"):
                open_at.setdefault(base, []).append(length)
            elif base in _INLINE_STYLES and kind.endswith("_close"):
                if open_at.get(base):
                    styles.append((open_at[base].pop(), length, _INLINE_STYLES[base]))
            elif kind == "link_open":
                link_stack.append((str(child.attrs.get("href", "")), length))
            elif kind == "link_close" and link_stack:
                href, start = link_stack.pop()
                styles.append((start, length, "link"))
                if href and not href.startswith("#"):
                    add(f"[{self.link_number(visible_line(href))}]")
            elif kind == "image":
                add(figure_label(child))
            else:
                add(child.content)
        styles.sort()
        return "".join(out), styles


def figure_label(image: Token) -> str:
    """ "[Figure: alt text]" for an image; its title stands in for a missing alt text."""
    alt = " ".join(image.content.split()) or " ".join(str(image.attrs.get("title", "")).split())
    return f"[Figure: {alt}]" if alt else "[Figure]"


def _only_images(token: Token) -> list[Token]:
    """The images of an inline token made of images alone (and spaces), else []."""
    images: list[Token] = []
    for child in token.children or ():
        if child.type == "image":
            images.append(child)
        elif child.type in ("softbreak", "hardbreak") or (
            child.type == "text" and not child.content.strip()
        ):
            continue
        else:
            return []
    return images


def render_markdown(source: str) -> Rendered:
    """Render Markdown (with optional YAML front matter) to display text and blocks."""
    source = visible(source.replace("\r\n", "\n").replace("\r", "\n"))
    front, body = split_front_matter(source)
    tokens = _PARSER.parse(body)
    b = _Builder()
    lists: list[list[Any]] = []  # [ordered, next number]
    quote_depth = 0
    item_prefix: str | None = None
    item_indent = ""
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        kind = tok.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = int(tok.attrs.get("start", 1) or 1)
            lists.append([kind == "ordered_list_open", start])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            if lists:
                lists.pop()
        elif kind == "list_item_open" and lists:
            ordered, number = lists[-1]
            marker = f"{tok.info or number}{tok.markup or '.'}" if ordered else _BULLET
            lists[-1][1] = number + 1
            indent = "  " * (len(lists) - 1)
            item_prefix = f"{indent}{marker} "
            item_indent = " " * len(item_prefix)
        elif kind == "blockquote_open":
            quote_depth += 1
        elif kind == "blockquote_close":
            quote_depth = max(0, quote_depth - 1)
        elif kind == "heading_open" and i + 1 < len(tokens):
            text, styles = b.inline(tokens[i + 1])
            b.block(" ".join(text.split("\n")), "heading", int(tok.tag[1:] or 1), styles=styles)
            i += 2
        elif kind == "paragraph_open" and i + 1 < len(tokens):
            inline = tokens[i + 1]
            images = _only_images(inline)
            if images and not lists:
                for image in images:
                    src = visible_line(str(image.attrs.get("src", "")))
                    b.block(figure_label(image), "figure", ref=src)
            else:
                text, styles = b.inline(inline)
                block_kind: BlockKind = "paragraph"
                level = 0
                if lists:
                    prefix = item_prefix if item_prefix is not None else item_indent
                    item_prefix = None
                    original = text
                    text = prefix + text.replace("\n", "\n" + item_indent)
                    styles = _shift(styles, original, len(prefix), len(item_indent))
                    block_kind, level = "list_item", len(lists)
                elif quote_depth:
                    block_kind, level = "quote", quote_depth
                b.block(text, block_kind, level, styles=styles, tight=tok.hidden)
            i += 2
        elif kind in ("fence", "code_block"):
            info = visible_line(tok.info.strip().split(" ")[0]) if tok.info else ""
            content = tok.content.rstrip("\n")
            b.block(content, "code", ref=info, styles=[(0, len(content), "code")])
        elif kind == "html_block":
            b.block(tok.content, "paragraph")
        elif kind == "hr":
            b.block("* * *", "rule")
        elif kind == "table_open":
            i = _table(tokens, i, b)
        i += 1
    if b.links:
        b.block("Links", "heading", 2)
        for href, number in b.links.items():
            label = f"[{number}] "
            line = label + href
            b.block(line, "list_item", 1, href, [(len(label), len(line), "link")], tight=True)
    text = "".join(b.parts)
    first_heading = ""
    for block in b.blocks:
        if block.kind == "heading" and (block.level == 1 or block is b.blocks[0]):
            first_heading = text[block.start : block.end]
            break
    return Rendered(
        text=visible(text),
        blocks=tuple(b.blocks),
        links=tuple(b.links),
        styles=tuple(sorted(b.styles)),
        title=_pick(front, _TITLE_KEYS) or visible_line(first_heading),
        author=_pick(front, _AUTHOR_KEYS),
        date=_pick(front, _DATE_KEYS),
        source=_pick(front, _SOURCE_KEYS),
        url=_pick(front, _URL_KEYS),
        front=front,
    )


def _shift(
    styles: list[tuple[int, int, str]], original: str, prefix: int, indent: int
) -> list[tuple[int, int, str]]:
    """Move inline styles past a list prefix and the indents added after each line break."""
    if not styles:
        return styles
    breaks = [k for k, ch in enumerate(original) if ch == "\n"]

    def moved(k: int) -> int:
        return prefix + k + indent * bisect_left(breaks, k)

    return [(moved(s), moved(e), style) for s, e, style in styles]


def _table(tokens: list[Token], i: int, b: _Builder) -> int:
    """Render a table as one block, a row a line, cells joined by " | "."""
    rows: list[list[tuple[str, list[tuple[int, int, str]]]]] = []
    while i < len(tokens) and tokens[i].type != "table_close":
        tok = tokens[i]
        if tok.type == "tr_open":
            rows.append([])
        elif tok.type == "inline" and rows:
            rows[-1].append(b.inline(tok))
        i += 1
    out: list[str] = []
    styles: list[tuple[int, int, str]] = []
    offset = 0
    for r, row in enumerate(rows):
        if r:
            out.append("\n")
            offset += 1
        for c, (cell, cell_styles) in enumerate(row):
            if c:
                out.append(" | ")
                offset += 3
            flat = cell.replace("\n", " ")
            styles.extend((offset + s, offset + e, st) for s, e, st in cell_styles)
            out.append(flat)
            offset += len(flat)
    b.block("".join(out), "paragraph", styles=styles)
    return i
