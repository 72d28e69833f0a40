"""Benchmarks for the core and the console path (not part of the test run).

    .venv/bin/python bench/bench_core.py            # or: make bench

In-process: median and p99 of answering `/kfor top 5`, a country lookup with a typo and a scenario,
from typed text to a finished Briefing (parse, query, build), and separately the plain-text render.
Cold start: `kfor-bot ask "/kfor top 5"` as a new process, alternating with its peer, `python -c
"import discord"` in the same venv (and a bare interpreter, the floor).
Goals: under 1 ms median in-process per command (issue #2); a cold ask ≤ 0.5× the peer (issue #9).
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import Figure, print_goals  # noqa: E402

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


def _child(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of a child process."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{argv} failed")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def bench_cold_ask(repeat: int = 15) -> list[Figure]:
    """`kfor-bot ask` as a new process, alternating with its peer `python -c "import discord"` (same venv).

    Both are measured as installed: pip compiles discord.py's bytecode when it installs it, and an
    editable install of this project gets its own from ``compileall`` here (``make`` does the same),
    since PYTHONDONTWRITEBYTECODE may stop Python from caching it.
    """
    compileall.compile_dir(str(ROOT / "bot"), quiet=1)
    exe = Path(sys.executable).with_name("kfor-bot")
    ask = [str(exe) if exe.exists() else sys.executable, *([] if exe.exists() else ["-m", "bot"]), "ask", "/kfor top 5"]
    peers = {"kfor-bot ask '/kfor top 5'": ask, 'python -c "import discord"': [sys.executable, "-c", "import discord"],
             "python -c pass": [sys.executable, "-c", "pass"]}  # fmt: skip
    for argv in peers.values():
        _child(argv)  # warms the OS file cache
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in peers}
    for _ in range(repeat):
        for name, argv in peers.items():
            samples[name].append(_child(argv))
    print(f"cold start, new process (median of {repeat}, alternating; CPU = user + system):")
    medians = {}
    for name, runs in samples.items():
        medians[name] = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
        print(f"  {name:<30} wall {medians[name][0]:.3f} s   CPU {medians[name][1]:.3f} s")
    (ask_wall, ask_cpu), (peer_wall, peer_cpu) = (
        medians["kfor-bot ask '/kfor top 5'"],
        medians['python -c "import discord"'],
    )
    ratio = ask_wall / peer_wall
    print(f"  ratio ask / import discord: wall {ratio:.2f}, CPU {ask_cpu / peer_cpu:.2f}")
    return [Figure('cold `kfor-bot ask "/kfor top 5"` vs `python -c "import discord"` (same venv)',
                   f"{ratio:.2f}× ({ask_wall:.2f} s vs {peer_wall:.2f} s)", "≤ 0.8× (#18)", ratio <= 0.8)]  # fmt: skip


def run() -> list[Figure]:
    bench_in_process()
    return bench_cold_ask()


if __name__ == "__main__":
    print_goals(run())
