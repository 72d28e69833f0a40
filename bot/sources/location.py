"""How kfor-bot finds and asks for a source: its User-Agent and the rule for relative file locations.

Standard library only, so that the fast path of ``kfor-bot check`` (:mod:`bot.alerts.probe`)
fetches exactly as the full watch cycle does without importing it.
"""

from __future__ import annotations

from pathlib import Path

from bot import __version__

USER_AGENT = f"kfor-bot/{__version__} (Discord bot; change alerts on KFOR contingents)"


def local_path(location: str, base: Path | None) -> Path:
    """A configured file location: absolute as given, relative to ``base`` otherwise."""
    path = Path(location)
    return path if path.is_absolute() or base is None else base / path


def public_location(key: str) -> str:
    """A source as a team may see it: an address as it is, a local file by its name only.

    A path on the operator's machine says nothing to a team and leaks the machine's layout.
    """
    if "://" in key:
        return key
    return Path(key).name or key
