"""The initial schema: snapshots chain, subscriptions, delivery ledger, schedules, source health.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "snapshots",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("mission", sa.String(32), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("as_of", sa.String(10)),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("mission", "position", name="uq_snapshots_mission_position"),
    )
    op.create_table(
        "subscriptions",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("destination_key", sa.String(200), nullable=False),
        sa.Column("guild_id", sa.BigInteger),
        sa.Column("channel_id", sa.BigInteger),
        sa.Column("webhook_url", sa.Text),
        sa.Column("min_change", sa.Integer, nullable=False),
        sa.Column("min_percent", sa.Float, nullable=False),
        sa.Column("nations", sa.Text),
        sa.Column("mention_role_id", sa.BigInteger),
        sa.Column("created_by", sa.BigInteger),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("mission", sa.String(32), nullable=False),
        sa.Column("start_position", sa.Integer, nullable=False),
        sa.UniqueConstraint("destination_key", name="uq_subscriptions_destination_key"),
    )
    op.create_table(
        "deliveries",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("event_key", sa.String(200), nullable=False),
        sa.Column("destination_key", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("claimed_by", sa.String(64), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("nonce", sa.String(25), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("message_ref", sa.String(100)),
        sa.Column("group_key", sa.String(200)),
        sa.UniqueConstraint("event_key", "destination_key", name="uq_deliveries_event_destination"),
    )
    op.create_table(
        "briefing_schedules",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("guild_id", sa.BigInteger, nullable=False),
        sa.Column("channel_id", sa.BigInteger, nullable=False),
        sa.Column("cron", sa.String(100), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("created_by", sa.BigInteger),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("channel_id", name="uq_briefing_schedules_channel_id"),
    )
    op.create_table(
        "source_health",
        sa.Column("source_key", sa.String(500), primary_key=True),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("content_hash", sa.String(64)),
        sa.Column("last_check_at", sa.DateTime(timezone=True)),
        sa.Column("last_success_at", sa.DateTime(timezone=True)),
        sa.Column("last_change_at", sa.DateTime(timezone=True)),
        sa.Column("problem", sa.Text),
        sa.Column("problem_key", sa.String(64)),
        sa.Column("problem_since", sa.DateTime(timezone=True)),
        sa.Column("consecutive_failures", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    for table in ("source_health", "briefing_schedules", "deliveries", "subscriptions", "snapshots"):
        op.drop_table(table)
