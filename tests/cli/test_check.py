"""`kfor-bot check` as cron would run it: real processes, an HTTP source and a webhook on 127.0.0.1."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.conftest import SEED_FIGURES, snapshot_of
from tests.partial_reports import LEFT_OUT, TOP_20_REPORTS
from tests.placemat_server import serve_placemats
from tests.process import check
from tests.report_server import serve_report
from tests.webhook_receiver import receive_webhooks


async def test_check_records_a_baseline_then_reports_only_real_changes(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'kfor.db'}"
    async with serve_report() as server, receive_webhooks() as webhook:
        server.body = snapshot_of(SEED_FIGURES, "2025-02").to_json().encode()
        base = ("--source", server.url, "--db", db, "--webhook", webhook.url)
        proxy = {"KFOR_DISCORD_API_BASE": webhook.api_base}  # discord.py's webhook client, sent to the receiver
        code, out, err = await check(*base, env=proxy)
        assert (code, out) == (0, "")
        assert "baseline" in err and "4,686 troops, 29 nations" in err
        code, out, err = await check(*base, env=proxy)
        assert (code, out) == (0, "") and "unchanged" in err and "(quick check)" in err
        assert server.requests[-1].get("If-None-Match")  # the second check was a conditional request
        server.body = snapshot_of(dict(SEED_FIGURES, **{"United States": 320}), "2025-06").to_json().encode()
        code, out, err = await check(*base, env=proxy)
        assert code == 0 and "changed" in err
        assert out.startswith("KFOR update — 2025-02 → 2025-06") and "−282" in out
        (post,) = webhook.posts  # the digest and its table in one post
        assert [e["title"] for e in post["embeds"]] == ["KFOR update — 2025-02 → 2025-06",
                                                       "KFOR — every contingent, 2025-02 → 2025-06"]  # fmt: skip
        assert "−282" in post["embeds"][1]["description"]
        code, out, err = await check(*base, env=proxy)
        assert (code, out) == (0, "") and len(webhook.posts) == 1


async def test_check_follows_a_page_to_its_newest_edition(tmp_path: Path) -> None:
    """--source PAGE --source-link PATTERN: baseline, quick "unchanged", one digest per new edition, clear errors."""
    db = f"sqlite:///{tmp_path / 'kfor.db'}"
    async with serve_placemats() as server:
        server.documents["/files/placemat-2025-02.json"] = snapshot_of(SEED_FIGURES, "2025-02").to_json().encode()
        server.publish('<a href="/files/placemat-2025-02.json">KFOR placemat</a>')
        base = ("--source", server.page_url, "--source-link", r"(?i)placemat.*\.json$", "--db", db)
        code, out, err = await check(*base)
        assert (code, out) == (0, "") and "baseline" in err
        code, out, err = await check(*base)
        assert (code, out) == (0, "") and "unchanged" in err and "(quick check)" in err
        changed = snapshot_of(dict(SEED_FIGURES, **{"United States": 320}), "2025-06").to_json().encode()
        server.documents["/files/placemat-2025-06.json"] = changed
        server.publish(server.page + '<a href="/files/placemat-2025-06.json">KFOR placemat</a>')
        code, out, err = await check(*base)
        assert code == 0 and out.startswith("KFOR update — 2025-02 → 2025-06") and "−282" in out
        code, out, err = await check(*base)
        assert (code, out) == (0, "") and "(quick check)" in err
        server.publish("<p>No placemat this month.</p>")
        code, out, err = await check(*base)
        assert code == 1 and "no http(s) link on the page matches the source link '(?i)placemat" in err
        code, _, err = await check("--source", server.page_url, "--source-link", "placemat(", "--db", db)
        assert code == 2 and "kfor-bot: The source link 'placemat(' is not a regular expression" in err


async def test_check_with_a_broken_source_exits_nonzero_and_alerts_nobody(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'kfor.db'}"
    report = tmp_path / "r.csv"
    report.write_text("nation,troops\nItaly,1258\nGermany,269\n")
    assert (await check("--source", str(report), "--db", db))[0] == 0
    report.write_text("nation,troops\nItaly,1258\nGermny,269\n")
    code, out, err = await check("--source", str(report), "--db", db)
    assert code == 1 and "problem" in err and "Germny" in err
    assert "source problem" in out  # the console subscriber is told once
    code, out, _ = await check("--source", str(report), "--db", db)
    assert code == 1 and out == ""  # and only once


async def test_check_on_both_databases(database_url, tmp_path: Path, capsys) -> None:
    """`--db` takes sqlite:///PATH or postgresql://…; the async drivers are chosen inside."""
    from bot.cli.check import run_check
    from bot.settings import Settings

    settings = Settings(_env_file=None, state_dir=tmp_path)
    report = tmp_path / "r.json"
    report.write_text(snapshot_of(SEED_FIGURES, "2025-02").to_json())
    assert await run_check(str(report), database_url, None, settings) == 0
    report.write_text(snapshot_of(dict(SEED_FIGURES, Germany=300), "2025-06").to_json())
    assert await run_check(str(report), database_url, None, settings) == 0
    out = capsys.readouterr().out
    assert out.startswith("KFOR update — 2025-02 → 2025-06") and "🇩🇪 Germany 269 → 300 (+31, +11.5%)" in out


async def test_a_relative_source_is_read_from_the_current_directory(tmp_path: Path) -> None:
    """`check --source report.json`, typed in a folder of one's own, reads that folder's file (like ingest)."""
    (tmp_path / "report.json").write_text(snapshot_of(SEED_FIGURES, "2025-02").to_json())
    code, _, err = await check("--source", "report.json", "--db", "sqlite:///k.db", cwd=tmp_path)
    assert code == 0 and "baseline" in err and (tmp_path / "k.db").is_file()


async def test_a_dotenv_file_does_not_turn_off_the_quick_check(tmp_path: Path) -> None:
    """Settings from .env are read by the quick check too: the unchanged check still takes it."""
    async with serve_report() as server:
        server.body = snapshot_of(SEED_FIGURES, "2025-02").to_json().encode()
        (tmp_path / ".env").write_text(f"KFOR_SOURCE={server.url}\nDATABASE_URL=sqlite:///{tmp_path}/kfor.db\n")
        assert (await check(cwd=tmp_path))[0] == 0
        code, _, err = await check(cwd=tmp_path)
        assert code == 0 and "(quick check)" in err
        assert len(server.requests) == 2 and server.requests[-1].get("If-None-Match")


async def test_webhooks_can_be_listed_and_removed_so_an_old_one_gets_nothing(tmp_path: Path) -> None:
    """check --webhook OLD, then NEW: `webhooks remove OLD` drops OLD's pending digest; NEW gets the change."""
    from tests.process import kfor
    from tests.webhook_receiver import TOKEN, WEBHOOK_ID

    db = f"sqlite:///{tmp_path / 'kfor.db'}"
    old = f"https://discord.com/api/webhooks/111111111111111111/{TOKEN}"
    async with serve_report() as server, receive_webhooks() as new:
        proxy = {"KFOR_DISCORD_API_BASE": new.api_base}
        server.body = snapshot_of(SEED_FIGURES, "2025-02").to_json().encode()
        assert (await check("--source", server.url, "--db", db, "--webhook", old, env=proxy))[0] == 0
        listing = await asyncio.to_thread(kfor, "webhooks", "list", "--db", db)
        assert "webhook 111111111111111111" in listing.stdout and TOKEN not in listing.stdout
        removed = await asyncio.to_thread(kfor, "webhooks", "remove", "111111111111111111", "--db", db)
        assert removed.returncode == 0 and "Removed webhook 111111111111111111" in removed.stdout
        assert (await check("--source", server.url, "--db", db, "--webhook", new.url, env=proxy))[0] == 0
        server.body = snapshot_of(dict(SEED_FIGURES, **{"United States": 320}), "2025-06").to_json().encode()
        assert (await check("--source", server.url, "--db", db, "--webhook", new.url, env=proxy))[0] == 0
        assert len(new.posts) == 1  # the digest and its table, to NEW only (OLD's id is not in any request)
        listing = await asyncio.to_thread(kfor, "webhooks", "list", "--db", db)
        assert f"webhook {WEBHOOK_ID}" in listing.stdout and "up to date" in listing.stdout
        assert "111111111111111111" not in listing.stdout
        missing = await asyncio.to_thread(kfor, "webhooks", "remove", "999", "--db", db)
        assert missing.returncode == 2 and "No webhook subscription matches '999'" in missing.stderr


async def test_one_webhook_written_five_ways_is_one_destination(tmp_path: Path) -> None:
    """Host alias, API version, trailing slash and query name the same webhook: one digest, one subscription."""
    from tests.process import kfor
    from tests.webhook_receiver import TOKEN, WEBHOOK_ID

    db = f"sqlite:///{tmp_path / 'kfor.db'}"
    spellings = [f"https://discord.com/api/webhooks/{WEBHOOK_ID}/{TOKEN}",
                 f"https://discord.com/api/webhooks/{WEBHOOK_ID}/{TOKEN}/",
                 f"https://discordapp.com/api/webhooks/{WEBHOOK_ID}/{TOKEN}",
                 f"https://discord.com/api/v10/webhooks/{WEBHOOK_ID}/{TOKEN}",
                 f"https://discord.com/api/webhooks/{WEBHOOK_ID}/{TOKEN}?wait=true"]  # fmt: skip
    async with serve_report() as server, receive_webhooks() as webhook:
        proxy = {"KFOR_DISCORD_API_BASE": webhook.api_base}
        server.body = snapshot_of(SEED_FIGURES, "2025-02").to_json().encode()
        for url in spellings:
            assert (await check("--source", server.url, "--db", db, "--webhook", url, env=proxy))[0] == 0
        server.body = snapshot_of(dict(SEED_FIGURES, **{"United States": 320}), "2025-06").to_json().encode()
        for url in spellings:
            assert (await check("--source", server.url, "--db", db, "--webhook", url, env=proxy))[0] == 0
        assert len(webhook.posts) == 1  # the digest and its table, once
        listing = await asyncio.to_thread(kfor, "webhooks", "list", "--db", db)
        assert listing.stdout.count(f"webhook {WEBHOOK_ID}") == 1
        removed = await asyncio.to_thread(kfor, "webhooks", "remove", spellings[3], "--db", db)
        assert removed.returncode == 0 and f"Removed webhook {WEBHOOK_ID}" in removed.stdout
        assert TOKEN not in removed.stdout + removed.stderr
        listing = await asyncio.to_thread(kfor, "webhooks", "list", "--db", db)
        assert "No webhook is subscribed" in listing.stdout


@pytest.mark.parametrize("kind", ["csv", "text", "html"])
async def test_a_top_20_list_after_a_complete_one_is_no_false_alarm(tmp_path: Path, kind: str) -> None:
    """Top-20 list (CSV by its shape, text with a stated total, HTML by its heading) after the 29-nation list:
    the webhook hears Germany's real change and what the report covered, and of nobody leaving; when the
    complete list comes back with the same figures, nobody "joins"."""
    body, content_type, covered = TOP_20_REPORTS[kind]
    db = f"sqlite:///{tmp_path / 'kfor.db'}"
    async with serve_report() as server, receive_webhooks() as webhook:
        base = ("--source", server.bare_url, "--db", db, "--webhook", webhook.url)
        proxy = {"KFOR_DISCORD_API_BASE": webhook.api_base}
        server.body = snapshot_of(SEED_FIGURES, "2025-02").to_json().encode()
        assert (await check(*base, env=proxy))[0] == 0
        server.body, server.content_type = body(), content_type
        code, out, err = await check(*base, env=proxy)
        assert code == 0 and "changed" in err, err
        assert "🇩🇪 Germany 269 → 310 (+41, +15.2%)" in out and covered in out
        embed = webhook.posts[0]["embeds"][0]
        assert covered in embed["description"]
        said = out + "".join(str(post) for post in webhook.posts)
        assert "Left" not in said and "→ 0" not in said and "4,686 →" not in said and "29 → 20" not in said
        assert all(f"{nation}" not in embed["description"] for nation in LEFT_OUT)
        if kind == "csv":  # undated: told as such; the complete list back (dated 2025-06, before the retrieval
            # day): not refused as "an older edition", no change, nobody joins
            assert "→ undated, retrieved " in embed["title"]
            server.body, server.content_type = snapshot_of(dict(SEED_FIGURES, Germany=310)).to_json().encode(), "x"
            code, out, err = await check(*base, env=proxy)
            assert (code, out) == (0, "") and "not its figures" in err and len(webhook.posts) == 1
