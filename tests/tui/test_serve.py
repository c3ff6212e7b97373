"""`milimo tui --serve`: the same editor served to a browser by textual-serve, on 127.0.0.1 only."""

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

from tests.cli.conftest import MILIMO, stop_worker

LOOPBACK = "127.0.0.1"


@dataclass
class Served:
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return int(s.getsockname()[1])


def env_for(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MILIMO_")}
    env["MILIMO_DATA_DIR"] = str(tmp / "data")
    env["MILIMO_CONFIG"] = str(tmp / "config.toml")
    env["MILIMO_KEYMAP"] = str(tmp / "keymap.toml")
    return env


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """`milimo tui --serve` on a free port, with one project made by the CLI beforehand."""
    env = env_for(tmp_path)
    made = subprocess.run(
        [MILIMO, "project", "create", "Lighthouse"], env=env, capture_output=True, timeout=60
    )
    assert made.returncode == 0, made.stderr
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [MILIMO, "tui", "--serve", "--port", str(port)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its editors are its children: stop them all at the end
        )
    try:
        yield Served(port, process, log)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # an editor it started, if one outlived it
        stop_worker(tmp_path / "data")


def page(served: Served, timeout: float = 20.0) -> str:
    """The index page, once the server answers."""
    deadline = time.monotonic() + timeout
    while True:
        assert served.process.poll() is None, served.log.read_text(errors="replace")
        try:
            with urllib.request.urlopen(served.url, timeout=2) as response:
                assert response.status == 200
                return str(response.read().decode("utf-8"))
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"no answer on {served.url} in {timeout} s:\n{served.log.read_text()}"
                ) from None
            time.sleep(0.1)


def listening_addresses(port: int) -> set[str]:
    """The local addresses of the sockets listening on `port` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                address, port_hex = fields[1].rsplit(":", 1)
                if fields[3] == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                    found.add(address)
    return found


def other_local_address() -> str | None:
    """An address of this machine that is not loopback (a UDP "connect" sends nothing)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))
        except OSError:
            return None
        address = str(s.getsockname()[0])
    return None if address.startswith("127.") or address == "0.0.0.0" else address


async def served_screen(port: int, wanted: bytes, timeout: float = 20.0) -> bytes:
    """What the editor behind the page's websocket draws, until `wanted` shows up."""
    seen = b""
    url = f"http://{LOOPBACK}:{port}/ws?width=120&height=36"
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
        deadline = time.monotonic() + timeout
        while wanted not in seen and time.monotonic() < deadline:
            try:
                message = await ws.receive(timeout=1)
            except TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                seen += message.data
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                break
        await ws.send_json(["stdin", "\x11"])  # ctrl+q
    return seen


def test_serve_answers_with_the_editor_page_on_loopback_only(served: Served) -> None:
    html = page(served)
    assert "Milimo" in html
    assert "textual" in html.lower()
    addresses = listening_addresses(served.port)
    assert addresses == {"0100007F"}, f"listening on {addresses}, not 127.0.0.1 only"
    other = other_local_address()
    if other is not None:
        with pytest.raises(OSError), socket.create_connection((other, served.port), timeout=2):
            pass


def test_the_served_page_runs_the_editor(served: Served) -> None:
    page(served)
    seen = asyncio.run(served_screen(served.port, b"Lighthouse"))
    assert b"Lighthouse" in seen, (
        f"the served editor did not draw the projects screen:\n{served.log.read_text()}"
    )


@pytest.mark.parametrize("port", ["0", "70000"])
def test_a_port_out_of_range_is_a_usage_error(tmp_path: Path, port: str) -> None:
    proc = subprocess.run(
        [MILIMO, "tui", "--serve", "--port", port],
        env=env_for(tmp_path),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert f"--port {port} is not a port number" in proc.stderr
