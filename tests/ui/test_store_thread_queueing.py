"""A call is queued under the store thread's lock, so never behind shutdown's end mark."""

from __future__ import annotations

import queue
from typing import Any

from reader.ui.store_thread import StoreThread


async def test_a_call_is_queued_while_the_lock_is_held() -> None:
    thread = StoreThread()
    held: list[bool] = []

    class Watched(queue.SimpleQueue[Any]):
        def put(self, item: Any, block: bool = True, timeout: float | None = None) -> None:
            if item is not None:
                held.append(thread._idle._is_owned())  # type: ignore[attr-defined]
            super().put(item, block, timeout)

    thread._jobs = Watched()
    assert await thread.run(lambda: 42) == 42
    thread.shutdown()
    assert held == [True]
