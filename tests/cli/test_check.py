"""`kfor-bot check` as cron would run it: real processes, an HTTP source and a webhook on 127.0.0.1."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from tests.conftest import ROOT, SEED_FIGURES, snapshot_of
from tests.placemat_server import serve_placemats
from tests.report_server import serve_report
from tests.webhook_receiver import receive_webhooks

ENV = {k: v for k, v in os.environ.items() if not k.startswith(("KFOR_", "DISCORD_", "DATABASE_URL"))}


async def check(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "check", *args, cwd=ROOT, env={**ENV, **(env or {})},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode, out.decode(), err.decode()


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
        assert len(webhook.posts) == 2 and webhook.posts[0]["embeds"][0]["title"] == "KFOR update — 2025-02 → 2025-06"
        code, out, err = await check(*base, env=proxy)
        assert (code, out) == (0, "") and len(webhook.posts) == 2


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
        assert code == 1 and "kfor-bot: The source link 'placemat(' is not a regular expression" in err


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
