"""Renderers: a :class:`~bot.briefings.model.Briefing` as text, JSON, embed payloads or a chart.

They touch no store, no network and no Discord client (a test enforces it).
"""
