"""Importing media for real: PNG, MP4 and WAV files made here, checked with PyAV, stored once."""

import os
import subprocess
import wave
from pathlib import Path

import pytest
from PIL import Image

from application.engine.ports import MediaMissing, MediaRejected
from infrastructure.asset_store import LocalAssetStore
from models.media import ffmpeg_exe


@pytest.fixture
def allowed(tmp_path: Path) -> Path:
    folder = tmp_path / "footage"
    folder.mkdir()
    return folder


@pytest.fixture
def store(tmp_path: Path, allowed: Path) -> LocalAssetStore:
    return LocalAssetStore(tmp_path / "media", [allowed])


def png(path: Path, size: tuple[int, int] = (96, 64)) -> Path:
    image = Image.new("RGB", size, (30, 60, 90))
    image.paste((250, 200, 0), (10, 10, 40, 40))
    image.save(path)
    return path


def mp4(path: Path, seconds: str = "1", faststart: bool = False, audio: bool = True) -> Path:
    sound = ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000"] if audio else []
    flags = ["-movflags", "+faststart"] if faststart else []
    subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", "testsrc=size=64x48:rate=25", *sound, "-t", seconds,
         "-c:v", "libx264", "-pix_fmt", "yuv420p", *(["-c:a", "aac"] if audio else []),
         *flags, str(path)],
        check=True,
    )  # fmt: skip
    return path


def wav(path: Path) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x10" * 8000)
    return path


def test_a_png_is_stored_content_addressed_with_its_size(store, allowed, tmp_path):
    media = store.store(str(png(allowed / "door.png")))
    assert (media.kind, media.width, media.height, media.num_frames) == ("image", 96, 64, 1)
    expected = tmp_path / "media" / "assets" / media.sha256[:2] / f"{media.sha256}.png"
    assert (
        media.path == str(expected) and expected.read_bytes() == (allowed / "door.png").read_bytes()
    )
    assert media.origin == str(allowed / "door.png")


def test_an_mp4_is_measured_frames_rate_duration_and_sound(store, allowed):
    media = store.store(str(mp4(allowed / "walk.MP4")))
    assert media.kind == "video"
    assert (media.width, media.height, media.num_frames, media.fps) == (64, 48, 25, 25.0)
    assert media.duration == pytest.approx(1.0, abs=0.05)
    assert media.has_audio and media.path.endswith(".mp4")


def test_a_wav_is_an_audio_asset(store, allowed):
    media = store.store(str(wav(allowed / "room tone.wav")))
    assert (media.kind, media.width, media.has_audio) == ("audio", None, True)
    assert media.duration == pytest.approx(1.0, abs=0.01)


def test_the_same_file_twice_is_stored_once(store, allowed, tmp_path):
    first = store.store(str(png(allowed / "door.png")))
    (allowed / "copy.png").write_bytes((allowed / "door.png").read_bytes())
    second = store.store(str(allowed / "copy.png"))
    assert second.path == first.path and second.sha256 == first.sha256
    stored = [p for p in (tmp_path / "media" / "assets").rglob("*") if p.is_file()]
    assert len(stored) == 1


def test_text_is_refused_as_not_media(store, allowed, tmp_path):
    (allowed / "notes.png").write_text("INT. HALL - NIGHT\n" * 20)
    with pytest.raises(MediaRejected, match="not a media file"):
        store.store(str(allowed / "notes.png"))
    assert not [p for p in (tmp_path / "media").rglob("*") if p.is_file()]


@pytest.mark.parametrize("faststart", [False, True])
def test_a_truncated_mp4_is_refused(store, allowed, faststart):
    whole = mp4(allowed / "whole.mp4", seconds="2", faststart=faststart, audio=False)
    data = whole.read_bytes()
    (allowed / "cut.mp4").write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(MediaRejected):
        store.store(str(allowed / "cut.mp4"))


def test_an_empty_file_is_refused(store, allowed):
    (allowed / "empty.png").write_bytes(b"")
    with pytest.raises(MediaRejected, match="empty"):
        store.store(str(allowed / "empty.png"))


def test_a_missing_file_is_not_found(store, allowed):
    with pytest.raises(MediaMissing):
        store.store(str(allowed / "nothing.png"))


def test_a_symlink_to_a_file_outside_the_roots_is_refused(store, allowed):
    (allowed / "passwd.png").symlink_to("/etc/passwd")
    with pytest.raises(MediaRejected, match="outside the folders"):
        store.store(str(allowed / "passwd.png"))


def test_a_file_outside_the_roots_is_refused_even_when_it_is_media(store, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with pytest.raises(MediaRejected, match="MILIMO_IMPORT_ROOTS"):
        store.store(str(png(elsewhere / "door.png")))


def test_system_files_and_folders_are_refused(store, allowed):
    (allowed / "status.png").symlink_to("/proc/self/status")
    with pytest.raises(MediaRejected, match="system file"):
        store.store(str(allowed / "status.png"))
    with pytest.raises(MediaRejected, match="not a regular file"):
        store.store(str(allowed))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file_is_refused(store, allowed):
    path = png(allowed / "door.png")
    path.chmod(0)
    with pytest.raises(MediaRejected, match="not readable"):
        store.store(str(path))
