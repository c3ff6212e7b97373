"""A shot's prompt: its text, its character and location elements, the framing and the style."""

from application.engine.prompts import compose
from application.studio import Studio


def studio() -> Studio:
    return Studio(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, actor="test@host")


def film(s: Studio) -> tuple[str, str]:
    pid = s.create_project("The Keeper")
    scene = s.add_scene(pid, "Lamp Room", heading="INT. LAMP ROOM - NIGHT")
    s.define_element(pid, "Mara Quinn", "character", description="a keeper in her sixties")
    s.define_element(pid, "Lamp Room", "location", description="brass and salt-stained glass")
    s.define_element(pid, "Jonah", "character", trigger_word="@Jonah", description="a coastguard")
    return pid, scene


def test_a_cue_and_a_heading_bring_their_elements_by_name() -> None:
    s = studio()
    pid, scene = film(s)
    shot = s.add_shot(
        pid,
        scene,
        character="MARA",
        dialogue="Someone has to keep it burning.",
        shot_type="close_up",
    )
    state = s.project(pid).state
    prompt, _, used = compose(state.shots[shot], state)
    assert prompt.startswith("close-up shot.")
    assert 'Mara Quinn says: "Someone has to keep it burning."' in prompt
    assert "a keeper in her sixties" in prompt
    assert "Setting: Lamp Room (brass and salt-stained glass)." in prompt
    by_name = {e.name: e.id for e in state.elements.values()}
    assert used == {by_name["Mara Quinn"]: 1, by_name["Lamp Room"]: 1}


def test_a_trigger_word_becomes_name_and_description_and_the_style_is_added() -> None:
    s = studio()
    pid, scene = film(s)
    s.define_style(
        pid, "noir", prompt_additions="high-contrast black and white", negative_prompt="colour"
    )
    s.change_settings(pid, style="noir")
    shot = s.add_shot(pid, scene, action="@Jonah waits in the doorway.", negative_prompt="blur")
    state = s.project(pid).state
    prompt, negative, used = compose(state.shots[shot], state)
    assert "Jonah (a coastguard) waits in the doorway." in prompt
    assert prompt.endswith("high-contrast black and white")
    assert negative == "blur, colour"
    assert len(used) == 2  # Jonah by trigger, the Lamp Room by the scene's heading


def test_only_this_projects_elements_are_used() -> None:
    s = studio()
    film(s)
    other = s.create_project("Another film")
    scene = s.add_scene(other, "Harbour", heading="EXT. HARBOUR - DAY")
    shot = s.add_shot(other, scene, action="@Jonah and MARA on the quay.", character="MARA")
    state = s.project(other).state
    prompt, _, used = compose(state.shots[shot], state)
    assert "@Jonah" in prompt and "coastguard" not in prompt and "sixties" not in prompt
    assert used == {}


def test_a_shared_first_name_names_no_element() -> None:
    s = studio()
    pid, scene = film(s)
    s.define_element(pid, "Mara Ash", "character", description="her sister")
    shot = s.add_shot(pid, scene, character="MARA", action="She turns.")
    state = s.project(pid).state
    prompt, _, used = compose(state.shots[shot], state)
    assert "sixties" not in prompt and "sister" not in prompt
    assert "Featuring MARA." in prompt
    assert [state.elements[e].name for e in used] == ["Lamp Room"]
