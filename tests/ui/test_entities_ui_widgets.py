"""The legend, the entity panel and the figures panel, each in a small harness app."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import OptionList

from reader.entities import find_entities
from reader.models import LABELS, Article, ArticleMeta, Block, EntitySpan
from reader.ui.entity_groups import group_entities, label_counts, same_entity, step_span
from reader.ui.mentions import MentionIndex
from reader.ui.widgets.entity_panel import EntityPanel
from reader.ui.widgets.figures_panel import FiguresPanel, figure_rows
from reader.ui.widgets.legend import Legend

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_28f3cce3a5980af7.txt"
TEXT = SEED.read_text(encoding="utf-8")
SPANS = find_entities(TEXT)


class Harness(App[None]):
    """One widget and a record of the messages it sent."""

    def __init__(self, make: Callable[[], object]) -> None:
        super().__init__()
        self.make = make
        self.messages: list[Message] = []

    def compose(self) -> ComposeResult:
        yield self.make()  # type: ignore[misc]

    def on_legend_changed(self, event: Legend.Changed) -> None:
        self.messages.append(event)

    def on_entity_panel_chosen(self, event: EntityPanel.Chosen) -> None:
        self.messages.append(event)

    def on_entity_panel_open_article(self, event: EntityPanel.OpenArticle) -> None:
        self.messages.append(event)

    def on_figures_panel_chosen(self, event: FiguresPanel.Chosen) -> None:
        self.messages.append(event)


def test_groups_join_spelling_variants() -> None:
    groups = {(g.label, g.key): g for g in group_entities(TEXT, SPANS)}
    barazi = groups[("PERSON", "Talal al-Barazi")]
    assert barazi.count == 3
    assert set(barazi.variants) == {"Talal al-Barazi", "al-Barazi", "al-Barrazi"}
    assert groups[("PLACE", "Homs")].count >= 5


def test_label_counts_cover_every_label() -> None:
    counts = label_counts(SPANS)
    assert tuple(counts) == LABELS
    assert sum(counts.values()) == len(SPANS)


def test_stepping_between_mentions() -> None:
    first = step_span(SPANS, 0, forward=True)
    assert first is SPANS[0]
    second = step_span(SPANS, 0, forward=True, current=first)
    assert second is SPANS[1]
    assert step_span(SPANS, 0, forward=False, current=first) is None
    barazi = next(s for s in SPANS if TEXT[s.start : s.end] == "al-Barazi")
    mentions = same_entity(SPANS, barazi, TEXT)
    assert [TEXT[s.start : s.end] for s in mentions] == [
        "Talal al-Barazi",
        "al-Barazi",
        "al-Barrazi",
    ]
    nxt = step_span(mentions, 0, forward=True, current=barazi)
    assert nxt is not None and TEXT[nxt.start : nxt.end] == "al-Barrazi"


async def test_legend_counts_and_click_toggles() -> None:
    app = Harness(Legend)
    async with app.run_test(size=(100, 5)) as pilot:
        legend = app.query_one(Legend)
        legend.set_counts(label_counts(SPANS))
        await pilot.pause()
        chip = app.query_one("#legend-place")
        assert f"places {label_counts(SPANS)['PLACE']}" in str(chip.render())
        await pilot.click("#legend-place")
        await pilot.pause()
        assert "PLACE" not in legend.enabled
        changed = [m for m in app.messages if isinstance(m, Legend.Changed)]
        assert changed and "PLACE" not in changed[-1].enabled
        legend.toggle("PLACE")
        await pilot.pause()
        assert "PLACE" in legend.enabled


def _meta(article_id: str, title: str) -> ArticleMeta:
    return ArticleMeta(id=article_id, path=Path(f"{article_id}.txt"), title=title)


async def test_entity_panel_groups_marks_and_lists_other_articles() -> None:
    other_text = "Talal al-Barazi spoke in Homs on Monday."
    metas = [_meta("seed", "Rebels leave Homs"), _meta("other", "The governor speaks")]
    texts = {"seed": TEXT, "other": other_text}

    def load(meta: ArticleMeta) -> Article:
        text = texts[meta.id]
        return Article(meta, text, (Block(0, len(text)),))

    index = MentionIndex(lambda: metas, load, lambda a: find_entities(a.text))
    app = Harness(lambda: EntityPanel(index.mentioning))
    async with app.run_test(size=(60, 40)) as pilot:
        panel = app.query_one(EntityPanel)
        panel.set_entities("seed", TEXT, SPANS)
        await pilot.pause()
        listing = app.query_one("#entity-list", OptionList)
        prompts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert any(p.startswith("1 people") for p in prompts)
        row = next(p for p in prompts if "Talal al-Barazi" in p)
        assert "3" in row and "al-Barrazi" in row

        index_of = next(i for i, p in enumerate(prompts) if "Talal al-Barazi" in p)
        listing.focus()
        listing.highlighted = index_of
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        chosen = [m for m in app.messages if isinstance(m, EntityPanel.Chosen)]
        assert chosen and chosen[-1].group.key == "Talal al-Barazi"
        assert [m.article_id for m in panel.mentions] == ["other"]

        others = app.query_one("#entity-others", OptionList)
        others.focus()
        others.highlighted = 0
        await pilot.press("enter")
        await pilot.pause()
        opened = [m for m in app.messages if isinstance(m, EntityPanel.OpenArticle)]
        assert opened and opened[-1].mention.article_id == "other"
        assert opened[-1].mention.offset == 0


def test_figure_rows_give_context_in_reading_order() -> None:
    rows = figure_rows(TEXT, SPANS)
    starts = [r.span.start for r in rows]
    assert starts == sorted(starts)
    assert {r.span.label for r in rows} <= {"NUMBER", "DATE"}
    over = next(r for r in rows if TEXT[r.span.start : r.span.end] == "over 1,500")
    assert "over 1,500 people" in over.context
    assert "transported" in over.context
    assert over.context[over.at : over.at + len("over 1,500")] == "over 1,500"


async def test_figures_panel_choosing_reports_the_span() -> None:
    app = Harness(FiguresPanel)
    async with app.run_test(size=(60, 40)) as pilot:
        panel = app.query_one(FiguresPanel)
        panel.set_entities(TEXT, SPANS)
        await pilot.pause()
        listing = app.query_one(OptionList)
        target = next(
            i for i, r in enumerate(panel.rows) if TEXT[r.span.start : r.span.end] == "over 1,500"
        )
        listing.focus()
        listing.highlighted = target
        await pilot.press("enter")
        await pilot.pause()
        chosen = [m for m in app.messages if isinstance(m, FiguresPanel.Chosen)]
        assert chosen and isinstance(chosen[-1].span, EntitySpan)
        assert TEXT[chosen[-1].span.start : chosen[-1].span.end] == "over 1,500"


def test_every_binding_has_an_id_and_a_description() -> None:
    from textual.binding import Binding

    from reader.ui.screens.jump import JumpScreen
    from reader.ui.screens.library_features import LibraryFeatures
    from reader.ui.screens.reader_features import ReaderFeatures
    from reader.ui.widgets.find_bar import FindBar

    for owner in (ReaderFeatures, LibraryFeatures, JumpScreen, FindBar):
        for binding in owner.BINDINGS:
            assert isinstance(binding, Binding)
            assert binding.id and binding.description, (owner, binding)
