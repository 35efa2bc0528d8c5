"""The Textual app: one factory, the store's worker thread, polling, theme and keymap.

Every call into the store runs on one background thread, one after another (see
:meth:`ReaderApp.call_store` and :mod:`reader.ui.store_thread`): a save at 100,000 notes
takes a while and must never stall typing or scrolling, and the store is not written from
two threads at once.
"""

from __future__ import annotations

import contextlib
import functools
import sys
import threading
from collections.abc import Callable
from pathlib import PurePath
from typing import Any, ClassVar, TypeVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message

from reader.ui.store_thread import StoreThread
from reader.workspace import Workspace

T = TypeVar("T")

#: Seconds between checks for changes made by another process (the CLI).
POLL_SECONDS = 1.5
#: Seconds between rescans of the library folders for added or removed files.
RESCAN_SECONDS = 10.0


class StoreChanged(Message):
    """Notes, tags or reading state changed outside the app; views should reload."""


class LibraryChanged(Message):
    """Article files were added, removed or edited."""


#: Seconds after the library has been read before the jump index starts building.
INDEX_DELAY_SECONDS = 0.5


class ReaderApp(App[int]):
    """A terminal reading room: the library, the reader, notes and tags."""

    CSS_PATH: ClassVar[list[str | PurePath]] = ["reader.tcss", "features.tcss"]
    TITLE = "reader"
    #: Ctrl+P is the jump box, so the palette has F2: the footer's palette slot then shows
    #: "F2 Commands" rather than Jump a second time.
    COMMAND_PALETTE_BINDING: ClassVar[str] = "f2"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", show=False, id="app.quit", priority=True),
        Binding("question_mark,f1", "help", "Keys", id="app.help"),
        Binding("ctrl+p", "jump", "Jump", id="app.jump", priority=True),
        Binding("f2", "command_palette", "Commands", show=False, id="app.commands"),
    ]

    def __init__(self, ws: Workspace, *, poll: bool = True, watch_theme: bool = True) -> None:
        super().__init__()
        #: The run's library, store and settings.
        self.ws = ws
        self._poll_enabled = poll
        self._save_theme_enabled = watch_theme
        self._store_thread = StoreThread()
        self._index_scheduled = False
        #: Problems already shown: polling meets a broken file again every few seconds.
        self._reported: set[str] = set()
        #: Something failed to load: the next poll that succeeds makes the views reload
        #: (the database may have been fixed meanwhile, by ``reader doctor`` say).
        self._reload_on_poll = False
        self._poll_failed = False
        self._rescan_failed = False
        if ws.settings.theme in self.available_themes:
            self.theme = ws.settings.theme
        elif ws.settings.theme:
            ws.warnings.append(f"unknown theme {ws.settings.theme!r}; using {self.theme}")
        if ws.settings.keys:
            self.set_keymap(dict(ws.settings.keys))

    async def call_store(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn`` on the store thread and wait for it without blocking the UI.

        Quitting waits for the call to finish: use it for anything that may save.
        """
        return await self._store_thread.run(functools.partial(fn, *args, **kwargs))

    async def read_store(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Like :meth:`call_store`, for a call that saves nothing the reader asked for
        (loading, checking for outside changes): quitting does not wait for it."""
        call = functools.partial(fn, *args, **kwargs)
        return await self._store_thread.run(call, wait_on_exit=False)

    def on_mount(self) -> None:
        from reader.ui.screens.library import LibraryScreen

        self.push_screen(LibraryScreen(self.ws))
        for warning in self.ws.warnings:
            self.notify(warning, title="Settings", severity="warning", markup=False, timeout=8)
        if self._poll_enabled:
            self.set_interval(POLL_SECONDS, self._poll)
            self.set_interval(RESCAN_SECONDS, self._rescan)
        if self._save_theme_enabled:
            self.watch(self, "theme", self._theme_changed, init=False)

    def library_loaded(self) -> None:
        """The library screen has read the library and the store (or failed to).

        The jump index starts building a moment later, in the background: it reads every
        article, and its thread would slow the first paint and that loading down (the
        jump box starts it if it is opened sooner).
        """
        if not self._index_scheduled:
            self._index_scheduled = True
            self.set_timer(INDEX_DELAY_SECONDS, self._start_search_index)

    def _start_search_index(self) -> None:
        threading.Thread(
            target=self._prepare_search, name="reader-search-start", daemon=True
        ).start()

    def _prepare_search(self) -> None:
        """Import the search package on this thread, then start the index from the UI's.

        The package (rapidfuzz and all) is not needed to show the library: imported at
        start-up it cost a tenth of a second, and on the UI thread later a pause.
        """
        from reader.ui.search_service import service_for

        with contextlib.suppress(RuntimeError):  # the app ended meanwhile
            self.call_from_thread(service_for, self, self.ws)

    def on_unmount(self) -> None:
        self._store_thread.shutdown()

    def _poll(self) -> None:
        self.run_worker(self._poll_store(), group="poll", exclusive=True)

    def report_problem(self, title: str, error: Exception) -> None:
        """Show a failure to load, once while it lasts; the next good poll retries."""
        self._reload_on_poll = True
        message = str(error)
        if message not in self._reported:
            self._reported.add(message)
            self.notify(message, title=title, severity="error", markup=False)

    async def _poll_store(self) -> None:
        # ``ws.store`` is looked up on the store thread: the first lookup opens the
        # database, and after a failure every poll tries again (a fixed file is picked up).
        try:
            changed = await self.read_store(lambda: self.ws.store.refresh())
        except Exception as exc:  # a broken file shown once, not a crash
            self._poll_failed = True
            self.report_problem("Database", exc)
            return
        if self._poll_failed:
            self._poll_failed = False
            self._reported.clear()  # should it break again, that is news
        retry, self._reload_on_poll = self._reload_on_poll, False
        if changed or retry:
            self.broadcast(StoreChanged())

    def _rescan(self) -> None:
        self.run_worker(self._rescan_library(), group="rescan", exclusive=True)

    async def _rescan_library(self) -> None:
        try:
            changed = await self.read_store(lambda: self.ws.library.rescan())
        except Exception:
            self._rescan_failed = True
            return
        recovered, self._rescan_failed = self._rescan_failed, False
        if changed or recovered:
            self.broadcast(LibraryChanged())
            self._follow_library()

    def _follow_library(self) -> None:
        """Tell the jump index about added, edited and removed articles (if it exists)."""
        if "reader.ui.search_service" not in sys.modules:
            return  # no index yet: it reads the library as it is when it starts
        from reader.ui.search_service import existing_service

        service = existing_service(self, self.ws)
        if service is not None:
            threading.Thread(
                target=service.follow_library, name="reader-search-follow", daemon=True
            ).start()

    def broadcast(self, message: Message) -> None:
        """Send ``message`` to every screen in the stack (each reloads what it shows)."""
        for screen in self.screen_stack:
            screen.post_message(message.__class__())

    def _theme_changed(self, theme: str) -> None:
        self.run_worker(self._save_theme(theme), group="theme", exclusive=True)

    async def _save_theme(self, theme: str) -> None:
        try:
            from reader.config import save_theme

            await self.call_store(save_theme, self.ws.locations.config, theme)
        except Exception as exc:
            self.notify(f"Theme not saved: {exc}", severity="warning", markup=False)

    def action_jump(self) -> None:
        from reader.ui.screens.jump import open_jump

        open_jump(self, self.ws)

    def action_help(self) -> None:
        from reader.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())


def make_app(ws: Workspace, **opts: Any) -> ReaderApp:
    """The app for ``ws``: used by the ``reader`` command, the tests and the screenshots.

    Options: ``poll`` (watch the database for outside changes, default True) and
    ``watch_theme`` (save a theme chosen in the app to the settings file, default True).
    """
    return ReaderApp(ws, **opts)
