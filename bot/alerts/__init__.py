"""Alerts: the watch cycle, exactly-once delivery of change digests, scheduled briefings."""
