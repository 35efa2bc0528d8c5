"""The store thread: calls in order, errors handed back, and quitting waits for saves only."""

from __future__ import annotations

import asyncio
import threading

import pytest

from reader.ui.store_thread import StoreThread


async def test_calls_run_in_order_and_errors_reach_the_caller() -> None:
    thread = StoreThread()
    seen: list[int] = []
    first = thread.run(lambda: seen.append(1))
    second = thread.run(lambda: seen.append(2) or "done")
    assert await second == "done"
    await first
    assert seen == [1, 2]

    def broken() -> None:
        raise ValueError("no such note")

    with pytest.raises(ValueError, match="no such note"):
        await thread.run(broken)
    thread.shutdown()
    with pytest.raises(RuntimeError):
        thread.run(lambda: None)


async def test_shutdown_waits_for_a_save() -> None:
    thread = StoreThread()
    release = threading.Event()
    saved: list[str] = []

    def save() -> None:
        release.wait()
        saved.append("note")

    thread.run(save)
    threading.Timer(0.05, release.set).start()
    thread.shutdown()
    assert saved == ["note"]


async def test_shutdown_does_not_wait_for_a_read() -> None:
    thread = StoreThread()
    release = threading.Event()
    finished = threading.Event()

    def slow_read() -> None:
        release.wait()
        finished.set()

    thread.run(slow_read, wait_on_exit=False)
    thread.shutdown()  # would never return if it waited for the read
    assert not finished.is_set()
    release.set()
    assert finished.wait(5)


def test_a_result_after_the_loop_closed_is_dropped() -> None:
    thread = StoreThread()
    release = threading.Event()
    done = threading.Event()

    async def start() -> None:
        thread.run(lambda: release.wait(), wait_on_exit=False)
        thread.run(done.set, wait_on_exit=False)

    asyncio.run(start())  # the loop closes with both calls still queued
    release.set()
    assert done.wait(5)  # the thread went on past the undeliverable result
