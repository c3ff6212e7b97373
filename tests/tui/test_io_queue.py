"""The editor's I/O thread: closing it lets the running call end before the store is closed."""

import asyncio
import threading
import time

from tui.io_queue import IoQueue


def test_close_waits_for_the_running_call_and_drops_the_waiting_ones() -> None:
    loop = asyncio.new_event_loop()
    try:
        io = IoQueue(loop, lambda callback, value: None, lambda error: None)
        started, finished, dropped = threading.Event(), threading.Event(), threading.Event()

        def slow() -> None:
            started.set()
            time.sleep(0.3)
            finished.set()

        io.submit(slow)
        io.submit(dropped.set)
        assert started.wait(5)
        io.close()
        assert finished.is_set(), "close returned while a call still used the store"
        time.sleep(0.1)
        assert not dropped.is_set() and io.submit(dropped.set) is None
    finally:
        loop.close()
