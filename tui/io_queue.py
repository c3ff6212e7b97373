"""One background thread for every read and write of the store.

The UI thread never waits on I/O: it hands a function to the queue and gets the result back as a
callback on the UI thread. One thread, in order, so SQLite connections are never shared between
threads and an edit's refresh always sees the edit.
"""

import asyncio
import contextlib
import threading
from collections.abc import Callable
from concurrent import futures
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


class IoQueue:
    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        call_later: Callable[..., Any],
        on_error: Callable[[BaseException], None],
    ):
        self.loop = loop
        # The app's call_later, run on the loop: callbacks run as the app's own messages, in
        # its context (a bare loop callback would not know the active app).
        self.call_later = call_later
        self.on_error = on_error
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="milimo-io")
        self.pending = 0
        self._lock = threading.Lock()
        self.closed = False
        self._open: set[Future[None]] = set()  # submitted, maybe not done

    @property
    def idle(self) -> bool:
        return self.pending == 0

    def submit(
        self,
        work: Callable[[], T],
        done: Callable[[T], Any] | None = None,
        failed: Callable[[BaseException], Any] | None = None,
    ) -> Future[None] | None:
        """Run `work` on the I/O thread; then `done(result)` or `failed(error)` on the UI
        thread (without `failed`, errors go to the editor's notifications)."""
        if self.closed:
            return None
        with self._lock:
            self.pending += 1

        def run() -> None:
            try:
                result = work()
            except BaseException as error:  # every error reaches the user, none kills the thread
                self._back(failed or self.on_error, error)
            else:
                if done is not None:
                    self._back(done, result)
            finally:
                with self._lock:
                    self.pending -= 1

        future = self.executor.submit(run)
        with self._lock:
            self._open = {f for f in self._open if not f.done()} | {future}
        return future

    def _back(self, callback: Callable[[Any], Any], value: Any) -> None:
        if not self.closed:
            # A loop closed while the work ran has nobody left to tell.
            with contextlib.suppress(RuntimeError):
                self.loop.call_soon_threadsafe(self.call_later, callback, value)

    def close(self, wait: float = 5.0) -> None:
        """No more work; what waits is dropped, and the call running now is given `wait`
        seconds to end, so nobody closes the store under it (SQLite would crash)."""
        self.closed = True
        self.executor.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            running = [f for f in self._open if not f.done()]
        futures.wait(running, timeout=wait)
