"""The built-in entity engine on the seed article and on small texts."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from reader.entities import cache_clear, find_entities, get_finder
from reader.models import FINE_LABELS, LABELS, EntitySpan

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_28f3cce3a5980af7.txt"


@pytest.fixture(scope="module")
def seed() -> tuple[str, list[EntitySpan]]:
    text = SEED.read_text(encoding="utf-8")
    return text, find_entities(text)


def found(text: str, spans: list[EntitySpan]) -> dict[str, set[tuple[str, str]]]:
    out: dict[str, set[tuple[str, str]]] = {}
    for s in spans:
        out.setdefault(text[s.start : s.end], set()).add((s.label, s.fine))
    return out


@pytest.mark.parametrize(
    ("surface", "label", "fine"),
    [
        ("Talal al-Barazi", "PERSON", ""),
        ("Bashar Assad", "PERSON", ""),
        ("Homs", "PLACE", ""),
        ("Damascus", "PLACE", ""),
        ("al-Waer", "PLACE", ""),
        ("SANA", "ORG", ""),
        ("Reuters", "ORG", ""),
        ("Russian Reconciliation Center", "ORG", ""),
        ("Syrian", "GROUP", ""),
        ("over 1,500", "NUMBER", "CARDINAL"),
        ("some 75,000", "NUMBER", "CARDINAL"),
        ("first", "NUMBER", "ORDINAL"),
        ("around six weeks", "DATE", "DATE"),
        ("earlier this week", "DATE", "DATE"),
        ("Earlier this week", "DATE", "DATE"),
        ("2013", "DATE", "DATE"),
        ("Saturday", "DATE", "DATE"),
        ("last year", "DATE", "DATE"),
    ],
)
def test_seed_names_and_figures(
    seed: tuple[str, list[EntitySpan]], surface: str, label: str, fine: str
) -> None:
    text, spans = seed
    assert found(text, spans).get(surface) == {(label, fine)}


def test_seed_short_forms_and_spellings_share_the_full_name(
    seed: tuple[str, list[EntitySpan]],
) -> None:
    text, spans = seed
    keys = {text[s.start : s.end]: s.key for s in spans if s.label == "PERSON"}
    assert keys["al-Barazi"] == "Talal al-Barazi"
    assert keys["al-Barrazi"] == "Talal al-Barazi"
    assert keys["Assad"] == "Bashar Assad"


def test_seed_same_name_same_label(seed: tuple[str, list[EntitySpan]]) -> None:
    text, spans = seed
    labels: dict[str, set[str]] = {}
    for s in spans:
        labels.setdefault(text[s.start : s.end], set()).add(s.label)
    assert all(len(v) == 1 for v in labels.values()), labels


def test_titles_and_the_stay_outside_names() -> None:
    text = "The Foreign Secretary Boris Johnson met Gen. Joseph Votel in Baghdad on Monday."
    got = found(text, find_entities(text))
    assert ("PERSON", "") in got["Boris Johnson"]
    assert ("PERSON", "") in got["Joseph Votel"]
    assert got["Baghdad"] == {("PLACE", "")}
    assert got["Monday"] == {("DATE", "DATE")}
    assert "Foreign Secretary" not in got


def test_organisation_cues_and_acronyms() -> None:
    text = (
        "The Syrian Democratic Forces (SDF) and the Ministry of Defence said the "
        "Islamic State had lost ground. SDF fighters advanced."
    )
    spans = find_entities(text)
    got = found(text, spans)
    assert got["Syrian Democratic Forces"] == {("ORG", "")}
    assert got["Ministry of Defence"] == {("ORG", "")}
    assert got["Islamic State"] == {("ORG", "")}
    assert {s.key for s in spans if text[s.start : s.end] == "SDF"} == {"Syrian Democratic Forces"}


@pytest.mark.parametrize(
    ("text", "surface", "fine"),
    [
        ("Aid worth up to $1 billion was pledged.", "up to $1 billion", "MONEY"),
        ("Prices rose 15 to 20 percent in a year.", "15 to 20 percent", "PERCENT"),
        ("They took more than 700 square miles.", "more than 700 square miles", "QUANTITY"),
        ("It was the 93rd anniversary.", "93rd", "ORDINAL"),
        ("More than five million people fled.", "More than five million", "CARDINAL"),
    ],
)
def test_figures(text: str, surface: str, fine: str) -> None:
    assert found(text, find_entities(text))[surface] == {("NUMBER", fine)}


@pytest.mark.parametrize(
    ("text", "surface", "fine"),
    [
        ("The call starts at 10 a.m. Nov. 29, 2016.", "10 a.m.", "TIME"),
        ("The call starts at 10 a.m. Nov. 29, 2016.", "Nov. 29, 2016", "DATE"),
        ("Strikes in the past 24 hours hit targets.", "the past 24 hours", "TIME"),
        ("The war of 1980-88 ended.", "1980-88", "DATE"),
        ("The talks began on 10 December in Paris.", "10 December", "DATE"),
    ],
)
def test_dates(text: str, surface: str, fine: str) -> None:
    assert found(text, find_entities(text))[surface] == {("DATE", fine)}


def test_spans_sorted_disjoint_and_labelled(seed: tuple[str, list[EntitySpan]]) -> None:
    text, spans = seed
    for a, b in pairwise(spans):
        assert a.end <= b.start
    for s in spans:
        assert 0 <= s.start < s.end <= len(text)
        assert s.label in LABELS
        assert s.key
        assert (s.fine in FINE_LABELS) if s.label in ("DATE", "NUMBER") else s.fine == ""


def test_results_are_cached_by_content() -> None:
    cache_clear()
    text = "Kurds in Kobane met the United Nations envoy on Friday."
    first = find_entities(text)
    again = find_entities(text)
    assert first == again
    assert first is not again  # callers get their own list
    again.clear()
    assert find_entities(text) == first


def test_empty_and_plain_text() -> None:
    assert find_entities("") == []
    assert find_entities("nothing here at all") == []


def test_get_finder_names() -> None:
    assert get_finder("builtin") is find_entities
    with pytest.raises(ValueError, match="unknown entity finder"):
        get_finder("nonsense")


def test_engine_never_imports_textual() -> None:
    import subprocess
    import sys

    code = (
        "import sys, reader.entities as e; e.find_entities('Homs'); print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_date_opening_a_sentence_is_the_same_entity_as_its_lower_case_spelling() -> None:
    text = (
        "Earlier this week the army moved north. Officials said earlier this week that "
        "the talks had failed."
    )
    dates = [s for s in find_entities(text) if s.label == "DATE"]
    assert [text[s.start : s.end] for s in dates] == ["Earlier this week", "earlier this week"]
    assert {s.key for s in dates} == {"Earlier this week"}
