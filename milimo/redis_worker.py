"""`milimo worker` with MILIMO_BROKER_URL=redis://…: Dramatiq's worker, in this process, on the
job queues, one thread (one GPU). Its broker holds only the message it runs and, when the thread
is free, takes rush before normal before low (infrastructure/one_message_broker.py), so no job
waits behind a busy worker while another is idle.

On start it re-dispatches every job the store says still waits (a Redis restart loses queued
messages; the store does not); while it lives, a janitor re-dispatches running jobs whose worker
stopped heartbeating, and every waiting job when Redis lost its data under the running workers
(its epoch key is gone: a restart without persistence, a flush).
"""

import signal
import threading
import time

import dramatiq
import redis
from dramatiq import Worker

from application.engine.runner import JobRunner
from domain.job.priority import PRIORITIES
from infrastructure.bootstrap import Milimo
from infrastructure.live_feed import RedisLiveFeed
from infrastructure.redis_dispatch import (
    ACTOR_OPTIONS,
    QUEUE_NAMES,
    RedisDispatcher,
    actor_name,
    fetch_order,
    queues_for,
    unknown_queues,
)
from infrastructure.redis_heartbeat import TTL_SECONDS, RedisHeartbeat
from milimo.presence import worker_presence
from milimo.wiring import resident_models, runner

JANITOR_EVERY = 5.0  # seconds between looks for running jobs whose worker died
# Set by the first worker on a Redis; its absence later means Redis lost every message.
EPOCH_KEY = "milimo:broker-epoch"


def declare_actor(job_runner: JobRunner, queue: str) -> None:
    def run_job(job_id: str) -> None:
        job_runner.run(job_id)

    # One actor name per priority, as messages name them; the broker's fetch order, not the
    # actor's Dramatiq priority, decides what runs first.
    for priority in PRIORITIES:
        name = actor_name(priority)
        dramatiq.actor(actor_name=name, queue_name=queue, **ACTOR_OPTIONS)(run_job)


def redispatch_waiting(
    m: Milimo,
    dispatcher: RedisDispatcher,
    queues: list[str],
    heartbeat: RedisHeartbeat,
    queued: bool = True,
    running: bool = True,
) -> int:
    """Dispatch again what the store says still waits: pending and queued jobs (with `queued`)
    and running jobs whose worker stopped heartbeating (with `running`). Harmless if a message
    was still queued: the runner does only what the store says is left."""
    m.projection.catch_up()
    statuses = (("pending", "queued") if queued else ()) + (("running",) if running else ())
    waiting = []
    for job in m.read_models.jobs(statuses=statuses) if statuses else []:
        if job["status"] == "running" and heartbeat.alive(job["id"]):
            continue
        if (job.get("queue") or "cpu") in queues:
            waiting.append(job)
    dispatcher.dispatch(
        [j["id"] for j in waiting], {j["id"]: j.get("queue") or "cpu" for j in waiting}
    )
    return len(waiting)


def epoch_age(client: redis.Redis) -> float:
    """Seconds since this Redis got its epoch key; 0 when it had none (new, restarted without
    persistence, or flushed: every message and heartbeat is gone), and it gets one now."""
    now = time.time()
    if client.set(EPOCH_KEY, str(now), nx=True):
        return 0.0
    raw = client.get(EPOCH_KEY)
    return now - float(raw) if raw else 0.0


def run_redis_worker(m: Milimo, queues: list[str] | None = None) -> int:
    unknown = unknown_queues(queues or [])
    if unknown:
        raise ValueError(f"unknown queue {', '.join(unknown)}; queues: {', '.join(QUEUE_NAMES)}")
    # A kind means every priority of it: `--queues video` serves video.rush, video, video.low.
    asked = queues or list(QUEUE_NAMES)
    queues = queues_for(asked)
    dispatcher = RedisDispatcher(m.settings.broker_url, consumes=queues)
    broker = dispatcher.broker
    heartbeat = RedisHeartbeat(m.settings.broker_url)
    live = RedisLiveFeed(m.settings.broker_url)
    models = resident_models(m)
    presence = worker_presence(m, models, "redis", queues)  # `milimo workers` lists it
    job_runner = runner(m, models, live=live, heartbeat=heartbeat, activity=presence)
    declare_actor(job_runner, queues[0])
    for queue in queues:
        broker.declare_queue(queue)
    epoch = redis.Redis.from_url(m.settings.broker_url)
    # One thread: one job at a time. The broker fetches the next only when that job is acked.
    worker = Worker(broker, queues=set(queues), worker_threads=1, worker_timeout=25)
    worker.start()
    # Heartbeats younger than the epoch may just not have been renewed yet: a running job is
    # taken for lost only once its worker had a whole heartbeat TTL to beat again.
    again = redispatch_waiting(
        m, dispatcher, queues, heartbeat, running=epoch_age(epoch) >= TTL_SECONDS
    )
    presence.start()
    print(
        f"milimo worker: queues {','.join(asked)}; fetch order {','.join(fetch_order(queues))}; "
        f"re-dispatched {again} waiting job(s)",
        flush=True,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    last_look = time.monotonic()
    while not stop.is_set():
        time.sleep(0.2)
        if time.monotonic() - last_look >= JANITOR_EVERY:
            last_look = time.monotonic()
            age = epoch_age(epoch)
            redispatch_waiting(
                m, dispatcher, queues, heartbeat, queued=age == 0.0, running=age >= TTL_SECONDS
            )
    worker.stop()
    presence.stop()
    epoch.close()
    return 0
