"""Settings: ``config/kfor.toml``, overridden by ``.env`` and the environment, read at run time.

``Settings()`` (:mod:`bot.settings.model`, pydantic-settings) reads them all; :mod:`bot.settings.lookup`
names where one setting comes from.
"""

from __future__ import annotations

from bot.settings.lookup import CONFIG_FILE, PROJECT_ROOT, SettingsError
from bot.settings.model import Settings

__all__ = ["CONFIG_FILE", "PROJECT_ROOT", "Settings", "SettingsError"]
