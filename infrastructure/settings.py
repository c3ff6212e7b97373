"""Milimo's settings: MILIMO_* environment variables over a TOML config file over defaults."""

import os
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir, user_data_dir
from pydantic import field_validator
from pydantic_core import PydanticUseDefault
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


def config_file() -> Path:
    explicit = os.environ.get("MILIMO_CONFIG")
    return Path(explicit) if explicit else Path(user_config_dir("milimo")) / "config.toml"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MILIMO_", extra="ignore")

    data_dir: Path = Path(user_data_dir("milimo"))
    store_url: str | None = None
    broker_url: str = "embedded"
    models_dir: Path | None = None
    media_dir: Path | None = None
    # Folders besides home, the current dir, the temp dir and the data dir that `asset import`
    # may read from (os.pathsep-separated).
    import_roots: str = ""
    # Workers: how often each beats in the registry (lost after three missed beats), how long a
    # lost one stays listed, and the memory its resident models may take together (none: the
    # device's free memory decides).
    worker_heartbeat_seconds: float = 5.0
    worker_forget_seconds: float = 600.0
    device_memory_gb: float | None = None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=config_file())
        return (init_settings, env_settings, toml)

    @field_validator("data_dir", "models_dir", "media_dir", "broker_url", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        # `MILIMO_MEDIA_DIR=` in an env file means "not set", not "the working directory".
        if isinstance(value, str) and not value.strip():
            raise PydanticUseDefault()
        return value

    @property
    def store(self) -> str:
        return self.store_url or f"sqlite:///{self.data_dir.expanduser().resolve()}/events.db"

    @property
    def media(self) -> Path:
        return (self.media_dir or self.data_dir / "media").expanduser().resolve()

    @property
    def import_root_paths(self) -> list[Path]:
        return [Path(p).expanduser().resolve() for p in self.import_roots.split(os.pathsep) if p]

    def describe(self) -> dict[str, str | None]:
        return {
            "config_file": str(config_file()),
            "data_dir": str(self.data_dir.expanduser().resolve()),
            "store_url": redact(self.store),
            "broker_url": redact(self.broker_url),
            "models_dir": str(self.models_dir) if self.models_dir else None,
            "media_dir": str(self.media),
            "import_roots": self.import_roots or None,
        }


def redact(url: str) -> str:
    """A URL without its password, for printing."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        if ":" in credentials:
            credentials = credentials.split(":", 1)[0] + ":***"
        return f"{scheme}://{credentials}@{host}"
    return url


class SettingsError(ValueError):
    """The config file or a MILIMO_* variable could not be read."""


def load_settings(data_dir: str | Path | None = None) -> Settings:
    overrides: dict[str, Any] = {"data_dir": data_dir} if data_dir else {}
    try:
        return Settings(**overrides)
    except Exception as error:  # pydantic's and tomllib's errors alike
        raise SettingsError(
            f"cannot read the settings (config file {config_file()} and MILIMO_* variables): "
            f"{type(error).__name__}: {error}"
        ) from None
