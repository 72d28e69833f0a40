"""Briefings as JSON, for scripts (``kfor-bot ask --json``) and webhooks."""

from __future__ import annotations

from functools import cache

from pydantic import TypeAdapter

from bot.briefings.model import Briefing


@cache
def _briefings() -> TypeAdapter[Briefing]:
    """Built at the first JSON answer, not at import: most answers are never JSON."""
    return TypeAdapter(Briefing)


def render_json(briefing: Briefing) -> str:
    """The briefing's fields; those it leaves empty are left out at every depth (scripts test for a key, not null)."""
    return _briefings().dump_json(briefing, indent=2, exclude_none=True).decode()
