"""What an export includes, and the ``--since`` rule for which notes count as changed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from reader.models import PlacedNote


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """Switches for the optional parts of an export. The defaults give notes only.

    ``wikilinks`` implies ``entities``: links are how the entity list is written.
    ``since`` keeps only notes created or updated at or after that moment.
    """

    entities: bool = False
    wikilinks: bool = False
    figures: bool = False
    since: datetime | None = None
    #: Characters of context shown on each side of a figure.
    figure_width: int = 60

    @property
    def show_entities(self) -> bool:
        return self.entities or self.wikilinks


def parse_since(text: str) -> datetime:
    """A ``--since`` value: a date (``2024-05-01``) or an ISO time; local time if no zone.

    Raises ValueError with the accepted forms when the text is neither.
    """
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"not a date: {text!r} (use YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][+HH:MM])"
        ) from None
    return _aware(moment)


def _aware(moment: datetime) -> datetime:
    """Naive times are local times, so a bare date means midnight where the user is."""
    return moment if moment.tzinfo is not None else moment.astimezone()


def _stamp(text: str) -> datetime | None:
    try:
        return _aware(datetime.fromisoformat(text.strip()))
    except ValueError:
        return None


def changed_since(placed: PlacedNote, since: datetime) -> bool:
    """True if the note was created or updated at or after ``since``.

    A note whose times cannot be read counts as changed: an export should rather repeat a
    note than silently leave one out.
    """
    stamps = [_stamp(t) for t in (placed.note.created, placed.note.updated) if t]
    known = [s for s in stamps if s is not None]
    if not known:
        return True
    return max(known) >= since


def select_notes(notes: Iterable[PlacedNote], since: datetime | None) -> list[PlacedNote]:
    """The notes an export with this ``since`` includes, in their given order."""
    if since is None:
        return list(notes)
    return [p for p in notes if changed_since(p, since)]
