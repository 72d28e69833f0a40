"""Benchmarks for the core and the console path (not part of the test run).

    .venv/bin/python bench/bench_core.py            # or: make bench

In-process: median and p99 of answering `/kfor top 5`, a country lookup with a typo and a scenario,
from typed text to a finished Briefing (parse, query, build), and separately the plain-text render.
Cold start: wall time of `kfor-bot ask "/kfor top 5"` as a new process, repeated.
Targets (issue #2): under 1 ms median in-process per command, cold ask under 0.6 s.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COMMANDS = ["/kfor top 5", "/kfor country Germny", "/kfor scenario withdraw US", "/kfor scenario us-withdrawal"]


def _timings(fn, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    fn()  # warm-up: first call builds caches (rapidfuzz, regexes)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter_ns()
        fn()
        samples.append((time.perf_counter_ns() - start) / 1e6)
    return samples


def _report(label: str, samples: list[float]) -> None:
    samples.sort()
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    print(f"  {label:<34} median {statistics.median(samples):7.3f} ms   p99 {p99:7.3f} ms   (n={len(samples)})")


def bench_in_process(repeat: int = 2000) -> None:
    from bot.briefings.render.text import render_text
    from bot.briefings.service import BriefingService
    from bot.sources.datafiles import load_dataset

    service = BriefingService(load_dataset(ROOT / "data", ROOT / "config"))
    print("in-process, typed command → Briefing:")
    for command in COMMANDS:
        _report(command, _timings(lambda c=command: service.answer(c), repeat))
    print("in-process, Briefing → plain text:")
    for command in COMMANDS[:3]:
        briefing = service.answer(command)
        _report(command, _timings(lambda b=briefing: render_text(b), repeat))


def bench_cold_ask(repeat: int = 15) -> None:
    exe = Path(sys.executable).with_name("kfor-bot")
    argv = [str(exe)] if exe.exists() else [sys.executable, "-m", "bot"]
    samples = []
    for _ in range(repeat + 1):
        start = time.perf_counter()
        subprocess.run([*argv, "ask", "/kfor top 5"], check=True, capture_output=True, cwd=ROOT)
        samples.append(time.perf_counter() - start)
    samples = samples[1:]  # the first run warms the OS file cache
    bare = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare.append(time.perf_counter() - start)
    print("cold start, new process:")
    print(
        f"  kfor-bot ask '/kfor top 5'         median {statistics.median(samples):.3f} s   "
        f"max {max(samples):.3f} s   (n={len(samples)})"
    )
    print(f"  bare interpreter                   median {statistics.median(bare):.3f} s")


if __name__ == "__main__":
    bench_in_process()
    bench_cold_ask()
