"""Entity labels as the reader sees them: a name, a number key and the article's colours.

The colours themselves are the article view's (Okabe–Ito tints blended into the theme's
background, names also underlined), so the legend and the panels show exactly the swatch
the text uses, in dark and light themes alike. The key and the name mean the colour is
never the only cue.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.color import Color
from textual.dom import DOMNode
from textual.style import Style

from reader.models import LABELS
from reader.ui.widgets.article_view import default_label_styles


@dataclass(frozen=True, slots=True)
class LabelInfo:
    """How one label is named and switched."""

    label: str
    #: What the legend and the panels call it.
    name: str
    #: The key that switches it on and off.
    key: str


#: In the order of :data:`reader.models.LABELS`; keys 1 to 6.
PALETTE: dict[str, LabelInfo] = {
    label: LabelInfo(label, name, str(i))
    for i, (label, name) in enumerate(
        zip(
            LABELS, ("people", "organisations", "places", "groups", "dates", "figures"), strict=True
        ),
        start=1,
    )
}

#: Mentions of the entity chosen in the entity panel.
FOCUS_STYLE = "bold reverse"
#: The mention the entity keys moved to.
CURSOR_STYLE = "bold underline reverse"
#: Find matches, and the current one.
FIND_STYLE = "#000000 on #F0E442"
FIND_CURRENT_STYLE = "bold #FFFFFF on #D55E00"


def swatches(node: DOMNode) -> dict[str, Style]:
    """Label -> the style the article gives it, for a widget on the current theme."""
    try:
        background = node.background_colors[1]
        dark = node.app.current_theme.dark
    except Exception:  # not mounted yet
        background, dark = Color(0, 0, 0), True
    return {
        label: Style.from_rich_style(style)
        for label, style in default_label_styles(background, dark).items()
    }
