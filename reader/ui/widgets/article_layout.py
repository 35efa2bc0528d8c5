"""Line layout of an article: which slice of the text sits on which screen line.

The layout stores offsets only (never text or styles), so 100,000 words lay out in a few
milliseconds: a line is found with ``str.rfind`` on the block text, not word by word, and
styling happens later, for the visible lines only. Blocks are wrapped on demand and the
line index grows as far as someone asks for; the total height is known once every block
has been measured, which :meth:`ArticleLayout.complete` does in one fast pass.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from rich.cells import cell_len

from reader.articles import safe_cut
from reader.models import Article, Block

#: Columns of decoration before a block's text (quote bar, code indent).
PREFIX_WIDTH = {"quote": 2, "code": 2}
#: A list item's marker as the display text has it ("• ", "  1. ", "[2] "): continuation
#: lines hang under the text after it.
_LIST_MARKER = re.compile(r"\s*(?:[•◦▪‣*+-]|\d+[.)]|\[\d+\]|[a-zA-Z][.)])\s+")


@dataclass(frozen=True, slots=True)
class Line:
    """One screen line: ``text[start:end]`` of block ``block``; block -1 is a blank gap."""

    block: int
    start: int
    end: int
    first: bool = False


def block_indent(block: Block, text: str = "", first: bool = True) -> int:
    """Columns before the block's text on a line: its first line, or the ones after."""
    if block.kind == "list_item":
        if first or not text:
            return 0
        marker = _LIST_MARKER.match(text, block.start, block.end)
        return min(12, marker.end() - block.start) if marker else 0
    return PREFIX_WIDTH.get(block.kind, 0)


def wrap(text: str, start: int, end: int, width: int, hard: bool = False) -> list[tuple[int, int]]:
    """Greedy word wrap of ``text[start:end]`` into (start, end) offsets of lines.

    Line breaks in the text are kept; ``hard`` cuts at the width without looking for a
    space (code). A word longer than the width is cut. Spaces at a break are dropped from
    both lines, so every line starts at a visible character.
    """
    width = max(1, width)
    out: list[tuple[int, int]] = []
    pos = start
    while True:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        _wrap_line(text, pos, stop, width, hard, out)
        if nl < 0:
            break
        pos = nl + 1
    return out


def _fit(text: str, pos: int, stop: int, width: int) -> int:
    """Largest ``cut`` with ``text[pos:cut]`` at most ``width`` cells (at least one
    character cluster), never inside a cluster: an accent, a ZWJ emoji or a flag stays whole.
    """
    cut = min(stop, pos + width)
    chunk = text[pos:cut]
    if chunk.isascii() and (cut >= stop or text[cut].isascii()):
        return cut
    if cell_len(chunk) > width:
        cells = 0
        for i in range(pos, stop):
            cells += cell_len(text[i])
            if cells > width:
                cut = max(pos + 1, i)
                break
    return _cluster_start(text, pos, cut, stop)


def _cluster_start(text: str, pos: int, cut: int, stop: int) -> int:
    """``cut`` moved back to the start of the cluster it falls in; forward past it when that
    cluster is the first on the line (a cluster wider than the line goes whole)."""
    if cut >= stop:
        return stop
    back = safe_cut(text, cut)
    if back > pos:
        return back
    while cut < stop and safe_cut(text, cut) != cut:
        cut += 1
    return cut


def _wrap_line(
    text: str, pos: int, stop: int, width: int, hard: bool, out: list[tuple[int, int]]
) -> None:
    if pos >= stop:
        out.append((pos, pos))
        return
    while pos < stop:
        cut = _fit(text, pos, stop, width)
        if cut >= stop:
            out.append((pos, stop))
            return
        if hard:
            out.append((pos, cut))
            pos = cut
            continue
        space = text.rfind(" ", pos, cut + 1)
        if space > pos:
            line_end = space
            while line_end > pos and text[line_end - 1] == " ":
                line_end -= 1
            out.append((pos, line_end))
            pos = space + 1
        else:
            out.append((pos, cut))
            pos = cut
        while pos < stop and text[pos] == " ":
            pos += 1


class ArticleLayout:
    """Wrapped lines of one article at one width, built block by block as needed."""

    def __init__(self, article: Article, width: int) -> None:
        self.article = article
        self.width = max(8, width)
        self.lines: list[Line] = []
        #: Index of each laid-out block's first line.
        self.block_line: list[int] = []
        blocks = article.blocks
        self._blocks = blocks
        self._estimate_per_line = max(1, self.width - 4)
        #: Characters of all blocks, for the height estimate of the part not laid out yet.
        self._remaining_chars = sum(b.end - b.start for b in blocks)

    @property
    def done(self) -> bool:
        return len(self.block_line) >= len(self._blocks)

    def height(self) -> int:
        """Lines laid out so far plus an estimate for the rest (exact once :attr:`done`)."""
        if self.done:
            return len(self.lines)
        pending = len(self._blocks) - len(self.block_line)
        estimate = self._remaining_chars // self._estimate_per_line + 2 * pending
        return len(self.lines) + estimate

    def extend_to_line(self, y: int) -> None:
        """Lay out blocks until line ``y`` exists (or the article ends)."""
        while len(self.lines) <= y and not self.done:
            self._layout_next()

    def extend_to_block(self, index: int) -> None:
        while len(self.block_line) <= index and not self.done:
            self._layout_next()

    def complete(self) -> None:
        while not self.done:
            self._layout_next()

    def _layout_next(self) -> None:
        index = len(self.block_line)
        block = self._blocks[index]
        if index > 0 and not (
            block.kind == "list_item" and self._blocks[index - 1].kind == "list_item"
        ):
            gap_at = block.start
            self.lines.append(Line(-1, gap_at, gap_at))
        self.block_line.append(len(self.lines))
        width = max(4, self.width - block_indent(block, self.article.text, first=False))
        text = self.article.text
        first = True
        for start, end in wrap(text, block.start, block.end, width, hard=block.kind == "code"):
            self.lines.append(Line(index, start, end, first))
            first = False
        self._remaining_chars -= block.end - block.start

    def block_lines(self, index: int) -> tuple[int, int]:
        """First line and one past the last line of block ``index``."""
        self.extend_to_block(index + 1)
        first = self.block_line[index]
        last = self.block_line[index + 1] if index + 1 < len(self.block_line) else len(self.lines)
        while last > first and self.lines[last - 1].block != index:
            last -= 1
        return first, max(first + 1, last)

    def line_of(self, offset: int) -> int:
        """Screen line showing the character at ``offset``."""
        if not self._blocks:
            return 0
        index = self.article.block_at(offset)
        first, last = self.block_lines(index)
        starts = [self.lines[i].start for i in range(first, last)]
        return first + max(0, bisect_right(starts, offset) - 1)
