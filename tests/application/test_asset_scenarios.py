"""Assets in the application: imports through the store port, masks and fills from jobs."""

from pathlib import Path
from typing import Any

import pytest

from application.assets import import_asset, inpaint, job_asset, segment
from application.engine.engine import Engine
from application.engine.ports import (
    GenerationOutput,
    MediaRejected,
    OnStep,
    ShouldCancel,
    StoredMedia,
)
from application.engine.runner import JobRunner
from application.studio import Studio
from domain.errors import InvalidValue, NotFound
from tests.application.engine_fakes import FakeCatalog, FakeLoader, RecordingDispatcher, TempMedia

SHA = "5" * 64


class FakeStore:
    """Answers as the real store would for a 640×480 still, or refuses one named 'bad'."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def store(self, source: str) -> StoredMedia:
        self.calls.append(source)
        if "bad" in source:
            raise MediaRejected(f"{source} is not a media file PyAV can read")
        sha = SHA if "door" in source else "6" * 64
        return StoredMedia(
            f"/media/assets/{sha[:2]}/{sha}.png", sha, "image", 640, 480, 1, None, None, False,
            origin=f"/home/ana/{source}",
        )  # fmt: skip


class MaskBackend:
    """Writes its request's kind and prompt as the 'image' (the runner only hashes it)."""

    name = "fake"

    def model_info(self) -> dict[str, Any]:
        return {"id": "fake-mask", "version": "1"}

    def generate(
        self, request: dict[str, Any], output_path: str, on_step: OnStep, cancelled: ShouldCancel
    ) -> GenerationOutput:
        Path(output_path).write_bytes(repr(sorted(request.items())).encode())
        on_step(1, 1, 1)
        return GenerationOutput(output_path, 640, 480, 1, 1.0, 0.01, 0.0)


class Rig:
    def __init__(self, tmp_path: Path):
        self.studio = Studio(env={}, actor="ana@gpu-box")
        self.store = FakeStore()
        media = TempMedia(tmp_path)
        self.engine = Engine(self.studio, FakeCatalog(), media, RecordingDispatcher())
        self.runner = JobRunner(self.studio, FakeLoader(MaskBackend()), media)  # type: ignore[arg-type]
        self.pid = self.studio.create_project("Lighthouse")

    def version(self) -> int:
        return int(self.studio.project(self.pid).version)


@pytest.fixture
def rig(tmp_path: Path) -> Rig:
    return Rig(tmp_path)


def test_an_import_is_recorded_once_and_a_second_one_says_already(rig: Rig) -> None:
    first = import_asset(rig.studio, rig.store, rig.pid, "door.png")
    assert not first.already
    assert first.asset.source == {"import": "/home/ana/door.png"} and first.asset.name == "door.png"
    version = rig.version()
    again = import_asset(rig.studio, rig.store, rig.pid, "door.png")
    assert again.already and again.asset.id == first.asset.id and rig.version() == version


def test_a_refused_file_or_an_unknown_project_records_nothing(rig: Rig) -> None:
    version = rig.version()
    with pytest.raises(MediaRejected):
        import_asset(rig.studio, rig.store, rig.pid, "bad.png")
    with pytest.raises(NotFound):
        import_asset(rig.studio, rig.store, "f" * 32, "door.png")
    assert rig.version() == version and rig.store.calls == ["bad.png"]


def test_a_segment_job_makes_a_mask_asset_and_an_inpaint_an_image(rig: Rig) -> None:
    image = import_asset(rig.studio, rig.store, rig.pid, "door.png").asset
    job = segment(rig.engine, rig.pid, "door.png", point=(320, 240))
    assert rig.studio.job(job).request["points"] == [[320, 240]]
    assert rig.runner.run(job) == "completed"
    mask = job_asset(rig.studio, rig.pid, job, rig.studio.job(job).output["sha256"])  # type: ignore[index]
    assert mask is not None and mask.kind == "mask" and mask.source == {"job_id": job}
    assert rig.runner.run(job) == "completed"  # a second delivery adds nothing
    assert len(rig.studio.project(rig.pid).state.assets) == 2

    fill = inpaint(rig.engine, rig.pid, image.id[:6], mask.id[:6], "a red door", steps=4)
    request = rig.studio.job(fill).request
    assert (request["image"], request["mask"], request["seed"]) == (image.path, mask.path, 42)
    assert (request["width"], request["height"], request["num_inference_steps"]) == (640, 480, 4)
    rig.runner.run(fill)
    made = job_asset(rig.studio, rig.pid, fill, None)
    assert made is not None and made.kind == "image"


@pytest.mark.parametrize(
    "prompt",
    [
        {"point": (640, 10)},
        {"point": (-1, 10)},
        {"box": (10, 10, 700, 20)},
        {"box": (50, 50, 10, 60)},
        {"text": "the sky"},  # on the animatic backend, which segments from points and boxes
        {},
    ],
)
def test_a_bad_segment_prompt_records_no_job(rig: Rig, prompt: dict[str, Any]) -> None:
    import_asset(rig.studio, rig.store, rig.pid, "door.png")
    if "text" in prompt:
        rig.engine.catalog = AnimaticCatalog()
    with pytest.raises(InvalidValue):
        segment(rig.engine, rig.pid, "door.png", **prompt)
    assert rig.engine.dispatcher.dispatched == []  # type: ignore[attr-defined]


def test_inpaint_needs_a_mask_of_the_image_size_and_a_prompt(rig: Rig) -> None:
    image = import_asset(rig.studio, rig.store, rig.pid, "door.png").asset
    other = import_asset(rig.studio, rig.store, rig.pid, "window.png").asset
    rig.studio.edit(
        rig.pid,
        lambda p: p.add_asset(
            "ana", **{**other.model_dump(), "id": "9" * 32, "sha256": "7" * 64, "width": 320}
        ),
    )
    with pytest.raises(InvalidValue, match="same size"):
        inpaint(rig.engine, rig.pid, image.id, "9" * 32, "a door")
    with pytest.raises(InvalidValue, match="prompt is empty"):
        inpaint(rig.engine, rig.pid, image.id, other.id, "  ")
    with pytest.raises(InvalidValue, match="steps"):
        inpaint(rig.engine, rig.pid, image.id, other.id, "a door", steps=0)
    assert rig.engine.dispatcher.dispatched == []  # type: ignore[attr-defined]


class AnimaticCatalog:
    def choose(self, kind: str, pipeline: str) -> tuple[str, str]:
        return "animatic", "animatic"
