"""Live progress beside the store: every step of every job, to any subscriber, at once.

Redis mode publishes on a Redis channel; embedded mode serves a Unix socket in the data dir from
the local worker. Either way the store stays the truth: a subscriber that connects late, or
reconnects, reads where jobs stand from the store and then follows the feed.
"""

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHANNEL = "milimo:progress"


def socket_path(data_dir: Path) -> Path:
    return data_dir / "live.sock"


class RedisLiveFeed:
    def __init__(self, url: str):
        import redis

        self.client = redis.Redis.from_url(url)

    def publish(self, job_id: str, message: dict[str, Any]) -> None:
        payload = json.dumps({"job_id": job_id, "sent": time.time(), **message})
        # Best effort: a lost message costs a follower one step; the store has the truth.
        with contextlib.suppress(Exception):
            self.client.publish(CHANNEL, payload)


def redis_messages(url: str, timeout: float = 0.2) -> Iterator[dict[str, Any] | None]:
    """Messages as they arrive; None every `timeout` seconds of silence (time to look at the
    store)."""
    import redis

    pubsub = redis.Redis.from_url(url).pubsub(  # type: ignore[no-untyped-call]
        ignore_subscribe_messages=True
    )
    pubsub.subscribe(CHANNEL)
    try:
        while True:
            message = pubsub.get_message(timeout=timeout)
            yield json.loads(message["data"]) if message else None
    finally:
        pubsub.close()


class SocketLiveFeed:
    """The embedded worker's side: a Unix socket that sends every subscriber each message as
    one JSON line."""

    def __init__(self, data_dir: Path):
        self.path = socket_path(data_dir)
        self.path.unlink(missing_ok=True)
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(self.path))
        self.server.listen(16)
        self.clients: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True, name="live-feed").start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            client.setblocking(False)
            with self.lock:
                self.clients.append(client)

    def publish(self, job_id: str, message: dict[str, Any]) -> None:
        line = (json.dumps({"job_id": job_id, "sent": time.time(), **message}) + "\n").encode()
        with self.lock:
            for client in list(self.clients):
                try:
                    client.sendall(line)
                except OSError:  # gone, or too slow to keep up: it catches up from the store
                    self.clients.remove(client)
                    client.close()

    def close(self) -> None:
        self.server.close()
        self.path.unlink(missing_ok=True)


def socket_messages(data_dir: Path, timeout: float = 0.2) -> Iterator[dict[str, Any] | None]:
    """The subscriber's side; yields None on silence or while no worker serves the socket."""
    connection: socket.socket | None = None
    buffer = b""
    while True:
        if connection is None:
            try:
                connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                connection.connect(str(socket_path(data_dir)))
                connection.settimeout(timeout)
            except OSError:
                connection = None
                time.sleep(timeout)
                yield None
                continue
        try:
            chunk = connection.recv(65536)
        except TimeoutError:
            yield None
            continue
        except OSError:
            chunk = b""
        if not chunk:
            connection.close()
            connection = None
            yield None
            continue
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            if line:
                yield json.loads(line)
