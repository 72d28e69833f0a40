"""How kfor-bot finds and asks for a source: its User-Agent and the rule for relative file locations.

Standard library only, so that the fast path of ``kfor-bot check`` (:mod:`bot.alerts.probe`)
fetches exactly as the full watch cycle does without importing it.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bot import __version__

USER_AGENT = f"kfor-bot/{__version__} (Discord bot; change alerts on KFOR contingents)"

#: An address inside a message: a scheme, "://", then up to a space, quote or bracket, less a closing stop.
_ADDRESS = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"<>(){}`]*[^\s'\"<>(){}`.,;:!?]")
#: The token after a Discord webhook's id (``/api/webhooks/ID/TOKEN``, any API version).
_WEBHOOK_TOKEN = re.compile(r"(/webhooks/\d+)/.*$")


def local_path(location: str, base: Path | None) -> Path:
    """A configured file location: absolute as given, relative to ``base`` otherwise."""
    path = Path(location)
    return path if path.is_absolute() or base is None else base / path


def public_address(url: str) -> str:
    """An address as anyone may see it: no user, password, query, fragment or webhook token.

    Operators put credentials where a URL allows them (``https://alice:PASS@host/c.csv?token=…``), and
    a Discord webhook's token is the key to post in its channel; every notice, status page, health
    answer and log line shows an address through this function only. The query is dropped whole: a
    token may hide under any name, and the path says which document it is.
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:  # an unparseable port or bracket: show nothing of it but its scheme
        return url.split(":", 1)[0] + "://…" if "://" in url else "…"
    if ":" in host:  # an IPv6 literal needs its brackets back
        host = f"[{host}]"
    netloc = host + (f":{port}" if port is not None else "")
    path = _WEBHOOK_TOKEN.sub(r"\1", parts.path)
    return urlunsplit((parts.scheme, netloc, path, "", ""))


def public_text(text: str) -> str:
    """``text`` with every address in it made public (:func:`public_address`): errors quote URLs."""
    return _ADDRESS.sub(lambda match: public_address(match.group(0)), text)


def public_location(key: str) -> str:
    """A source as a team may see it: an address made public, a local file by its name only.

    A path on the operator's machine says nothing to a team and leaks the machine's layout.
    """
    if "://" in key:
        return public_text(key)
    return Path(key).name or key
