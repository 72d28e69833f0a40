"""Webhook and console destinations, against a real HTTP receiver on 127.0.0.1."""

from __future__ import annotations

import aiohttp
import pytest

from bot.alerts.destinations import ConsoleDestination, DeliveryError, Post, WebhookDestination, webhook_key
from bot.alerts.identity import webhook_id
from bot.briefings.digest import build_digest
from tests.briefings.test_digest import AFTER, BEFORE
from tests.webhook_receiver import receive_webhooks


@pytest.fixture
def post(registry) -> Post:
    digest = build_digest(BEFORE, AFTER, registry)
    return Post(digest.head, digest.detail, digest.thread_name, mention_role_id=77, nonce="n" * 24, ref="nnnnnnnn")


async def test_webhook_gets_the_digest_and_the_table_and_only_pings_the_role(post) -> None:
    async with receive_webhooks() as receiver, aiohttp.ClientSession() as session:
        ref = await WebhookDestination(receiver.url, session).send(post, retry=False)
        assert ref == "1001"
        head, detail = receiver.posts
        assert head["content"] == "<@&77>"
        assert head["allowed_mentions"]["parse"] == [] and [str(r) for r in head["allowed_mentions"]["roles"]] == ["77"]
        assert head["embeds"][0]["title"] == "KFOR update — 2025-02 → 2025-06"
        assert detail["allowed_mentions"]["parse"] == [] and not detail.get("content")
        assert "US              602   320 −282" in detail["embeds"][0]["description"]


async def test_webhook_honours_429(post) -> None:
    async with receive_webhooks() as receiver, aiohttp.ClientSession() as session:
        receiver.rate_limit_first = 2
        await WebhookDestination(receiver.url, session).send(post, retry=False)
        assert len(receiver.posts) == 2  # head and table, each once, after waiting out the 429s


async def test_revoked_webhook_is_a_permanent_failure(post) -> None:
    async with receive_webhooks() as receiver, aiohttp.ClientSession() as session:
        receiver.status = 404
        with pytest.raises(DeliveryError) as excinfo:
            await WebhookDestination(receiver.url, session).send(post, retry=False)
        assert excinfo.value.permanent


def test_webhook_keys_do_not_store_the_token() -> None:
    key = webhook_key("https://discord.com/api/webhooks/1/secret-token")
    assert key.startswith("webhook:") and "secret" not in key
    assert webhook_id("https://discord.com/api/webhooks/123/secret-token") == "123"


async def test_a_webhook_that_never_answers_is_an_unknown_outcome(post) -> None:
    """The request went out and no answer came: the message may have arrived, so it is not retried blindly."""
    async with receive_webhooks() as receiver, aiohttp.ClientSession() as session:
        receiver.hang = True
        with pytest.raises(DeliveryError) as excinfo:
            await WebhookDestination(receiver.url, session, timeout=0.3).send(post, retry=False)
        assert excinfo.value.unknown and not excinfo.value.permanent and receiver.requests == 1


async def test_a_malformed_webhook_url_is_a_permanent_failure(post) -> None:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(DeliveryError, match="not a Discord webhook URL") as excinfo:
            await WebhookDestination("http://example.invalid/hook", session).send(post, retry=False)
        assert excinfo.value.permanent


async def test_console_destination_writes_head_and_detail(post) -> None:
    written = []
    await ConsoleDestination(written.append).send(post, retry=False)
    assert [b.kind for b in written] == ["digest", "digest-detail"]
