"""An element's looks: added by finished jobs (outside undo), chosen by an edit (undoable), and
every choice raises the element's version, so takes made with an older look go stale."""

import pytest

from domain.errors import AmbiguousReference, NotFound
from domain.project.look import look_of_job
from domain.project.shot import Take


def a_look(job: str, kind: str = "visualize", edited_from: str | None = None) -> dict:
    return look_of_job(
        job,
        {
            "look_kind": kind,
            "original_prompt": "twenty years older" if kind == "edit" else "red coat",
            "edited_from": edited_from,
            "reference_images": ["/media/mara.png"] if kind == "edit" else [],
        },
        {"path": f"/media/looks/{job}.png", "sha256": job[0] * 64, "width": 64, "height": 64},
    )


@pytest.fixture
def mara(log):
    return log, log.do("define_element", "Mara", "character", description="red coat")


def test_the_first_look_of_an_element_without_an_image_is_chosen_with_it(mara) -> None:
    log, mara_id = mara
    assert log.do("add_look", mara_id, a_look("a" * 32)) is True
    added, chosen = log.events[-2:]
    assert type(added).__name__ == "ElementLookAdded" and not added.undoable
    assert type(chosen).__name__ == "ElementLookChosen" and chosen.automatic
    element = log.state.elements[mara_id]
    assert (element.image, element.look, element.version) == (
        f"/media/looks/{'a' * 32}.png",
        "a" * 32,
        2,
    )
    assert chosen.summary().endswith("chose look aaaaaaaa (its first)")


def test_a_later_look_is_only_added_and_a_second_delivery_adds_nothing(mara) -> None:
    log, mara_id = mara
    log.do("add_look", mara_id, a_look("a" * 32))
    version = log.version
    assert log.do("add_look", mara_id, a_look("b" * 32, "edit", edited_from="a" * 32)) is True
    assert log.version == version + 1
    assert log.do("add_look", mara_id, a_look("b" * 32, "edit")) is False
    assert log.do("add_look", "f" * 32, a_look("c" * 32)) is False  # the element is gone
    element = log.state.elements[mara_id]
    assert [look.id[:1] for look in element.looks] == ["a", "b"]
    assert element.look == "a" * 32 and element.version == 2
    edit = element.looks[1]
    assert (edit.kind, edit.edited_from, edit.reference, edit.prompt) == (
        "edit",
        "a" * 32,
        "/media/mara.png",
        "twenty years older",
    )


def test_choosing_a_look_raises_the_version_and_undo_brings_the_old_look_back(mara) -> None:
    log, mara_id = mara
    log.do("add_look", mara_id, a_look("a" * 32))
    log.do("add_look", mara_id, a_look("b" * 32, "edit"))
    assert log.do("choose_look", "@Mara", "bbb") is True
    element = log.state.elements[mara_id]
    assert (element.look, element.image, element.version) == (
        "b" * 32,
        f"/media/looks/{'b' * 32}.png",
        3,
    )
    assert log.do("choose_look", "Mara", "b" * 32) is False  # already: nothing recorded
    assert type(log.events[-1]).__name__ == "ElementLookChosen"

    assert log.undo() == log.version - 1
    element = log.state.elements[mara_id]
    assert (element.look, element.image) == ("a" * 32, f"/media/looks/{'a' * 32}.png")
    assert element.version == 4, "a version only rises, even through undo"
    assert [look.id[:1] for look in element.looks] == ["a", "b"], "undo never removes a look"
    log.redo()
    assert log.state.elements[mara_id].look == "b" * 32
    assert log.state.elements[mara_id].version == 5
    assert log.replayed() == log.state


def test_undoing_the_automatic_choice_leaves_the_element_without_an_image(mara) -> None:
    log, mara_id = mara
    log.do("add_look", mara_id, a_look("a" * 32))
    log.undo()
    element = log.state.elements[mara_id]
    assert (element.image, element.look, len(element.looks)) == (None, None, 1)


def test_a_take_made_with_an_older_look_is_stale_after_a_choice(mara) -> None:
    log, mara_id = mara
    log.do("add_look", mara_id, a_look("a" * 32))
    log.do("add_look", mara_id, a_look("b" * 32))
    scene = log.do("add_scene", "Deck")
    shot = log.do("add_shot", scene, prompt="@Mara waits")
    take = Take(
        id="t" * 32, job_id="t" * 32, path="/media/t.mp4", sha256="c" * 64, num_frames=9,
        width=64, height=64, element_versions={mara_id: 2},
    )  # fmt: skip
    log.do("add_take", shot, take.model_dump())
    log.do("choose_look", mara_id, "b")
    used = log.state.shots[shot].takes[0].element_versions[mara_id]
    assert log.state.elements[mara_id].version > used


def test_an_unknown_or_ambiguous_look_is_refused_and_records_nothing(mara) -> None:
    log, mara_id = mara
    log.do("add_look", mara_id, a_look("ab" + "a" * 30))
    log.do("add_look", mara_id, a_look("ac" + "c" * 30))
    version = log.version
    with pytest.raises(NotFound):
        log.do("choose_look", mara_id, "zz")
    with pytest.raises(AmbiguousReference):
        log.do("choose_look", mara_id, "a")
    with pytest.raises(NotFound):
        log.do("choose_look", "Nobody", "ab")
    assert log.version == version


def test_setting_the_image_by_hand_names_the_look_only_when_it_is_that_looks_file(mara) -> None:
    log, mara_id = mara
    log.do("add_look", mara_id, a_look("a" * 32))
    log.do("add_look", mara_id, a_look("b" * 32))
    log.do("change_element", mara_id, image="/home/ana/mara.jpg")
    assert log.state.elements[mara_id].look is None
    log.do("change_element", mara_id, image=f"/media/looks/{'b' * 32}.png")
    assert log.state.elements[mara_id].look == "b" * 32
    log.undo()
    assert log.state.elements[mara_id].look is None
    assert log.state.elements[mara_id].image == "/home/ana/mara.jpg"


def test_removing_an_element_and_undoing_it_keeps_its_looks(mara) -> None:
    log, mara_id = mara
    log.do("add_look", mara_id, a_look("a" * 32))
    log.do("remove_element", mara_id)
    log.undo()
    element = log.state.elements[mara_id]
    assert [look.id for look in element.looks] == ["a" * 32] and element.look == "a" * 32
