"""Redis mode: Dramatiq's Redis broker carries job ids to separate `milimo worker` processes.

The store stays the truth: a message carries only a job id, and a worker runs whatever the store
says that job needs (nothing, if it already finished). One queue per model kind and priority
(`video.rush`, `video`, `video.low`).

Dramatiq's worker consumes each queue in its own thread, each prefetching a message into one
shared work queue; the work queue orders by the actor's priority, then arrival. So each priority
has its own actor (the same function, a different Dramatiq priority): a rush message waiting in
a busy worker's work queue is run before a normal or low one that arrived earlier.
"""

from typing import Any

import dramatiq
from dramatiq.brokers.redis import RedisBroker

from domain.job.priority import every_priority, priority_of

ACTOR_NAME = "milimo_run_job"
QUEUE_NAMES = ("video", "image", "segment", "cpu")
# Dramatiq runs the lowest priority number first.
ACTOR_PRIORITY: dict[str, int] = {"rush": 0, "normal": 10, "low": 20}


def actor_name(priority: str) -> str:
    return ACTOR_NAME if priority == "normal" else f"{ACTOR_NAME}_{priority}"


def queues_for(names: list[str] | tuple[str, ...]) -> list[str]:
    """The queues a worker named with these consumes: a kind (`video`) means every priority of
    it; a full name (`video.rush`) means that queue alone."""
    chosen: list[str] = []
    for name in names:
        for queue in every_priority([name]) if name in QUEUE_NAMES else [name]:
            if queue not in chosen:
                chosen.append(queue)
    return chosen


def unknown_queues(names: list[str]) -> list[str]:
    known = set(QUEUE_NAMES) | set(every_priority(QUEUE_NAMES))
    return sorted(set(names) - known)


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
                actor_name=actor_name(priority_of(queue)),
                args=(job_id,),
                kwargs={},
                options={},
            )
            self.broker.enqueue(message)
