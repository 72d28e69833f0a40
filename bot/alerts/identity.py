"""Names that must agree everywhere: how kfor-bot keys its delivery ledger.

Standard library only, so that the fast path of ``kfor-bot check`` (:mod:`bot.alerts.probe`)
uses the very same values as the full watch cycle without importing it.
"""

from __future__ import annotations

import hashlib
import re

CONSOLE_KEY = "console"


#: A Discord webhook URL as people paste it: discord.com or discordapp.com (or the ptb/canary hosts), with or
#: without an API version, then the id and the token; a trailing slash or a query (``?wait=true``,
#: ``?thread_id=…``) does not make it another webhook.
_WEBHOOK_URL = re.compile(
    r"^https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/api(?:/v\d+)?/webhooks/(?P<id>[0-9]{17,20})/"
    r"(?P<token>[A-Za-z0-9.\-_]{60,})/?(?:[?#].*)?$"
)


def canonical_webhook_url(url: str) -> str | None:
    """The one spelling of a webhook URL (``https://discord.com/api/webhooks/ID/TOKEN``), or None if it is none.

    One webhook written four ways in four cron lines must be one destination, or its channel gets the
    digest four times.
    """
    match = _WEBHOOK_URL.match(url.strip())
    return f"https://discord.com/api/webhooks/{match['id']}/{match['token']}" if match else None


def webhook_key(url: str) -> str:
    """A ledger key for a webhook that does not store its secret token: a hash of its canonical URL."""
    return "webhook:" + hashlib.sha256((canonical_webhook_url(url) or url).encode()).hexdigest()[:24]


def is_webhook_url(url: str) -> bool:
    """Whether ``url`` is a Discord webhook URL (checked before a run, so a typo is a usage error, not a retry)."""
    return canonical_webhook_url(url) is not None


def webhook_id(url: str) -> str | None:
    """The public id in a webhook URL (``…/webhooks/<id>/<token>``): it may be stored and shown, the token not."""
    match = _WEBHOOK_URL.match(url.strip()) or re.search(r"/webhooks/(?P<id>\d+)/", url)
    return match.group("id") if match else None


def channel_key(channel_id: int) -> str:
    return f"channel:{channel_id}"
