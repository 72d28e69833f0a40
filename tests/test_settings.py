"""The settings: the standard-library reading (ask, ingest, check's quick path) agrees with pydantic-settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT, Settings
from bot.settings.lookup import data_settings


@pytest.fixture
def clean_environment(monkeypatch, tmp_path: Path) -> Path:
    for name in ("KFOR_DATA_DIR", "KFOR_CONFIG_DIR", "KFOR_MISSION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # the .env file is read from the working directory
    return tmp_path


def _both() -> tuple[tuple[Path, Path, str], tuple[Path, Path, str]]:
    quick, full = data_settings(), Settings()
    return (quick.data_dir, quick.config_dir, quick.mission), (full.data_dir, full.config_dir, full.mission)


def test_the_data_settings_default_alike(clean_environment) -> None:
    """Without any setting, both read the project's data and config folders and KFOR."""
    quick, full = _both()
    assert quick == full == (PROJECT_ROOT / "data", PROJECT_ROOT / "config", "KFOR")


def test_the_data_settings_follow_the_environment_then_the_env_file(clean_environment, monkeypatch) -> None:
    """The environment wins over .env, and .env over the defaults, for both readers."""
    (clean_environment / ".env").write_text("KFOR_DATA_DIR=/from/dotenv\nKFOR_CONFIG_DIR=/from/dotenv/config\n")
    monkeypatch.setenv("KFOR_DATA_DIR", "/from/environment")
    monkeypatch.setenv("KFOR_MISSION", "EUFOR")
    quick, full = _both()
    assert quick == full == (Path("/from/environment"), Path("/from/dotenv/config"), "EUFOR")
