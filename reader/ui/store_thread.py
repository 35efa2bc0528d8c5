"""The one thread every store call runs on, in order, and what quitting waits for.

A save at 100,000 notes takes a while and must never stall typing or scrolling, and the
store is never written from two threads at once, so every call goes to this thread.

Quitting waits for every call that may save something (the default), but not for reads
marked ``wait_on_exit=False`` (the library's loading, polling for outside changes): a
rescan or the opening of a large database still running when the reader quits has nothing
to save, so the process ends without it. The thread is a daemon for that reason; every
file the store writes is replaced atomically, so even a read that happens to write (an
index, identity records) and is cut short leaves the old file whole.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass
class _Job:
    fn: Callable[[], Any]
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Any]
    wait_on_exit: bool


class StoreThread:
    """Runs store calls one after another on a daemon thread, started on first use."""

    def __init__(self, name: str = "reader-store") -> None:
        self._name = name
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._closed = False
        #: Calls not yet finished that quitting must wait for.
        self._unfinished = 0
        self._idle = threading.Condition()

    def run(self, fn: Callable[[], T], *, wait_on_exit: bool = True) -> asyncio.Future[T]:
        """Queue ``fn``; the returned future (of the running loop) gets its result."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        with self._idle:
            if self._closed:
                raise RuntimeError("the store thread has been shut down")
            if wait_on_exit:
                self._unfinished += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name=self._name, daemon=True)
                self._thread.start()
            # queued under the lock, so never after the end-of-work mark shutdown puts
            self._jobs.put(_Job(fn, loop, future, wait_on_exit))
        return future

    def shutdown(self) -> None:
        """Take no more calls, and wait until every call that may save has finished."""
        with self._idle:
            self._closed = True
            self._jobs.put(None)
            self._idle.wait_for(lambda: self._unfinished == 0)

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            try:
                result: Any = job.fn()
            except BaseException as exc:  # handed to the awaiting coroutine
                _settle(job, None, exc)
            else:
                _settle(job, result, None)
            finally:
                if job.wait_on_exit:
                    with self._idle:
                        self._unfinished -= 1
                        self._idle.notify_all()


def _settle(job: _Job, result: Any, error: BaseException | None) -> None:
    """Hand the outcome to the event loop; nobody is listening once the loop has closed."""

    def deliver() -> None:
        if job.future.done():  # the awaiting worker was cancelled
            return
        if error is not None:
            job.future.set_exception(error)
        else:
            job.future.set_result(result)

    with contextlib.suppress(RuntimeError):  # the loop is closed: the app has ended
        job.loop.call_soon_threadsafe(deliver)
