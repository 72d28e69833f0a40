"""The settings: one reader for every entry point — environment, then .env, then config/kfor.toml, then defaults."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.app import main
from bot.settings import PROJECT_ROOT, Settings, SettingsError, lookup
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
        ("KFOR_POLL_MINUTES", "soon", "KFOR_POLL_MINUTES: must be a number, not 'soon'"),
        ("KFOR_SCHEDULER_ENABLED", "maybe", "KFOR_SCHEDULER_ENABLED: must be true or false, not 'maybe'"),
        ("KFOR_OWNER_IDS", "me", "KFOR_OWNER_IDS.0: must be a whole number, not 'me'"),
        ("KFOR_METRICS_PORT", "70000", "KFOR_METRICS_PORT: must be ≤ 65,535, not '70000'"),
        ("KFOR_DELIVERY_CONCURRENCY", "0", "KFOR_DELIVERY_CONCURRENCY: must be ≥ 1, not '0'"),
        # The adversarial trial's cases: each was accepted, and each broke something later.
        ("KFOR_HTTP_MAX_BYTES", "-1", "KFOR_HTTP_MAX_BYTES: must be ≥ 1024, not '-1'"),
        ("KFOR_MAX_TROOPS", "0", "KFOR_MAX_TROOPS: must be ≥ 1000, not '0'"),
        ("KFOR_NOTIFY_AFTER_FAILURES", "-3", "KFOR_NOTIFY_AFTER_FAILURES: must be ≥ 1, not '-3'"),
        ("KFOR_POLL_MINUTES", "1e12", "KFOR_POLL_MINUTES: must be ≤ 10,080, not '1e12'"),
        ("KFOR_POLL_MINUTES", "0", "KFOR_POLL_MINUTES: must be ≥ 1, not '0'"),  # a busy loop
        ("KFOR_POLL_MINUTES", "nan", "KFOR_POLL_MINUTES: must be a finite number, not 'nan'"),
        ("KFOR_HTTP_TIMEOUT_SECONDS", "0", "KFOR_HTTP_TIMEOUT_SECONDS: must be above 0, not '0'"),
        ("KFOR_HTTP_TIMEOUT_SECONDS", "inf", "KFOR_HTTP_TIMEOUT_SECONDS: must be a finite number, not 'inf'"),
        ("KFOR_DELIVERY_LEASE_SECONDS", "0", "KFOR_DELIVERY_LEASE_SECONDS: must be ≥ 1, not '0'"),
        ("KFOR_MAX_TOTAL_DROP", "33", "KFOR_MAX_TOTAL_DROP: must be a fraction from 0 to 1 (0.33 for 33 %), not '33'"),
        ("KFOR_MAX_TOTAL_DROP", "-0.1", "KFOR_MAX_TOTAL_DROP: must be above 0, not '-0.1'"),
        (
            "KFOR_SOURCE",
            "ftp://host/r.csv",
            "KFOR_SOURCE: must be a path or an http(s) address with a host, not 'ftp://host/r.csv'",
        ),
        (
            "KFOR_SOURCE_LINK",
            "(placemat",
            "KFOR_SOURCE_LINK: '(placemat' is not a regular expression: "
            "missing ), unterminated subpattern at position 0",
        ),
        ("DATABASE_URL", "mysql://db/kfor", "DATABASE_URL: must be sqlite:///PATH or postgresql://USER@HOST/DB"),
        (
            "KFOR_METRICS_HOST",
            "http://0.0.0.0",
            "KFOR_METRICS_HOST: must be an address or a host name (127.0.0.1, 0.0.0.0), not 'http://0.0.0.0'",
        ),
    ],
)
def test_a_wrong_setting_is_named_with_what_it_must_be(clean_environment, monkeypatch, name, value, message) -> None:
    """One line per problem: the variable, what it must be, and what it was."""
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        Settings()
    assert caught.value.problems == [message]


def test_every_wrong_setting_is_named_at_once(clean_environment, monkeypatch) -> None:
    """An operator fixes them all in one go, not one per start."""
    monkeypatch.setenv("KFOR_POLL_MINUTES", "0")
    monkeypatch.setenv("KFOR_MAX_TROOPS", "lots")
    with pytest.raises(SettingsError) as caught:
        Settings()
    assert sorted(caught.value.problems) == ["KFOR_MAX_TROOPS: must be a whole number, not 'lots'",
                                             "KFOR_POLL_MINUTES: must be ≥ 1, not '0'"]  # fmt: skip


def test_a_misspelt_variable_is_refused_with_the_nearest_name(clean_environment, monkeypatch) -> None:
    """``KFOR_POL_MINUTES`` would otherwise leave the bot on the default without a word."""
    monkeypatch.setenv("KFOR_POL_MINUTES", "5")
    with pytest.raises(SettingsError) as caught:
        Settings()
    assert caught.value.problems == ["KFOR_POL_MINUTES: no such setting; did you mean KFOR_POLL_MINUTES?"]


def test_a_wrong_setting_stops_any_command_with_one_line(clean_environment, monkeypatch, capsys) -> None:
    """`ask`, `check` and the bot read the same settings, and a typo in one is a usage error, not a traceback."""
    monkeypatch.setenv("KFOR_MAX_TROOPS", "lots")
    for command in (["ask", "/kfor top 3"], ["check", "--db", str(clean_environment / "s.db")], ["console"], []):
        assert main(command) == 2
        assert capsys.readouterr().err == "kfor-bot: KFOR_MAX_TROOPS: must be a whole number, not 'lots'\n"


def test_the_token_is_masked_wherever_it_is_shown() -> None:
    settings = Settings(discord_token="secret-token-xyz")  # noqa: S106 - a fake token
    assert isinstance(settings.discord_token, SecretStr)
    shown = (repr(settings), str(settings), str(settings.discord_token), str(settings.model_dump()),
             settings.model_dump_json())  # fmt: skip
    assert all("secret-token-xyz" not in text for text in shown)
    assert settings.discord_token.get_secret_value() == "secret-token-xyz"


def test_an_empty_value_means_unset_for_every_setting(clean_environment, monkeypatch) -> None:
    """As the documentation promises: ``KFOR_DATA_DIR=`` is the default data directory, not the working directory."""
    for name in ("KFOR_DATA_DIR", "KFOR_MISSION", "KFOR_SCHEDULER_ENABLED", "KFOR_POLL_MINUTES"):
        monkeypatch.setenv(name, " ")
    (clean_environment / ".env").write_text("KFOR_POLL_MINUTES=7\nKFOR_MISSION=\n")
    settings = Settings()
    assert (settings.data_dir, settings.mission, settings.scheduler_enabled) == (PROJECT_ROOT / "data", "KFOR", True)
    assert settings.poll_minutes == 7  # the next place that has it


@pytest.fixture
def config_file(clean_environment, monkeypatch) -> Path:
    """A config file of the test's own in place of config/kfor.toml."""
    config = clean_environment / "kfor.toml"
    config.write_text("")
    monkeypatch.setattr(lookup, "CONFIG_FILE", config)
    return config


def test_a_broken_config_file_stops_any_command_instead_of_being_ignored(config_file, capsys) -> None:
    """A syntax error in config/kfor.toml used to leave every setting at its default without a word."""
    config_file.write_text('source = "https://example.org/report.pdf"\npoll_minutes = \n')
    assert main(["ask", "/kfor top 3"]) == 2
    assert (
        capsys.readouterr().err == f"kfor-bot: {config_file} is not valid TOML: Invalid value (at line 2, column 16)\n"
    )


def test_a_typo_in_the_config_file_is_an_error_with_the_nearest_key(config_file, capsys) -> None:
    """``pol_minutes = 5`` was ignored, and the bot polled every 15 minutes."""
    config_file.write_text("pol_minutes = 5\nmax_total_drop = 33\n")
    assert main(["ask", "/kfor top 3"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"kfor-bot: {config_file}: max_total_drop: must be a fraction from 0 to 1 (0.33 for 33 %), not 33",
        f"kfor-bot: {config_file}: pol_minutes: unknown key; did you mean poll_minutes?",
    ]


def test_an_env_file_that_is_not_utf8_is_one_line(clean_environment, capsys) -> None:
    """A .env saved as Windows-1252 was a UnicodeDecodeError traceback."""
    (clean_environment / ".env").write_bytes(b"KFOR_MISSION=Caf\xe9\n")
    assert main(["ask", "/kfor top 3"]) == 2
    assert capsys.readouterr().err.startswith("kfor-bot: .env is not UTF-8 text: ")


def test_a_wrong_value_is_named_where_it_was_set(config_file, clean_environment) -> None:
    """A bad value in .env or the config file is named there, not as an environment variable to go looking for."""
    (clean_environment / ".env").write_text("KFOR_POLL_MINUTES=-1\nKFOR_POLL_MINUTS=2\n")
    with pytest.raises(SettingsError) as caught:
        Settings()
    assert sorted(caught.value.problems) == [
        "KFOR_POLL_MINUTES in .env: must be ≥ 1, not '-1'",
        "KFOR_POLL_MINUTS in .env: unknown key; did you mean KFOR_POLL_MINUTES?",
    ]
    (clean_environment / ".env").unlink()
    config_file.write_text('max_troops = 1.5\nowner_ids = ["12", "34"]\n')
    with pytest.raises(SettingsError) as caught:
        Settings()
    assert caught.value.problems == [f"{config_file}: max_troops: must be a whole number, not 1.5"]
    config_file.write_text('owner_ids = ["12", "34"]\n')  # TOML's own list, of text or of numbers
    assert Settings().owner_ids == frozenset({12, 34})


def test_settings_are_built_as_pydantic_settings_builds_them(clean_environment, monkeypatch) -> None:
    """What is given wins, the rest is read; a copy with one change reads nothing again; a value given as
    text is read as its type (``Settings(poll_minutes="5")`` raised a bare TypeError)."""
    monkeypatch.setenv("KFOR_MISSION", "EUFOR")
    settings = Settings(_env_file=None, discord_token=None, scheduler_enabled=False, source="watched.json")
    assert (settings.mission, settings.source, settings.scheduler_enabled) == ("EUFOR", "watched.json", False)
    monkeypatch.setenv("KFOR_MISSION", "KFOR")
    assert settings.model_copy(update={"poll_minutes": 1}).mission == "EUFOR"  # the copy keeps what was read
    assert Settings(poll_minutes="5").poll_minutes == 5.0
    with pytest.raises(SettingsError) as caught:
        Settings(colour="blue")
    assert caught.value.problems == ["colour: unknown key"]


def test_the_readme_table_is_the_models(tmp_path) -> None:
    """Every setting's variable, type, bounds and default in the documentation come from the model itself."""
    import runpy

    from bot.settings.reference import BEGIN, END, settings_table, with_table

    script = runpy.run_path(str(PROJECT_ROOT / "scripts" / "settings_table.py"), run_name="settings_table")
    assert script["main"](["--check"]) == 0, "run python scripts/settings_table.py"
    table = settings_table()
    assert "| `KFOR_POLL_MINUTES` | number | ≥ 1, ≤ 10 080 | `15` |" in table
    assert "| `DISCORD_TOKEN` or `KFOR_DISCORD_TOKEN` | secret text | — | unset |" in table
    assert table.count("\n") == len(Settings.model_fields) + 2
    assert with_table(f"a\n{BEGIN}\nold\n{END}\nb") == f"a\n{BEGIN}\n{table}{END}\nb"


def test_internal_hosts_a_source_may_reach_are_named_one_by_one(clean_environment, monkeypatch) -> None:
    monkeypatch.setenv("KFOR_SOURCE_ALLOWED_HOSTS", "reports.internal, 10.0.0.5")
    assert Settings().source_allowed_hosts == ("reports.internal", "10.0.0.5")
    monkeypatch.setenv("KFOR_SOURCE_ALLOWED_HOSTS", "http://reports.internal/")
    with pytest.raises(SettingsError, match=r"KFOR_SOURCE_ALLOWED_HOSTS\.0: must match \^\[\^\\s/:@\]\+\$, not 'http"):
        Settings()


def test_a_source_that_publishes_complete_lists_is_a_setting_the_watcher_gets(clean_environment, monkeypatch) -> None:
    """KFOR_SOURCE_COMPLETE_LISTS=true: the watcher reads an omitted nation as one that left."""
    from bot.alerts.setup import make_watcher

    assert Settings().source_complete_lists is True  # NATO's placemat, as config/kfor.toml watches it
    monkeypatch.setenv("KFOR_SOURCE", "report.csv")  # another source inherits neither its link nor "complete"
    assert (Settings().source_complete_lists, Settings().source_link) == (False, None)
    monkeypatch.setenv("KFOR_SOURCE_COMPLETE_LISTS", "true")
    settings = Settings()
    assert settings.source_complete_lists is True
    watcher = make_watcher(settings, None, None, lambda _key: None, None)  # type: ignore[arg-type]
    assert watcher.publishes_complete is True
    other = make_watcher(settings, None, None, lambda _key: None, None, location="press.csv")  # type: ignore[arg-type]
    assert other.publishes_complete is False  # `check --source press.csv` is not the configured source
    monkeypatch.setenv("KFOR_SOURCE_COMPLETE_LISTS", "perhaps")
    with pytest.raises(SettingsError, match="KFOR_SOURCE_COMPLETE_LISTS"):
        Settings()


def test_the_staleness_age_is_a_bounded_setting_the_service_gets(clean_environment, monkeypatch) -> None:
    """KFOR_STALE_AFTER_MONTHS (default 9, 1–120) reaches the briefing service every transport shares."""
    from bot.app import load_service

    assert Settings().stale_after_months == 9
    monkeypatch.setenv("KFOR_STALE_AFTER_MONTHS", "24")
    assert load_service(Settings()).stale_after_months == 24
    monkeypatch.setenv("KFOR_STALE_AFTER_MONTHS", "0")
    with pytest.raises(SettingsError, match="KFOR_STALE_AFTER_MONTHS"):
        Settings()


def test_feeds_are_tables_of_the_config_file_with_a_language_a_publisher_and_a_tier(config_file) -> None:
    """``[[feeds]]`` tables become feed settings; the shipped official feeds are there only until replaced."""
    assert all(feed.verify and feed.tier == "official" for feed in Settings().feeds)  # shipped, to verify
    config_file.write_text(
        '[[feeds]]\nurl = "https://news.example.org/kfor.atom"\nlang = "it"\npublisher = "Difesa"\ntier = "official"\n'
        '[[feeds]]\nurl = "feeds/press.xml"\nlang = "de"\npublisher = "Zeitung"\ntier = "press"\n'
    )
    feeds = Settings().feeds
    assert [(f.url, f.lang, f.tier, f.verify) for f in feeds] == [
        ("https://news.example.org/kfor.atom", "it", "official", False),
        ("feeds/press.xml", "de", "press", False),
    ]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('url = "x.xml"\nlang = "es"\npublisher = "P"\ntier = "press"', "feeds.0.lang"),
        ('url = "x.xml"\nlang = "en"\npublisher = "P"\ntier = "rumour"', "feeds.0.tier"),
        ('url = "x.xml"\nlang = "en"\npublisher = "P"\ntier = "press"\nlanguage = "en"', "feeds.0.language"),
        ('url = "ftp://x/feed"\nlang = "en"\npublisher = "P"\ntier = "press"', "feeds.0.url"),
    ],
)
def test_a_wrong_feed_is_a_start_up_error_naming_its_key(config_file, capsys, table: str, message: str) -> None:
    """An unknown language or tier, a typo in a key or a non-web address stops the bot, naming the key."""
    config_file.write_text(f"[[feeds]]\n{table}\n")
    assert main(["ask", "/kfor top 3"]) == 2
    assert f"{config_file}: {message}" in capsys.readouterr().err


def test_the_request_budget_is_bounded_and_split_by_the_shards_an_instance_runs(clean_environment, monkeypatch) -> None:
    """KFOR_DISCORD_REQUESTS_PER_SECOND (default 50) is the bot's; an instance running 2 of 4 shards paces at 25."""
    assert Settings().request_budget == 50
    monkeypatch.setenv("KFOR_DISCORD_REQUESTS_PER_SECOND", "500")
    assert Settings().request_budget == 500
    monkeypatch.setenv("KFOR_SHARD_COUNT", "4")
    monkeypatch.setenv("KFOR_SHARD_IDS", "2, 3")
    settings = Settings()
    assert (settings.shard_count, settings.shard_ids, settings.request_budget) == (4, (2, 3), 250)
    monkeypatch.setenv("KFOR_SHARD_IDS", "4")
    with pytest.raises(SettingsError, match="below KFOR_SHARD_COUNT"):
        Settings()
    monkeypatch.delenv("KFOR_SHARD_IDS")
    for value in ("0", "-5", "nan"):
        monkeypatch.setenv("KFOR_DISCORD_REQUESTS_PER_SECOND", value)
        with pytest.raises(SettingsError, match="KFOR_DISCORD_REQUESTS_PER_SECOND"):
            Settings()


def test_webhooks_the_bot_serves_are_checked_at_start_and_never_shown(clean_environment, monkeypatch) -> None:
    """KFOR_WEBHOOKS: webhook URLs, comma-separated, masked like the token; a typo stops the bot, token unsaid."""
    token = "s3cret-" + "x" * 62
    monkeypatch.setenv("KFOR_WEBHOOKS", f"https://discord.com/api/webhooks/123456789012345678/{token}")
    settings = Settings()
    assert [url.get_secret_value().rsplit("/", 1)[1] for url in settings.webhooks] == [token]
    assert token not in repr(settings) and token not in str(settings.model_dump())
    monkeypatch.setenv("KFOR_WEBHOOKS", f"https://example.com/hooks/{token}")
    with pytest.raises(SettingsError, match="KFOR_WEBHOOKS") as raised:
        Settings()
    assert token not in str(raised.value)


def test_a_list_given_as_a_variable_that_is_not_json_is_one_line(clean_environment, monkeypatch, capsys) -> None:
    """``KFOR_FEEDS=garbage`` was pydantic-settings' traceback; it is one line naming the variable, exit 2."""
    monkeypatch.setenv("KFOR_FEEDS", "garbage")
    assert main(["ask", "/kfor top 1"]) == 2
    assert capsys.readouterr().err == "kfor-bot: KFOR_FEEDS: must be written as JSON (a list or a table)\n"
    (clean_environment / ".env").write_text("KFOR_FEEDS=[oops\n")
    monkeypatch.delenv("KFOR_FEEDS")
    assert main(["ask", "/kfor top 1"]) == 2
    assert capsys.readouterr().err == "kfor-bot: KFOR_FEEDS in .env: must be written as JSON (a list or a table)\n"
