"""kfor-bot: briefings and change alerts on the national contingents of a multinational mission."""

__version__ = "0.1.0"
