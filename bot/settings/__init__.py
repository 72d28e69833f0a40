"""Settings: ``config/kfor.toml``, overridden by ``.env`` and the environment, read at run time.

``Settings()`` (:mod:`bot.settings.model`) reads them all; :mod:`bot.settings.lookup` says
where one setting comes from. Both use the standard library only, so every entry point can afford them.
"""

from __future__ import annotations

from bot.settings.lookup import CONFIG_FILE, PROJECT_ROOT
from bot.settings.model import Secret, Settings, SettingsError

__all__ = ["CONFIG_FILE", "PROJECT_ROOT", "Secret", "Settings", "SettingsError"]
