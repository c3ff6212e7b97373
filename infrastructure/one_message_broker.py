"""The broker of a `milimo worker`: the process holds at most one job message, the one it runs,
and when its thread is free it takes the most urgent message waiting.

Why: Dramatiq's Worker runs one consumer thread per queue, and each prefetches into the worker's
in-process work queue, even while the worker's only thread is busy. With four kinds times three
priorities that is up to eleven messages held by a worker busy on an hours-long video job, a rush
one among them, while another worker sits idle.

So here one consumer, the leader (the one for the first queue of `fetch_order`), fetches for all
of them: one message at a time, only while no message is held, trying the queues in
`fetch_order` (every rush queue, then the normal ones, then the low ones; within a queue Redis
gives the oldest). The other consumers fetch nothing; the worker still hands each message back to
its own queue's consumer to ack, nack or requeue, and that opens the gate again.

Delivery stays Dramatiq's: a fetched message sits in this broker's ack set in Redis until it is
acked; if the process dies, Dramatiq's maintenance on another live broker puts it back (and our
janitor re-dispatches the job). `Worker.stop` waits for the running job, then requeues what was
fetched but not started. The delay queues (unused: no retries, no eta) keep Dramatiq's own
consumers, whose polling also keeps this broker's heartbeat fresh while a long job holds the gate.
"""

import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import redis
from dramatiq.broker import Consumer, MessageProxy
from dramatiq.brokers.redis import RedisBroker
from dramatiq.common import compute_backoff
from dramatiq.errors import ConnectionClosed
from dramatiq.message import Message


class OneMessageBroker(RedisBroker):
    def __init__(self, *, fetch_order: list[str], **options: Any):
        super().__init__(**options)  # type: ignore[no-untyped-call]
        self.fetch_order = list(fetch_order)
        self.held: set[str] = set()  # the Redis ids of the messages this process holds
        self.gate = threading.Lock()

    def consume(self, queue_name: str, prefetch: int = 1, timeout: int = 5000) -> Consumer:
        if queue_name not in self.fetch_order:  # a delay queue: Dramatiq's own consumer
            return super().consume(queue_name, prefetch, timeout)
        return OneMessageConsumer(
            self, queue_name, timeout, leads=queue_name == self.fetch_order[0]
        )

    def fetch_one(self) -> Message[Any] | None:
        """The most urgent message waiting, if this process holds none."""
        with self.gate:
            if self.held:
                return None
            for queue in self.fetch_order:
                for data in self.do_fetch(queue, 1):
                    if data is not None:  # None: an id without a body (Dramatiq's #266)
                        message: Message[Any] = Message.decode(data)
                        self.held.add(message.options["redis_message_id"])
                        return message
            return None

    def release(self, redis_ids: Iterable[str]) -> None:
        with self.gate:
            self.held.difference_update(redis_ids)


class OneMessageConsumer(Consumer):
    """Acks, nacks and requeues on the message's own queue (the leader fetches from every queue,
    and a message it could not hand on goes back through the leader's thread)."""

    def __init__(self, broker: OneMessageBroker, queue_name: str, timeout: int, leads: bool):
        self.broker = broker
        self.queue_name = queue_name
        self.timeout = timeout
        self.leads = leads
        self.misses = 0

    def __next__(self) -> MessageProxy | None:
        try:
            message = self.broker.fetch_one() if self.leads else None
        except redis.ConnectionError as e:
            raise ConnectionClosed(e) from None  # type: ignore[no-untyped-call]
        if message is None:
            self.misses, backoff_ms = compute_backoff(self.misses, max_backoff=self.timeout)
            time.sleep(backoff_ms / 1000)
            return None
        self.misses = 0
        return MessageProxy(message)

    def ack(self, message: MessageProxy) -> None:
        self._settle("do_ack", message)

    def nack(self, message: MessageProxy) -> None:
        self._settle("do_nack", message)

    def _settle(self, command: str, message: MessageProxy) -> None:
        # Released after Redis took it, and also when Redis could not be reached: a gate held
        # for a message Redis never heard back about would stop this worker for good. What is
        # left in Redis's ack set then is harmless: the store says whether the job still waits,
        # and the janitor re-dispatches it.
        redis_id = message.options["redis_message_id"]
        try:
            getattr(self.broker, command)(message.queue_name, redis_id)
        except redis.ConnectionError as e:
            raise ConnectionClosed(e) from None  # type: ignore[no-untyped-call]
        finally:
            self.broker.release([redis_id])

    def requeue(self, messages: Iterable[MessageProxy]) -> None:
        by_queue: dict[str, list[str]] = defaultdict(list)
        for message in messages:
            by_queue[message.queue_name].append(message.options["redis_message_id"])
        try:
            for queue, redis_ids in by_queue.items():
                self.broker.do_requeue(queue, *redis_ids)
        except redis.ConnectionError as e:
            raise ConnectionClosed(e) from None  # type: ignore[no-untyped-call]
        finally:
            self.broker.release([i for ids in by_queue.values() for i in ids])
