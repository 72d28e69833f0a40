"""``kfor-bot ask "/kfor top 5"``: one answer, printed, then exit.

Loads neither Discord nor a chart library, nor the store; rich's console only for an answer on a terminal.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.briefings.commands import parse_command
from bot.briefings.service import BriefingService
from bot.core.errors import UserError


def ask_command(args: argparse.Namespace, service: BriefingService, state_dir: Path | None = None) -> int:
    """Print the answer to ``args.text``; a user's mistake is one line on stderr and exit code 2.

    ``/kfor chart`` also writes its PNG into the state folder and prints where, as the console does
    (it used to print the text alone and leave the reader wondering where the chart was).
    """
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
    if briefing.chart is not None and parse_command(args.text).name == "chart":
        from bot.briefings.render.charts import default_chart_dir, write_chart  # Pillow: only for a chart

        directory = default_chart_dir(state_dir)
        try:
            path = write_chart(briefing.chart, directory)
        except OSError as exc:
            print(f"kfor-bot: cannot write the chart in {directory}: {exc.strerror or type(exc).__name__}",
                  file=sys.stderr)  # fmt: skip
            return 1
        print(f"Chart: {path}", file=sys.stderr if args.json else sys.stdout)
    return 0
