"""The one-shot command-line transport: ``ask``, ``ingest`` and ``check`` (one watch cycle, for cron)."""
