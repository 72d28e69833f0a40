"""Persistence: snapshots, subscriptions, the delivery ledger, schedules and source health.

SQLAlchemy 2 (async) over SQLite by default or PostgreSQL; schema changes are Alembic migrations
applied at start. Exactly-once delivery rests on unique constraints in the database, never on
in-process locks, so several bot processes can share one PostgreSQL store.
"""
