"""Briefings as JSON, for scripts (``kfor-bot ask --json``) and webhooks."""

from __future__ import annotations

import json
from typing import Any

from bot.briefings.model import Briefing


def _without_none(value: Any) -> Any:
    """Fields a briefing leaves empty are left out, at every depth: scripts test for a key, not for null."""
    if isinstance(value, dict):
        return {key: _without_none(item) for key, item in value.items() if item is not None}
    if isinstance(value, list | tuple):
        return [_without_none(item) for item in value]
    return value


def render_json(briefing: Briefing) -> str:
    return json.dumps(_without_none(briefing.to_dict()), indent=2, ensure_ascii=False)
