"""Redis mode: Dramatiq's Redis broker carries job ids to separate `milimo worker` processes.

The store stays the truth: a message carries only a job id, and a worker runs whatever the store
says that job needs (nothing, if it already finished). One queue per model kind.
"""

from typing import Any

import dramatiq
from dramatiq.brokers.redis import RedisBroker

ACTOR_NAME = "milimo_run_job"
QUEUE_NAMES = ("video", "image", "segment", "cpu")
# A GPU job may take hours: no time limit, and no blind retries (the runner retries transient
# errors itself and records every attempt).
ACTOR_OPTIONS: dict[str, Any] = {"time_limit": 24 * 3600 * 1000, "max_retries": 0}


def make_broker(url: str) -> RedisBroker:
    broker = RedisBroker(  # type: ignore[no-untyped-call]
        url=url, heartbeat_timeout=15_000, dead_message_ttl=7 * 24 * 3600 * 1000
    )
    dramatiq.set_broker(broker)
    return broker


class RedisDispatcher:
    def __init__(self, url: str):
        self.broker = make_broker(url)

    def dispatch(self, job_ids: list[str], queues: dict[str, str]) -> None:
        for job_id in job_ids:
            queue = queues.get(job_id, "cpu")
            message: dramatiq.Message[Any] = dramatiq.Message(
                queue_name=queue,
                actor_name=ACTOR_NAME,
                args=(job_id,),
                kwargs={},
                options={},
            )
            self.broker.enqueue(message)
