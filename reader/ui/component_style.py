"""Component-class styles as Rich styles, with translucent backgrounds blended in.

``get_component_rich_style`` drops a background's alpha, so ``background: $warning 18%``
came out as solid orange. Line-API widgets paint their own strips, so they blend the colour
over the widget's background themselves, as the stylesheet means it.
"""

from __future__ import annotations

from rich.style import Style
from textual.widget import Widget


def component_style(widget: Widget, name: str) -> Style:
    try:
        rich = widget.get_component_rich_style(name, partial=True)
        background = widget.get_component_styles(name).background
    except Exception:  # not mounted yet: no stylesheet to ask
        return Style()
    if 0 < background.a < 1:
        blended = widget.background_colors[1] + background
        rich += Style(bgcolor=blended.rich_color)
    return rich
