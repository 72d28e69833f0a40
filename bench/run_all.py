"""Run every benchmark in bench/ in turn, then print each figure beside its goal (`make bench`).

Each script also runs alone (`python bench/bench_discord.py`). Peers are measured in the same run:
urlwatch 2.29 (bench_alerts), a bare discord.py reply (bench_discord), `python -c "import discord"`
(bench_core). Timings are never asserted in tests; this table is where they are judged.
"""

from __future__ import annotations

import importlib
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import Figure, print_goals  # noqa: E402

SCRIPTS = [
    "bench_core",
    "bench_discord",
    "bench_alerts",
    "bench_fanout",
    "bench_webhooks",
    "bench_history",
    "bench_feeds",
]

if __name__ == "__main__":
    figures: list[Figure] = []
    for name in SCRIPTS:
        print(f"== {name}.py")
        figures += importlib.import_module(f"bench.{name}").run()
        print()
    import os

    print(f"== goals of issues #9, #18 and #21 ({os.cpu_count()} cores, Python {platform.python_version()}; "
          "every figure from this run)")  # fmt: skip
    print_goals(figures)
    held = sum(f.holds is True for f in figures)
    print(f"\n{held} of {len(figures)} goals hold.")
