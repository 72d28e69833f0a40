"""Webhook and console destinations, against a real HTTP receiver on 127.0.0.1."""

from __future__ import annotations

from dataclasses import replace

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


async def test_webhook_gets_the_digest_and_the_table_in_one_post_and_only_pings_the_role(post) -> None:
    """One request: the digest's embed, the table's after it, the role the subscription names and nobody else."""
    async with receive_webhooks() as receiver, aiohttp.ClientSession() as session:
        recorded: list[tuple[int, str | None]] = []

        async def accepted(count: int, ref: str | None) -> None:
            recorded.append((count, ref))

        ref = await WebhookDestination(receiver.url, session).send(post, retry=False, accepted=accepted)
        assert ref == "1001" and recorded == [(1, "1001")]  # the one message, recorded as it is accepted
        (message,) = receiver.posts
        assert message["content"] == "<@&77>"
        assert message["allowed_mentions"]["parse"] == []
        assert [str(r) for r in message["allowed_mentions"]["roles"]] == ["77"]
        head, table = message["embeds"]
        assert head["title"] == "KFOR update — 2025-02 → 2025-06"
        assert "US             602   320 −282" in table["description"] and "url" not in table


async def test_the_chart_is_attached_to_the_same_post(post) -> None:
    """With a chart drawer (the running bot): one multipart request, the chart shown in the digest's embed."""
    async with receive_webhooks() as receiver, aiohttp.ClientSession() as session:

        async def draw(_request: object) -> bytes:
            return b"\x89PNG fake"

        await WebhookDestination(receiver.url, session, draw_chart=draw).send(post, retry=False)
        (message,) = receiver.posts
        assert message["_files"] == ["kfor-change.png"] and len(message["embeds"]) == 2
        assert message["embeds"][0]["image"]["url"] == "attachment://kfor-change.png"


async def test_a_post_recorded_as_accepted_is_not_sent_again(post) -> None:
    """A delivery resumed after its one message was accepted and recorded sends nothing, and keeps its id."""
    async with receive_webhooks() as receiver, aiohttp.ClientSession() as session:
        done = replace(post, accepted=1, head_ref="1001")
        assert await WebhookDestination(receiver.url, session).send(done, retry=True) == "1001"
        assert receiver.requests == 0


async def test_webhook_honours_429(post) -> None:
    """Two 429s waited out: the one post arrives once (a 429 discord.py cannot read: test_webhooks_in_bot)."""
    async with receive_webhooks() as receiver, aiohttp.ClientSession() as session:
        receiver.rate_limit_first = 2
        await WebhookDestination(receiver.url, session).send(post, retry=False)
        assert len(receiver.posts) == 1 and receiver.requests == 3


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
