"""The store's contract tests run each test on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import datetime as dt

NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)
