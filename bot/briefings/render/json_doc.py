"""Briefings as JSON, for scripts (``kfor-bot ask --json``) and webhooks."""

from __future__ import annotations

from bot.briefings.model import Briefing


def render_json(briefing: Briefing) -> str:
    return briefing.model_dump_json(indent=2, exclude_none=True)
