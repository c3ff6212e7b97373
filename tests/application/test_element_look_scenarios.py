"""Element looks in the application: visualize and edit-look requests as the seed makes them,
the runner turning a finished job into a look, and a choice that lists the stale shots."""

from pathlib import Path
from typing import Any

import pytest

from application.element_looks import (
    choose_look,
    edit_look,
    job_look,
    looks,
    stale_shots,
    visualize,
)
from application.engine.engine import Engine
from application.engine.ports import GenerationOutput, MediaMissing, OnStep, ShouldCancel
from application.engine.runner import JobRunner
from application.studio import Studio
from domain.errors import ElementHasNoImage, InvalidValue
from domain.project.shot import Take
from tests.application.engine_fakes import FakeCatalog, FakeLoader, RecordingDispatcher, TempMedia


class StillBackend:
    """Writes the request's prompt and references as the 'image', at the requested size."""

    name = "fake"

    def model_info(self) -> dict[str, Any]:
        return {"id": "fake-still", "version": "1"}

    def generate(
        self, request: dict[str, Any], output_path: str, on_step: OnStep, cancelled: ShouldCancel
    ) -> GenerationOutput:
        refs = request.get("reference_images")
        Path(output_path).write_bytes(f"{request['prompt']}|{refs}|{request['seed']}".encode())
        on_step(1, 1, 1)
        return GenerationOutput(output_path, request["width"], request["height"], 1, 1.0, 0.01, 0.0)


class Rig:
    def __init__(self, tmp_path: Path):
        self.studio = Studio(env={}, actor="ana@gpu-box")
        media = TempMedia(tmp_path)
        self.engine = Engine(self.studio, FakeCatalog(), media, RecordingDispatcher())
        self.runner = JobRunner(self.studio, FakeLoader(StillBackend()), media)  # type: ignore[arg-type]
        self.pid = self.studio.create_project("Lighthouse", seed=7)
        self.mara = self.studio.define_element(
            self.pid, "Mara", "character", description="a keeper in a red coat, with @Lamp"
        )
        self.tmp = tmp_path

    def version(self) -> int:
        return int(self.studio.project(self.pid).version)

    def element(self) -> Any:
        return self.studio.project(self.pid).state.elements[self.mara]


@pytest.fixture
def rig(tmp_path: Path) -> Rig:
    return Rig(tmp_path)


def test_visualize_asks_for_the_seeds_character_sheet_with_the_image_defaults(rig: Rig) -> None:
    lamp = rig.tmp / "lamp.png"
    lamp.write_bytes(b"lamp")
    rig.studio.define_element(
        rig.pid, "Lamp", "object", description="a brass lamp", image=str(lamp)
    )
    request = rig.studio.job(visualize(rig.engine, rig.pid, "@Mara")).request
    assert request["prompt"] == (
        "Character Sheet Design for Mara: a keeper in a red coat, with Lamp (a brass lamp). "
        "Full body character turnaround, white background, high quality, concept art style."
    )
    assert request["original_prompt"] == "a keeper in a red coat, with @Lamp"
    assert (request["width"], request["height"], request["num_inference_steps"]) == (
        1024,
        1024,
        25,
    )
    assert (request["guidance_scale"], request["seed"], request["kind"]) == (2.0, 7, "image")
    assert request["reference_images"] == [str(lamp)], "the other element's image goes along"
    assert request["element_id"] == rig.mara and request["look_kind"] == "visualize"
    override = rig.studio.job(visualize(rig.engine, rig.pid, "Mara", prompt="in the rain")).request
    assert override["prompt"].startswith("Character Sheet Design for Mara: in the rain.")


@pytest.mark.parametrize(
    ("kind", "start"),
    [("location", "Concept art of Pier: "), ("object", "Concept design of Pier: ")],
)
def test_locations_and_objects_are_framed_as_the_seed_frames_them(
    rig: Rig, kind: str, start: str
) -> None:
    rig.studio.define_element(rig.pid, "Pier", kind, description="old planks")
    request = rig.studio.job(visualize(rig.engine, rig.pid, "@Pier")).request
    assert request["prompt"].startswith(start + "old planks.")


def test_a_finished_visualize_becomes_the_first_look_and_is_chosen(rig: Rig) -> None:
    job = visualize(rig.engine, rig.pid, "Mara")
    assert rig.element().looks == ()
    assert rig.runner.run(job) == "completed"
    element, look = job_look(rig.studio, rig.pid, job)  # type: ignore[misc]
    assert look.id == job and look.kind == "visualize" and (look.width, look.height) == (1024, 1024)
    assert element.image == look.path and element.look == job and element.version == 2
    assert rig.runner.run(job) == "completed"  # a second delivery adds nothing
    assert [x["chosen"] for x in looks(rig.studio, rig.pid, "Mara")] == [True]
    assert rig.studio.project(rig.pid).state.assets == {}, "a look is no gallery asset"


def test_edit_look_needs_an_image_and_a_prompt_and_records_nothing_without(rig: Rig) -> None:
    jobs = len(rig.engine.dispatcher.dispatched)  # type: ignore[attr-defined]
    with pytest.raises(ElementHasNoImage, match="element visualize"):
        edit_look(rig.engine, rig.pid, "Mara", "twenty years older")
    rig.runner.run(visualize(rig.engine, rig.pid, "Mara"))
    with pytest.raises(InvalidValue, match="prompt is empty"):
        edit_look(rig.engine, rig.pid, "Mara", "   ")
    rig.studio.change_element(rig.pid, rig.mara, image=str(rig.tmp / "gone.png"))
    with pytest.raises(MediaMissing):
        edit_look(rig.engine, rig.pid, "Mara", "older")
    assert len(rig.engine.dispatcher.dispatched) == jobs + 1, "only the visualize was requested"  # type: ignore[attr-defined]


def test_edit_look_edits_the_chosen_look_and_choosing_it_lists_the_stale_shot(rig: Rig) -> None:
    first = visualize(rig.engine, rig.pid, "Mara")
    rig.runner.run(first)
    scene = rig.studio.add_scene(rig.pid, "Deck")
    shot = rig.studio.add_shot(rig.pid, scene, prompt="@Mara waits")
    other = rig.studio.add_shot(rig.pid, scene, prompt="gulls")
    for made, used in ((shot, {rig.mara: 2}), (other, {})):
        take = Take(
            id=made, job_id=made, path="/m/t.mp4", sha256="c" * 64, num_frames=9, width=64,
            height=64, element_versions=used,
        )  # fmt: skip
        rig.studio.edit(rig.pid, lambda p, s=made, t=take: p.add_take("ana", s, t.model_dump()))

    edit = edit_look(rig.engine, rig.pid, "@Mara", "twenty  years older")
    request = rig.studio.job(edit).request
    first_path = rig.element().image
    assert request["reference_images"] == [first_path]
    assert request["reference_sha256"] == [rig.engine.media.sha256(first_path)]
    assert request["prompt"] == (
        "Mara from the reference image, twenty years older. Same framing, lighting and background."
    )
    assert (request["edited_from"], request["seed"]) == (first, 8), "seed: project's + 1 look"
    rig.runner.run(edit)
    assert rig.element().look == first, "a later look is not chosen by itself"
    assert stale_shots(rig.studio.project(rig.pid).state, rig.mara) == []

    chosen = choose_look(rig.studio, rig.pid, "Mara", edit[:6])
    assert chosen.changed and chosen.look.id == edit and chosen.look.edited_from == first
    assert chosen.element.image == chosen.look.path and chosen.element.version == 3
    (stale,) = chosen.stale_shots
    assert (stale["id"], stale["scene"], stale["used_version"], stale["current_version"]) == (
        shot,
        "Deck",
        2,
        3,
    )
    again = choose_look(rig.studio, rig.pid, "Mara", edit)
    assert not again.changed and again.stale_shots == chosen.stale_shots
    assert [x["chosen"] for x in looks(rig.studio, rig.pid, "Mara")] == [False, True]

    rig.studio.undo(rig.pid)
    assert rig.element().look == first
    assert [x["chosen"] for x in looks(rig.studio, rig.pid, "Mara")] == [True, False]
