"""Names that must agree everywhere: how kfor-bot keys its delivery ledger.

Standard library only, so that the fast path of ``kfor-bot check`` (:mod:`bot.alerts.probe`)
uses the very same values as the full watch cycle without importing it.
"""

from __future__ import annotations

import hashlib
import re

CONSOLE_KEY = "console"


def webhook_key(url: str) -> str:
    """A ledger key for a webhook that does not store its secret token."""
    return "webhook:" + hashlib.sha256(url.encode()).hexdigest()[:24]


#: What discord.py's Webhook.from_url accepts: a discord.com webhook URL with its id and token.
_WEBHOOK_URL = re.compile(r"discord(?:app)?\.com/api/webhooks/(?P<id>[0-9]{17,20})/(?P<token>[A-Za-z0-9.\-_]{60,})")


def is_webhook_url(url: str) -> bool:
    """Whether ``url`` is a Discord webhook URL (checked before a run, so a typo is a usage error, not a retry)."""
    return url.startswith("https://") and _WEBHOOK_URL.search(url) is not None


def webhook_id(url: str) -> str | None:
    """The public id in a webhook URL (``…/webhooks/<id>/<token>``): it may be stored and shown, the token not."""
    match = _WEBHOOK_URL.search(url) or re.search(r"/webhooks/(?P<id>\d+)/", url)
    return match.group("id") if match else None


def channel_key(channel_id: int) -> str:
    return f"channel:{channel_id}"
