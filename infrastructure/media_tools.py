"""Frame-exact cuts and joins of video files: PyAV counts and decodes, ffmpeg re-encodes.

Cuts go through ffmpeg's trim filter on decoded frames (never stream copy, which snaps to
keyframes), and every result is counted again with PyAV before it is put in place. PyAV is
imported only when a file is touched, so commands that never do stay quick to start.
"""

import hashlib
import subprocess
from pathlib import Path


class MediaToolError(RuntimeError):
    """ffmpeg or the decoder could not do what was asked (the message says what and why)."""


class LocalMediaTools:
    def __init__(self, media_dir: Path, ffmpeg: str):
        self.media_dir = media_dir
        self.ffmpeg = ffmpeg

    def frame_count(self, path: str) -> int:
        """Counted from the container's video packets (one frame each in the MP4 files Milimo
        writes): exact, and without decoding a single frame."""
        import av

        _exists(path)
        try:
            with av.open(path) as container:
                stream = container.streams.video[0]
                return sum(1 for p in container.demux(stream) if p.size and p.pts is not None)
        except (av.FFmpegError, IndexError) as error:
            raise MediaToolError(f"cannot read the video frames of {path}: {error}") from error

    def last_frames(self, path: str, count: int, out: str) -> None:
        frames = self.frame_count(path)
        if not 1 <= count <= frames:
            raise MediaToolError(f"{path} has {frames} frames: cannot take its last {count}")
        # Lossless (qp 0) in the source's pixel format: the conditioning frames stay as decoded.
        trim = f"trim=start_frame={frames - count},setpts=PTS-STARTPTS"
        self._encode(["-i", path, "-vf", trim, "-an"], ["-qp", "0"], out, count)

    def last_frame_still(self, path: str) -> str:
        import av

        _exists(path)
        last = None
        with av.open(path) as container:
            for frame in container.decode(video=0):
                last = frame
        if last is None:
            raise MediaToolError(f"{path} has no video frames")
        folder = self.media_dir / "frames"
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{Path(path).name}.partial.png"
        last.to_image().save(partial, format="PNG", optimize=False)  # type: ignore[no-untyped-call]
        digest = hashlib.sha256(partial.read_bytes()).hexdigest()
        target = folder / f"{digest}.png"
        partial.replace(target)
        return str(target)

    def stitch(self, paths: list[str], overlap: int, total: int, out: str) -> None:
        if not paths:
            raise MediaToolError("nothing to stitch")
        with_audio = all(self._has_audio(p) for p in paths)
        rate = self._rate(paths[0])
        inputs: list[str] = []
        graph, labels = [], []
        for i, path in enumerate(paths):
            inputs += ["-i", path]
            start = overlap if i else 0
            graph.append(f"[{i}:v]trim=start_frame={start},setpts=PTS-STARTPTS[v{i}]")
            labels.append(f"[v{i}]")
            if with_audio:
                seconds = start / rate
                graph.append(f"[{i}:a]atrim=start={seconds:.6f},asetpts=PTS-STARTPTS[a{i}]")
                labels.append(f"[a{i}]")
        audio = 1 if with_audio else 0
        graph.append(
            f"{''.join(labels)}concat=n={len(paths)}:v=1:a={audio}[v]"
            + ("[a]" if with_audio else "")
        )
        maps = ["-map", "[v]"] + (["-map", "[a]", "-c:a", "aac", "-b:a", "192k"] if audio else [])
        self._encode(
            [*inputs, "-filter_complex", ";".join(graph), *maps],
            # As LTX-2 writes its takes: x264's fastest preset with deblocking and AQ restored.
            ["-crf", "17", "-x264-params", "deblock=0,0:aq-mode=1", "-pix_fmt", "yuv420p"],
            out,
            total,
        )

    def _encode(self, inputs: list[str], quality: list[str], out: str, expect: int) -> None:
        """Encode to H.264 beside `out`, check the frame count, then move it into place."""
        target = Path(out)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial.mp4")
        command = [
            self.ffmpeg, "-hide_banner", "-loglevel", "error", "-y", *inputs,
            "-c:v", "libx264", "-preset", "ultrafast", *quality, "-threads", "2",
            "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact",
            "-map_metadata", "-1", "-movflags", "+faststart", str(partial),
        ]  # fmt: skip
        try:
            done = subprocess.run(command, capture_output=True)
            if done.returncode != 0:
                error = done.stderr.decode(errors="replace").strip()
                raise MediaToolError(f"ffmpeg could not write {target.name}: {error}")
            frames = self.frame_count(str(partial))
            if frames != expect:
                raise MediaToolError(
                    f"{target.name} came out with {frames} frames where {expect} were expected"
                )
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)

    def _has_audio(self, path: str) -> bool:
        import av

        with av.open(path) as container:
            return bool(container.streams.audio)

    def _rate(self, path: str) -> float:
        import av

        with av.open(path) as container:
            stream = container.streams.video[0]
            rate = stream.average_rate or stream.guessed_rate
            if not rate:
                raise MediaToolError(f"{path} has no frame rate")
            return float(rate)


def _exists(path: str) -> None:
    if not Path(path).is_file():
        raise MediaToolError(f"no video file at {path}")
