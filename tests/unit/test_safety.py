"""Control characters never reach the terminal, and offsets never move."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from reader.safety import BIDI_CONTROLS, is_unsafe, visible, visible_line


def _has_control(text: str, allow: str = "\n\t") -> bool:
    return any(
        (unicodedata.category(ch) in ("Cc", "Cs") and ch not in allow) or ch in BIDI_CONTROLS
        for ch in text
    )


def test_escape_sequences_become_visible() -> None:
    hostile = "a\x1b[31mred\x1b[0m \x1b]52;c;aGVsbG8=\x07 \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"
    shown = visible(hostile)
    assert "\x1b" not in shown
    assert "\x07" not in shown
    assert shown.count("\u241b") == hostile.count("\x1b")
    assert len(shown) == len(hostile)


def test_c0_map_to_control_pictures_del_and_c1_to_symbols() -> None:
    assert visible("\x00\x01\x1f") == "\u2400\u2401\u241f"
    assert visible("\x7f") == "\u2421"
    assert visible("\x85\x9b") == "\ufffd\ufffd"


def test_newline_and_tab_kept_in_text_but_not_in_lines() -> None:
    assert visible("a\nb\tc") == "a\nb\tc"
    assert visible_line("a\nb\tc") == "a\u2424b\u2409c"


def test_bidi_overrides_replaced_but_joiners_kept() -> None:
    text = "abc\u202edef\u2066x\u2069 \u200d\u200c \u200f"
    shown = visible(text)
    assert "\u202e" not in shown and "\u2066" not in shown and "\u2069" not in shown
    assert "\u200d" in shown and "\u200c" in shown and "\u200f" in shown


def test_markup_like_text_is_untouched() -> None:
    text = "[bold red]x[/] [@click=app.quit]y[/]"
    assert visible(text) == text
    assert visible_line(text) == text


def test_ordinary_text_is_returned_unchanged() -> None:
    text = "Homs’ governor — 東京 👩‍👩‍👧 مرحبا e\u0301"
    assert visible(text) is text


def test_is_unsafe() -> None:
    assert is_unsafe("\x1b")
    assert not is_unsafe("\n")
    assert not is_unsafe("a")


@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF)))
def test_visible_has_no_controls_and_same_length(text: str) -> None:
    shown = visible(text)
    assert len(shown) == len(text)
    assert not _has_control(shown)
    for a, b in zip(text, shown, strict=True):
        if a in "\n\t" or not is_unsafe(a):
            assert a == b


@given(st.text())
def test_visible_line_is_one_line(text: str) -> None:
    shown = visible_line(text)
    assert len(shown) == len(text)
    assert not _has_control(shown, allow="")
    assert "\n" not in shown and "\t" not in shown
