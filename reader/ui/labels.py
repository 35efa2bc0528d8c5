"""The per-label palette: one colour per entity label, shared by the article and the legend.

Colours come from the Okabe–Ito palette, chosen to stay apart for readers with any common
form of colour blindness. On a dark theme the label colours the letters; on a light theme
pale yellow or orange letters would vanish, so the colour becomes the background under
black letters instead. Every label also has a number key and a name, so the colour is
never the only cue.
"""

from __future__ import annotations

from dataclasses import dataclass

from reader.models import LABELS


@dataclass(frozen=True, slots=True)
class LabelInfo:
    """How one label is named and drawn."""

    label: str
    #: What the legend and the panels call it.
    name: str
    #: The key that switches it on and off ("1".."6").
    key: str
    #: The Okabe–Ito colour.
    colour: str
    #: Style on a dark background: coloured letters.
    dark: str
    #: Style on a light background: black letters on the colour.
    light: str


def _info(label: str, name: str, key: str, colour: str) -> LabelInfo:
    return LabelInfo(
        label=label,
        name=name,
        key=key,
        colour=colour,
        dark=f"bold {colour}",
        light=f"#000000 on {colour}",
    )


#: In the order of :data:`reader.models.LABELS`.
PALETTE: dict[str, LabelInfo] = {
    info.label: info
    for info in (
        _info("PERSON", "people", "1", "#56B4E9"),  # sky blue
        _info("ORG", "organisations", "2", "#E69F00"),  # orange
        _info("PLACE", "places", "3", "#009E73"),  # bluish green
        _info("GROUP", "groups", "4", "#CC79A7"),  # reddish purple
        _info("DATE", "dates", "5", "#F0E442"),  # yellow
        _info("NUMBER", "figures", "6", "#D55E00"),  # vermillion
    )
}

assert tuple(PALETTE) == LABELS, "the palette must follow reader.models.LABELS"

#: Style of the mentions of the entity chosen in the entity panel.
FOCUS_STYLE = "reverse"
#: Style of find matches, and of the current one.
FIND_STYLE = "#000000 on #F0E442"
FIND_CURRENT_STYLE = "bold #FFFFFF on #D55E00"


def label_styles(dark: bool = True) -> dict[str, str]:
    """Label -> Textual style string for the current theme."""
    return {label: (info.dark if dark else info.light) for label, info in PALETTE.items()}


def label_for_key(key: str) -> str | None:
    """The label a number key toggles, or None."""
    for info in PALETTE.values():
        if info.key == key:
            return info.label
    return None
