"""A worker's entry in the registry, put together: who it is, where it runs, what it holds.

Both kinds of worker use it: `milimo worker` on Redis and the embedded background worker.
"""

import os
import socket
import uuid
from typing import Any

from application.engine.worker_presence import WorkerPresence
from infrastructure.bootstrap import Milimo
from infrastructure.worker_registry import worker_registry
from models.device_memory import gpu_info
from models.loader import ResidentModels


def worker_presence(
    m: Milimo, models: ResidentModels, mode: str, queues: list[str]
) -> WorkerPresence:
    """`mode` is "redis" or "embedded"; call start() once the worker consumes its queues."""
    host, pid = socket.gethostname(), os.getpid()
    identity = {
        "id": uuid.uuid4().hex,
        "name": f"{host}:{pid}",
        "host": host,
        "pid": pid,
        "mode": mode,
        "queues": list(queues),
        "data_dir": str(m.settings.data_dir.expanduser().resolve()),
    }

    def describe() -> dict[str, Any]:
        return {
            "gpu": gpu_info(),
            "device": models.device(),
            "resident_models": models.resident(),
            "memory": models.memory(),
            "swaps": models.swaps,
            "last_swap": models.latest_swap,
            "loads": models.loads,
        }

    s = m.settings
    return WorkerPresence(
        worker_registry(s), identity, describe, s.worker_heartbeat_seconds, s.worker_forget_seconds
    )
