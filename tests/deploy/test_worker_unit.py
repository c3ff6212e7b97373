"""The systemd unit for `milimo worker` and its env file, checked statically (no systemd needed;
`systemd-analyze verify` too where it is installed)."""

import configparser
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from infrastructure.settings import Settings
from tests.cli.conftest import MILIMO

SYSTEMD = Path(__file__).resolve().parents[2] / "deploy" / "systemd"
UNIT = SYSTEMD / "milimo-worker@.service"
ENV_EXAMPLE = SYSTEMD / "worker.env.example"


class RepeatedKeys(dict[str, Any]):
    """configparser's section dict keeping every value of a key systemd allows to repeat
    (Environment=), joined by newlines, instead of refusing or overwriting it."""

    def __setitem__(self, key: str, value: Any) -> None:
        if key in self and isinstance(value, list) and isinstance(self[key], list):
            self[key].extend(value)
        else:
            super().__setitem__(key, value)


def read_unit(text: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(
        dict_type=RepeatedKeys,  # type: ignore[arg-type]
        strict=False,
        interpolation=None,
        delimiters=("=",),
        comment_prefixes=("#", ";"),
    )
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(text)
    return parser


def instance(value: str, name: str) -> str:
    """A template's value in instance `name` (the specifiers this unit uses)."""
    return value.replace("%i", name).replace("%S", "/var/lib")


def environment(unit: configparser.ConfigParser) -> dict[str, str]:
    lines = unit["Service"]["Environment"].splitlines()
    return dict(line.split("=", 1) for line in lines)


def env_file(text: str) -> dict[str, str]:
    pairs = [line.split("=", 1) for line in text.splitlines() if line and line[0] != "#"]
    return {key.strip(): value.strip() for key, value in pairs}


def seconds(span: str) -> float:
    units = {"": 1, "s": 1, "sec": 1, "min": 60, "m": 60, "h": 3600}
    total = 0.0
    for number, unit in re.findall(r"(\d+(?:\.\d+)?)\s*([a-z]*)", span):
        total += float(number) * units[unit]
    return total


@pytest.fixture
def unit() -> configparser.ConfigParser:
    return read_unit(UNIT.read_text())


def test_each_instance_runs_a_worker_on_its_own_gpu_with_its_own_data_dir(
    unit: configparser.ConfigParser,
) -> None:
    service = unit["Service"]
    env = environment(unit)

    assert service["ExecStart"].endswith("/milimo worker")
    assert instance(env["CUDA_VISIBLE_DEVICES"], "0") == "0"
    assert instance(env["CUDA_VISIBLE_DEVICES"], "3") == "3"
    data_dirs = {instance(env["MILIMO_DATA_DIR"], n) for n in ("0", "1")}
    assert len(data_dirs) == 2 and all(Path(d).is_absolute() for d in data_dirs)
    # systemd creates the state directory the worker runs in, owned by its user.
    assert instance(service["WorkingDirectory"], "0") == instance(env["MILIMO_DATA_DIR"], "0")
    assert "/var/lib/" + instance(service["StateDirectory"], "0") == instance(
        env["MILIMO_DATA_DIR"], "0"
    )
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_the_worker_restarts_on_failure_as_a_dedicated_user(
    unit: configparser.ConfigParser,
) -> None:
    service = unit["Service"]

    assert service["Restart"] == "on-failure" and seconds(service["RestartSec"]) > 0
    assert service["User"] not in ("", "root") and service["Group"]
    assert service["EnvironmentFile"] == "/etc/milimo/worker.env"
    assert "network-online.target" in unit["Unit"]["After"]


def test_a_stop_lets_the_running_job_finish_and_spares_its_encoder(
    unit: configparser.ConfigParser,
) -> None:
    service = unit["Service"]

    # `milimo worker` finishes its job on SIGTERM; only the main process gets it, so ffmpeg
    # children live on until the job is done, and the timeout is a job's length, not seconds.
    assert service["KillSignal"] == "SIGTERM"
    assert service["KillMode"] == "mixed"
    assert seconds(service["TimeoutStopSec"]) >= 10 * 60


def test_the_env_file_example_holds_what_every_box_shares_and_nothing_per_gpu(
    unit: configparser.ConfigParser, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shared = env_file(ENV_EXAMPLE.read_text())

    assert not {"CUDA_VISIBLE_DEVICES", "MILIMO_DATA_DIR"} & set(shared)  # it would win
    assert unit["Unit"]["RequiresMountsFor"] == shared["MILIMO_MEDIA_DIR"]
    monkeypatch.setenv("MILIMO_CONFIG", str(tmp_path / "none.toml"))
    for key, value in {**shared, **environment(unit)}.items():
        monkeypatch.setenv(key, instance(value, "0"))
    settings = Settings()
    assert settings.store.startswith("postgresql://")
    assert settings.broker_url.startswith("redis://")
    assert settings.media == Path(shared["MILIMO_MEDIA_DIR"])
    assert settings.data_dir == Path("/var/lib/milimo/worker-0")


def test_a_blank_setting_in_an_env_file_means_its_default_not_the_working_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MILIMO_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("MILIMO_DATA_DIR", str(tmp_path / "data"))
    for key in ("MILIMO_MEDIA_DIR", "MILIMO_MODELS_DIR", "MILIMO_BROKER_URL"):
        monkeypatch.setenv(key, "")

    settings = Settings()

    assert settings.media == tmp_path / "data" / "media"
    assert settings.models_dir is None
    assert settings.broker_url == "embedded"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_analyze_verifies_the_unit(tmp_path: Path) -> None:
    # verify checks that ExecStart's program exists: point it at this checkout's milimo.
    text = UNIT.read_text().replace("/opt/milimo/.venv/bin/milimo", MILIMO)
    assert MILIMO in text
    copy = tmp_path / "milimo-worker@0.service"
    copy.write_text(text)

    result = subprocess.run(
        ["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    assert str(copy) not in result.stderr and copy.name not in result.stderr, result.stderr
