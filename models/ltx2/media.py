"""Frames in and out of the LTX-2 backend: conditioning images and videos read with PIL and
PyAV, the result written as H.264 (+ AAC when the model made sound) by ffmpeg."""

import subprocess
import wave
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
from PIL import Image

from models.media import h264_output, raw_video_input

CRF = "17"  # the take is the master copy: near-transparent quality
# Encoding must stay a small part of a job (bench/ltx2.py): x264's fastest preset, with the
# in-loop deblocking filter and adaptive quantisation it drops put back, so the master take's
# quality is set by the CRF; what the speed costs is file size (no CABAC, a coarser search).
PRESET = "ultrafast"
X264_PARAMS = "deblock=0,0:aq-mode=1"
THREADS = "4"  # fixed, since x264's output depends on its thread count


def read_image(path: str) -> Image.Image:
    file = Path(path)
    if not file.is_file():
        raise FileNotFoundError(f"conditioning image {file} does not exist")
    with Image.open(file) as image:
        return image.convert("RGB")


def read_video(path: str, max_frames: int) -> list[Image.Image]:
    """Up to `max_frames` RGB frames from the start of a video file."""
    file = Path(path)
    if not file.is_file():
        raise FileNotFoundError(f"conditioning video {file} does not exist")
    frames: list[Image.Image] = []
    with av.open(str(file)) as container:
        for frame in container.decode(video=0):
            frames.append(frame.to_image().convert("RGB"))  # type: ignore[no-untyped-call]
            if len(frames) >= max_frames:
                break
    if not frames:
        raise ValueError(f"conditioning video {file} has no frames")
    return frames


def to_uint8(frames: np.ndarray) -> np.ndarray:
    """Pipeline output (F, H, W, 3) floats in [0, 1] → uint8, rounded; in place where it can
    (a 121-frame take is a few hundred MB of floats: no temporaries)."""
    work = (
        frames
        if frames.dtype == np.float32 and frames.flags.writeable
        else frames.astype(np.float32)
    )
    np.clip(work, 0.0, 1.0, out=work)
    np.multiply(work, 255.0, out=work)
    np.rint(work, out=work)
    return np.ascontiguousarray(work.astype(np.uint8))


def video_to_uint8(video: Any) -> np.ndarray:
    """The pipeline's video as uint8 (F, H, W, 3). Asked for as a tensor (`output_type="pt"`):
    the same bytes as its numpy output through `to_uint8`, without the numpy post-processing
    pass, and converted by torch on all cores (bench/ltx2.py)."""
    import torch

    if not torch.is_tensor(video):
        return to_uint8(np.asarray(video))
    # Element-wise work in the tensor's own (contiguous) layout, then the 4× smaller bytes moved.
    frames = video.float().clamp_(0.0, 1.0).mul_(255.0).round_().to(torch.uint8)
    return np.ascontiguousarray(frames.permute(0, 2, 3, 1).cpu().numpy())


def write_mp4(
    path: str,
    frames: np.ndarray,
    fps: float,
    audio: np.ndarray | None = None,
    sample_rate: int | None = None,
) -> None:
    """Write uint8 RGB frames (F, H, W, 3) as H.264 yuv420p at exactly `fps`, every frame kept;
    audio (channels, samples) floats in [-1, 1] as stereo AAC when given.

    Through the ffmpeg binary with a fixed thread count and bit-exact flags, as the animatic
    does: PyAV's libx264 gave different bytes (and pixels) for the same frames from one call to
    the next in the same process. Written beside the target and moved into place, so a failed
    encode leaves no half file.
    """
    _, height, width, _ = frames.shape
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial.mp4")
    wav = target.with_name(target.name + ".audio.wav")
    rate = Fraction(fps).limit_denominator(1001)
    command = raw_video_input(width, height, "rgb24", f"{rate.numerator}/{rate.denominator}")
    if audio is not None and sample_rate:
        _write_wav(wav, audio, sample_rate)
        command += ["-i", str(wav), "-c:a", "aac", "-b:a", "192k"]
    command += h264_output(PRESET, CRF, THREADS, str(partial), X264_PARAMS)
    try:
        done = subprocess.run(
            command, input=np.ascontiguousarray(frames).tobytes(), capture_output=True
        )
        if done.returncode != 0:
            error = done.stderr.decode(errors="replace").strip()
            raise RuntimeError(f"ffmpeg could not encode the LTX-2 take: {error}")
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        wav.unlink(missing_ok=True)


def _write_wav(path: Path, audio: np.ndarray, sample_rate: int) -> None:
    """Float samples (channels, samples) or (samples,) → 16-bit stereo WAV."""
    samples = np.asarray(audio, dtype=np.float32)
    if samples.ndim == 1:
        samples = samples[None, :]
    if samples.shape[0] == 1:
        samples = np.repeat(samples, 2, axis=0)
    pcm = (np.clip(samples[:2], -1.0, 1.0).T * 32767.0).round().astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(pcm.tobytes())
