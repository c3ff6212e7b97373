"""Variants, priorities and batches on the in-memory store: seeds, groups, queues, the embedded
drain's order, and a batch counted and cancelled as a whole."""

from pathlib import Path
from typing import Any

import pytest

from application.batches import BatchNotFound, BatchQueries
from application.engine.drain import drain
from application.engine.engine import Engine
from application.engine.runner import JobRunner
from application.projection import ProjectProjection
from application.queries import Queries
from application.studio import Studio
from domain.errors import InvalidValue
from domain.job.batch import Batch
from domain.job.variants import MAX_VARIANTS
from tests.application.engine_fakes import FakeCatalog, FakeLoader, SteppingBackend, TempMedia
from tests.application.fakes import InMemoryReadModels


class QueueRecorder:
    def __init__(self) -> None:
        self.queues: dict[str, str] = {}

    def dispatch(self, job_ids: list[str], queues: dict[str, str]) -> None:
        self.queues.update(queues)


class Studio3:
    """A project with three shots in one scene, an engine, a runner and the read models."""

    def __init__(self, tmp_path: Path):
        self.studio = Studio(env={}, actor="ana@gpu-box")
        self.dispatcher = QueueRecorder()
        media = TempMedia(tmp_path)
        self.engine = Engine(self.studio, FakeCatalog(), media, self.dispatcher)
        self.runner = JobRunner(
            self.studio, FakeLoader(SteppingBackend()), media, backoff=lambda _: 0.0
        )
        read_models = InMemoryReadModels()
        self.read_models = read_models
        self.projection = ProjectProjection(self.studio, read_models)
        self.queries = Queries(read_models, self.projection)
        self.batches = BatchQueries(self.queries)
        self.pid = self.studio.create_project("Lighthouse")
        scene = self.studio.add_scene(self.pid, "Stairs")
        self.shots = [
            self.studio.add_shot(self.pid, scene, prompt=f"beat {n}", num_frames=9, seed=100 + n)
            for n in range(3)
        ]

    def takes(self, shot: str) -> list[Any]:
        return list(self.studio.project(self.pid).state.shots[shot].takes)


@pytest.fixture
def s3(tmp_path: Path) -> Studio3:
    return Studio3(tmp_path)


def test_variants_run_consecutive_seeds_as_one_group_and_become_takes(s3: Studio3) -> None:
    shot = s3.shots[0]
    generation = s3.engine.request_generation(s3.pid, [shot], variants=3)
    jobs = [s3.studio.job(j) for j in generation.job_ids]
    assert [j.request["seed"] for j in jobs] == [100, 101, 102]
    assert [j.variant for j in jobs] == [0, 1, 2]
    assert len({j.group for j in jobs}) == 1 and jobs[0].group is not None
    assert {j.batch_id for j in jobs} == {generation.batch_id}
    for job in jobs:
        s3.runner.run(job.id.hex)
    takes = s3.takes(shot)
    assert [(t.seed, t.variant, t.group) for t in takes] == [
        (100, 0, jobs[0].group),
        (101, 1, jobs[0].group),
        (102, 2, jobs[0].group),
    ]
    audit = s3.queries.jobs(s3.pid)
    assert [(a["group"], a["variant"]) for a in audit] == [(jobs[0].group, i) for i in range(3)]


def test_a_plain_generate_is_variant_zero_of_the_same_seed_and_no_batch(s3: Studio3) -> None:
    generation = s3.engine.request_generation(s3.pid, [s3.shots[1]])
    job = s3.studio.job(generation.job_ids[0])
    assert generation.batch_id is None
    assert (job.request["seed"], job.group, job.variant, job.batch_id) == (101, None, None, None)
    assert job.priority == "normal"


def test_every_shot_gets_its_own_group_of_variants_with_all(s3: Studio3) -> None:
    generation = s3.engine.request_generation(s3.pid, [], all_shots=True, variants=2)
    jobs = [s3.studio.job(j) for j in generation.job_ids]
    assert len(jobs) == 6 and len({j.group for j in jobs}) == 3
    assert [(j.shot_id, j.variant) for j in jobs] == [
        (shot, i) for shot in s3.shots for i in range(2)
    ]
    batch = s3.batches.batch(generation.batch_id or "")
    assert (batch["total_jobs"], batch["variants"], batch["status"]) == (6, 2, "queued")


@pytest.mark.parametrize("count", [0, -1, MAX_VARIANTS + 1])
def test_a_variant_count_out_of_range_records_nothing(s3: Studio3, count: int) -> None:
    before = s3.studio.recorder.max_notification_id()
    with pytest.raises(InvalidValue, match="variants must be between 1 and"):
        s3.engine.request_generation(s3.pid, [s3.shots[0]], variants=count)
    assert s3.studio.recorder.max_notification_id() == before


def test_an_unknown_priority_records_nothing(s3: Studio3) -> None:
    before = s3.studio.recorder.max_notification_id()
    with pytest.raises(InvalidValue, match="priority must be one of rush, normal, low"):
        s3.engine.request_generation(s3.pid, [s3.shots[0]], priority="urgent")
    assert s3.studio.recorder.max_notification_id() == before


def test_each_priority_goes_to_its_own_queue_normal_keeping_the_plain_name(s3: Studio3) -> None:
    ids = {
        p: s3.engine.generate(s3.pid, [s3.shots[0]], priority=p)[0]
        for p in ("rush", "normal", "low")
    }
    assert {p: s3.dispatcher.queues[i] for p, i in ids.items()} == {
        "rush": "video.rush",
        "normal": "video",
        "low": "video.low",
    }
    assert s3.queries.job(ids["rush"])["priority"] == "rush"


def test_the_embedded_drain_takes_rush_first_then_normal_then_low_oldest_first(
    s3: Studio3,
) -> None:
    low = s3.engine.generate(s3.pid, [s3.shots[0]], priority="low")[0]
    normal_a = s3.engine.generate(s3.pid, [s3.shots[1]])[0]
    normal_b = s3.engine.generate(s3.pid, [s3.shots[2]])[0]
    order: list[str] = []
    rush_ids: list[str] = []

    def run_batch(jobs: list[tuple[str, str, str | None]]) -> None:
        for job_id, _queue, reason in jobs:
            order.append(job_id)
            if not rush_ids:  # while the first job runs, a rush job is requested
                rush_ids.extend(s3.engine.generate(s3.pid, [s3.shots[0]], priority="rush"))
            s3.runner.run(job_id, reason=reason)

    ran = drain(s3.read_models, s3.projection, run_batch, idle_seconds=0.0, sleep=lambda _: None)
    assert ran == 4
    assert order == [normal_a, rush_ids[0], normal_b, low]


def test_a_job_left_running_by_a_dead_worker_runs_before_any_rush(s3: Studio3) -> None:
    left = s3.engine.generate(s3.pid, [s3.shots[0]], priority="low")[0]
    s3.studio.edit_job(left, lambda j: j.start("w", {"host": "h", "pid": 1}, "fake", {}, False, 0))
    rush = s3.engine.generate(s3.pid, [s3.shots[1]], priority="rush")[0]
    seen: list[tuple[str, str | None]] = []

    def run_batch(jobs: list[tuple[str, str, str | None]]) -> None:
        for job_id, _queue, reason in jobs:
            seen.append((job_id, reason))
            s3.runner.run(job_id, reason=reason)

    drain(s3.read_models, s3.projection, run_batch, idle_seconds=0.0, sleep=lambda _: None)
    assert [job for job, _ in seen] == [left, rush]
    assert seen[0][1] is not None and seen[1][1] is None


def test_a_batch_counts_its_jobs_and_cancels_what_is_unfinished(s3: Studio3) -> None:
    generation = s3.engine.request_generation(s3.pid, s3.shots, priority="low")
    first, second, _ = generation.job_ids
    assert generation.batch_id is not None
    s3.runner.run(first)
    s3.studio.edit_job(
        second, lambda j: j.start("w", {"host": "h", "pid": 1}, "fake", {}, False, 0)
    )
    batch = s3.batches.batch(generation.batch_id[:8])
    assert {
        k: batch[k] for k in ("total_jobs", "completed_jobs", "running_jobs", "waiting_jobs")
    } == {
        "total_jobs": 3,
        "completed_jobs": 1,
        "running_jobs": 1,
        "waiting_jobs": 1,
    }
    assert (batch["status"], batch["priority"], batch["project_id"]) == (
        "processing",
        "low",
        s3.pid,
    )

    outcomes = s3.engine.cancel_batch(generation.batch_id)
    assert [(o.status, o.changed) for o in outcomes] == [
        ("completed", False),
        ("cancelling", True),
        ("cancelled", True),
    ]
    recorded: Any = s3.studio.repository.get(_uuid(generation.batch_id))
    assert isinstance(recorded, Batch) and recorded.cancellations == 1
    assert s3.runner.run(second) == "cancelled", "the running job stops at its next step"
    batch = s3.batches.batch(generation.batch_id)
    assert (batch["completed_jobs"], batch["cancelled_jobs"], batch["status"]) == (
        1,
        2,
        "cancelled",
    )

    again = s3.engine.cancel_batch(generation.batch_id)
    assert not any(o.changed for o in again)
    assert s3.studio.repository.get(_uuid(generation.batch_id)).cancellations == 1


def test_an_unknown_batch_is_not_found(s3: Studio3) -> None:
    with pytest.raises(BatchNotFound):
        s3.batches.batch("feedbeef")
    with pytest.raises(BatchNotFound):
        s3.engine.cancel_batch("0" * 32)


def test_a_job_recorded_before_priorities_existed_reads_as_normal_without_a_batch(
    s3: Studio3,
) -> None:
    from dataclasses import replace

    job_id = s3.engine.generate(s3.pid, [s3.shots[0]])[0]
    (stored,) = [
        e for e in s3.studio.recorder.select_events(_uuid(job_id)) if e.originator_version == 1
    ]
    state = s3.studio.mapper.transcoder.decode(stored.state)
    for key in ("batch_id", "group", "variant", "priority"):
        del state[key]
    old = replace(stored, state=s3.studio.mapper.transcoder.encode(state))
    event: Any = s3.studio.mapper.to_domain_event(old)
    assert (event.priority, event.batch_id, event.group, event.variant) == (
        "normal",
        None,
        None,
        None,
    )


def _uuid(hex_id: str) -> Any:
    from uuid import UUID

    return UUID(hex_id)
