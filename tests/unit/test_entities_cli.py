"""``reader entities``: the JSON-lines filter and the readable table."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli.entities import EntitiesUsage, render_table, tag_lines
from reader.entities import find_entities

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("READER_SHARED") or ROOT.parent / "shared")


def test_tag_lines_streams_in_order() -> None:
    lines = [{"id": str(i), "text": f"Talks in Geneva on Monday, round {i}."} for i in range(50)]
    source = io.StringIO("".join(json.dumps(x) + "\n" for x in lines) + "\n")
    sink = io.StringIO()
    assert tag_lines(source, sink, find_entities) == 0
    out = [json.loads(x) for x in sink.getvalue().splitlines()]
    assert [o["id"] for o in out] == [str(i) for i in range(50)]
    first = {(e["text"], e["label"], e["fine"]) for e in out[0]["entities"]}
    assert ("Geneva", "PLACE", "") in first
    assert ("Monday", "DATE", "DATE") in first


def test_tag_lines_rejects_bad_input() -> None:
    with pytest.raises(EntitiesUsage, match="line 1"):
        tag_lines(io.StringIO("not json\n"), io.StringIO(), find_entities)


def test_table_groups_variants() -> None:
    text = "Talal al-Barazi spoke. Later al-Barazi and al-Barrazi spoke in Homs."
    table = render_table(text, find_entities(text), "Title")
    assert "PERSON (3)" in table
    assert "Talal al-Barazi  (also: al-Barazi, al-Barrazi)" in table
    assert "PLACE (1)" in table


def test_module_filter_runs_without_the_library() -> None:
    payload = json.dumps({"id": "a", "text": "Over 1,500 people left Homs."}) + "\n"
    proc = subprocess.run(
        [sys.executable, "-m", "reader.entities"],
        input=payload,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    out = json.loads(proc.stdout)
    assert out["id"] == "a"
    assert {(e["text"], e["label"]) for e in out["entities"]} == {
        ("Over 1,500", "NUMBER"),
        ("Homs", "PLACE"),
    }


@pytest.mark.skipif(
    not (SHARED / "corpus" / "dev.jsonl").exists(),
    reason=f"the shared corpus is absent ({SHARED}); set READER_SHARED to run this",
)
def test_dev_corpus_round_trip() -> None:
    docs = [json.loads(x) for x in (SHARED / "corpus" / "dev.jsonl").open(encoding="utf-8")]
    source = io.StringIO(
        "".join(json.dumps({"id": d["id"], "text": d["text"]}) + "\n" for d in docs)
    )
    sink = io.StringIO()
    tag_lines(source, sink, find_entities)
    out = [json.loads(x) for x in sink.getvalue().splitlines()]
    assert [o["id"] for o in out] == [d["id"] for d in docs]
    for doc, pred in zip(docs, out, strict=True):
        for e in pred["entities"]:
            assert doc["text"][e["start"] : e["end"]] == e["text"]
