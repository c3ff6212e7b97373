"""Every take gets a thumbnail and a shot can get concept art: real animatic media, real PyAV."""

from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from application.engine.engine import Engine
from application.engine.runner import JobRunner
from application.studio import Studio
from domain.errors import InvalidValue
from infrastructure.media_store import LocalMediaStore
from infrastructure.thumbnails import FrameThumbnailer, ThumbnailError, middle_frame
from models.catalog import ModelCatalog
from models.loader import ResidentModels
from tests.application.engine_fakes import (
    FakeCatalog,
    FakeLoader,
    RecordingDispatcher,
    SteppingBackend,
    TempMedia,
)


class Rig:
    def __init__(self, tmp_path: Path):
        self.media_dir = tmp_path / "media"
        self.studio = Studio(env={}, actor="ana@gpu-box")
        media = LocalMediaStore(self.media_dir)
        self.engine = Engine(self.studio, ModelCatalog(None), media, RecordingDispatcher())
        self.runner = JobRunner(
            self.studio, ResidentModels(), media, thumbnailer=FrameThumbnailer(self.media_dir)
        )
        self.pid = self.studio.create_project("Pier", width=384, height=256)
        self.scene = self.studio.add_scene(self.pid, "Pier", heading="EXT. PIER - DUSK")
        self.shot = self.studio.add_shot(
            self.pid, self.scene, action="Mara walks the pier", character="MARA", num_frames=17
        )

    def shot_state(self):  # type: ignore[no-untyped-def]
        return self.studio.project(self.pid).state.shots[self.shot]


@pytest.fixture
def rig(tmp_path: Path) -> Rig:
    return Rig(tmp_path)


def test_a_video_take_gets_a_320_wide_jpeg_of_its_middle_frame(rig: Rig) -> None:
    (job_id,) = rig.engine.generate(rig.pid, [rig.shot])
    assert rig.runner.run(job_id) == "completed"
    (take,) = rig.shot_state().takes
    expected = rig.media_dir / "projects" / rig.pid / "thumbnails" / f"{take.id}.jpg"
    assert take.thumbnail == str(expected.resolve())
    with Image.open(take.thumbnail) as thumb:
        assert thumb.format == "JPEG" and thumb.size == (320, round(256 * 320 / 384))
        pixels = np.asarray(thumb.convert("RGB"), dtype=np.float32)
    # It is the middle frame: closer to frame 8 of 17 than to the first or the last.
    with av.open(take.path) as container:
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    assert len(frames) == 17

    def distance(index: int) -> float:
        small = Image.fromarray(frames[index]).resize((320, 213), Image.Resampling.LANCZOS)
        return float(np.abs(np.asarray(small, dtype=np.float32) - pixels).mean())

    assert distance(8) < distance(0) and distance(8) < distance(16)
    assert rig.studio.job(job_id).output["thumbnail"] == take.thumbnail  # type: ignore[index]


def test_an_image_take_gets_a_thumbnail_of_the_image_itself(rig: Rig) -> None:
    request = {"prompt": "the pier", "width": 480, "height": 272, "seed": 3, "num_frames": 1}
    job_id = rig.engine.request(rig.pid, "image", request, shot_id=rig.shot)
    assert rig.runner.run(job_id) == "completed"
    (take,) = rig.shot_state().takes
    assert take.thumbnail is not None
    with Image.open(take.path) as full, Image.open(take.thumbnail) as thumb:
        assert thumb.width == 320
        assert abs(thumb.height / thumb.width - full.height / full.width) < 0.01


def test_an_unreadable_take_still_completes_without_a_thumbnail_and_says_why(
    tmp_path: Path,
) -> None:
    studio = Studio(env={}, actor="ana@gpu-box")

    class Catalog(FakeCatalog):
        def max_frames(self, backend: str) -> int | None:
            return None

    media = TempMedia(tmp_path)
    engine = Engine(studio, Catalog(), media, RecordingDispatcher())
    thumbnailer = FrameThumbnailer(tmp_path / "media")
    runner = JobRunner(studio, FakeLoader(SteppingBackend()), media, thumbnailer=thumbnailer)
    pid = studio.create_project("Garbage")
    shot = studio.add_shot(pid, studio.add_scene(pid, "S"), prompt="noise", num_frames=17)
    (job_id,) = engine.generate(pid, [shot])
    assert runner.run(job_id) == "completed"
    output = studio.job(job_id).output
    assert output is not None and output["thumbnail"] is None
    assert "neither an image nor a video" in output["thumbnail_error"]
    (take,) = studio.project(pid).state.shots[shot].takes
    assert take.thumbnail is None


def test_a_missing_file_or_a_file_without_video_is_a_clear_thumbnail_error(
    tmp_path: Path,
) -> None:
    with pytest.raises(ThumbnailError, match="does not exist"):
        FrameThumbnailer(tmp_path).thumbnail(str(tmp_path / "gone.mp4"), "p", "t")
    silent = tmp_path / "silence.wav"
    with av.open(str(silent), "w") as container:
        stream = container.add_stream("pcm_s16le", rate=8000)
        frame = av.AudioFrame.from_ndarray(
            np.zeros((1, 800), np.int16), format="s16", layout="mono"
        )
        frame.sample_rate = 8000
        for packet in stream.encode(frame):
            container.mux(packet)
    with pytest.raises(ThumbnailError, match="no video stream"):
        middle_frame(str(silent))


def test_concept_art_is_an_image_job_whose_still_joins_the_shot_and_survives_undo(
    rig: Rig,
) -> None:
    job_id = rig.engine.concept_art(rig.pid, rig.shot[:8])
    job = rig.studio.job(job_id)
    assert job.kind == "concept" and job.shot_id == rig.shot
    assert (job.request["width"], job.request["height"]) == (384, 256)
    assert job.request["backend"] == "animatic" and job.request["enhancer"] is None
    assert rig.runner.run(job_id) == "completed"
    art = rig.shot_state().concept_art
    assert art is not None and art == rig.studio.job(job_id).output["path"]  # type: ignore[index]
    with Image.open(art) as still:
        assert still.format == "PNG" and still.size == (384, 256)
    assert rig.shot_state().takes == ()  # concept art is not a take

    rig.studio.change_shot(rig.pid, rig.shot, prompt="Mara runs")
    (take_job,) = rig.engine.generate(rig.pid, [rig.shot])
    rig.runner.run(take_job)
    thumbnail = rig.shot_state().takes[0].thumbnail
    assert rig.studio.undo(rig.pid) is not None  # the prompt change
    shot = rig.shot_state()
    assert shot.prompt == "" and shot.concept_art == art
    assert shot.takes[0].thumbnail == thumbnail is not None
    history = [h["type"] for h in rig.studio.history(rig.pid)]
    assert "ConceptArtAdded" in history and history[-1] == "EditUndone"


def test_an_audio_shot_has_no_concept_art_and_nothing_is_recorded(rig: Rig) -> None:
    audio = rig.studio.add_shot(rig.pid, rig.scene, track="A1", start_frame=0, num_frames=17)
    before = len(rig.studio.history(rig.pid))
    with pytest.raises(InvalidValue, match="audio track"):
        rig.engine.concept_art(rig.pid, audio)
    assert len(rig.studio.history(rig.pid)) == before


def test_a_poster_the_backend_still_holds_is_used_without_decoding_the_take(
    tmp_path: Path,
) -> None:
    rig = Rig(tmp_path)
    (job_id,) = rig.engine.generate(rig.pid, [rig.shot])
    assert rig.runner.run(job_id) == "completed"
    take = rig.studio.project(rig.pid).state.shots[rig.shot].takes[0]
    # The animatic hands over its middle frame: the thumbnail matches the decoded middle frame.
    assert take.thumbnail is not None
    made = np.asarray(Image.open(take.thumbnail).convert("RGB"), dtype=float)
    decoded = np.asarray(
        middle_frame(take.path).resize((made.shape[1], made.shape[0])), dtype=float
    )
    assert np.abs(made - decoded).mean() < 6.0
    # A given poster wins over the file: a solid red frame gives a red thumbnail.
    red = np.zeros((256, 384, 3), dtype=np.uint8)
    red[..., 0] = 255
    path = FrameThumbnailer(rig.media_dir).thumbnail(take.path, rig.pid, "poster", red)
    pixels = np.asarray(Image.open(path).convert("RGB"), dtype=float)
    assert pixels[..., 0].mean() > 240 and pixels[..., 1:].mean() < 15


def test_a_job_completes_in_the_same_transaction_that_adds_its_take(tmp_path: Path) -> None:
    rig = Rig(tmp_path)
    (job_id,) = rig.engine.generate(rig.pid, [rig.shot])
    inserts: list[list[str]] = []
    insert = rig.studio.recorder.insert_events

    def recording(events: list, **kwargs: object) -> object:  # type: ignore[type-arg]
        inserts.append([e.topic.rsplit(":", 1)[-1] for e in events])
        return insert(events, **kwargs)

    rig.studio.recorder.insert_events = recording  # type: ignore[method-assign]
    assert rig.runner.run(job_id) == "completed"
    # One insert, one transaction: whoever reads the job as completed finds the take.
    (together,) = [batch for batch in inserts if "JobCompleted" in batch]
    assert together == ["JobCompleted", "TakeAdded"]


def test_nothing_is_completed_when_the_project_refuses_what_the_job_adds(tmp_path: Path) -> None:
    rig = Rig(tmp_path)
    (job_id,) = rig.engine.generate(rig.pid, [rig.shot])

    def refuse(project: object) -> None:
        raise InvalidValue("the project refuses")

    with pytest.raises(InvalidValue):
        rig.studio.edit_job_and_project(
            job_id, lambda j: j.complete("ana@gpu-box", {"path": "x"}, {}), rig.pid, refuse
        )
    assert rig.studio.job(job_id).status != "completed"
