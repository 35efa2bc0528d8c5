"""The spaCy adapter, with a blank pipeline and an entity ruler (no model download)."""

from __future__ import annotations

import pytest

from reader.entities.spacy_backend import LABEL_MAP, SpacyMissing, finder_for, spacy_finder

spacy = pytest.importorskip("spacy", reason="spaCy is an optional extra")


@pytest.fixture(scope="module")
def finder():  # type: ignore[no-untyped-def]
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PERSON", "pattern": "Bashar Assad"},
            {"label": "GPE", "pattern": "Homs"},
            {"label": "ORG", "pattern": [{"LOWER": "the"}, {"TEXT": "Pentagon"}]},
            {"label": "NORP", "pattern": "Syrian"},
            {"label": "TIME", "pattern": "10 a.m."},
            {"label": "MONEY", "pattern": "$5 million"},
            {"label": "EVENT", "pattern": "Arab Spring"},
        ]
    )
    return finder_for(nlp)


def test_labels_are_mapped(finder) -> None:  # type: ignore[no-untyped-def]
    text = "Syrian forces in Homs met Bashar Assad and the Pentagon at 10 a.m. for $5 million."
    got = {text[s.start : s.end]: (s.label, s.fine) for s in finder(text)}
    assert got == {
        "Syrian": ("GROUP", ""),
        "Homs": ("PLACE", ""),
        "Bashar Assad": ("PERSON", ""),
        "Pentagon": ("ORG", ""),
        "10 a.m.": ("DATE", "TIME"),
        "$5 million": ("NUMBER", "MONEY"),
    }


def test_unmapped_labels_are_dropped(finder) -> None:  # type: ignore[no-untyped-def]
    assert finder("After the Arab Spring.") == []


def test_results_are_cached(finder) -> None:  # type: ignore[no-untyped-def]
    text = "Homs and Homs."
    assert finder(text) == finder(text)


def test_label_map_covers_the_numeric_labels() -> None:
    assert {v for v in LABEL_MAP.values() if v[0] == "NUMBER"} == {
        ("NUMBER", f) for f in ("CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY")
    }


def test_missing_model_says_how_to_install() -> None:
    with pytest.raises(SpacyMissing, match="not installed"):
        spacy_finder("no_such_model_xyz")
