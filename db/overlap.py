"""One background thread doing `work(item)` for each item, in order, while the caller
prepares the next one: an import writes chunk N while it reads and checks chunk N+1.

The database drivers release the GIL while the database works (SQLite's inserts, a
PostgreSQL COPY or upsert), so on two cores most of the writing hides behind the parsing.
The queue is bounded (`depth` items waiting) to keep memory bounded. The first error in
`work` is raised in the caller (at its next `put`, or on leaving the block) and later items
are dropped; leaving the block always waits for the thread, so a transaction is never
rolled back or committed while the thread still uses its connection.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Generic, TypeVar

Item = TypeVar("Item")
_DONE = object()


class Overlapped(Generic[Item]):
    """`with Overlapped(work) as writer: writer.put(item)`; see the module docstring."""

    def __init__(self, work: Callable[[Item], None], *, depth: int = 1) -> None:
        self._work = work
        self._queue: queue.Queue[object] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="import-writer", daemon=True)

    def __enter__(self) -> Overlapped[Item]:
        self._thread.start()
        return self

    def put(self, item: Item) -> None:
        """Hand `item` over (waits while `depth` items are waiting); raises the thread's
        error, if it had one."""
        self._raise_error()
        self._queue.put(item)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is not None:
            self._stopped = True  # the caller failed: what is still queued is dropped
        self._queue.put(_DONE)
        self._thread.join()
        if kind is None:
            self._raise_error()

    def _raise_error(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        while (item := self._queue.get()) is not _DONE:
            if self._stopped or self._error is not None:
                continue  # drained, so a waiting `put` never blocks for ever
            try:
                self._work(item)  # type: ignore[arg-type]
            except BaseException as exc:  # raised again in the caller's thread
                self._error = exc
