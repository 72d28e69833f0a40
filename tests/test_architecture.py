"""The layering the project relies on: a pure core, and one-shot commands that stay light."""

from __future__ import annotations

import ast
import subprocess
import sys

from tests.conftest import ROOT

FORBIDDEN_IN_CORE = {
    "discord",
    "aiohttp",
    "apscheduler",
    "sqlalchemy",
    "matplotlib",
    "asyncio",
    "rich",
    "socket",
    "urllib",
    "http",
    "requests",
    "bot.briefings",
    "bot.datafiles",
    "bot.settings",
}


def test_core_imports_no_io_transport_or_rendering() -> None:
    """Nothing under bot/core imports a transport, the network, a database, the file system or rendering."""
    for path in (ROOT / "bot" / "core").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            )
            for name in names:
                assert not any(name == f or name.startswith(f + ".") for f in FORBIDDEN_IN_CORE), (path, name)


def test_ask_does_not_load_discord_or_charts() -> None:
    """`kfor-bot ask` pays only for what it uses: no discord, aiohttp or matplotlib in the process."""
    code = (
        "import sys, io, contextlib\n"
        "from bot.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()): main(['ask', '/kfor top 5'])\n"
        "print(sorted(m for m in ('discord', 'aiohttp', 'matplotlib', 'sqlalchemy') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)  # noqa: S603
    assert result.stdout.strip() == "[]"


def test_tests_mirror_the_source_tree() -> None:
    """Every core module has a test module (tests/core/... or a test named after it)."""
    tests = {p.stem for p in (ROOT / "tests").rglob("test_*.py")}
    covered_by = {
        "models": "snapshot_json",
        "catalog": "queries",
        "apportion": "ranking",
        "errors": "nations",
        "issues": "text",
        "assembly": "text",
    }
    for module in (ROOT / "bot" / "core").rglob("*.py"):
        if module.stem == "__init__":
            continue
        assert f"test_{covered_by.get(module.stem, module.stem)}" in tests, module


def test_check_does_not_load_discord_or_charts(tmp_path) -> None:
    """`kfor-bot check` is for cron: no discord.py, no matplotlib, no APScheduler on its path."""
    code = (
        "import sys, io, contextlib\n"
        "from bot.cli import main\n"
        f"main(['check', '--source', 'data/snapshots/kfor/2025-02.json', '--db', 'sqlite:///{tmp_path}/k.db'])\n"
        "print(sorted(m for m in ('discord', 'matplotlib', 'apscheduler', 'simcord') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)  # noqa: S603
    assert result.stdout.strip().splitlines()[-1] == "[]"
