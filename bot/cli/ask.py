"""``kfor-bot ask "/kfor top 5"``: one answer, printed, then exit.

Loads neither Discord nor a chart library, nor the store; rich's console only for an answer on a terminal.
"""

from __future__ import annotations

import argparse
import sys

from bot.briefings.service import BriefingService
from bot.core.errors import UserError


def ask_command(args: argparse.Namespace, service: BriefingService) -> int:
    """Print the answer to ``args.text``; a user's mistake is one line on stderr and exit code 2."""
    try:
        briefing = service.answer(args.text)
    except UserError as exc:
        print(f"kfor-bot: {exc}", file=sys.stderr)
        return 2
    if args.json:
        from bot.briefings.render.json_doc import render_json

        print(render_json(briefing))
    else:
        from bot.briefings.render.text import show

        show(briefing)
    return 0
