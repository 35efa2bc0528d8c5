"""The engine's fast paths give what the plain forms they replace would give."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.entities import lexicon as lx
from reader.entities import names, numeric, patterns
from reader.entities.engine import extract

_PIECES = [
    *("al-Assad", "Al-Nusra", "ash-Sham", "bin", "ibn-Saud", "abu-Bakr", "el-Sisi", "Bashar"),
    *("of", "the", "of the", "and", "and the", "&", "de", "van", "Gen.", "Mrs.", "U.S.", "A."),
    *("O'Brien", "D’Souza", "Pro-Russian", "X-1", "“Tex”", '"Tex"', "İstanbul", "Émile", "x"),
    *("May", "may", "Ramadan", "ramadan", "RAMADAN", "Eid", "al-Fitr", "Al-Fitr", "Christmas"),
    *("eve", "Eve", "New", "Year's", "Day", "day", "2016", "5", "1,500", "$5", "US$", "USD"),
    *("million", "%", "percent", "over", "some", "the past", "24", "hours", "Monday", "DEC."),
    *("10", "am", "p.m.", "GMT", "36°N", "40°E", "km", "MHz", "ago", "a few", "weeks"),
    *(".", ",", ";", ":", "!", "?", "-", " - ", "(", ")", "[", "\n", "\t", "•", "|", "‘", "'"),
]
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=14).map(" ".join) | st.lists(
    st.sampled_from(_PIECES), max_size=14
).map("".join)


def _chunks_plain(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in names._CHUNK.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_chunk_spans_are_those_of_the_one_regex(text: str) -> None:
    assert names._chunk_spans(text) == _chunks_plain(text)


_PLAIN_LEAD = re.compile(rf"(?<![\w.,$£€/-])(?=[\d$£€-]|{numeric._TRIE}\b)")


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_leads_are_those_of_the_unicode_class(text: str) -> None:
    for variant in (text, text.replace(" ", "é"), text.replace(" ", "٣"), text.replace(" ", "“")):
        low = numeric.lower_same_length(variant)
        assert list(numeric._leads(low)) == [m.start() for m in _PLAIN_LEAD.finditer(low)]


def _figures_lowered(text: str) -> list[tuple[int, int, str]]:
    return [(s, e, label) for s, e, label, _ in numeric.find_figures(text)]


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_lowered_grammar_matches_the_case_insensitive_one(text: str) -> None:
    low = numeric.lower_same_length(text)
    lowered, written = numeric._grammar(), numeric._grammar_as_written()
    for start in numeric._leads(low):
        a, b = lowered.match(low, start), written.match(text, start)
        if a is not None and numeric._HOLIDAY_LOWERED.fullmatch(low, start, a.end()):
            continue  # holiday names count only as written: find_figures checks them apart
        assert (a and (a.end(), a.lastgroup)) == (b and (b.end(), b.lastgroup))


def test_holiday_names_count_only_as_written() -> None:
    assert [t[:2] for t in _figures_lowered("in Ramadan and at Christmas Eve")] == [
        (3, 10),
        (18, 31),
    ]
    assert _figures_lowered("ramadan, christmas eve") == []
    text = "on Eid Al-Fitr"
    assert [text[s:e] for s, e, _ in _figures_lowered(text)] == ["Eid"]


def test_lowering_keeps_offsets() -> None:
    text = "İstanbul, 5 May 2016"  # "İ".lower() is two characters
    low = numeric.lower_same_length(text)
    assert len(low) == len(text)
    assert [text[s:e] for s, e, _, _ in numeric.find_figures(text)] == ["5 May 2016"]


@pytest.mark.parametrize(
    "name",
    ["places.txt", "countries.txt", "regions.txt", "given_names.txt", "surnames.txt", "groups.txt"],
)
def test_sorted_keys_answer_as_a_set_would(name: str) -> None:
    data = (Path(lx.__file__).parent / "data" / name).read_text("utf-8")
    plain = frozenset(data.splitlines())
    sorted_keys = lx.SortedKeys(data.encode("utf-8"))
    probes = [
        *plain,
        *(k[:-1] for k in plain),
        *(k + "x" for k in plain),
        *(k + " " for k in plain),
        *("a" + k for k in plain),
        *("", "\ud800", "\x00", "\U0010ffff", "zzzz", min(plain) + "\n" + max(plain)),
    ]
    assert [k for k in probes if (k in plain) != (k in sorted_keys)] == []


def test_sorted_keys_on_small_lists() -> None:
    small = lx.SortedKeys(b"alpha\nbeta\nbetb\ngamma\n")
    assert [k in small for k in ("alpha", "betb", "gamma", "b", "delta", "", "beta\nbetb")] == [
        *(True, True, True),
        *(False, False, False, False),
    ]
    assert "b" in lx.SortedKeys(b"a\nb") and "a" not in lx.SortedKeys(b"")
    assert 3 not in small


def test_sorted_keys_hold_the_places_as_bytes() -> None:
    places = lx.places()
    assert "damascus" in places
    # a set of 60,000 strings held about 6 MB; the bytes and a sample of keys about 0.7 MB
    held = sys.getsizeof(places._data) + sum(map(sys.getsizeof, places._samples))
    assert held < 1_000_000


def test_results_do_not_depend_on_what_came_before() -> None:
    texts = [
        "Assad said on Monday that over 1,500 troops had reached Homs.",
        "The Syrian Democratic Forces (SDF) took Raqqa. SDF fighters then left.",
        "In Homs, Talal al-Barazi met reporters; al-Barrazi said the camp would close.",
        "Reuters reported that Ellwood said the Ministry of Defence had denied it.",
    ]
    for plans in names._plans:
        plans.clear()
    forward = [extract(t) for t in texts]
    for plans in names._plans:
        plans.clear()
    backward = [extract(t) for t in reversed(texts)][::-1]
    assert forward == backward
    assert [extract(t) for t in texts] == forward  # and with every plan already made


def test_stored_programs_compile_like_re() -> None:
    pattern, flags = r"(?P<word>[a-z]+)(?:\s+(?P=word))?", re.IGNORECASE
    ours, plain = patterns.compile(pattern, flags), re.compile(pattern, flags)
    for text in ("Echo echo", "one two", "", "ÀÀ àà"):
        a, b = ours.match(text), plain.match(text)
        assert (a and (a.span(), a.groupdict())) == (b and (b.span(), b.groupdict()))
    assert ours.groupindex == plain.groupindex
    assert ours.flags == plain.flags


def test_unreadable_store_falls_back_to_compiling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "patterns.bin"
    bad.write_bytes(b"not a program")
    monkeypatch.setattr(patterns, "CACHE_FILE", bad)
    monkeypatch.setattr(patterns, "_programs", None)
    assert patterns.compile(r"\d+").findall("a 12 b 3") == ["12", "3"]


def test_store_holds_every_pattern_for_this_python() -> None:
    """Fails after a pattern is edited: run ``scripts/build_entity_data.py --patterns``."""
    if patterns.CACHE_FILE is None or not patterns.CACHE_FILE.exists():
        pytest.skip("no stored programs for this Python")
    code = (
        "import json, reader.entities as e\n"
        "from reader.entities import numeric, patterns\n"
        "e.find_entities('Gen. Ann al-Barazi said on Monday, 5 May 2016, 3 km.')\n"
        "numeric.warm()\n"
        "print(json.dumps([p for p, _ in patterns.missed]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_first_result_needs_no_fuzzy_matcher_nor_openssl() -> None:
    code = (
        "import sys, reader.entities as e\n"
        "e.find_entities('President Bashar Assad met officials in Damascus on Monday.')\n"
        "print(sorted(m for m in ('rapidfuzz', '_hashlib', 'importlib.resources')"
        " if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
