"""What a Redis worker holds: only the job message it runs. Real Redis, two real `milimo worker`
processes, both busy; jobs requested meanwhile wait in Redis (not in a busy worker's memory) and
the first worker to be free takes them, rush first."""

import json
import threading
import time
from typing import Any

import pytest

from tests.cli.conftest import Run
from tests.engine.conftest import (
    FINAL,
    LONG_SHOT,
    Workers,
    job,
    make_project,
    ok,
    wait_for_status,
    wait_until,
    wait_until_running,
)
from tests.engine.test_redis_priorities_and_batches import in_process_engine

pytestmark = pytest.mark.slow

# Long enough to still run when the test ends (cancelled then): about a minute on 2 cores.
BUSY_SHOT = {**LONG_SHOT, "prompt": "the endless crossing", "frames": 18001}
SMALL = {"prompt": "a gull lands", "frames": 9, "width": 320, "height": 256}


def held_messages(redis_url: str) -> dict[str, list[str]]:
    """The job ids of the messages fetched but not acked, by Dramatiq ack set (worker, queue)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        held: dict[str, list[str]] = {}
        for key in client.scan_iter("dramatiq:__acks__.*"):
            queue = key.decode().split(".", 2)[2]  # dramatiq:__acks__.<broker id>.<queue>
            for message_id in client.smembers(key):
                data = client.hget(f"dramatiq:{queue}.msgs", message_id)
                if data:
                    held.setdefault(key.decode(), []).extend(json.loads(data)["args"])
        return held
    finally:
        client.close()


def test_a_busy_worker_holds_no_waiting_job_and_the_free_one_takes_rush_first(
    redis_milimo: Run,
    workers: Workers,
    redis_env: dict[str, str],
    redis_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    procs = [workers.start("--queues", "video"), workers.start("--queues", "video")]
    for proc in procs:
        workers.wait_ready(proc)
    pid, (busy_a, busy_b, *small) = make_project(
        redis_milimo, [BUSY_SHOT, BUSY_SHOT, SMALL, SMALL, SMALL, SMALL]
    )
    # Both workers busy: one long job each.
    (first,) = ok(redis_milimo("generate", pid, busy_a, "--json"))["jobs"]
    a = wait_until_running(redis_milimo, first["id"])["worker"]["pid"]
    (second,) = ok(redis_milimo("generate", pid, busy_b, "--json"))["jobs"]
    b = wait_until_running(redis_milimo, second["id"])["worker"]["pid"]
    assert {a, b} == {p.pid for p in procs}

    m, engine = in_process_engine(redis_env, monkeypatch)
    try:
        low = engine.generate(pid, [small[0]], priority="low")[0]
        normal = engine.generate(pid, [small[1]], priority="normal")[0]
        later_normal = engine.generate(pid, [small[2]], priority="normal")[0]
        rush = engine.generate(pid, [small[3]], priority="rush")[0]
    finally:
        m.close()

    # Each busy worker holds the message it runs and nothing more; the rest wait in Redis.
    time.sleep(1)  # ample for a worker's consumers to prefetch, had they been allowed to
    held = held_messages(redis_url)
    assert sorted(j for ids in held.values() for j in ids) == sorted([first["id"], second["id"]]), (
        f"held: {held}; waiting: low {low}, normal {normal} {later_normal}, rush {rush}"
    )
    assert len(held) == 2, held  # one message in each worker's ack set
    assert [job(redis_milimo, j)["status"] for j in (first["id"], second["id"])] == ["running"] * 2

    ok(redis_milimo("job", "cancel", second["id"], "--json"))  # worker b is free: it takes them

    def small_ones_final() -> list[dict[str, Any]] | None:
        docs = {d["id"]: d for d in ok(redis_milimo("jobs", pid, "--json"))}
        wanted = [docs[j] for j in (low, normal, later_normal, rush)]
        return wanted if all(d["status"] in FINAL for d in wanted) else None

    docs = wait_until(small_ones_final, 120, 0.5, what="the waiting jobs to run on the free worker")
    assert [d["status"] for d in docs] == ["completed"] * 4, docs
    assert [d["worker"]["pid"] for d in docs] == [b] * 4, "a job waited in the busy worker"
    by_start = [d["id"] for d in sorted(docs, key=lambda d: d["started_at"])]
    assert by_start == [rush, normal, later_normal, low]
    # Worker a was busy all along: it ran nothing else.
    assert job(redis_milimo, first["id"])["status"] == "running"

    ok(redis_milimo("job", "cancel", first["id"], "--json"))
    assert wait_for_status(redis_milimo, first["id"], FINAL)["status"] == "cancelled"
    assert all(p.poll() is None for p in procs), [workers.log(p) for p in procs]


def test_a_stopped_worker_leaves_in_redis_every_message_it_did_not_run(redis_url: str) -> None:
    """In this process: `Worker.stop` (what SIGTERM calls) waits for the running job, then puts
    back what the worker fetched but did not start; nothing stays held, nothing is lost."""
    import dramatiq
    import redis

    from infrastructure.redis_dispatch import make_broker

    queues = ["t.low", "t", "t.rush"]
    broker = make_broker(redis_url, consumes=queues)
    started: list[str] = []
    go_on = threading.Event()

    def run(label: str) -> None:
        started.append(label)
        go_on.wait(30)

    class LingerAfterAck(dramatiq.Middleware):
        """Keeps the stopping worker thread a moment after its job: time for the broker to
        fetch the next message, which then waits in the work queue and must go back."""

        def after_ack(self, broker: dramatiq.Broker, message: dramatiq.MessageProxy) -> None:
            time.sleep(0.3)

    broker.add_middleware(LingerAfterAck())
    dramatiq.actor(actor_name="probe", queue_name="t", broker=broker)(run)
    for queue in queues:
        broker.declare_queue(queue)

    def send(queue: str, label: str) -> None:
        message: dramatiq.Message[Any] = dramatiq.Message(
            queue_name=queue, actor_name="probe", args=(label,), kwargs={}, options={}
        )
        broker.enqueue(message)

    for queue, label in (("t.low", "low"), ("t", "normal"), ("t.rush", "rush")):
        send(queue, label)
    worker = dramatiq.Worker(broker, queues=set(queues), worker_threads=1, worker_timeout=25)
    worker.start()
    client = redis.Redis.from_url(redis_url)
    try:
        wait_until(lambda: started, 10, 0.05, what="the first message to run")
        send("t.rush", "later rush")  # arrives while the only thread is busy
        time.sleep(0.5)  # ample for a consumer to prefetch, had it been allowed to
        acks = [k for k in client.scan_iter("dramatiq:__acks__.*") if client.scard(k)]
        assert [k.decode().rsplit(".", 1)[-1] for k in acks] == ["rush"], acks
        assert [client.llen(f"dramatiq:{q}") for q in queues] == [1, 1, 1]

        stopping = threading.Thread(target=worker.stop)
        stopping.start()
        time.sleep(0.3)  # the worker thread is told to stop while its job still runs
        go_on.set()
        stopping.join(30)

        assert not stopping.is_alive()
        assert started == ["rush"]
        assert [client.llen(f"dramatiq:{q}") for q in queues] == [1, 1, 1]
        assert not [k for k in client.scan_iter("dramatiq:__acks__.*") if client.scard(k)]
        assert [client.hlen(f"dramatiq:{q}.msgs") for q in queues] == [1, 1, 1]  # rush: acked
    finally:
        go_on.set()
        client.close()


def test_a_worker_whose_ack_cannot_reach_redis_takes_the_next_message_afterwards(
    redis_url: str,
) -> None:
    """Redis gone at the moment of an ack (a restart): the gate opens all the same, so the
    worker goes on fetching once Redis is back instead of holding nothing for ever."""
    import dramatiq
    import redis

    from infrastructure.redis_dispatch import make_broker

    broker = make_broker(redis_url, consumes=["t"])
    broker.declare_queue("t")
    message: dramatiq.Message[Any] = dramatiq.Message(
        queue_name="t", actor_name="probe", args=(), kwargs={}, options={}
    )
    broker.enqueue(message)
    broker.enqueue(message.copy(message_id="second"))
    consumer = broker.consume("t")
    first = next(consumer)
    assert first is not None and next(consumer) is None  # one message held: no second fetch

    def unreachable(*_: Any) -> None:
        raise redis.ConnectionError("Redis is restarting")

    broker.do_ack = unreachable  # type: ignore[method-assign]
    with pytest.raises(dramatiq.errors.ConnectionClosed):
        consumer.ack(first)

    assert next(consumer) is not None  # the gate is open again
