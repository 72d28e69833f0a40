"""Names that must agree everywhere: how kfor-bot introduces itself and keys its ledger.

Standard library only, so that the fast path of ``kfor-bot check`` (:mod:`bot.alerts.probe`)
uses the very same values as the full watch cycle without importing it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from bot import __version__

USER_AGENT = f"kfor-bot/{__version__} (Discord bot; change alerts on KFOR contingents)"
CONSOLE_KEY = "console"


def webhook_key(url: str) -> str:
    """A ledger key for a webhook that does not store its secret token."""
    return "webhook:" + hashlib.sha256(url.encode()).hexdigest()[:24]


def channel_key(channel_id: int) -> str:
    return f"channel:{channel_id}"


def local_path(location: str, base: Path | None) -> Path:
    """A configured file location: absolute as given, relative to ``base`` otherwise."""
    path = Path(location)
    return path if path.is_absolute() or base is None else base / path
