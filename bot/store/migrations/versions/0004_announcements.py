"""Announcements: each feed entry seen once, the claims found in them with their state, a subscription's opt-in.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "feed_items",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("feed_key", sa.String(500), nullable=False),
        sa.Column("item_key", sa.String(64), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("feed_key", "item_key", name="uq_feed_items_feed_key"),
    )
    op.create_table(
        "announcements",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("mission", sa.String(32), nullable=False),
        sa.Column("nation", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("change", sa.Integer),
        sa.Column("level", sa.Integer),
        sa.Column("approximate", sa.Boolean, nullable=False),
        sa.Column("effective", sa.String(10)),
        sa.Column("link", sa.Text),
        sa.Column("published", sa.DateTime(timezone=True)),
        sa.Column("quote", sa.Text, nullable=False),
        sa.Column("tier", sa.String(16), nullable=False),
        sa.Column("publishers", sa.Text, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("baseline", sa.Integer),
        sa.Column("baseline_as_of", sa.String(10)),
        sa.Column("observed", sa.Integer),
        sa.Column("settled_position", sa.Integer),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_announcements_mission_state", "announcements", ["mission", "state"])
    with op.batch_alter_table("subscriptions") as batch:
        batch.add_column(sa.Column("announcements", sa.String(8), nullable=False, server_default="on"))


def downgrade() -> None:
    with op.batch_alter_table("subscriptions") as batch:
        batch.drop_column("announcements")
    op.drop_index("ix_announcements_mission_state", "announcements")
    op.drop_table("announcements")
    op.drop_table("feed_items")
