"""The generation engine on the in-memory store, with a backend that steps like a model."""

from pathlib import Path

import pytest

from application.engine.engine import Engine
from application.engine.ports import TransientError
from application.engine.runner import JobRunner
from application.studio import Studio
from domain.errors import DomainError
from tests.application.engine_fakes import (
    FakeCatalog,
    FakeLoader,
    RecordingDispatcher,
    SteppingBackend,
    TempMedia,
)


class Rig:
    def __init__(self, tmp_path: Path, backend: SteppingBackend | None = None):
        self.studio = Studio(env={}, actor="ana@gpu-box")
        self.backend = backend or SteppingBackend()
        self.loader = FakeLoader(self.backend)
        self.dispatcher = RecordingDispatcher()
        media = TempMedia(tmp_path)
        self.engine = Engine(self.studio, FakeCatalog(), media, self.dispatcher)
        self.runner = JobRunner(self.studio, self.loader, media, backoff=lambda _: 0.0)
        self.pid = self.studio.create_project("Lighthouse")
        self.scene = self.studio.add_scene(self.pid, "Stairs")
        self.shot = self.studio.add_shot(
            self.pid, self.scene, prompt="a lamp flares", num_frames=17
        )

    def events(self, job_id: str) -> list[str]:
        from uuid import UUID

        return [type(e).__name__ for e in self.studio.events.get(UUID(job_id))]

    def takes(self) -> list:
        return list(self.studio.project(self.pid).state.shots[self.shot].takes)


@pytest.fixture
def rig(tmp_path: Path) -> Rig:
    return Rig(tmp_path)


def test_a_generation_becomes_the_active_take_with_a_full_audit(rig: Rig) -> None:
    (job_id,) = rig.engine.generate(rig.pid, [rig.shot])
    assert rig.dispatcher.dispatched == [job_id]
    assert rig.runner.run(job_id) == "completed"
    events = rig.events(job_id)
    assert events[0] == "GenerationRequested" and events[-1] == "JobCompleted"
    assert events[1:3] == ["JobQueued", "JobStarted"] and "FrameProgress" in events
    job = rig.studio.job(job_id)
    assert job.request["composed_prompt"].startswith("medium shot. a lamp flares")
    assert job.request["enhancer"]["name"] == "rules"
    assert job.output is not None and job.output["sha256"]
    (take,) = rig.takes()
    assert take.job_id == job_id
    assert rig.studio.project(rig.pid).state.shots[rig.shot].active_take == take.id


def test_running_a_finished_job_again_does_nothing(rig: Rig) -> None:
    (job_id,) = rig.engine.generate(rig.pid, [rig.shot])
    rig.runner.run(job_id)
    before = rig.events(job_id)
    assert rig.runner.run(job_id) == "completed"
    assert rig.events(job_id) == before
    assert len(rig.takes()) == 1


def test_a_job_left_running_by_a_dead_worker_runs_again_with_a_new_start(rig: Rig) -> None:
    (job_id,) = rig.engine.generate(rig.pid, [rig.shot])
    rig.studio.edit_job(
        job_id, lambda j: j.start("w", {"host": "gone", "pid": 1}, "fake", {}, False, 0.0)
    )
    assert rig.runner.run(job_id) == "completed"
    assert rig.events(job_id).count("JobStarted") == 2
    assert len(rig.takes()) == 1


def test_the_newest_take_becomes_active_unless_the_user_chose_one(rig: Rig) -> None:
    first, second = (rig.engine.generate(rig.pid, [rig.shot])[0] for _ in range(2))
    rig.runner.run(first)
    rig.studio.change_shot(rig.pid, rig.shot, active_take=first)
    rig.runner.run(second)
    shot = rig.studio.project(rig.pid).state.shots[rig.shot]
    assert [t.job_id for t in shot.takes] == [first, second]
    assert shot.active_take == first, "the user's choice stays"
    rig.studio.change_shot(rig.pid, rig.shot, active_take=None)
    third = rig.engine.generate(rig.pid, [rig.shot])[0]
    rig.runner.run(third)
    assert rig.studio.project(rig.pid).state.shots[rig.shot].active_take == third


def test_undo_never_removes_a_take(rig: Rig) -> None:
    rig.studio.trim_shot(rig.pid, rig.shot, 1, 1)
    (job_id,) = rig.engine.generate(rig.pid, [rig.shot])
    rig.runner.run(job_id)
    rig.studio.undo(rig.pid)
    shot = rig.studio.project(rig.pid).state.shots[rig.shot]
    assert shot.trim_in == 0 and len(shot.takes) == 1


def test_cancel_before_start_and_while_running(tmp_path: Path) -> None:
    rig = Rig(tmp_path)
    (queued,) = rig.engine.generate(rig.pid, [rig.shot])
    outcome = rig.engine.cancel(queued)
    assert (outcome.status, outcome.changed) == ("cancelled", True)
    assert rig.runner.run(queued) == "cancelled"
    assert "JobStarted" not in rig.events(queued), "a queued job never starts"

    holder: dict[str, str] = {}
    rig.backend.on_step_hook = lambda step: step == 2 and rig.engine.cancel(holder["id"])
    (running,) = rig.engine.generate(rig.pid, [rig.shot])
    holder["id"] = running
    assert rig.runner.run(running) == "cancelled"
    assert rig.events(running)[-2:] == ["JobCancelRequested", "JobCancelled"]
    assert rig.takes() == []

    again = rig.engine.cancel(running)
    assert (again.status, again.changed) == ("cancelled", False)


def test_retry_runs_a_failed_job_again_linked_to_the_first(tmp_path: Path) -> None:
    rig = Rig(tmp_path, SteppingBackend(fail_with=ValueError("bad latent")))
    (job_id,) = rig.engine.generate(rig.pid, [rig.shot])
    assert rig.runner.run(job_id) == "failed"
    failed = rig.studio.job(job_id)
    assert failed.error == {"type": "ValueError", "message": "bad latent", "retryable": False}
    new = rig.engine.retry(job_id)
    assert rig.studio.job(job_id).retried_by == new
    assert rig.studio.job(new).retry_of == job_id
    assert rig.runner.run(new) == "completed"
    with pytest.raises(DomainError):
        rig.engine.retry(job_id)
    with pytest.raises(DomainError):
        rig.engine.retry(new)


def test_transient_errors_are_retried_and_out_of_memory_is_not(tmp_path: Path) -> None:
    rig = Rig(tmp_path, SteppingBackend(fail_with=TransientError("device busy"), fail_times=2))
    (job_id,) = rig.engine.generate(rig.pid, [rig.shot])
    assert rig.runner.run(job_id) == "completed"
    assert rig.events(job_id).count("JobStarted") == 3

    oom = Rig(tmp_path, SteppingBackend(fail_with=MemoryError("CUDA out of memory")))
    (job_id,) = oom.engine.generate(oom.pid, [oom.shot])
    assert oom.runner.run(job_id) == "failed"
    error = oom.studio.job(job_id).error
    assert error is not None and not error["retryable"]
    assert "smaller size" in error["message"] and "fewer frames" in error["message"]
    assert oom.events(job_id).count("JobStarted") == 1


def test_a_model_is_loaded_once_and_kept(rig: Rig) -> None:
    jobs = [rig.engine.generate(rig.pid, [rig.shot])[0] for _ in range(3)]
    for job_id in jobs:
        rig.runner.run(job_id)
    assert rig.loader.loads == 1
    from uuid import UUID

    started = [
        e for j in jobs for e in rig.studio.events.get(UUID(j)) if type(e).__name__ == "JobStarted"
    ]
    assert [e.model_resident for e in started] == [False, True, True]


def test_progress_is_stored_throttled_but_first_and_last_always(tmp_path: Path) -> None:
    rig = Rig(tmp_path, SteppingBackend(steps=200))
    (job_id,) = rig.engine.generate(rig.pid, [rig.shot])
    rig.runner.run(job_id)
    from uuid import UUID

    progress = [
        e for e in rig.studio.events.get(UUID(job_id)) if type(e).__name__ == "FrameProgress"
    ]
    assert progress[0].step == 1 and progress[-1].step == 200
    assert len(progress) < 20, "at most about four a second, not one per step"


def test_generating_nothing_or_an_unknown_shot_records_nothing(rig: Rig) -> None:
    before = rig.studio.recorder.max_notification_id()
    with pytest.raises(DomainError):
        rig.engine.generate(rig.pid, [])
    with pytest.raises(DomainError):
        rig.engine.generate(rig.pid, ["nope"])
    assert rig.studio.recorder.max_notification_id() == before
