"""Whatever a user types into a shot's spec or a generate command: a clear domain error and
nothing recorded, or a request a model can run. Never a crash."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from application.engine.engine import Engine
from application.studio import Studio
from domain.errors import DomainError
from domain.project.shot import SHORT_FORMS, SPEC_FIELDS
from tests.application.engine_fakes import FakeCatalog, RecordingDispatcher, TempMedia

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.sampled_from([9, 17, 121, 120, 256, 768, 2048, 4096, 32, 0, -1, 25, 61]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["auto", "ti2vid", "ic_lora", "keyframe", "close_up", "wide", "x"]),
    st.lists(
        st.fixed_dictionaries(
            {
                "asset": st.text(max_size=5),
                "frame_index": st.integers(-2, 130),
                "strength": st.floats(-1, 2),
                "type": st.sampled_from(["image", "video", "gif"]),
            }
        ),
        max_size=2,
    ),
)
keys = st.sampled_from([*SPEC_FIELDS, *SHORT_FORMS, "colour", "track", "id"])


def rig(tmp: Path) -> tuple[Studio, Engine, str, str]:
    studio = Studio(env={}, actor="fuzz@test")
    engine = Engine(studio, FakeCatalog(), TempMedia(tmp), RecordingDispatcher())
    pid = studio.create_project("Fuzz")
    scene = studio.add_scene(pid, "One")
    shot = studio.add_shot(pid, scene, prompt="a door opens")
    return studio, engine, pid, shot


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=st.dictionaries(keys, values, min_size=1, max_size=3))
def test_any_spec_change_is_applied_or_rejected_cleanly(tmp_path: Path, changes: dict) -> None:
    studio, engine, pid, shot = rig(tmp_path)
    before = studio.recorder.max_notification_id()
    try:
        studio.change_shot(pid, shot, **changes)
    except DomainError:
        assert studio.recorder.max_notification_id() == before, "a rejection records nothing"
        return
    (job_id,) = engine.generate(pid, [shot])
    request = studio.job(job_id).request
    assert (request["num_frames"] - 1) % 8 == 0 and request["num_frames"] >= 9
    assert request["width"] % 32 == 0 and request["height"] % 32 == 0
    assert 1.0 <= request["cfg_scale"] <= 20.0
    assert request["pipeline"] in ("ti2vid", "ic_lora", "keyframe")


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(refs=st.lists(st.text(max_size=10), max_size=3), all_shots=st.booleans())
def test_any_generate_command_runs_or_is_rejected_cleanly(
    tmp_path: Path, refs: list[str], all_shots: bool
) -> None:
    studio, engine, pid, shot = rig(tmp_path)
    before = studio.recorder.max_notification_id()
    try:
        jobs = engine.generate(pid, refs, all_shots=all_shots)
    except DomainError:
        assert studio.recorder.max_notification_id() == before
        return
    assert jobs and all(studio.job(j).shot_id == shot for j in jobs)
