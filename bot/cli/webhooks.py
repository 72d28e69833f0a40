"""``kfor-bot webhooks list|add|remove``: the webhook subscriptions ``check --webhook`` created.

``check --webhook URL`` subscribes the webhook at its first run (later changes are posted to it by
the runs that name it). The URL itself is never stored — its token is a secret — only a hash of it
(the ledger's key) and the webhook's public id. So a webhook that a cron line no longer names keeps
its pending digests until it is removed here; ``add`` subscribes one ahead of its first check.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys

from bot.alerts.identity import is_webhook_url, webhook_id, webhook_key
from bot.core.errors import UserError
from bot.settings import Settings
from bot.sources.location import public_address
from bot.store.database import Store
from bot.store.faults import store_fault
from bot.store.subscriptions import Subscription


def _describe(subscription: Subscription, last: int | None) -> str:
    behind = max(0, (last or 0) - subscription.delivered_through)
    pending = f"{behind} change(s) pending" if behind else "up to date"
    failures = f", {subscription.failures} failed attempt(s) in a row" if subscription.failures else ""
    return f"webhook {subscription.webhook_id or '?'}  {subscription.destination_key}  {pending}{failures}"


def _matches(subscriptions: list[Subscription], ref: str) -> list[Subscription]:
    """The webhook named by its URL (any spelling), its public id or its key: every subscription of it.

    Before URLs were normalized, one webhook written several ways became several subscriptions; its id
    names them all, so removing it removes the destination, not one spelling of it.
    """
    key = webhook_key(ref) if is_webhook_url(ref) else None
    hook = webhook_id(ref) if key else None
    found = [s for s in subscriptions if ref in (s.webhook_id, s.destination_key) or s.destination_key == key
             or (hook is not None and s.webhook_id == hook)]  # fmt: skip
    if not found:
        known = ", ".join(s.webhook_id or s.destination_key for s in subscriptions) or "none"
        raise UserError(f"No webhook subscription matches {public_address(ref)!r}. Subscribed: {known}.")
    return found


async def _webhooks(args: argparse.Namespace, settings: Settings) -> int:
    async with Store.open(args.db or settings.store_url, settings.lease) as store:
        hooks = [s for s in await store.subscriptions.all(settings.mission) if s.destination_key.startswith("webhook:")]
        last = await store.snapshots.last_position(settings.mission)
        if args.action == "list":
            for subscription in hooks:
                print(_describe(subscription, last))
            if not hooks:
                print("No webhook is subscribed. `kfor-bot check --webhook URL` subscribes one at its first run.")
            return 0
        if args.action == "add":
            if not args.webhook or not is_webhook_url(args.webhook):
                raise UserError(
                    f"{public_address(args.webhook)!r} is not a Discord webhook URL (https://discord.com/api/webhooks/ID/TOKEN)."
                )
            subscription = await store.subscriptions.subscribe(
                destination_key=webhook_key(args.webhook), mission=settings.mission, now=dt.datetime.now(dt.UTC),
                webhook_id=webhook_id(args.webhook),
            )  # fmt: skip
            print(f"Subscribed: {_describe(subscription, last)}. `kfor-bot check --webhook URL` posts to it.")
            return 0
        if not args.webhook:
            raise UserError("`kfor-bot webhooks remove` needs the webhook's URL, id or key (see `webhooks list`).")
        found = _matches(hooks, args.webhook)
        for subscription in found:
            await store.subscriptions.unsubscribe(subscription.destination_key)
        name = found[0].webhook_id or found[0].destination_key
        spellings = f" ({len(found)} subscriptions of it)" if len(found) > 1 else ""
        print(f"Removed webhook {name}{spellings}; its pending digests are dropped.")
        return 0


def webhooks_command(args: argparse.Namespace, settings: Settings) -> int:
    try:
        code = asyncio.run(_webhooks(args, settings))
    except Exception as exc:
        fault = store_fault(exc, args.db or settings.store_url)
        if fault is None:
            raise
        print(f"kfor-bot webhooks: {fault.message}", file=sys.stderr)
        return fault.exit_code
    sys.stdout.flush()
    return code
