"""Where the worker registry lives: in the broker's Redis, or in the data dir in embedded mode.

Redis: a hash per worker (its fields JSON-encoded) that expires when the worker stops beating
for long enough, and a set of the workers ever seen, pruned as expired hashes are met.

Embedded: a JSON file per worker under `<data dir>/workers/`, replaced atomically on each beat,
so every process on the box reads whole entries. The event store is left alone: a heartbeat is
not a fact worth keeping for ever.
"""

import contextlib
import json
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from application.engine.worker_registry import WorkerDirectory, WorkerRegistry

if TYPE_CHECKING:
    from infrastructure.settings import Settings

WORKERS_KEY = "milimo:workers"


def worker_key(worker_id: str) -> str:
    return f"milimo:worker:{worker_id}"


class RedisWorkerRegistry:
    def __init__(self, url: str):
        import redis

        self.client = redis.Redis.from_url(url, socket_connect_timeout=3)

    def publish(self, entry: dict[str, Any], keep_seconds: float) -> None:
        key = worker_key(entry["id"])
        fields: dict[Any, Any] = {k: json.dumps(v) for k, v in entry.items()}
        pipe = self.client.pipeline()
        pipe.hset(key, mapping=fields)
        pipe.expire(key, max(1, int(keep_seconds + 0.999)))
        pipe.sadd(WORKERS_KEY, entry["id"])
        pipe.execute()

    def withdraw(self, worker_id: str) -> None:
        pipe = self.client.pipeline()
        pipe.delete(worker_key(worker_id))
        pipe.srem(WORKERS_KEY, worker_id)
        pipe.execute()

    def entries(self) -> list[dict[str, Any]]:
        members: set[bytes] = self.client.smembers(WORKERS_KEY)  # type: ignore[assignment]
        ids = sorted(m.decode() for m in members)
        pipe = self.client.pipeline()
        for worker_id in ids:
            pipe.hgetall(worker_key(worker_id))
        found = []
        for worker_id, fields in zip(ids, pipe.execute(), strict=True):
            if not fields:  # expired: forgotten
                self.client.srem(WORKERS_KEY, worker_id)
                continue
            found.append({k.decode(): json.loads(v) for k, v in fields.items()})
        return found


class FileWorkerRegistry:
    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, worker_id: str) -> Path:
        return self.folder / f"{worker_id}.json"

    def publish(self, entry: dict[str, Any], keep_seconds: float) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self._path(entry["id"])
        # One temporary file per thread: the beat thread and a job's thread may both write.
        temporary = target.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        temporary.write_text(json.dumps(entry))
        os.replace(temporary, target)

    def withdraw(self, worker_id: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._path(worker_id).unlink()

    def entries(self) -> list[dict[str, Any]]:
        found = []
        for path in sorted(self.folder.glob("*.json")):
            try:
                entry = json.loads(path.read_text())
            except (OSError, ValueError):  # withdrawn meanwhile
                continue
            if isinstance(entry, dict) and "id" in entry and "last_heartbeat" in entry:
                found.append(entry)
        return found


def worker_registry(settings: "Settings") -> WorkerRegistry:
    if settings.broker_url != "embedded":
        return RedisWorkerRegistry(settings.broker_url)
    return FileWorkerRegistry(settings.data_dir.expanduser().resolve() / "workers")


def worker_directory(settings: "Settings") -> WorkerDirectory:
    return WorkerDirectory(worker_registry(settings), settings.worker_forget_seconds)
