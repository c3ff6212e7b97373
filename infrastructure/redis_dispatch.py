"""Redis mode: Dramatiq's Redis broker carries job ids to separate `milimo worker` processes.

The store stays the truth: a message carries only a job id, and a worker runs whatever the store
says that job needs (nothing, if it already finished). One queue per model kind and priority
(`video.rush`, `video`, `video.low`).

A worker's broker is a `OneMessageBroker` (infrastructure/one_message_broker.py): the process
holds only the message it runs, and when free takes every rush queue's oldest message before the
normal queues' and those before the low ones'. So a rush job overtakes the waiting ones without
pre-empting a running one, and no job waits in a busy worker while another is idle. Each
priority keeps its own actor name only because messages already in Redis name them.
"""

from typing import Any

import dramatiq
from dramatiq.brokers.redis import RedisBroker

from domain.job.priority import every_priority, priority_of, rank
from infrastructure.one_message_broker import OneMessageBroker

ACTOR_NAME = "milimo_run_job"
QUEUE_NAMES = ("video", "image", "segment", "cpu")


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


def fetch_order(queues: list[str]) -> list[str]:
    """The order a free worker tries its queues in: every rush queue, then normal, then low."""
    return sorted(queues, key=lambda queue: rank(priority_of(queue)))


def make_broker(url: str, consumes: list[str] | None = None) -> RedisBroker:
    """A broker to send with, or, given the queues a worker `consumes`, one to run them with."""
    options: dict[str, Any] = {
        "url": url,
        "heartbeat_timeout": 15_000,
        "dead_message_ttl": 7 * 24 * 3600 * 1000,
    }
    broker = (
        OneMessageBroker(fetch_order=fetch_order(consumes), **options)
        if consumes
        else RedisBroker(**options)  # type: ignore[no-untyped-call]
    )
    dramatiq.set_broker(broker)
    return broker


class RedisDispatcher:
    def __init__(self, url: str, consumes: list[str] | None = None):
        self.broker = make_broker(url, consumes)

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
