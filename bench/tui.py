"""Editor measurements (issue 5): the real `milimo tui` on a 500-shot project, in a pseudo-terminal.

- tui_key_repaint_p50_ms / tui_key_repaint_p95_ms: a key written to the terminal → the end of the
  last frame the editor writes in answer (Textual brackets every frame in synchronized-output
  marks: a frame is complete when `ESC[?2026l` arrives; a key may be answered in several frames,
  and the screen is settled after the last). 208 navigation and zoom keys on the Timeline
  (h l j k g + - , .), each sent once the screen is quiet. Goal p95 ≤ 33 ms.
- tui_key_first_frame_p50_ms / _p95_ms: the same to the end of the first frame (no goal).
- tui_storyboard_key_p95_ms, tui_history_key_p95_ms: settled, for j/k on the Storyboard and the
  History (no goal).
- tui_first_paint_s: process start (the `milimo` console script spawned: interpreter, imports,
  bootstrap) → the end of the first frame, median of 3 starts. Goal ≤ 1.5 s.
  tui_timeline_shown_s: → the end of the first frame showing the project (its name in the
  header: the view read and drawn).

The bench is the terminal: it answers the editor's query for synchronized output (as kitty,
WezTerm, iTerm2, foot and tmux 3.4 do), reads every byte and never draws. Run alone with
`.venv/bin/python bench/tui.py`.
"""

from __future__ import annotations

import fcntl
import os
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for path in (str(ROOT), str(Path(__file__).resolve().parent)):
    if path not in sys.path:
        sys.path.insert(0, path)

from store import ACTOR, Metric, log, open_milimo, settings_for  # noqa: E402

NAME = "Bench Film"
SCENES, SHOTS_PER_SCENE = 10, 50  # 500 shots
COLUMNS, ROWS = 160, 45
GOAL_KEY_P95_MS = 33.0
GOAL_FIRST_PAINT_S = 1.5
STARTS = 3  # first-paint runs (median)
QUIET = 0.15  # s without output: the editor has finished answering a key
NO_REPAINT = 1.0  # s without any frame: the key changed nothing on the screen

SYNC_QUERY = b"\x1b[?2026$p"
SYNC_SUPPORTED = b"\x1b[?2026;2$y"  # "known, currently reset": what a terminal that has it says
FRAME_END = b"\x1b[?2026l"

# Every key changes the screen: moves through the clips (net 3 clips on per round), the playhead
# one frame on and back, zoom in and out, a track down and up.
TIMELINE_ROUND = ["l", "l", "l", "g", ".", ".", "+", "j", "k", "-", ",", "h", "l"]
TIMELINE_KEYS = TIMELINE_ROUND * 16  # 208 keys
STORYBOARD_KEYS = ["j"] * 25 + ["k"] * 25
HISTORY_KEYS = ["k"] * 25 + ["j"] * 25  # the cursor starts on the newest event


def build_film(data_dir: Path) -> str:
    """A project of SCENES × SHOTS_PER_SCENE shots, built on the aggregate and saved at once;
    the read models are brought up to date, as after any ordinary session."""
    from domain.project.shot import SHOT_TYPES

    milimo = open_milimo(data_dir)
    try:
        studio = milimo.studio
        pid = studio.create_project(NAME)
        project = studio.project(pid)
        for s in range(SCENES):
            scene = project.add_scene(ACTOR, f"Scene {s + 1}", heading=f"INT. ROOM {s + 1} - DAY")
            for n in range(SHOTS_PER_SCENE):
                project.add_shot(
                    ACTOR,
                    scene,
                    action=f"Mara crosses the room, beat {n + 1}",
                    dialogue="Who's there?" if n % 4 == 1 else "",
                    character="Mara" if n % 4 == 1 else "",
                    shot_type=SHOT_TYPES[n % len(SHOT_TYPES)],
                    num_frames=49 + 8 * (n % 10),
                )
        studio.save(project)
        view = milimo.queries.project(pid)
        assert len(view["shots"]) == SCENES * SHOTS_PER_SCENE, len(view["shots"])
        return pid
    finally:
        milimo.close()


@dataclass
class Answer:
    """What the editor wrote after a key: when each frame ended (s after the key)."""

    frames: list[float] = field(default_factory=list)

    @property
    def first(self) -> float:
        return self.frames[0]

    @property
    def settled(self) -> float:
        return self.frames[-1]


@dataclass
class Keys:
    """One screen's keys: ms to the first and to the last frame answering each."""

    firsts: list[float] = field(default_factory=list)
    settled: list[float] = field(default_factory=list)
    missed: int = 0

    def add(self, answer: Answer | None) -> None:
        if answer is None:
            self.missed += 1
        else:
            self.firsts.append(answer.first * 1000)
            self.settled.append(answer.settled * 1000)

    def missed_note(self) -> str | None:
        return f"{self.missed} keys changed nothing on the screen" if self.missed else None

    def __str__(self) -> str:
        return (
            f"{len(self.settled)} keys; settled p50 {statistics.median(self.settled):.1f} ms, "
            f"p95 {p95(self.settled):.1f} ms; first frame p50 "
            f"{statistics.median(self.firsts):.1f} ms, p95 {p95(self.firsts):.1f} ms; "
            f"{self.missed} without a repaint"
        )


class Terminal:
    """A pseudo-terminal of COLUMNS × ROWS running one command; the bench reads what it draws."""

    def __init__(self, argv: list[str], env: dict[str, str]):
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        self.fd = master
        self.output = bytearray()  # everything the program wrote
        self.chunks: list[tuple[int, float]] = []  # (end offset in output, when it was read)
        self.frames: list[tuple[int, float]] = []  # (offset after a frame's end mark, when)
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            # The pty becomes the editor's controlling terminal, as in a real terminal or over
            # SSH: if the bench dies, closing it hangs the editor up instead of orphaning it.
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )
        os.close(slave)

    def read(self, timeout: float) -> int:
        """Read what arrives within `timeout` s (returns how many bytes); answers the query for
        synchronized output; notes when each frame ended."""
        ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        try:
            data = os.read(self.fd, 1 << 16) if ready else b""
        except OSError:  # the program has gone: its side of the terminal is closed
            data = b""
        if not data:
            return 0
        now = time.perf_counter()
        old = len(self.output)
        self.output += data
        self.chunks.append((len(self.output), now))
        # A mark may be split between two reads.
        if self.output.find(SYNC_QUERY, max(0, old - len(SYNC_QUERY) + 1)) >= 0:
            os.write(self.fd, SYNC_SUPPORTED)
        at = self.output.find(FRAME_END, max(0, old - len(FRAME_END) + 1))
        while at >= 0:
            self.frames.append((at + len(FRAME_END), now))
            at = self.output.find(FRAME_END, at + 1)
        return len(data)

    def wait_for(self, mark: bytes, timeout: float = 30.0) -> float:
        """Seconds from the start until a frame holding `mark` had been written to its end (or,
        before synchronized output is on, until the bytes holding it arrived)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.read(QUIET)
            where = self.output.find(mark)
            if where >= 0:
                ends = [t for offset, t in self.frames if offset > where]
                if ends:
                    return ends[0] - self.started
                if not got:
                    arrived = [t for offset, t in self.chunks if offset > where]
                    return arrived[0] - self.started
            if not got and self.process.poll() is not None:
                break
        raise RuntimeError(f"the editor never drew {mark!r} (exit {self.process.poll()})")

    def quiet(self, period: float = 0.3, timeout: float = 15.0) -> None:
        """Read until nothing has arrived for `period` s."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.read(period):
            pass

    def press(self, key: str) -> Answer | None:
        """Send one key on a quiet screen; the frames that answer it (None: no repaint)."""
        before = len(self.frames)
        sent = time.perf_counter()
        os.write(self.fd, key.encode())
        if self.read(NO_REPAINT):
            while self.read(QUIET):
                pass
        frames = [t - sent for _, t in self.frames[before:]]
        return Answer(frames) if frames else None

    def close(self) -> None:
        if self.process.poll() is None:
            os.write(self.fd, b"\x11")  # ctrl+q
            deadline = time.monotonic() + 5
            while self.process.poll() is None and time.monotonic() < deadline:
                self.read(0.1)
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        os.close(self.fd)


def editor_env(data_dir: Path) -> dict[str, str]:
    drop = ("MILIMO_", "TEXTUAL", "TMUX")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    for key in ("COLUMNS", "LINES"):
        env.pop(key, None)
    env.update(
        TERM="xterm-256color",
        COLORTERM="truecolor",
        MILIMO_DATA_DIR=str(data_dir),
        MILIMO_STORE_URL=settings_for(data_dir).store,
        MILIMO_CONFIG=str(data_dir / "config.toml"),
        MILIMO_KEYMAP=str(data_dir / "keymap.toml"),
    )
    return env


def milimo_command() -> list[str]:
    script = shutil.which("milimo", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "milimo"]


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def first_paints(argv: list[str], env: dict[str, str]) -> tuple[list[float], list[float]]:
    """(s to the first frame, s to the first frame showing the project) for STARTS starts."""
    paints, shown = [], []
    for _ in range(STARTS):
        term = Terminal(argv, env)
        try:
            paints.append(term.wait_for(b"Milimo"))  # the header's title
            shown.append(term.wait_for(NAME.encode()))  # the project's name beside it
        finally:
            term.close()
    return paints, shown


def key_latencies(argv: list[str], env: dict[str, str]) -> dict[str, Keys]:
    """Each screen's keys, one at a time on a quiet screen, in one editor session."""
    rows = {}
    term = Terminal(argv, env)
    try:
        term.wait_for(NAME.encode())
        term.quiet(1.0)
        for screen, switch, keys in (
            ("timeline", None, TIMELINE_KEYS),
            ("storyboard", "2", STORYBOARD_KEYS),
            ("history", "7", HISTORY_KEYS),
        ):
            if switch is not None:
                term.press(switch)
                term.quiet(1.0)  # its own reads and drawing are done
            rows[screen] = row = Keys()
            for key in keys:
                row.add(term.press(key))
            log(f"tui: {screen}: {row}")
    finally:
        term.close()
    return rows


def load_note() -> str | None:
    load, cores = os.getloadavg()[0], os.cpu_count() or 1
    if load <= cores / 2:
        return None
    return f"load average {load:.1f} on {cores} cores at the end: other work shared the CPU"


def measure_tui() -> list[Metric]:
    with tempfile.TemporaryDirectory(prefix="milimo-bench-tui-") as tmp:
        data_dir = Path(tmp)
        started = time.perf_counter()
        pid = build_film(data_dir)
        shots = SCENES * SHOTS_PER_SCENE
        log(f"tui: {shots}-shot project built in {time.perf_counter() - started:.1f} s")
        env, argv = editor_env(data_dir), [*milimo_command(), "tui", pid]
        try:
            paints, shown = first_paints(argv, env)
            log(f"tui: first paint {fmt(paints)} s, project shown {fmt(shown)} s")
            rows = key_latencies(argv, env)
        except RuntimeError as error:
            return [
                Metric("tui_key_repaint_p95_ms", None, "ms", GOAL_KEY_P95_MS, "<=", str(error)),
                Metric("tui_first_paint_s", None, "s", GOAL_FIRST_PAINT_S, "<=", str(error)),
            ]
    timeline = rows["timeline"]
    notes = [n for n in (timeline.missed_note(), load_note()) if n]
    return [
        Metric("tui_key_repaint_p50_ms", statistics.median(timeline.settled), "ms"),
        Metric(
            "tui_key_repaint_p95_ms",
            p95(timeline.settled),
            "ms",
            GOAL_KEY_P95_MS,
            "<=",
            "; ".join(notes) or None,
        ),
        Metric("tui_key_first_frame_p50_ms", statistics.median(timeline.firsts), "ms"),
        Metric("tui_key_first_frame_p95_ms", p95(timeline.firsts), "ms"),
        Metric("tui_storyboard_key_p95_ms", p95(rows["storyboard"].settled), "ms"),
        Metric("tui_history_key_p95_ms", p95(rows["history"].settled), "ms"),
        Metric(
            "tui_first_paint_s",
            statistics.median(paints),
            "s",
            GOAL_FIRST_PAINT_S,
            "<=",
            load_note(),
        ),
        Metric("tui_timeline_shown_s", statistics.median(shown), "s"),
    ]


def fmt(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


if __name__ == "__main__":
    for metric in measure_tui():
        value = "not measured" if metric.value is None else f"{metric.value:.3f} {metric.unit}"
        goal = "" if metric.goal is None else f"  goal {metric.op} {metric.goal:g}"
        ratio = (
            f" ({metric.value / metric.goal:.2f} of it)"
            if metric.goal and metric.value is not None
            else ""
        )
        print(f"{metric.name:28} {value:>14}{goal}{ratio}")
        if metric.note:
            print(f"{'':28} note: {metric.note}")
