"""The layering the project relies on, checked on the source itself.

- ``bot/core`` is pure: no I/O, network, database, transport or rendering, and nothing of the
  project above it.
- Each layer imports only the layers below it (``LAYERS``); renderers touch no store and no Discord.
- The transports (Discord, console, one-shot CLI) don't import each other; only the composition
  root (``bot.app``) knows them all.
- No runtime import cycles.
- One-shot commands stay light.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

FORBIDDEN_IN_CORE = {
    "discord",
    "aiohttp",
    "apscheduler",
    "sqlalchemy",
    "PIL",
    "asyncio",
    "rich",
    "socket",
    "urllib",
    "http",
    "requests",
}
#: What each part of the package may import of the project (beyond itself and ``bot.__init__``).
LAYERS: dict[str, set[str]] = {
    "bot.core": set(),
    "bot.settings": set(),
    "bot.briefings": {"bot.core"},
    "bot.store": {"bot.core"},
    "bot.sources": {"bot.core"},
    "bot.alerts": {"bot.core", "bot.briefings", "bot.store", "bot.sources", "bot.settings"},
    "bot.discord": {"bot.core", "bot.briefings", "bot.store", "bot.sources", "bot.settings", "bot.alerts"},
    "bot.console": {"bot.core", "bot.briefings", "bot.store", "bot.sources", "bot.settings", "bot.alerts"},
    "bot.cli": {"bot.core", "bot.briefings", "bot.store", "bot.sources", "bot.settings", "bot.alerts"},
    "bot.app": {"bot"},  # the composition root wires everything
    "bot.__main__": {"bot.app"},
}
TRANSPORTS = ("bot.discord", "bot.console", "bot.cli")
#: Third-party packages that a renderer must not touch: it turns a briefing into text, JSON, payloads or a PNG.
FORBIDDEN_IN_RENDERERS = {"discord", "sqlalchemy", "aiohttp", "bot.store", "bot.discord", "bot.alerts"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in (ROOT / "bot").rglob("*.py")}


def _is_type_checking_block(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return (
        isinstance(node, ast.If) and isinstance(test, ast.Name | ast.Attribute) and "TYPE_CHECKING" in ast.unparse(test)
    )


def _imports(node: ast.AST, module: str, modules: dict[str, Path], *, top_level_only: bool) -> Iterator[str]:
    """Modules imported by ``node``'s body at run time (not under ``if TYPE_CHECKING``)."""
    for child in ast.iter_child_nodes(node):
        if _is_type_checking_block(child):
            continue
        if top_level_only and isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if isinstance(child, ast.Import):
            yield from (alias.name for alias in child.names)
        elif isinstance(child, ast.ImportFrom):
            base = child.module or ""
            if child.level:  # relative: resolve against this module's package
                package = module.split(".")[: len(module.split(".")) - child.level + (module in _packages(modules))]
                base = ".".join([*package, *([child.module] if child.module else [])])
            yield base
            for alias in child.names:  # ``from bot.briefings import build`` imports a submodule
                if f"{base}.{alias.name}" in modules:
                    yield f"{base}.{alias.name}"
        yield from _imports(child, module, modules, top_level_only=top_level_only)


def _packages(modules: dict[str, Path]) -> set[str]:
    return {name for name, path in modules.items() if path.name == "__init__.py"}


def _project_imports(*, top_level_only: bool) -> dict[str, set[str]]:
    modules = _modules()
    graph = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = {m for m in _imports(tree, name, modules, top_level_only=top_level_only) if m in modules}
    return graph


def _owner(module: str) -> str:
    """The layer a module belongs to: the longest ``LAYERS`` key that contains it."""
    candidates = [layer for layer in LAYERS if module == layer or module.startswith(layer + ".")]
    return max(candidates, key=len) if candidates else module


def _within(module: str, layer: str) -> bool:
    return layer == "bot" or module == layer or module.startswith(layer + ".")


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


def test_each_layer_imports_only_the_layers_below_it() -> None:
    """A module's project imports stay within its own layer and the ones ``LAYERS`` allows it."""
    for module, imported in _project_imports(top_level_only=False).items():
        if module == "bot":  # the package itself: its version, nothing else
            assert not imported
            continue
        layer = _owner(module)
        assert layer in LAYERS, f"{module} belongs to no layer: add it to LAYERS"
        allowed = LAYERS[layer] | {layer, "bot"}
        for target in imported:
            ok = target == "bot" or any(_within(target, a) for a in allowed)
            assert ok, f"{module} ({layer}) imports {target}, which is not below it"


def test_transports_do_not_import_each_other() -> None:
    """Discord, the console and the CLI meet only in the composition root."""
    for module, imported in _project_imports(top_level_only=False).items():
        for transport in TRANSPORTS:
            if _within(module, transport):
                others = [t for t in imported for o in TRANSPORTS if o != transport and _within(t, o)]
                assert not others, f"{module} imports another transport: {others}"


def test_renderers_touch_no_store_and_no_discord() -> None:
    """bot/briefings/render turns a briefing into text, JSON, payloads or a PNG, and nothing else."""
    for path in (ROOT / "bot" / "briefings" / "render").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                for name in names:
                    assert not any(name == f or name.startswith(f + ".") for f in FORBIDDEN_IN_RENDERERS), (path, name)


def test_no_runtime_import_cycles() -> None:
    """Module-level imports form no cycle (deferred and TYPE_CHECKING imports are not run at import time)."""
    graph = _project_imports(top_level_only=True)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            # A package importing its own submodule (and back) is how Python packages work, not a cycle.
            if len(component) > 1 and not all(_within(m, min(component, key=len)) for m in component):
                cycles.append(component)

    for node in graph:
        if node not in index:
            visit(node)
    assert not cycles, f"runtime import cycles: {cycles}"


def test_the_package_root_holds_at_most_four_modules() -> None:
    """``bot/`` holds only ``__init__``, ``__main__``, the composition root and settings; the rest is in folders."""
    root = sorted(p.stem for p in (ROOT / "bot").iterdir() if p.suffix == ".py" or (p / "__init__.py").is_file())
    roles = {"alerts", "briefings", "cli", "console", "core", "discord", "sources", "store"}
    assert [name for name in root if name not in roles] == ["__init__", "__main__", "app", "settings"]


def test_the_layer_rules_catch_a_wrong_way_import() -> None:
    """The graph really sees imports: core's own modules import core, and the root imports every transport."""
    graph = _project_imports(top_level_only=False)
    assert "bot.core.models" in graph["bot.core.queries"]
    assert {"bot.cli.ask", "bot.console.repl", "bot.discord.client"} <= graph["bot.app"]
    assert _owner("bot.briefings.render.text") == "bot.briefings"


def test_tests_mirror_the_source_tree() -> None:
    """Every package under bot/ has its folder under tests/, and every core module a test module."""
    for package in (ROOT / "bot").rglob("__init__.py"):
        folder = package.parent.relative_to(ROOT / "bot")
        if "migrations" in folder.parts or folder in (Path(), Path("settings")):
            continue
        assert (ROOT / "tests" / folder).is_dir(), f"tests/{folder} is missing"
    tests = {p.stem for p in (ROOT / "tests").rglob("test_*.py")}
    covered_by = {
        "models": "snapshot_json",
        "catalog": "queries",
        "apportion": "ranking",
        "errors": "nations",
        "issues": "text",
        "assembly": "text",
        "dataset": "datafiles",
        "formats": "text",
    }
    for module in (ROOT / "bot" / "core").rglob("*.py"):
        if module.stem == "__init__":
            continue
        assert f"test_{covered_by.get(module.stem, module.stem)}" in tests, module


#: Heavy libraries, each loaded only by the entry points that need it.
HEAVY = ("pydantic", "pydantic_settings", "sqlalchemy", "sqlalchemy.dialects.postgresql", "alembic", "aiohttp",
         "discord", "rich.console", "PIL", "apscheduler", "prometheus_client", "babel", "simcord")  # fmt: skip
#: What every entry point loads: the settings (pydantic-settings) and the records they read (pydantic).
VALIDATION = {"pydantic", "pydantic_settings"}
#: Per entry point: what runs first in a process of its own, what is measured in a fresh one, what it may load.
ENTRY_POINTS: dict[str, tuple[str, str, set[str]]] = {
    # Answers from the data files: the settings and the records (pydantic); nothing of the store or the network.
    "ask": ("", "main(['ask', '/kfor top 5'])", VALIDATION),
    "ask --json": ("", "main(['ask', '/kfor overview', '--json'])", VALIDATION),
    "ingest": ("", "main(['ingest', 'data/sources/kfor-2025-02-news-report.txt'])", VALIDATION),
    # Unchanged: the quick path, which reads the same settings as every command.
    "check, unchanged": ("main(CHECK)", "main(CHECK)", VALIDATION),
    # A change of a local file: the store and the settings; no HTTP, no Discord, no Alembic.
    "check, changed": ("main(CHECK); change()", "main(CHECK)", {*VALIDATION, "sqlalchemy"}),
    # The console: its settings, rich's console and the watcher's store; a file source needs no HTTP.
    "console": (
        "",
        "sys.stdin = io.StringIO('/kfor top 3\\nquit\\n'); main(['console'])",
        {*VALIDATION, "sqlalchemy", "rich.console"},
    ),
    # The bot with its alert runtime started on a new database (no gateway): Discord, HTTP, the store; no
    # Alembic, no charts, no metrics library while metrics are off; APScheduler only once the gateway is ready.
    "bot, idle": ("", "asyncio.run(idle_bot())", {*VALIDATION, "sqlalchemy", "aiohttp", "discord"}),
}
PRELUDE = """
import asyncio, contextlib, io, json, os, sys
from pathlib import Path
from bot.app import main
STATE = Path(sys.argv[1])
CHECK = ['check', '--source', str(STATE / 'report.json'), '--db', f'sqlite:///{STATE}/k.db']
def change():
    data = json.loads((STATE / 'report.json').read_text())
    data['as_of'], data['contingents'][0]['troops'] = '2025-06', 1000
    (STATE / 'report.json').write_text(json.dumps(data))
async def idle_bot():
    from bot.app import create_bot
    from bot.discord.alerts_runtime import AlertRuntime
    from bot.settings import Settings
    bot = create_bot(Settings(_env_file=None, state_dir=STATE, scheduler_enabled=False))
    runtime = AlertRuntime(bot, bot.settings, bot.service)
    await runtime.start()
    await runtime.run_cycle()
    await runtime.stop()
"""


def _run(statement: str, state: Path) -> str:
    code = f"{PRELUDE}\nwith contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
    code += f"    {statement}\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KFOR_", "DISCORD_", "DATABASE_URL"))}
    env["KFOR_STATE_DIR"] = str(state)
    env["KFOR_SOURCE"] = str(state / "report.json")  # a local report: no network, and nothing to fetch it with
    argv = [sys.executable, "-c", code, str(state)]
    return subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, env=env, check=True).stdout  # noqa: S603


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_each_entry_point_loads_only_the_heavy_modules_it_needs(entry: str, tmp_path: Path) -> None:
    """Run in a fresh process, each entry point leaves in sys.modules only the heavy libraries it uses."""
    setup, statement, allowed = ENTRY_POINTS[entry]
    (tmp_path / "report.json").write_text((ROOT / "data" / "snapshots" / "kfor" / "2025-02.json").read_text())
    if setup:
        _run(setup, tmp_path)
    loaded = set(json.loads(_run(statement, tmp_path).strip().splitlines()[-1]))
    assert loaded == allowed, f"{entry}: unexpected {sorted(loaded - allowed)}, missing {sorted(allowed - loaded)}"
