"""The schema, as SQLAlchemy Core tables (migrations in ``migrations/versions`` create them)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# BigInteger ids are INTEGER on SQLite, where only "INTEGER PRIMARY KEY" autoincrements.
Id = BigInteger().with_variant(Integer(), "sqlite")

#: The accepted chain of snapshots of each mission: position 0 is the baseline, each later
#: position one accepted change. UNIQUE(mission, position) keeps the chain linear however many
#: processes race to add the same change.
snapshots = Table(
    "snapshots",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("mission", String(32), nullable=False),
    Column("position", Integer, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("as_of", String(10)),
    Column("body", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("fetched_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("mission", "position", name="uq_snapshots_mission_position"),
)

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("destination_key", String(200), nullable=False, unique=True),
    Column("guild_id", BigInteger),
    Column("channel_id", BigInteger),
    #: A webhook's public id (the number in its URL). The URL itself holds a secret token and is
    #: never stored: the key is its hash, and ``kfor-bot check --webhook URL`` supplies it each run.
    Column("webhook_id", String(32)),
    Column("min_change", Integer, nullable=False, default=1),
    Column("min_percent", Float, nullable=False, default=0.0),
    Column("nations", Text),  # JSON list of canonical names, or NULL for all
    Column("mention_role_id", BigInteger),
    Column("created_by", BigInteger),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("mission", String(32), nullable=False),
    #: The cursor: every change up to this chain position has been dealt with for this destination
    #: (sent, filtered out or failed for good); the changes after it are pending.
    Column("delivered_through", Integer, nullable=False),
    #: Failed deliveries in a row (reset by a success): past a limit, a pending digest is given up.
    Column("failures", Integer, nullable=False, server_default="0"),
    #: Announcements from the news feeds: on (all that are announced), official (from official feeds only), off.
    Column("announcements", String(8), nullable=False, server_default="on"),
)

#: Exactly once per (event, destination): a row is claimed before sending and finished after.
#: Every change of a claim is fenced by its owner and attempt, so a process whose lease ran out
#: can no longer finish or release a claim that another process took over.
deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("event_key", String(200), nullable=False),
    Column("destination_key", String(200), nullable=False),
    Column("status", String(16), nullable=False),  # claimed | sent | filtered | failed
    Column("claimed_by", String(64), nullable=False),
    Column("claimed_at", DateTime(timezone=True), nullable=False),
    #: Until when the owner holds the claim; a long send renews it; after it another process may take over.
    Column("lease_until", DateTime(timezone=True), nullable=False),
    Column("attempts", Integer, nullable=False, default=1),
    Column("nonce", String(25), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    Column("message_ref", String(100)),  # the id of the message that carried it
    Column("error", Text),  # why a delivery failed for good
    Column("group_key", String(200)),  # the digest that covers this event (catch-up digests cover several)
    #: What to send (the post, as JSON) on the group's row, so any process can resume a claim.
    Column("payload", Text),
    UniqueConstraint("event_key", "destination_key", name="uq_deliveries_event_destination"),
    Index("ix_deliveries_open", "status", "lease_until"),
)

briefing_schedules = Table(
    "briefing_schedules",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("channel_id", BigInteger, nullable=False, unique=True),
    Column("cron", String(100), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("created_by", BigInteger),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

source_health = Table(
    "source_health",
    metadata,
    Column("source_key", String(500), primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("content_hash", String(64)),
    Column("last_check_at", DateTime(timezone=True)),
    Column("last_success_at", DateTime(timezone=True)),
    Column("last_change_at", DateTime(timezone=True)),
    Column("problem", Text),
    Column("problem_key", String(64)),
    Column("problem_since", DateTime(timezone=True)),
    Column("consecutive_failures", Integer, nullable=False, default=0),
)

#: Each feed entry once: an entry re-read (the feed changed elsewhere, or re-issued it with a new GUID) adds nothing.
feed_items = Table(
    "feed_items",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("feed_key", String(500), nullable=False),
    Column("item_key", String(64), nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("feed_key", "item_key", name="uq_feed_items_feed_key"),
)

#: Claims from the feeds, one row per story: copies of it from other entries add their publisher.
announcements = Table(
    "announcements",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("mission", String(32), nullable=False),
    Column("nation", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("change", Integer),
    Column("level", Integer),
    Column("approximate", Boolean, nullable=False),
    Column("effective", String(10)),
    Column("link", Text),
    Column("published", DateTime(timezone=True)),
    Column("quote", Text, nullable=False),
    Column("tier", String(16), nullable=False),  # the highest tier among its sources: official or press
    Column("publishers", Text, nullable=False),  # JSON list of the publishers that said it
    #: candidate | announced | confirmed | partly_confirmed | contradicted | expired | dismissed
    Column("state", String(20), nullable=False),
    Column("reason", Text),  # why it is in that state (the thread's message)
    Column("baseline", Integer),  # the nation's figure on the last list when the claim was recorded
    Column("baseline_as_of", String(10)),
    Column("observed", Integer),  # the figure of the list that settled it
    Column("settled_position", Integer),  # the chain position of that list
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_announcements_mission_state", "mission", "state"),
)
