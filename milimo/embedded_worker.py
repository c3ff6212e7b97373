"""The embedded worker: Dramatiq's own Worker, in this process, on an in-memory broker, running
the same actor as a Redis worker. The event store is the queue: the drain loop hands it every
job the store says still waits."""

import dramatiq
from dramatiq import Worker
from dramatiq.brokers.stub import StubBroker

from application.engine.drain import drain
from application.engine.runner import JobRunner
from infrastructure.bootstrap import Milimo
from infrastructure.redis_dispatch import ACTOR_NAME, ACTOR_OPTIONS, QUEUE_NAMES


def run_embedded_worker(m: Milimo, job_runner: JobRunner, idle_seconds: float) -> int:
    broker = StubBroker()
    broker.emit_after("process_boot")
    dramatiq.set_broker(broker)

    def run_job(job_id: str, reason: str | None = None) -> None:
        job_runner.run(job_id, reason=reason)

    dramatiq.actor(actor_name=ACTOR_NAME, queue_name="cpu", broker=broker, **ACTOR_OPTIONS)(run_job)
    for queue in QUEUE_NAMES:
        broker.declare_queue(queue)
    worker = Worker(broker, worker_threads=1, worker_timeout=25)
    worker.start()

    def run_batch(jobs: list[tuple[str, str, str | None]]) -> None:
        for job_id, queue, reason in jobs:
            message: dramatiq.Message[None] = dramatiq.Message(
                queue_name=queue if queue in QUEUE_NAMES else "cpu",
                actor_name=ACTOR_NAME,
                args=(job_id,),
                kwargs={"reason": reason},
                options={},
            )
            broker.enqueue(message)
        for queue in QUEUE_NAMES:
            try:
                broker.join(queue)
            except Exception as error:  # the runner records job failures; this is anything else
                print(f"milimo worker: a job raised {type(error).__name__}: {error}", flush=True)
                broker.flush(queue)

    try:
        return drain(m.read_models, m.projection, run_batch, idle_seconds=idle_seconds)
    finally:
        worker.stop()
