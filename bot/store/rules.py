"""The store's questions as SQL text, shared by the store and the standard-library quick check.

``kfor-bot check`` answers "nothing changed" without SQLAlchemy (see :mod:`bot.alerts.probe`); it
runs these very statements through :mod:`sqlite3`, and the store runs them through SQLAlchemy, so
the rules exist once. Named parameters (``:name``) work in both. Standard library only.
"""

from __future__ import annotations

import datetime as dt

#: The end of a mission's chain; a subscription is *behind* when its cursor is short of it.
LAST_POSITION = "SELECT MAX(position) FROM snapshots WHERE mission = :mission"
_LAST_POSITION = LAST_POSITION

#: The destinations subscribed to a mission.
SUBSCRIBED = "SELECT destination_key FROM subscriptions WHERE mission = :mission"

#: Whether a claim's lease ran out, where the chain ends, and whether any subscription is behind.
DELIVERY_STATE = f"""
SELECT
  EXISTS (SELECT 1 FROM deliveries WHERE status = 'claimed' AND lease_until < :now) AS stale,
  ({_LAST_POSITION}) AS last_position,
  EXISTS (SELECT 1 FROM subscriptions WHERE mission = :mission
          AND delivered_through < COALESCE(({_LAST_POSITION}), 0)) AS behind
"""  # noqa: S608 - constant SQL, parameters bound by the driver

#: The destinations that have not had every change (the quick check asks about its own only).
BEHIND = f"""
SELECT destination_key FROM subscriptions
WHERE mission = :mission AND delivered_through < COALESCE(({_LAST_POSITION}), 0)
"""  # noqa: S608 - constant SQL

#: Whether any delivery is claimed and not finished (in flight, or stuck until its lease runs out).
OPEN_CLAIM = "SELECT 1 FROM deliveries WHERE status = 'claimed' LIMIT 1"

#: An unchanged check: the source answered with what the store already has.
RECORD_UNCHANGED = """
UPDATE source_health SET last_check_at = :now, last_success_at = :now, consecutive_failures = 0,
  etag = COALESCE(:etag, etag), last_modified = COALESCE(:last_modified, last_modified)
WHERE source_key = :source_key
"""


def sqlite_time(moment: dt.datetime) -> str:
    """How a DateTime is stored on SQLite (SQLAlchemy's format; a store test holds the two together)."""
    return moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
