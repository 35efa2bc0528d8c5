"""Save SVG screenshots of the app on the bundled articles into screenshots/.

Run by ``make screenshots``. Uses a temporary database, so nothing of the user's is read or
changed; notes and tags are added through the store first, then the app is driven headless.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screenshots"
SIZE = (120, 36)

Step = Callable[[object], Awaitable[None]]


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    # Layout after a panel opens lands a few frames later.
    await pilot.pause(0.5)


def prepare(home: Path):  # type: ignore[no-untyped-def]
    """A workspace on the seeds with a temporary database and a few annotations."""
    for name, sub in (
        ("READER_DATA_DIR", "data"),
        ("READER_CACHE_DIR", "cache"),
        ("READER_EXPORT_DIR", "exports"),
    ):
        os.environ[name] = str(home / sub)
    os.environ["READER_CONFIG"] = str(home / "config.toml")
    os.environ.pop("READER_LIBRARY", None)
    sys.path.insert(0, str(ROOT))
    from reader.anchoring import make_anchor
    from reader.workspace import Workspace

    ws = Workspace.for_paths(db=home / "annotations.json")
    metas = [m for m in ws.articles() if not m.problem]
    first = metas[0]
    article = ws.load(first)
    text = article.text
    for block_index, note in ((1, "Who reported it first?"), (3, "Compare with the AP report.")):
        if block_index < len(article.blocks):
            block = article.blocks[block_index]
            ws.store.add_note(first.id, note, make_anchor(text, block.start, block.end))
    ws.store.add_note(first.id, "Background for the Homs piece.")
    ws.store.add_tags(first.id, ["syria", "evacuation"])
    return ws


async def shoot(name: str, steps: Callable[[object], Awaitable[None]], home: Path) -> Path:
    from reader.ui.app import make_app

    ws = prepare(home)
    app = make_app(ws, poll=False, watch_theme=False)
    path = OUT / f"{name}.svg"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await steps(pilot)
        await settle(pilot)
        app.save_screenshot(filename=path.name, path=str(OUT))
    ws.close()
    return path


async def library(pilot) -> None:  # type: ignore[no-untyped-def]
    return None


async def reader(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("j", "p")


async def note_editor(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("j", "j", "v", "l", "n")
    await settle(pilot)
    await pilot.press(*"Two sentences worth checking against the agency reports.")


async def entities(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("i")
    await settle(pilot)
    await pilot.press("j")


async def jump(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+p")
    await settle(pilot)
    await pilot.press(*"barrazi")


async def markdown(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("j", "enter")
    await settle(pilot)
    for _ in range(8):
        await pilot.press("j")


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    shots = {
        "library": library,
        "reader": reader,
        "note-editor": note_editor,
        "entities": entities,
        "jump": jump,
        "markdown": markdown,
    }
    for name, steps in shots.items():
        with tempfile.TemporaryDirectory(prefix="reader-shots-") as tmp:
            path = await shoot(name, steps, Path(tmp))
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    asyncio.run(main())
