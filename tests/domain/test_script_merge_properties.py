"""Properties of any import after any import, found by hypothesis."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.project.script_merge import merge_script
from domain.script.plan import PlannedScene, PlannedShot, ScriptPlan

SCENES = ("platform", "carriage", "hall")
BEATS = tuple(f"b{n}" for n in range(8))


@st.composite
def plans(draw: st.DrawFn) -> ScriptPlan:
    keys = draw(st.permutations(BEATS))[: draw(st.integers(1, len(BEATS)))]
    scene_keys = draw(st.lists(st.sampled_from(SCENES), min_size=1, max_size=3, unique=True))
    cuts = sorted(
        draw(
            st.lists(
                st.integers(0, len(keys)),
                min_size=len(scene_keys) - 1,
                max_size=len(scene_keys) - 1,
            )
        )
    )
    bounds = [0, *cuts, len(keys)]
    scenes = []
    for n, scene in enumerate(scene_keys):
        beats = tuple(
            PlannedShot(
                key=k,
                action=draw(st.sampled_from(["", "run", "wait"])) + k,
                shot_type=draw(st.sampled_from(["medium", "wide", "close_up"])),
                duration_seconds=draw(st.sampled_from([0.5, 2.0, 4.0])),
            )
            for k in keys[bounds[n] : bounds[n + 1]]
        )
        scenes.append(
            PlannedScene(key=scene, name=scene.title(), heading=scene.upper(), shots=beats)
        )
    return ScriptPlan(mode="fountain", scenes=tuple(scenes))


def has_beats(plan: ScriptPlan) -> bool:
    return any(s.shots for s in plan.scenes)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=plans(), second=plans(), prune=st.booleans(), edit=st.booleans())
def test_any_reimport_merges_predictably_and_undoes_as_one_step(
    new_log, first, second, prune, edit
):
    if not (has_beats(first) and has_beats(second)):
        return
    log = new_log()
    hand_scene = log.do("add_scene", "By hand")
    hand_shot = log.do("add_shot", hand_scene, prompt="mine")
    log.do("import_script", first)
    edited = None
    if edit:
        edited = min(s.id for s in log.state.shots.values() if s.beat)
        log.do("change_shot", edited, action="the user's words")
    before, version = log.state, log.version
    _, preview = merge_script(before, second, prune)
    result = log.do("import_script", second, prune)

    assert result.counts() == preview.counts()
    assert log.replayed() == log.state
    by_key = {s.beat.key: s for s in log.state.shots.values() if s.beat}
    planned = {b.key for scene in second.scenes for b in scene.shots}
    assert planned <= set(by_key), "every beat of the script has its shot"
    gone = {o.key for o in result.gone}
    paired = {o.previous_key: o.shot_id for o in result.updated if o.previous_key}
    before_keys = {s.beat.key for s in before.shots.values() if s.beat}
    assert set(paired) <= before_keys - planned, "only a gone beat's shot takes an edited line"
    assert gone == before_keys - planned - set(paired)
    assert all(before.shots[shot].beat.key == key for key, shot in paired.items())
    assert (set(by_key) - planned == set()) if prune else (set(by_key) - planned == gone)
    assert log.state.shots[hand_shot].prompt == "mine"
    if edited is not None and edited in log.state.shots:
        assert log.state.shots[edited].action == "the user's words"
    for scene in log.state.scenes:
        indices = [s.index for s in log.state.scene_shots(scene)]
        assert indices == list(range(len(indices)))
    assert [s.index for s in log.state.ordered_scenes()] == list(range(len(log.state.scenes)))

    if log.version > version:
        log.undo()
        assert log.state == before.replace(element_clock=log.state.element_clock)
