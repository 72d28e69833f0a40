"""The settings: one reader for every entry point — environment, then .env, then config/kfor.toml, then defaults."""

from __future__ import annotations

import os
import tomllib
from dataclasses import asdict
from pathlib import Path

import pytest

from bot.app import main
from bot.settings import PROJECT_ROOT, Secret, Settings, SettingsError, lookup
from bot.settings.lookup import CONFIG_FILE


@pytest.fixture
def clean_environment(monkeypatch, tmp_path: Path) -> Path:
    for name in os.environ:  # whatever the machine sets, these tests see only what they set
        if name.upper().startswith(("KFOR_", "DISCORD_", "DEV_GUILD_ID", "DATABASE_URL")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # the .env file is read from the working directory
    return tmp_path


def test_without_any_setting_the_defaults_and_the_config_file_apply(clean_environment) -> None:
    settings = Settings()
    assert (settings.data_dir, settings.config_dir, settings.mission) == (
        PROJECT_ROOT / "data", PROJECT_ROOT / "config", "KFOR")  # fmt: skip
    assert settings.max_nations_drop == tomllib.loads(CONFIG_FILE.read_text())["max_nations_drop"]  # from the file
    assert settings.discord_token is None and settings.metrics_port is None


def test_the_environment_wins_over_the_env_file_and_that_over_the_defaults(clean_environment, monkeypatch) -> None:
    (clean_environment / ".env").write_text(
        "KFOR_DATA_DIR=/from/dotenv\nKFOR_CONFIG_DIR=/from/dotenv/config\nKFOR_POLL_MINUTES=5\n"
        "export DISCORD_TOKEN='from-dotenv'\n"
    )
    monkeypatch.setenv("KFOR_DATA_DIR", "/from/environment")
    monkeypatch.setenv("kfor_mission", "EUFOR")  # names match without regard to case
    settings = Settings()
    assert (settings.data_dir, settings.config_dir, settings.mission) == (
        Path("/from/environment"), Path("/from/dotenv/config"), "EUFOR")  # fmt: skip
    assert settings.poll_minutes == 5.0 and settings.discord_token.get_secret_value() == "from-dotenv"
    assert Settings(_env_file=None).poll_minutes == 15.0  # no .env read when told so
    assert Settings(poll_minutes=1).poll_minutes == 1  # an argument wins over everything


def test_values_are_read_as_their_types(clean_environment, monkeypatch) -> None:
    monkeypatch.setenv("KFOR_OWNER_IDS", "12, 34")
    monkeypatch.setenv("KFOR_SCHEDULER_ENABLED", "off")
    monkeypatch.setenv("KFOR_METRICS_PORT", "")  # empty: unset
    settings = Settings()
    assert settings.owner_ids == frozenset({12, 34}) and settings.scheduler_enabled is False
    assert settings.metrics_port is None


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("KFOR_POLL_MINUTES", "soon", "KFOR_POLL_MINUTES must be a number, not 'soon'"),
        ("KFOR_SCHEDULER_ENABLED", "maybe", "KFOR_SCHEDULER_ENABLED must be true or false, not 'maybe'"),
        ("KFOR_OWNER_IDS", "me", "KFOR_OWNER_IDS must be whole numbers, comma-separated, not 'me'"),
        ("KFOR_METRICS_PORT", "70000", "KFOR_METRICS_PORT must be from 0 to 65535, not 70000"),
        ("KFOR_DELIVERY_CONCURRENCY", "0", "KFOR_DELIVERY_CONCURRENCY must be from 1 to 50, not 0"),
    ],
)
def test_a_wrong_setting_is_named_with_what_it_must_be(clean_environment, monkeypatch, name, value, message) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        Settings()
    assert str(caught.value) == message


def test_a_wrong_setting_stops_any_command_with_one_line(clean_environment, monkeypatch, capsys) -> None:
    """`ask` reads the same settings as the bot, and a typo in one is a usage error, not a traceback."""
    monkeypatch.setenv("KFOR_MAX_TROOPS", "lots")
    assert main(["ask", "/kfor top 3"]) == 2
    assert capsys.readouterr().err == "kfor-bot: KFOR_MAX_TROOPS must be a whole number, not 'lots'\n"


def test_the_token_is_masked_wherever_it_is_shown() -> None:
    settings = Settings(discord_token="secret-token-xyz")  # noqa: S106 - a fake token
    assert isinstance(settings.discord_token, Secret)
    for shown in (repr(settings), str(settings.discord_token), str(asdict(settings))):
        assert "secret-token-xyz" not in shown
    assert settings.discord_token.get_secret_value() == "secret-token-xyz"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("KFOR_POLL_MINUTES", "0", "KFOR_POLL_MINUTES must be a number above 0, not 0"),  # a busy loop
        ("KFOR_POLL_MINUTES", "-5", "KFOR_POLL_MINUTES must be a number above 0, not -5"),
        ("KFOR_POLL_MINUTES", "nan", "KFOR_POLL_MINUTES must be a number, not 'nan'"),
        ("KFOR_HTTP_TIMEOUT_SECONDS", "inf", "KFOR_HTTP_TIMEOUT_SECONDS must be a number, not 'inf'"),
        ("KFOR_MAX_TOTAL_DROP", "-0.1", "KFOR_MAX_TOTAL_DROP must be a number ≥ 0, not -0.1"),
    ],
)
def test_a_duration_or_share_out_of_range_is_named(clean_environment, monkeypatch, name, value, message) -> None:
    """The console's watch would spin without a pause and the bot's scheduler would fail at start."""
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        Settings()
    assert str(caught.value) == message


def test_an_empty_value_means_unset_for_every_setting(clean_environment, monkeypatch) -> None:
    """As the README promises: ``KFOR_DATA_DIR=`` is the default data directory, not the working directory."""
    for name in ("KFOR_DATA_DIR", "KFOR_MISSION", "KFOR_SCHEDULER_ENABLED", "KFOR_POLL_MINUTES"):
        monkeypatch.setenv(name, " ")
    (clean_environment / ".env").write_text("KFOR_POLL_MINUTES=7\nKFOR_MISSION=\n")
    settings = Settings()
    assert (settings.data_dir, settings.mission, settings.scheduler_enabled) == (PROJECT_ROOT / "data", "KFOR", True)
    assert settings.poll_minutes == 7  # the next place that has it


def test_a_broken_config_file_stops_any_command_instead_of_being_ignored(clean_environment, monkeypatch,
                                                                          capsys) -> None:  # fmt: skip
    """A syntax error in config/kfor.toml used to leave every setting at its default without a word."""
    broken = clean_environment / "kfor.toml"
    broken.write_text('source = "https://example.org/report.pdf"\npoll_minutes = \n')
    monkeypatch.setattr(lookup, "CONFIG_FILE", broken)
    lookup._config_file.cache_clear()
    try:
        assert main(["ask", "/kfor top 3"]) == 2
    finally:
        lookup._config_file.cache_clear()
    assert capsys.readouterr().err == f"kfor-bot: {broken} is not valid TOML: Invalid value (at line 2, column 16)\n"


def test_an_env_file_that_is_not_utf8_is_one_line(clean_environment, capsys) -> None:
    """A .env saved as Windows-1252 was a UnicodeDecodeError traceback."""
    (clean_environment / ".env").write_bytes(b"KFOR_MISSION=Caf\xe9\n")
    assert main(["ask", "/kfor top 3"]) == 2
    assert capsys.readouterr().err.startswith("kfor-bot: .env is not UTF-8 text: ")


def test_a_wrong_value_is_named_where_it_was_set(clean_environment, monkeypatch, tmp_path) -> None:
    """A bad value in .env or the config file is named there, not as an environment variable to go looking for."""
    from bot.settings import lookup

    (clean_environment / ".env").write_text("KFOR_POLL_MINUTES=-1\n")
    with pytest.raises(SettingsError, match=r"^KFOR_POLL_MINUTES in \.env must be a number above 0, not -1$"):
        Settings()
    (clean_environment / ".env").unlink()
    config = tmp_path / "kfor.toml"
    config.write_text('max_troops = 1.5\nowner_ids = ["12", "34"]\n')
    monkeypatch.setattr(lookup, "CONFIG_FILE", config)
    lookup._config_file.cache_clear()
    try:
        with pytest.raises(SettingsError) as caught:
            Settings()
        assert str(caught.value) == f"max_troops in {config} must be a whole number, not '1.5'"
        config.write_text('owner_ids = ["12", "34"]\nmax_total_drop = -0.5\n')
        lookup._config_file.cache_clear()
        with pytest.raises(SettingsError, match=r"^max_total_drop in .*kfor\.toml must be a number ≥ 0, not -0\.5$"):
            Settings()
        config.write_text('owner_ids = ["12", "34"]\n')  # TOML's own list, of text or of numbers
        lookup._config_file.cache_clear()
        assert Settings().owner_ids == frozenset({12, 34})
    finally:
        lookup._config_file.cache_clear()


def test_settings_are_built_as_pydantic_settings_built_them(clean_environment, monkeypatch) -> None:
    """Tools written for the pydantic-settings API (the steering side's discord-look) keep working:
    what is given wins, the rest is read; a copy with one change reads nothing again."""
    from dataclasses import replace

    monkeypatch.setenv("KFOR_MISSION", "EUFOR")
    settings = Settings(_env_file=None, discord_token=None, scheduler_enabled=False, source="watched.json")
    assert (settings.mission, settings.source, settings.scheduler_enabled) == ("EUFOR", "watched.json", False)
    monkeypatch.setenv("KFOR_MISSION", "KFOR")
    assert replace(settings, poll_minutes=1).mission == "EUFOR"  # the copy keeps what was read
    with pytest.raises(TypeError, match="no setting colour"):
        Settings(colour="blue")
