"""Job heartbeats in Redis: a key with a short time-to-live, renewed while the job runs.

A running job whose key expired lost its worker (SIGKILL, power, network): the next worker that
gets it, or the janitor of any live worker, runs it again and records why.
"""

import threading

import redis

TTL_SECONDS = 15
EVERY_SECONDS = 5.0


def key(job_id: str) -> str:
    return f"milimo:heartbeat:{job_id}"


class RedisHeartbeat:
    def __init__(self, url: str):
        self.client = redis.Redis.from_url(url)
        self._threads: dict[str, threading.Event] = {}

    def beat(self, job_id: str) -> None:
        self.client.set(key(job_id), "1", ex=TTL_SECONDS)
        stop = threading.Event()
        self._threads[job_id] = stop

        def renew() -> None:
            while not stop.wait(EVERY_SECONDS):
                self.client.set(key(job_id), "1", ex=TTL_SECONDS)

        threading.Thread(target=renew, daemon=True, name=f"heartbeat-{job_id[:8]}").start()

    def alive(self, job_id: str) -> bool:
        return bool(self.client.exists(key(job_id)))

    def stop(self, job_id: str) -> None:
        stop = self._threads.pop(job_id, None)
        if stop is not None:
            stop.set()
        self.client.delete(key(job_id))
