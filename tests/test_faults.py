"""Fault injection: `kfor-bot check` against sources and webhooks on 127.0.0.1 that hang, drip, fail or die.

Each test runs real `check` processes, as cron would, and asserts three things: a clear answer (exit
status and one line per problem), bounded time, and nothing lost or sent twice beyond what the README
promises.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.store.database import Store
from tests.conftest import ROOT, SEED_FIGURES, snapshot_of
from tests.postgres import fresh_database
from tests.process import CHECK_ENV, check
from tests.report_server import serve_report
from tests.webhook_receiver import receive_webhooks

CHANGED = snapshot_of(dict(SEED_FIGURES, **{"United States": 320}), "2025-06").to_json().encode()
SEED = snapshot_of(SEED_FIGURES, "2025-02").to_json().encode()
FAST = {"KFOR_HTTP_TIMEOUT_SECONDS": "1", "KFOR_DELIVERY_LEASE_SECONDS": "1"}


def _db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'kfor.db'}"


@pytest.mark.parametrize("fault", ["hang", "drip"])
async def test_a_source_that_hangs_or_drips_is_a_problem_within_the_timeout(tmp_path, fault) -> None:
    """With a 1 s timeout: exit 1 with the reason, well before three timeouts, on the quick path and the full one."""
    async with serve_report() as server:
        server.body = SEED
        base = ("--source", server.url, "--db", _db(tmp_path))
        assert (await check(*base, env=FAST))[0] == 0  # the baseline, so the next check tries the quick path
        server.hang, server.drip = fault == "hang", 0.3 if fault == "drip" else 0.0
        started = time.monotonic()
        code, out, err = await check(*base, env=FAST)
        elapsed = time.monotonic() - started
        assert (code, out) == (1, "")
        assert "kfor-bot check: problem:" in err and "Traceback" not in err
        assert (
            "no answer within 1 s" in err or "no complete answer within 1 s" in err
        )  # as configured, not what was left
        assert elapsed < 3 * 1.0 + 2  # one timeout (plus a process start), not the three of three attempts


async def test_a_failing_source_is_retried_then_a_problem(tmp_path) -> None:
    async with serve_report() as server:
        server.failures_before_success = 10
        patient = {"KFOR_HTTP_TIMEOUT_SECONDS": "8"}  # room for three attempts and their backoff
        code, _, err = await check("--source", server.url, "--db", _db(tmp_path), env=patient)
        assert code == 1 and "HTTP 500 (after 3 attempts)" in err and len(server.requests) == 3
        assert err.count("\n") == 1  # one line: the log stays quiet unless --verbose


async def test_a_rate_limited_source_is_asked_again_and_read(tmp_path) -> None:
    async with serve_report() as server:
        server.body, server.rate_limited_before_success = SEED, 1
        code, _, err = await check("--source", server.url, "--db", _db(tmp_path), env=FAST)
        assert code == 0 and "baseline" in err and len(server.requests) == 2


async def test_a_webhook_that_never_answers_is_retried_once_not_every_check(tmp_path) -> None:
    """Accept-and-hang: exit 3 and 'outcome unknown'; one retry after the lease; then nothing, however many checks."""
    async with serve_report() as server, receive_webhooks() as webhook:
        env = {**FAST, "KFOR_DISCORD_API_BASE": webhook.api_base}
        base = ("--source", server.url, "--db", _db(tmp_path), "--webhook", webhook.url)
        server.body = SEED
        assert (await check(*base, env=env))[0] == 0
        server.body, webhook.hang = CHANGED, True
        code, out, err = await check(*base, env={**env, "KFOR_WEBHOOK_TIMEOUT_SECONDS": "0.5"})
        assert code == 3 and "outcome unknown" in err and out.startswith("KFOR update")
        assert webhook.requests == 1
        webhook.hang = False
        await asyncio.sleep(1.2)  # the claim's lease runs out
        code, out, err = await check(*base, env=env)
        assert code == 0 and out == "" and webhook.requests == 2  # the one careful retry: the one post again
        for _ in range(3):
            assert (await check(*base, env=env))[0] == 0
        assert webhook.requests == 2 and len(webhook.posts) == 2  # the post (unanswered), the post
        assert all(_is_whole_change(post) for post in webhook.posts)


async def test_a_webhook_that_always_fails_is_given_up_after_five_checks(tmp_path) -> None:
    """An unreachable webhook: retried on each of five checks (exit 3 each), then given up and reported; quiet after."""
    async with serve_report() as server, receive_webhooks() as webhook:
        unreachable = {**FAST, "KFOR_DISCORD_API_BASE": "http://127.0.0.1:1/api/v10", "KFOR_MAX_DELIVERY_FAILURES": "5"}
        base = ("--source", server.url, "--db", _db(tmp_path), "--webhook", webhook.url)
        server.body = SEED
        await check(*base, env=unreachable)
        server.body = CHANGED
        runs = [await check(*base, env=unreachable) for _ in range(7)]
        assert [code for code, _, _ in runs] == [3, 3, 3, 3, 3, 0, 0]
        assert "failure 4 of 5; retried later" in runs[3][2]
        assert "5 failures in a row: given up" in runs[4][2]
        assert runs[0][1].startswith("KFOR update") and all(out == "" for _, out, _ in runs[1:])


async def test_a_malformed_webhook_url_is_a_usage_error_at_once(tmp_path) -> None:
    started = time.monotonic()
    code, _, err = await check("--db", _db(tmp_path), "--webhook", "not-a-url")
    assert code == 2 and "is not a Discord webhook URL" in err and time.monotonic() - started < 10


async def test_three_first_checks_at_once_on_a_fresh_store_never_crash(postgres_url, tmp_path) -> None:
    """The crash this fixes: UNIQUE constraint failed: subscriptions.destination_key, from racing first checks."""
    async with serve_report() as server:
        server.body = SEED
        for trial in range(3):
            url = await fresh_database(postgres_url, f"race_first_{trial}_{os.getpid()}")
            for db in (url, f"sqlite:///{tmp_path / f'race-{trial}.db'}"):
                results = await asyncio.gather(*(check("--source", server.url, "--db", db) for _ in range(3)))
                assert [code for code, _, _ in results] == [0, 0, 0], [err for _, _, err in results]
                assert all("Traceback" not in err for _, _, err in results)


async def test_concurrent_first_checks_in_process_twenty_trials(database_url, tmp_path, registry) -> None:
    """Twenty trials of three first checks racing on one fresh store: every one subscribes and finishes."""
    from bot.cli.check import run_check
    from bot.settings import Settings

    report = tmp_path / "r.json"
    report.write_bytes(SEED)
    settings = Settings(_env_file=None)
    for trial in range(20):
        async with Store.open(database_url) as store, store.engine.begin() as conn:  # a fresh store each trial
            for table in ("deliveries", "subscriptions", "snapshots", "source_health"):
                await conn.execute(text(f"DELETE FROM {table}"))  # noqa: S608 - constant names
        codes = await asyncio.gather(*(run_check(str(report), database_url, None, settings) for _ in range(3)))
        assert list(codes) == [0, 0, 0], trial


async def test_kill_9_mid_delivery_on_postgresql_loses_nothing(postgres_url, tmp_path) -> None:
    """A check killed while its webhook delivery is in flight: the next check, after the lease, completes it.

    The webhook's request had arrived (it never answered), so the retry repeats it once — the README's
    stated limit for webhooks, which have no history to search — and never again after that.
    """
    db = await fresh_database(postgres_url, f"kill9_{os.getpid()}")
    async with serve_report() as server, receive_webhooks() as webhook:
        env = {**CHECK_ENV, **FAST, "KFOR_DISCORD_API_BASE": webhook.api_base}
        base = ("--source", server.url, "--db", db, "--webhook", webhook.url)
        server.body = SEED
        assert (await check(*base, env=env))[0] == 0
        server.body, webhook.hang = CHANGED, True
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "check", *base, cwd=ROOT, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(200):
            if webhook.requests:
                break
            await asyncio.sleep(0.05)
        assert webhook.requests == 1
        process.send_signal(signal.SIGKILL)
        await process.wait()
        webhook.hang = False
        await asyncio.sleep(1.2)
        code, _, err = await check(*base, env=env)
        assert code == 0 and "Traceback" not in err
        async with Store.open(db) as store:
            rows = [r for r in await store.ledger.rows() if r["event_key"] == "change:KFOR:1"]
            assert [(r["status"], r["attempts"]) for r in rows if r["destination_key"].startswith("webhook:")] == [
                ("sent", 2)
            ]
            assert (await store.snapshots.latest("KFOR")).position == 1
        for _ in range(2):
            assert (await check(*base, env=env))[0] == 0
        heads = [p for p in webhook.posts if p.get("embeds") and p["embeds"][0]["title"].startswith("KFOR update")]
        assert len(heads) == 2 == len(webhook.posts)  # the unanswered request and its one retry; nothing after
        assert all(_is_whole_change(post) for post in heads)


def _titles(posts: list[dict]) -> list[str]:
    return [p["embeds"][0]["title"] for p in posts if p.get("embeds")]


def _is_whole_change(post: dict) -> bool:
    """One post carries the whole change: the digest's embed first, the per-nation table after it."""
    embeds = post.get("embeds", [])
    rows = [line.split() for line in embeds[-1].get("description", "").splitlines()] if embeds else []
    return len(embeds) >= 2 and embeds[0]["title"].startswith("KFOR update") and ["US", "602", "320", "−282"] in rows


async def test_kill_9_after_the_post_was_recorded_before_its_claim_was_finished_sends_nothing_again(
    postgres_url, tmp_path
) -> None:
    """The post was accepted and recorded, and the check died before finishing its claim (the batch's finish held
    up by a lock): the check after the lease resumes the claim, finds the post recorded, and sends nothing."""
    db = await fresh_database(postgres_url, f"kill9_recorded_{os.getpid()}")
    async with serve_report() as server, receive_webhooks() as webhook, Store.open(db) as store:
        env = {**CHECK_ENV, **FAST, "KFOR_DISCORD_API_BASE": webhook.api_base}
        base = ("--source", server.url, "--db", db, "--webhook", webhook.url)
        server.body = SEED
        assert (await check(*base, env=env))[0] == 0
        server.body, webhook.hold = CHANGED, asyncio.Event()
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "check", *base, cwd=ROOT, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        await asyncio.wait_for(webhook.arrived.wait(), timeout=30)
        async with store.engine.connect() as holder:  # the finish moves the cursor: this lock holds it up
            await holder.execute(text("SELECT 1 FROM subscriptions WHERE destination_key LIKE 'webhook:%' FOR UPDATE"))
            webhook.hold.set()  # the post is answered; the check records it and then waits on the lock
            for _ in range(400):
                rows = [r for r in await store.ledger.rows() if r["destination_key"].startswith("webhook:")]
                if rows and '"accepted":1' in (rows[0]["payload"] or ""):
                    break
                await asyncio.sleep(0.05)
            assert [(r["status"], r["attempts"]) for r in rows] == [("claimed", 1)] and '"accepted":1' in rows[0][
                "payload"
            ]
            process.send_signal(signal.SIGKILL)
            await process.wait()
            await holder.rollback()
        await asyncio.sleep(1.2)  # the claim's lease runs out
        code, _, err = await check(*base, env=env)
        assert code == 0 and "Traceback" not in err
        for _ in range(2):
            assert (await check(*base, env=env))[0] == 0
        (post,) = webhook.posts  # once: the resumed claim had nothing left to send
        assert _is_whole_change(post)
        rows = [r for r in await store.ledger.rows() if r["destination_key"].startswith("webhook:")]
        assert [(r["status"], r["attempts"], r["message_ref"]) for r in rows] == [("sent", 2, "1001")]


async def test_postgresql_killed_between_the_post_and_its_record_sends_it_once(tmp_path) -> None:
    """The post is answered while PostgreSQL is down: the record waits for it to return; the post is not repeated."""
    from tests.postgres import running_postgres

    with running_postgres(durable=True) as postgres:
        async with serve_report() as server, receive_webhooks() as webhook:
            env = {**CHECK_ENV, "KFOR_DELIVERY_LEASE_SECONDS": "20", "KFOR_DISCORD_API_BASE": webhook.api_base}
            base = ("--source", server.url, "--db", postgres.url, "--webhook", webhook.url)
            server.body = SEED
            assert (await check(*base, env=env))[0] == 0
            server.body, webhook.hold = CHANGED, asyncio.Event()
            running = asyncio.ensure_future(check(*base, "--verbose", env=env))
            await asyncio.wait_for(webhook.arrived.wait(), timeout=60)
            await asyncio.to_thread(postgres.stop)  # killed while the head is on its way back
            webhook.hold.set()
            await asyncio.sleep(1.0)  # the check has its answer and cannot record it yet
            await asyncio.to_thread(postgres.start)
            code, _, err = await running
            assert code == 0 and "Traceback" not in err, err
            assert (await check(*base, env=env))[0] == 0
            async with Store.open(postgres.url) as store:  # recorded once PostgreSQL was back: sent, first attempt
                rows = [r for r in await store.ledger.rows() if r["destination_key"].startswith("webhook:")]
        assert [(r["status"], r["attempts"], r["message_ref"]) for r in rows] == [("sent", 1, "1001")]
        (post,) = webhook.posts
        assert _is_whole_change(post)


async def test_a_lease_of_zero_with_three_checks_at_once_sends_one_digest(tmp_path) -> None:
    """A lease of 0 is refused by the settings; the shortest one allowed still sends one digest for three checks."""
    async with serve_report() as server, receive_webhooks() as webhook:
        env = {"KFOR_DELIVERY_LEASE_SECONDS": "0", "KFOR_DISCORD_API_BASE": webhook.api_base}
        base = ("--source", server.url, "--db", _db(tmp_path), "--webhook", webhook.url)
        code, _, err = await check(*base, env=env)
        assert code == 2 and err == "kfor-bot: KFOR_DELIVERY_LEASE_SECONDS: must be ≥ 1, not '0'\n"
        env["KFOR_DELIVERY_LEASE_SECONDS"] = "1"
        server.body = SEED
        assert (await check(*base, env=env))[0] == 0
        server.body = CHANGED
        results = await asyncio.gather(*(check(*base, env=env) for _ in range(3)))
        assert all(code == 0 for code, _, _ in results), [err for _, _, err in results]
        assert sum(t.startswith("KFOR update") for t in _titles(webhook.posts)) == 1 == len(webhook.posts)
