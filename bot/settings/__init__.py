"""Settings: ``config/kfor.toml``, overridden by ``.env`` and the environment, read at run time.

``from bot.settings import Settings`` gives the pydantic-settings model (:mod:`bot.settings.model`),
imported on first use; :mod:`bot.settings.lookup` reads single settings by the same rules with the
standard library only, for the quick path of ``kfor-bot check``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.settings.lookup import CONFIG_FILE, PROJECT_ROOT

if TYPE_CHECKING:
    from bot.settings.model import Settings

__all__ = ["CONFIG_FILE", "PROJECT_ROOT", "Settings"]


def __getattr__(name: str) -> object:
    """``Settings`` on first use: pydantic-settings is not paid for by those who only need a path."""
    if name == "Settings":
        from bot.settings.model import Settings

        return Settings
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
