"""The entity panel: the article's entities grouped by label, and where else they appear.

Choosing an entity posts :class:`EntityPanel.Chosen` (the screen marks its mentions) and
starts a worker listing the other articles that mention it; choosing one of those posts
:class:`EntityPanel.OpenArticle`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.style import Style
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from reader.models import LABELS, EntitySpan
from reader.safety import visible_line
from reader.ui.entity_groups import EntityGroup, group_entities
from reader.ui.labels import PALETTE, swatches
from reader.ui.mentions import Mention

#: (group, article id to leave out, should_stop) -> mentions elsewhere
MentionFinder = Callable[[EntityGroup, str, Callable[[], bool]], Iterable[Mention]]

#: Variants shown after an entity's name, at most.
MAX_VARIANTS = 3
#: Entities listed per label, most mentioned first: a long list takes seconds to build.
MAX_PER_LABEL = 150
#: Shown while the article's entities are still being found.
PENDING = "Finding entities…"


def group_prompt(group: EntityGroup, style: Style | str = "") -> Content:
    """ "Talal al-Barazi  3  al-Barazi, al-Barrazi" """
    others = [v for v in group.variants if v != group.key][:MAX_VARIANTS]
    parts: list[str | tuple[str, str | Style]] = [
        "  ",
        (visible_line(group.key), style),
        "  ",
        (str(group.count), "bold"),
    ]
    if others:
        parts += ["  ", (visible_line(", ".join(others)), "dim italic")]
    return Content.assemble(*parts)


def header_prompt(label: str, groups: int, mentions: int) -> Content:
    info = PALETTE[label]
    return Content.assemble(
        (f"{info.key} {info.name}", "bold underline"),
        (f"  {groups} · {mentions}", "dim"),
    )


def mention_prompt(mention: Mention) -> Content:
    return Content.assemble(visible_line(mention.title), "  ", (f"×{mention.count}", "dim"))


class EntityPanel(Vertical):
    """Side panel listing entities; hidden until the reader asks for it."""

    DEFAULT_CSS = """
    EntityPanel {
        width: 40;
        height: 1fr;
    }
    EntityPanel > #entity-list {
        height: 2fr;
    }
    EntityPanel > #entity-others-title {
        height: 1;
    }
    EntityPanel > #entity-others {
        height: 1fr;
    }
    """

    class Chosen(Message):
        """An entity was chosen: mark its mentions."""

        def __init__(self, panel: EntityPanel, group: EntityGroup) -> None:
            super().__init__()
            self.panel = panel
            self.group = group

        @property
        def control(self) -> EntityPanel:
            return self.panel

    class OpenArticle(Message):
        """Open another article that mentions the chosen entity, at its first mention."""

        def __init__(self, panel: EntityPanel, mention: Mention) -> None:
            super().__init__()
            self.panel = panel
            self.mention = mention

        @property
        def control(self) -> EntityPanel:
            return self.panel

    def __init__(
        self,
        find_mentions: MentionFinder | None = None,
        *,
        id: str | None = "entity-panel",
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.find_mentions = find_mentions
        self.article_id = ""
        self.groups: list[EntityGroup] = []
        self.chosen: EntityGroup | None = None
        self.mentions: list[Mention] = []
        self._option_group: dict[str, EntityGroup] = {}
        #: Whether the article's entities are still being found.
        self.pending = False

    def compose(self) -> ComposeResult:
        yield OptionList(id="entity-list")
        yield Static(Content("Also in"), id="entity-others-title")
        yield OptionList(id="entity-others")

    def on_mount(self) -> None:
        self.border_title = "Entities"
        self.watch(self.app, "theme", self._fill, init=False)

    def set_entities(self, article_id: str, text: str, spans: Sequence[EntitySpan]) -> None:
        """Show the entities of a newly opened article."""
        self.article_id = article_id
        self.pending = False
        self.groups = group_entities(text, spans)
        self.chosen = None
        self.mentions = []
        self._fill()
        self._show_mentions(None)

    def show_pending(self) -> None:
        """Say the entities are still being found (the whole article's pass is running)."""
        self.pending = True
        self.groups = []
        self.chosen = None
        self.mentions = []
        self._fill()
        self._show_mentions(None)

    def _fill(self) -> None:
        listing = self.query_one("#entity-list", OptionList)
        listing.clear_options()
        self._option_group.clear()
        styles = swatches(self)
        options: list[Option | None] = []
        for label in LABELS:
            groups = [g for g in self.groups if g.label == label]
            if not groups:
                continue
            mentions = sum(g.count for g in groups)
            options.append(Option(header_prompt(label, len(groups), mentions), disabled=True))
            for group in groups[:MAX_PER_LABEL]:
                option_id = f"entity-{len(self._option_group)}"
                self._option_group[option_id] = group
                options.append(
                    Option(group_prompt(group, styles.get(group.label, "")), id=option_id)
                )
            if len(groups) > MAX_PER_LABEL:
                more = f"  … {len(groups) - MAX_PER_LABEL:,} more, mentioned less often"
                options.append(Option(Content(more).stylize("italic dim"), disabled=True))
        if not options:
            empty = PENDING if self.pending else "No entities found."
            options.append(Option(Content(empty), disabled=True))
        listing.add_options(options)

    def groups_of(self, label: str) -> list[EntityGroup]:
        return [g for g in self.groups if g.label == label]

    def choose(self, group: EntityGroup) -> None:
        """Choose an entity as if picked from the list."""
        self.chosen = group
        self.post_message(self.Chosen(self, group))
        self.mentions = []
        self._show_mentions(group)
        if self.find_mentions is not None:
            self._scan(group)

    @on(OptionList.OptionSelected, "#entity-list")
    def _entity_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        group = self._option_group.get(event.option.id or "")
        if group is not None:
            self.choose(group)

    @on(OptionList.OptionSelected, "#entity-others")
    def _mention_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = event.option_index
        if 0 <= index < len(self.mentions):
            self.post_message(self.OpenArticle(self, self.mentions[index]))

    def _show_mentions(self, group: EntityGroup | None, done: bool = False) -> None:
        title = self.query_one("#entity-others-title", Static)
        others = self.query_one("#entity-others", OptionList)
        others.clear_options()
        if group is None:
            title.update(Content("Also in: choose an entity"))
            return
        state = "" if done else " (searching…)"
        title.update(Content(visible_line(f"Also in ({len(self.mentions)}){state}: {group.key}")))
        others.add_options([Option(mention_prompt(m)) for m in self.mentions])

    @work(thread=True, exclusive=True, group="entity-mentions")
    def _scan(self, group: EntityGroup) -> None:
        worker = get_current_worker()
        finder = self.find_mentions
        if finder is None:
            return
        found: list[Mention] = []
        for mention in finder(group, self.article_id, lambda: worker.is_cancelled):
            found.append(mention)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._scan_done, group, found)

    def _scan_done(self, group: EntityGroup, found: list[Mention]) -> None:
        if group is not self.chosen:
            return
        self.mentions = found
        self._show_mentions(group, done=True)
