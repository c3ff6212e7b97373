"""The real `milimo` console script in a real terminal: tmux on a private socket, keys sent with
`send-keys`, the screen read back with `capture-pane`.

Without tmux these tests skip with the reason; under CI=true a missing tmux is a failure.
"""

import json
import os
import re
import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual.binding import Binding

from tests.cli.conftest import MILIMO, stop_worker
from tests.conftest import UNDER_CI
from tui.app import SCREENS

WIDTH, HEIGHT = 140, 40
START = 20.0  # seconds the editor may take to start (a busy CI machine)
WAIT = 10.0  # seconds a screen may take to show what a test waits for
LIVE = 5.0  # seconds an edit by another process may take to appear (well under 1 s when quiet)


def screen_marks() -> dict[str, str]:
    """Key 1–8 → what only that screen shows: the first key description in its footer that no
    other screen's footer has (its title while it has none)."""
    shown = {
        key: [b.description for b in screen.BINDINGS if isinstance(b, Binding) and b.show]
        for screen, key, _ in SCREENS.values()
    }
    marks = {}
    for _, key, title in SCREENS.values():
        others = {d for k, ds in shown.items() if k != key for d in ds}
        marks[key] = next((d for d in shown[key] if d and d not in others), title)
    return marks


SCREEN_TEXT = screen_marks()


@dataclass
class Film:
    env: dict[str, str]
    data_dir: Path
    keymap: Path
    project_id: str

    def cli(self, *args: str) -> str:
        """The CLI in another process, on the same data dir; returns its stdout."""
        proc = subprocess.run(
            [MILIMO, *args], capture_output=True, text=True, env=self.env, timeout=60
        )
        assert proc.returncode == 0, proc.stderr
        return proc.stdout


class Terminal:
    """One tmux server of its own (`tmux -L NAME`) running one command in a 140×40 window."""

    def __init__(self, tmux: str, env: dict[str, str]):
        self.tmux = tmux
        self.socket = f"milimo-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.env = env

    def _tmux(self, *args: str) -> str:
        proc = subprocess.run(
            [self.tmux, "-L", self.socket, *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=10,
        )
        assert proc.returncode == 0, f"tmux {' '.join(args)}: {proc.stderr}"
        return proc.stdout

    def start(self, *args: str, env: dict[str, str] | None = None) -> None:
        """Run `milimo ARGS` with its stdin, stdout and stderr on the terminal; once it ends the
        window says `EXIT=<status>` and stays a while to be read."""
        settings = [f"{k}={v}" for k, v in {**self.env, **(env or {})}.items()]
        program = shlex.join(["env", *settings, MILIMO, *args])
        self._tmux(
            "new-session", "-d", "-x", str(WIDTH), "-y", str(HEIGHT),
            f"{program}; echo EXIT=$?; sleep 30",
        )  # fmt: skip

    def press(self, *keys: str) -> None:
        for key in keys:
            self._tmux("send-keys", key)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p")

    def wait_for(self, text: str, timeout: float = WAIT) -> str:
        """The screen once it shows `text` (a regular expression); fails after `timeout` s."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if re.search(text, screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} not on the screen after {timeout} s:\n{screen}")
            time.sleep(0.05)

    def close(self) -> None:
        subprocess.run(
            [self.tmux, "-L", self.socket, "kill-server"], capture_output=True, timeout=10
        )
        folder = Path(os.environ.get("TMUX_TMPDIR") or "/tmp") / f"tmux-{os.getuid()}"
        (folder / self.socket).unlink(missing_ok=True)


def clean_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MILIMO_", "TMUX", "TEXTUAL"))}
    env["MILIMO_DATA_DIR"] = str(tmp / "data")
    env["MILIMO_CONFIG"] = str(tmp / "config.toml")
    env["MILIMO_KEYMAP"] = str(tmp / "keymap.toml")
    return env


@pytest.fixture
def film(tmp_path: Path) -> Iterator[Film]:
    """A project made with the CLI: "Lighthouse", one scene, one shot (version 3)."""
    env = clean_env(tmp_path)
    made = Film(env, tmp_path / "data", tmp_path / "keymap.toml", "")
    made.project_id = json.loads(made.cli("--json", "project", "create", "Lighthouse"))["id"]
    made.cli("scene", "add", "Lighthouse", "Harbour", "--heading", "EXT. HARBOUR - NIGHT")
    made.cli("shot", "add", "Lighthouse", "--scene", "Harbour", "--action", "Mara climbs")
    yield made
    stop_worker(made.data_dir)


@pytest.fixture
def terminal(film: Film) -> Iterator[Terminal]:
    tmux = shutil.which("tmux")
    if tmux is None:
        if UNDER_CI:
            pytest.fail("CI=true but tmux is not installed: the real-terminal tests need it")
        pytest.skip("tmux is not installed; install it to run the real-terminal tests")
    term = Terminal(tmux, film.env)
    try:
        yield term
    finally:
        term.close()


HEADER = r"Lighthouse · [0-9a-f]{{8}} · v{}"


def test_plain_milimo_in_a_terminal_opens_the_editor(terminal: Terminal) -> None:
    terminal.start()
    terminal.wait_for(SCREEN_TEXT["1"], timeout=START)
    terminal.wait_for("Lighthouse")  # the projects screen lists the project


def test_tui_with_a_project_opens_on_its_timeline(terminal: Terminal) -> None:
    terminal.start("tui", "Lighthouse")
    terminal.wait_for(HEADER.format(3), timeout=START)
    terminal.wait_for(SCREEN_TEXT["3"])


def test_keys_1_to_8_switch_screens(terminal: Terminal) -> None:
    terminal.start("tui", "Lighthouse")
    terminal.wait_for(HEADER.format(3), timeout=START)
    for key in "24567813":
        terminal.press(key)
        terminal.wait_for(SCREEN_TEXT[key])


def test_question_mark_lists_every_key(terminal: Terminal) -> None:
    terminal.start("tui", "Lighthouse")
    terminal.wait_for(HEADER.format(3), timeout=START)
    terminal.press("?")
    screen = terminal.wait_for(r"remap")
    for binding_id in ("screen.timeline", "undo", "redo", "quit", "help"):
        assert re.search(rf"\b{re.escape(binding_id)}\b", screen), binding_id
    terminal.press("Escape")
    deadline = time.monotonic() + WAIT
    while "remap" in terminal.screen():
        assert time.monotonic() < deadline, "escape did not close the key list"
        time.sleep(0.05)


def test_ctrl_q_quits_with_exit_status_0(terminal: Terminal) -> None:
    terminal.start("tui", "Lighthouse")
    terminal.wait_for(HEADER.format(3), timeout=START)
    terminal.press("C-q")
    terminal.wait_for(r"EXIT=0\b")


def test_an_edit_from_the_cli_appears_without_a_key_press(terminal: Terminal, film: Film) -> None:
    terminal.start("tui", "Lighthouse")
    terminal.wait_for(HEADER.format(3), timeout=START)
    film.cli("project", "set", "Lighthouse", "name=Beacon")
    terminal.wait_for(r"Beacon · [0-9a-f]{8} · v4", timeout=LIVE)
    film.cli("shot", "add", "Beacon", "--scene", "Harbour", "--action", "The lamp turns")
    terminal.wait_for(r"Beacon · [0-9a-f]{8} · v5", timeout=LIVE)


def test_a_keymap_file_remaps_a_key(terminal: Terminal, film: Film) -> None:
    film.keymap.write_text('undo = "z"\n', encoding="utf-8")
    terminal.start("tui", "Lighthouse")
    terminal.wait_for(HEADER.format(3), timeout=START)
    terminal.press("u")  # no longer undo
    time.sleep(1.0)
    assert re.search(HEADER.format(3), terminal.screen())
    terminal.press("z")
    terminal.wait_for(HEADER.format(4))  # undo is a new event
    terminal.press("?")
    assert re.search(r"\bz\b.*\bUndo\b.*\bundo\b", terminal.wait_for(r"remap"))


def test_textual_fps_15_still_draws_and_answers_keys(terminal: Terminal) -> None:
    terminal.start("tui", "Lighthouse", env={"TEXTUAL_FPS": "15"})
    terminal.wait_for(HEADER.format(3), timeout=START)
    terminal.press("2")
    terminal.wait_for(SCREEN_TEXT["2"])
    terminal.press("C-q")
    terminal.wait_for(r"EXIT=0\b")


# -- without a terminal -------------------------------------------------------------------------


def test_piped_milimo_prints_the_help(film: Film) -> None:
    proc = subprocess.run(
        [MILIMO], stdin=subprocess.DEVNULL, capture_output=True, text=True, env=film.env,
        timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: milimo")
    assert "tui" in proc.stdout


def test_tui_without_a_terminal_is_a_usage_error(film: Film) -> None:
    proc = subprocess.run(
        [MILIMO, "tui", "Lighthouse"], stdin=subprocess.DEVNULL, capture_output=True,
        text=True, env=film.env, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "needs a terminal" in proc.stderr
    assert proc.stdout == ""
