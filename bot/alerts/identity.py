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


def webhook_id(url: str) -> str | None:
    """The public id in a webhook URL (``…/webhooks/<id>/<token>``): it may be stored and shown, the token not."""
    match = re.search(r"/webhooks/(\d+)/", url)
    return match.group(1) if match else None


def channel_key(channel_id: int) -> str:
    return f"channel:{channel_id}"
