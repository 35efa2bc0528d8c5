"""reader note / tag / backup / restore / doctor, through the real command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.__main__ import main

ARTICLE = "# The Siege of Homs\n\nThe siege of Homs lasted from 2011 to 2014. It was “long”.\n"


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    library = tmp_path / "library"
    library.mkdir()
    (library / "homs.md").write_text(ARTICLE, encoding="utf-8")
    db = tmp_path / "db" / "annotations.json"
    base = ["--db", str(db), "--library", str(library), "--no-seeds"]

    def run(*args: str) -> tuple[int, str, str]:
        code = main([*base, *args])
        out, err = capsys.readouterr()
        return code, out, err

    run.db = db  # type: ignore[attr-defined]
    run.library = library  # type: ignore[attr-defined]
    return run


def test_note_add_list_edit_rm(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli(
        "note", "add", "Siege of Homs", "dates differ", "--quote", "LASTED  from 2011"
    )
    assert code == 0 and "added note" in out
    code, out, _ = cli("note", "add", "homs", "whole article", "--tag", "#Check")
    assert code == 0
    code, out, _ = cli("note", "list", "--json")
    notes = json.loads(out)
    assert [n["quote"] for n in notes] == [None, "lasted from 2011"]
    assert notes[1]["orphaned"] is False and notes[0]["tags"] == ["check"]
    assert notes[1]["article_title"] == "The Siege of Homs"
    first = notes[1]["id"]
    code, out, _ = cli("note", "list")
    assert "“lasted from 2011”" in out and "dates differ" in out and "(whole article)" in out
    assert cli("note", "edit", first[:6], "edited")[0] == 0
    assert cli("note", "rm", notes[0]["id"])[0] == 0
    code, out, _ = cli("note", "list", "homs", "--json")
    assert [n["text"] for n in json.loads(out)] == ["edited"]


def test_orphaned_note_is_marked(cli) -> None:  # type: ignore[no-untyped-def]
    cli("note", "add", "homs", "on a passage", "--quote", "from 2011 to 2014")
    (cli.library / "homs.md").write_text(  # type: ignore[attr-defined]
        "# The Siege of Homs\n\nA rewritten article about something else entirely.\n",
        encoding="utf-8",
    )
    code, out, _ = cli("note", "list")
    assert code == 0 and "[orphaned" in out and "on a passage" in out


def test_errors_are_plain_messages(cli) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("note", "add", "homs", "x", "--quote", "not in the text")
    assert code != 0 and "not in" in err and "Traceback" not in err
    code, _, err = cli("note", "rm", "ffffffff")
    assert code != 0 and "no note" in err
    code, _, err = cli("tag", "add", "homs", "two words")
    assert code != 0 and "whitespace" in err


def test_control_characters_are_shown_visibly(cli) -> None:  # type: ignore[no-untyped-def]
    cli("note", "add", "homs", "evil \x1b]52;c;aGk=\x07 text")
    _, out, _ = cli("note", "list")
    assert "\x1b" not in out and "\x07" not in out and "evil" in out
    _, out, _ = cli("note", "list", "--json")
    assert "\\u001b" in out


def test_tags(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("tag", "add", "homs", "#History", "war")
    assert code == 0 and "#history #war" in out
    cli("tag", "rm", "homs", "WAR")
    code, out, _ = cli("tag", "list", "--json")
    assert json.loads(out) == [{"tag": "history", "articles": 1}]


def test_backup_restore_doctor(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("note", "add", "homs", "keep me")
    cli("tag", "add", "homs", "saved")
    target = tmp_path / "backup.json"
    code, out, _ = cli("backup", "-o", str(target))
    assert code == 0 and "1 notes" in out
    assert json.loads(target.read_text())["format"] == "reader-backup"
    cli.db.unlink()  # type: ignore[attr-defined]
    code, out, _ = cli("restore", str(target))
    assert code == 0 and "notes: 1 added" in out
    code, out, _ = cli("note", "list", "--json")
    assert [n["text"] for n in json.loads(out)] == ["keep me"]
    code, out, _ = cli("doctor")
    assert code == 0 and "status: ok" in out

    cli.db.write_text("{broken")  # type: ignore[attr-defined]
    code, _, err = cli("note", "list")
    assert code != 0 and "reader doctor" in err and "line 1" in err
    code, out, _ = cli("doctor", "--check")
    assert code == 1 and "damaged" in out
    code, out, _ = cli("doctor")
    assert code == 0 and "recovered" in out


def test_note_list_lists_notes_of_an_article_it_cannot_read_now(  # type: ignore[no-untyped-def]
    cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("note", "add", "homs", "on a passage", "--quote", "from 2011 to 2014")
    from reader.workspace import Workspace

    def unreadable(self: Workspace, meta: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Workspace, "load", unreadable)
    code, out, _ = cli("note", "list", "--json")
    [note] = json.loads(out)
    assert code == 0 and note["text"] == "on a passage" and note["quote"] == "from 2011 to 2014"
    assert note["article_title"] == "The Siege of Homs"
