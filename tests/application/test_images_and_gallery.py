"""The gallery in the application: a still from a prompt and references, and deleting assets
whose files go only when nothing in any project refers to them."""

import hashlib
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from application.asset_deletion import delete_asset
from application.engine.engine import Engine
from application.engine.ports import GenerationOutput, OnStep, ShouldCancel
from application.engine.runner import JobRunner
from application.images import image_request, request_image
from application.queries import Queries
from application.studio import Studio
from domain.errors import AssetInUse, InvalidValue, NotFound
from tests.application.engine_fakes import FakeCatalog, FakeLoader, RecordingDispatcher, TempMedia


class StillBackend:
    """Paints a still of the requested size in a colour from its seed and reference count."""

    name = "fake"

    def model_info(self) -> dict[str, Any]:
        return {"id": "fake-still", "version": "1"}

    def generate(
        self, request: dict[str, Any], output_path: str, on_step: OnStep, cancelled: ShouldCancel
    ) -> GenerationOutput:
        size = (request["width"], request["height"])
        colour = (request["seed"] % 256, len(request["reference_images"]) * 60, 90)
        Image.new("RGB", size, colour).save(output_path, format="PNG")
        on_step(1, 1, 1)
        return GenerationOutput(output_path, *size, 1, 1.0, 0.01, 0.0)


class RemovingFiles:
    def __init__(self) -> None:
        self.removed: list[str] = []

    def remove(self, path: str) -> bool:
        Path(path).unlink()
        self.removed.append(path)
        return True


class Rig:
    def __init__(self, tmp_path: Path, studio: Studio, queries: Queries):
        self.tmp, self.studio, self.queries = tmp_path, studio, queries
        self.dispatcher = RecordingDispatcher()
        media = TempMedia(tmp_path)
        self.engine = Engine(studio, FakeCatalog(), media, self.dispatcher)
        self.runner = JobRunner(studio, FakeLoader(StillBackend()), media)  # type: ignore[arg-type]
        self.files = RemovingFiles()
        self.pid = studio.create_project("Lighthouse", seed=7)

    def still(self, name: str, size: tuple[int, int] = (320, 240), kind: str = "image") -> str:
        path = self.tmp / name
        Image.new("RGB", size, (len(name) * 9, 40, 80)).save(path, format="PNG")
        return self.add(path, kind, size, name)

    def add(self, path: Path, kind: str, size: tuple[int, int], name: str, pid: str = "") -> str:
        fields = {
            "kind": kind,
            "path": str(path),
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "width": size[0],
            "height": size[1],
            "name": name,
            "source": {"import": f"/home/ana/{name}"},
        }
        return str(self.studio.edit(pid or self.pid, lambda p: p.add_asset("ana", **fields)))

    def version(self) -> int:
        return int(self.studio.project(self.pid).version)

    def delete(self, ref: str, pid: str = "") -> Any:
        return delete_asset(self.studio, self.queries, self.files, pid or self.pid, ref)


@pytest.fixture
def rig(tmp_path: Path, studio: Studio, queries: Queries) -> Rig:
    return Rig(tmp_path, studio, queries)


def test_an_image_takes_the_seed_defaults_and_becomes_an_asset_named_by_its_prompt(rig: Rig):
    door = rig.still("door.png")
    job_id = request_image(rig.engine, rig.pid, "  the keeper's door,\n at dusk ", ["door.png"])
    job = rig.studio.job(job_id)
    assert job.kind == "image" and job.shot_id is None
    request = job.request
    assert (request["width"], request["height"], request["num_inference_steps"]) == (1024, 1024, 25)
    assert (request["guidance_scale"], request["seed"]) == (2.0, 7)
    assert request["prompt"] == "the keeper's door, at dusk"
    asset = rig.studio.project(rig.pid).state.assets[door]
    assert request["reference_images"] == [asset.path] and request["reference_assets"] == [door]
    assert request["reference_sha256"] == [asset.sha256]
    assert (request["backend"], request["model"]) == ("fake", "fake-model")
    assert rig.dispatcher.dispatched == [job_id]

    assert rig.runner.run(job_id) == "completed"
    made = rig.studio.project(rig.pid).state.assets[job_id]
    assert made.kind == "image" and (made.width, made.height) == (1024, 1024)
    assert made.name == f"image {job_id[:8]} the keeper's door, at dusk"
    assert made.source == {"job_id": job_id} and Path(made.path).is_file()


def test_size_seed_and_steps_are_taken_as_given(rig: Rig):
    job_id = request_image(rig.engine, rig.pid, "quay", width=512, height=768, seed=3, steps=4)
    request = rig.studio.job(job_id).request
    assert (request["width"], request["height"], request["seed"]) == (512, 768, 3)
    assert request["num_inference_steps"] == 4 and request["reference_images"] == []


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"prompt": "  "}, "the prompt is empty"),
        ({"width": 1000}, "multiple of 16 between 256 and 2048: got 1000, try 992"),
        ({"height": 4096}, "got 4096, try 2048"),
        ({"steps": 0}, "num_inference_steps must be between 1 and 200"),
        ({"seed": -1}, "seed must be between 0"),
        ({"refs": ["clip.mp4"]}, "is video: a reference must be a still image"),
        ({"refs": ["tiny.png"]}, "is 32×32: a reference needs at least 64 px a side"),
        ({"refs": ["strip.png"]}, "aspect ratio up to 8:1"),
        ({"refs": ["door.png"] * 11}, "at most 10 reference images"),
    ],
)
def test_a_request_the_backend_could_not_run_is_refused_and_nothing_recorded(
    rig: Rig, arguments: dict[str, Any], message: str
):
    rig.still("door.png")
    rig.still("tiny.png", (32, 32))
    rig.still("strip.png", (900, 100))
    (rig.tmp / "clip.mp4").write_bytes(b"a clip, as far as this test is concerned")
    rig.add(rig.tmp / "clip.mp4", "video", (320, 240), "clip.mp4")
    version = rig.version()
    call = {"prompt": "a door", "refs": [], **arguments}
    with pytest.raises(InvalidValue, match=message):
        request_image(rig.engine, rig.pid, call.pop("prompt"), call.pop("refs"), **call)
    with pytest.raises(NotFound):
        request_image(rig.engine, rig.pid, "a door", ["nothing.png"])
    assert rig.dispatcher.dispatched == [] and rig.version() == version


def test_the_request_builder_serves_other_use_cases_with_their_own_guidance(rig: Rig):
    state = rig.studio.project(rig.pid).state
    request = image_request(state, "Mara, twenty years older", guidance=3.5, negative_prompt="x")
    assert (request["guidance_scale"], request["negative_prompt"], request["seed"]) == (3.5, "x", 7)


def test_deleting_an_unused_asset_removes_its_file_after_recording_the_deletion(rig: Rig):
    job_id = request_image(rig.engine, rig.pid, "quay", width=256, height=256)
    rig.runner.run(job_id)
    path = rig.studio.project(rig.pid).state.assets[job_id].path
    done = rig.delete(job_id[:6])
    assert done.file_removed and done.kept_because == [] and rig.files.removed == [path]
    assert job_id not in rig.studio.project(rig.pid).state.assets
    history = rig.studio.history(rig.pid)
    assert history[-1]["type"] == "AssetDeleted" and "file removed" in history[-1]["summary"]
    with pytest.raises(NotFound):
        rig.delete(job_id)


def test_a_file_stays_while_another_project_or_this_one_still_refers_to_it(rig: Rig):
    door = rig.still("door.png")
    path = rig.studio.project(rig.pid).state.assets[door].path
    other = rig.studio.create_project("Harbour")
    copy = rig.add(Path(path), "image", (320, 240), "door copy.png", pid=other)
    rig.studio.define_element(rig.pid, "Mara", "character", image=path)

    done = rig.delete("door.png")
    assert not done.file_removed and Path(path).is_file() and rig.files.removed == []
    assert done.kept_because == [
        "the reference image of element 'Mara' in project 'Lighthouse'",
        f"asset {copy[:8]} ('door copy.png') of project 'Harbour'",
    ]
    assert rig.studio.history(rig.pid)[-1]["summary"].endswith("file kept")


def test_a_file_an_unfinished_job_reads_stays(rig: Rig):
    door = rig.still("door.png")
    job_id = request_image(rig.engine, rig.pid, "the door, older", [door])
    done = rig.delete(door)
    assert done.kept_because == [f"image job {job_id[:8]} (queued)"] and not done.file_removed


def test_an_asset_a_shot_is_conditioned_on_is_refused_with_nothing_recorded(rig: Rig):
    door = rig.still("door.png")
    path = rig.studio.project(rig.pid).state.assets[door].path
    scene = rig.studio.add_scene(rig.pid, "Quay")
    shot = rig.studio.add_shot(rig.pid, scene)
    rig.studio.change_shot(rig.pid, shot, conditioning=[{"asset": path}])
    version = rig.version()
    with pytest.raises(AssetInUse, match=f"conditions shot {shot[:8]}"):
        rig.delete("door.png")
    assert rig.version() == version and Path(path).is_file()
