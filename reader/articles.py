"""Bytes of an article file -> :class:`Article`: decoding, title, source, blocks, words.

Anything can be in a file in someone's library folder, so nothing here raises on odd input:
bytes that are not UTF-8 are decoded with a fallback or with replacement characters, control
characters are made visible, and only a file that is plainly not text (binary, too large)
raises :class:`Unreadable`, whose reason the library shows next to the file.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from reader.errors import ReaderError
from reader.models import Article, ArticleMeta, Block
from reader.safety import visible, visible_line

Format = Literal["txt", "md", "html"]

#: File name suffixes the library lists, and the format each one is read as.
SUFFIXES: dict[str, Format] = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
}

#: Larger files are listed as unreadable: nobody reads them, and loading one would stall.
MAX_ARTICLE_BYTES = 64 * 1024 * 1024
#: Markdown larger than this is shown as plain text: rendering it would take minutes.
MAX_MARKDOWN_BYTES = 2 * 1024 * 1024
#: HTML larger than this is refused: extraction would stall, and no article is this big.
MAX_HTML_BYTES = 5 * 1024 * 1024
#: How much of the start of a file decides whether it is text.
SNIFF_BYTES = 8192
#: A title longer than this is trimmed at a word boundary.
TITLE_LIMIT = 100
#: Where a long first sentence is cut when it becomes the title.
TITLE_TRIM = 80


class Unreadable(ReaderError):
    """A file that is not an article we can show; ``reason`` says why, for the library list."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def format_of(path: Path) -> Format | None:
    """The format a file is read as, from its suffix; None for files the library ignores."""
    return SUFFIXES.get(path.suffix.lower())


def content_hash(data: bytes) -> str:
    """The identity of a file's bytes (16 hex digits of SHA-256)."""
    return hashlib.sha256(data).hexdigest()[:16]


# -- decoding -----------------------------------------------------------------------------

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/EPUB file)"),
    (b"\x7fELF", "a program"),
    (b"\x1f\x8b", "a gzip archive"),
)

_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
#: Every byte except the controls that do not occur in text (tab, newlines, form feed and
#: ESC do): deleting these from a sample leaves only the suspicious bytes, at C speed.
_NOT_BINARY_CONTROLS = bytes(
    b for b in range(256) if b >= 0x20 or b in (0x09, 0x0A, 0x0C, 0x0D, 0x1B)
)


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """(encoding, BOM length) when ``data`` starts with a byte order mark."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le'/'-be' for BOM-less UTF-16 of mostly Latin text (every other byte NUL)."""
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) <= 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) <= 0.1 * len(odd):
        return "utf-16-be"
    return None


def binary_reason(head: bytes) -> str | None:
    """Why the first bytes of a file show it is not text, or None when it may be text."""
    if bom_encoding(head) or _utf16_without_bom(head):
        return None
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return f"binary file ({what})"
    if not head:
        return None
    nuls = head.count(0)
    controls = len(head.translate(None, _NOT_BINARY_CONTROLS))
    if nuls > max(4, len(head) // 100) or controls > len(head) // 10 + 4:
        return "binary file (not text)"
    return None


def decode(data: bytes) -> str:
    """Text from bytes, never failing; line breaks normalised to ``\\n``.

    A byte order mark wins; then UTF-8; a file with no valid UTF-8 sequence at all is taken
    as Windows-1252 (the usual legacy encoding of saved articles); anything else is UTF-8
    with U+FFFD for the bytes that do not decode.
    """
    found = bom_encoding(data)
    if found:
        name, skip = found
        text = data[skip:].decode(name, errors="replace")
    else:
        utf16 = _utf16_without_bom(data[:SNIFF_BYTES])
        if utf16:
            text = data.decode(utf16, errors="replace")
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                if _UTF8_MULTIBYTE.search(data) is None:
                    text = data.decode("cp1252", errors="replace")
                else:
                    text = data.decode("utf-8", errors="replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


# -- titles and sources -------------------------------------------------------------------

#: "Afrasianet - ", "The Guardian – ", "AFP — ", "WASHINGTON (Reuters) - ": a short name of
#: one to four capitalised words before a spaced dash, at the very start of the text.
_SOURCE_DASH = re.compile(
    r"[ \t]*((?:\(?[A-Z0-9][\w&'’.\-]*\)?)(?:[ \t]+\(?[A-Z0-9][\w&'’.\-]*\)?){0,3})"
    r"[ \t]+[-–—][ \t]+(?=\S)"
)
#: "REUTERS: " or "NEW YORK: ": an upper-case dateline before a colon.
_SOURCE_COLON = re.compile(r"[ \t]*([A-Z][A-Z&'.\-]*(?:[ \t]+[A-Z][A-Z&'.\-]*){0,3}):[ \t]+(?=\S)")
_SOURCE_MAX = 40

_HEADING_LINE = re.compile(r"[ \t]{0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’)\]]*(?=\s|$)")
_SENTENCE_MIN = 25
_TRAILING_PUNCT = " \t,;:-–—([{"
_ZWJ = "\u200d"


def source_prefix(line: str) -> tuple[str, int]:
    """(source name, length of the prefix) at the start of ``line``, or ("", 0)."""
    head = line[:200]
    for pattern in (_SOURCE_DASH, _SOURCE_COLON):
        found = pattern.match(head)
        if found and len(found.group(1)) <= _SOURCE_MAX:
            return found.group(1), found.end()
    return "", 0


def _is_cluster_continuation(ch: str) -> bool:
    """True when ``ch`` belongs to the grapheme cluster before it (marks, joiners, modifiers)."""
    code = ord(ch)
    return (
        unicodedata.category(ch) in ("Mn", "Mc", "Me")
        or ch == _ZWJ
        or 0xFE00 <= code <= 0xFE0F
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xE0020 <= code <= 0xE007F
    )


def _is_regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def safe_cut(text: str, limit: int) -> int:
    """An index at or before ``limit`` that does not split a grapheme cluster."""
    if limit >= len(text):
        return len(text)
    i = max(0, limit)
    while i > 0 and (_is_cluster_continuation(text[i]) or text[i - 1] == _ZWJ):
        i -= 1
    if i > 0 and _is_regional(text[i]) and _is_regional(text[i - 1]):
        run = 0
        while i - run - 1 >= 0 and _is_regional(text[i - run - 1]):
            run += 1
        if run % 2:
            i -= 1
    return i


def trim_title(text: str, limit: int = TITLE_LIMIT, trim: int = TITLE_TRIM) -> str:
    """``text`` whole when it fits in ``limit``; else cut near ``trim`` with an ellipsis.

    The cut falls on a word boundary when there is one in the second half, otherwise (CJK,
    a long URL) between grapheme clusters, so no accent or emoji is split.
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, trim + 1)
    if cut < trim // 2:
        cut = safe_cut(text, trim)
    return text[:cut].rstrip(_TRAILING_PUNCT) + "…"


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (of a useful length), or the whole first stretch."""
    head = text[:1000]
    for found in _SENTENCE_END.finditer(head):
        if found.end() >= _SENTENCE_MIN:
            return head[: found.end()]
    return head


def title_from_text(text: str) -> str:
    """A title from the start of a text: a heading line, a short first line, or the first
    sentence trimmed to a readable length. '' when the text has no words."""
    stripped = text.lstrip()
    line = stripped.split("\n", 1)[0][:2000].strip()
    heading = _HEADING_LINE.fullmatch(line)
    if heading:
        line = heading.group(2)
    if not line:
        return ""
    if len(line) <= TITLE_LIMIT:
        return visible_line(" ".join(line.split()))
    return visible_line(trim_title(first_sentence(line)))


# -- plain text ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Parsed:
    """What a format's parser gives: display text, its structure, and metadata found in it."""

    text: str
    blocks: tuple[Block, ...]
    title: str = ""
    source: str = ""
    author: str = ""
    date: str = ""
    url: str = ""
    links: tuple[str, ...] = ()
    styles: tuple[tuple[int, int, str], ...] = field(default_factory=tuple)


_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_WORD_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK = re.compile(f"[{_WORD_CJK}]")


def count_words(text: str) -> int:
    """Words for the reading time: whitespace-separated tokens, less spaced dashes; each
    CJK character counts as one (no spaces there). str.split keeps this at C speed."""
    if not text.isascii() and _CJK.search(text) is not None:
        return len(_CJK.findall(text)) + count_words(_CJK.sub(" ", text))
    dashes = sum(text.count(f" {dash} ") for dash in "-–—")
    return len(text.split()) - dashes


def _spans(text: str, separator: re.Pattern[str] | str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank piece of ``text`` between separators, trimmed."""
    pieces: list[tuple[int, int]] = []
    pos = 0
    if isinstance(separator, str):
        bounds = []
        i = text.find(separator)
        while i >= 0:
            bounds.append((i, i + len(separator)))
            i = text.find(separator, i + len(separator))
    else:
        bounds = [(m.start(), m.end()) for m in separator.finditer(text)]
    bounds.append((len(text), len(text)))
    for sep_start, sep_end in bounds:
        start, end = pos, sep_start
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            pieces.append((start, end))
        pos = sep_end
    return pieces


def parse_plain(text: str) -> Parsed:
    """Blocks of a plain-text article: blank-line separated paragraphs, or one paragraph a
    line when the file has no blank lines. A leading '# ' line is a heading."""
    text = visible(text)
    has_blank = _BLANK_LINE.search(text.strip()) is not None
    separator: re.Pattern[str] | str = _BLANK_LINE if has_blank else "\n"
    blocks: list[Block] = []
    for start, end in _spans(text, separator):
        first_line = text[start : text.find("\n", start, end) if "\n" in text[start:end] else end]
        heading = _HEADING_LINE.fullmatch(first_line) if len(first_line) < 300 else None
        if heading and first_line == text[start:end]:
            blocks.append(Block(start, end, "heading", len(heading.group(1))))
        else:
            blocks.append(Block(start, end))
    source, skip = source_prefix(text.lstrip()[:200])
    lead = len(text) - len(text.lstrip())
    title = title_from_text(text[lead + skip :])
    return Parsed(text=text, blocks=tuple(blocks), title=title, source=visible_line(source))


# -- any format ---------------------------------------------------------------------------


def parse(data: bytes, fmt: Format) -> Parsed:
    """Bytes of an article in ``fmt`` -> :class:`Parsed`. Raises :class:`Unreadable`."""
    reason = binary_reason(data[:SNIFF_BYTES])
    if reason:
        raise Unreadable(reason)
    if fmt == "html":
        if len(data) > MAX_HTML_BYTES:
            limit = MAX_HTML_BYTES // (1024 * 1024)
            raise Unreadable(f"HTML page too large to extract (the limit is {limit} MB)")
        from reader.html_text import html_to_markdown

        return _parse_markdown(html_to_markdown(data))
    text = decode(data)
    if fmt == "md" and len(data) <= MAX_MARKDOWN_BYTES:
        return _parse_markdown(text)
    return parse_plain(text)


def _parse_markdown(source: str) -> Parsed:
    from reader.markdown_text import render_markdown

    rendered = render_markdown(source)
    title = rendered.title
    source_name = rendered.source
    if not source_name and rendered.blocks:
        first = rendered.blocks[0]
        if first.kind == "paragraph":
            source_name, _ = source_prefix(rendered.text[first.start : first.end])
    if not title:
        first_text = ""
        for block in rendered.blocks:
            if block.kind in ("paragraph", "heading", "quote", "list_item"):
                first_text = rendered.text[block.start : block.end]
                break
        _, skip = source_prefix(first_text)
        title = title_from_text(first_text[skip:])
    return Parsed(
        text=rendered.text,
        blocks=rendered.blocks,
        title=visible_line(title),
        source=visible_line(source_name),
        author=visible_line(rendered.author),
        date=visible_line(rendered.date),
        url=visible_line(rendered.url),
        links=rendered.links,
        styles=rendered.styles,
    )


def fallback_title(path: Path) -> str:
    """The title of a file with no words: its name, made safe to show."""
    return visible_line(path.stem) or visible_line(path.name) or "untitled"


def meta_from(parsed: Parsed, path: Path, fmt: Format, **fields: object) -> ArticleMeta:
    """An :class:`ArticleMeta` for ``parsed``; ``fields`` fills id, size, mtime_ns, hash."""
    meta = ArticleMeta(
        id="",
        path=path,
        title=parsed.title or fallback_title(path),
        source=parsed.source,
        author=parsed.author,
        date=parsed.date,
        url=parsed.url,
        words=count_words(parsed.text),
        fmt=fmt,
    )
    return replace(meta, **fields)  # type: ignore[arg-type]


def article_from_bytes(
    data: bytes, path: Path, fmt: Format | None = None, article_id: str = "", **fields: object
) -> Article:
    """A whole :class:`Article` from a file's bytes. Raises :class:`Unreadable`."""
    if len(data) > MAX_ARTICLE_BYTES:
        raise Unreadable(too_large(len(data)))
    fmt = fmt or format_of(path) or "txt"
    parsed = parse(data, fmt)
    fields.setdefault("size", len(data))
    fields.setdefault("content_hash", content_hash(data))
    meta = meta_from(parsed, path, fmt, id=article_id, **fields)
    return Article(
        meta=meta,
        text=parsed.text,
        blocks=parsed.blocks,
        links=parsed.links,
        styles=parsed.styles,
    )


def too_large(size: int) -> str:
    mb = 1024 * 1024
    return f"too large ({size / mb:.0f} MB; the limit is {MAX_ARTICLE_BYTES // mb} MB)"
