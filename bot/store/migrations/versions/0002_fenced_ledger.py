"""A fenced ledger with explicit final states, a delivered-through cursor, and no webhook secrets.

- deliveries: ``lease_until`` (renewable lease), ``error`` (why a delivery failed for good),
  ``payload`` (the post, so any process can resume a claim), and an index for open claims. The old
  text markers in ``message_ref`` ("filtered", "failed: …") become statuses.
- subscriptions: ``delivered_through`` replaces ``start_position`` (computed from the ledger), and
  ``webhook_id`` (the public part of a webhook URL) replaces ``webhook_url``, whose token is a secret.
- briefing_schedules: ``updated_at``, so every instance can tell that a schedule changed.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_WEBHOOK_ID = re.compile(r"/webhooks/(\d+)/")


def upgrade() -> None:
    conn = op.get_bind()
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("lease_until", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("error", sa.Text))
        batch.add_column(sa.Column("payload", sa.Text))
    conn.execute(sa.text("UPDATE deliveries SET lease_until = claimed_at"))
    conn.execute(
        sa.text("UPDATE deliveries SET status = 'filtered', message_ref = NULL WHERE message_ref = 'filtered'")
    )
    conn.execute(
        sa.text(
            "UPDATE deliveries SET status = 'failed', error = message_ref, message_ref = NULL "
            "WHERE message_ref LIKE 'failed:%'"
        )
    )
    with op.batch_alter_table("deliveries") as batch:
        batch.alter_column("lease_until", nullable=False, existing_type=sa.DateTime(timezone=True))
        batch.create_index("ix_deliveries_open", ["status", "lease_until"])

    with op.batch_alter_table("subscriptions") as batch:
        batch.add_column(sa.Column("delivered_through", sa.Integer))
        batch.add_column(sa.Column("webhook_id", sa.String(32)))
    rows = conn.execute(sa.text("SELECT id, destination_key, mission, start_position, webhook_url FROM subscriptions"))
    for row in rows.all():
        done = {
            int(str(key).rsplit(":", 1)[1])
            for (key,) in conn.execute(
                sa.text(
                    "SELECT event_key FROM deliveries WHERE destination_key = :key AND status <> 'claimed' "
                    "AND event_key LIKE :prefix"
                ),
                {"key": row.destination_key, "prefix": f"change:{row.mission}:%"},
            )
        }
        through = max(row.start_position, 0)  # position 0 is the baseline: no change to deliver
        while through + 1 in done:
            through += 1
        match = _WEBHOOK_ID.search(row.webhook_url or "")
        conn.execute(
            sa.text("UPDATE subscriptions SET delivered_through = :through, webhook_id = :hook WHERE id = :id"),
            {"through": through, "hook": match.group(1) if match else None, "id": row.id},
        )
    with op.batch_alter_table("subscriptions") as batch:
        batch.alter_column("delivered_through", nullable=False, existing_type=sa.Integer)
        batch.drop_column("start_position")
        batch.drop_column("webhook_url")

    with op.batch_alter_table("briefing_schedules") as batch:
        batch.add_column(sa.Column("updated_at", sa.DateTime(timezone=True)))
    conn.execute(sa.text("UPDATE briefing_schedules SET updated_at = :now"), {"now": dt.datetime.now(dt.UTC)})
    with op.batch_alter_table("briefing_schedules") as batch:
        batch.alter_column("updated_at", nullable=False, existing_type=sa.DateTime(timezone=True))


def downgrade() -> None:
    with op.batch_alter_table("briefing_schedules") as batch:
        batch.drop_column("updated_at")
    with op.batch_alter_table("subscriptions") as batch:
        batch.add_column(sa.Column("start_position", sa.Integer, nullable=False, server_default="-1"))
        batch.add_column(sa.Column("webhook_url", sa.Text))
        batch.drop_column("webhook_id")
        batch.drop_column("delivered_through")
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_index("ix_deliveries_open")
        batch.drop_column("payload")
        batch.drop_column("error")
        batch.drop_column("lease_until")
