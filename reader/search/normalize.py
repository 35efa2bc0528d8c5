"""Folding and word splitting that keep offsets: a folded string indexes like the original.

rapidfuzz's ``default_process`` trims and may change lengths, which would make match
offsets useless for highlighting; these helpers map one code point to one code point.
"""

from __future__ import annotations

import re
from itertools import accumulate, compress, count
from operator import add

from rapidfuzz.utils import default_process

#: Everything that is not a letter or a digit; replaced by a space, one for one.
_NON_ALNUM = re.compile(r"[\W_]")
#: A word: a run of letters and digits.
WORD = re.compile(r"[^\W_]+")
_SPLIT = re.compile(r"([^\W_]+)")


def fold(text: str) -> str:
    """Lower-case ``text`` one code point for one, so offsets stay valid."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(lc if len(lc := c.lower()) == 1 else c for c in text)


#: Distinct non-word characters :func:`proc` replaces one ``str.replace`` each; past this
#: many (a text of symbols, say) one regular-expression pass costs less.
REPLACE_AT_MOST = 48


def proc(text: str) -> str:
    r"""Lower case with punctuation as spaces, same length as ``text``.

    Like ``default_process`` except that nothing is trimmed, so an offset into the result
    is an offset into ``text``. A text holds few distinct punctuation marks, and one
    ``str.replace`` pass for each is two to three times quicker than a regular expression
    replacing them one match at a time (``[^\W_]`` is ``str.isalnum``).
    """
    low = fold(text)
    marks = [c for c in set(low) if not c.isalnum() and c != " "]
    if len(marks) > REPLACE_AT_MOST:
        return _NON_ALNUM.sub(" ", low)
    for mark in marks:
        low = low.replace(mark, " ")
    return low


def process(text: str) -> str:
    """rapidfuzz's ``default_process``: lower case, punctuation to spaces, trimmed."""
    return default_process(text)


#: ASCII letters and digits to lower case, everything else to a space.
_ASCII_WORDS = str.maketrans(
    {chr(i): (chr(i).lower() if chr(i).isalnum() else " ") for i in range(128)}
)


def tokens(text: str) -> list[str]:
    """The lower-case words of ``text``.

    ASCII text (most articles) goes through ``str.translate`` and ``split``, several times
    faster than a Unicode regex; the result is the same.
    """
    if text.isascii():
        return text.translate(_ASCII_WORDS).split()
    return WORD.findall(fold(text))


#: ``_ASCII_WORDS`` that keeps NUL, the separator of :func:`joined_words`.
_ASCII_WORDS_NUL = str.maketrans({**_ASCII_WORDS, 0: "\x00"})


def joined_words(texts: list[str]) -> list[str]:
    """``" ".join(tokens(t))`` for each of ``texts``.

    The plain ASCII ones are joined and translated in one C call rather than one Python
    call each: the jump box does this for a few hundred strings per keystroke.
    """
    out = [""] * len(texts)
    plain = [i for i, t in enumerate(texts) if t.isascii() and "\x00" not in t]
    if plain:
        parts = "\x00".join([texts[i] for i in plain]).translate(_ASCII_WORDS_NUL).split("\x00")
        for i, part in zip(plain, parts, strict=True):
            out[i] = " ".join(part.split())
    if len(plain) < len(texts):
        done = set(plain)
        for i, text in enumerate(texts):
            if i not in done:
                out[i] = " ".join(tokens(text))
    return out


def split_words(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """The words of ``text`` and the start and end of each.

    Splitting and summing lengths runs in C; ``finditer`` with a match object per word is
    several times slower on a long article.
    """
    parts = _SPLIT.split(text)
    ends = list(accumulate(map(len, parts)))
    return parts[1::2], list(zip(ends[0::2], ends[1::2], strict=False))


def word_starts(text: str) -> tuple[list[str], list[int]]:
    """The words of :func:`proc`'s output and where each starts.

    Such text holds words and spaces only, so ``split(" ")`` finds the words (an
    empty part for each extra space) and each part starts one past the end of the one
    before: sums, ``map`` and ``compress``, all in C.
    """
    parts = text.split(" ")
    starts = map(add, accumulate(map(len, parts), initial=0), count())
    return list(filter(None, parts)), list(compress(starts, parts))


def word_spans(text: str) -> list[tuple[int, int]]:
    """Start and end of each word of ``text``."""
    return split_words(text)[1]
