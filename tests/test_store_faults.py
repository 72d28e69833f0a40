"""Store faults in `kfor-bot check`, the console and a webhook's surprises: one line, its own exit status, nothing lost.

Each fault is real: a SQLite file another process holds locked, a PostgreSQL port nobody listens on, a
full tmpfs and a read-only bind mount (in a private mount namespace, where the machine allows one).
After each, the fault clears and the next check delivers the digest exactly once.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.store.faults import EXIT_CODES
from tests.conftest import ROOT, SEED_FIGURES, snapshot_of
from tests.process import CHECK_ENV, check
from tests.webhook_receiver import receive_webhooks

SEED = snapshot_of(SEED_FIGURES, "2025-02").to_json()
CHANGED = snapshot_of(dict(SEED_FIGURES, **{"United States": 320}), "2025-06").to_json()


def _one_line(err: str) -> str:
    assert "Traceback" not in err and err.count("\n") == 1, err
    return err


async def test_a_locked_store_is_one_line_and_exit_4_and_the_digest_comes_once_after(tmp_path: Path) -> None:
    report, db_file = tmp_path / "r.json", tmp_path / "kfor.db"
    report.write_text(SEED)
    base = ("--source", str(report), "--db", f"sqlite:///{db_file}")
    assert (await check(*base))[0] == 0
    report.write_text(CHANGED)
    holder = sqlite3.connect(db_file, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")  # another process writing, for longer than the 5 s busy timeout
        code, out, err = await check(*base)
    finally:
        holder.close()
    assert (code, out) == (EXIT_CODES["locked"], "")
    assert f"the store {db_file} is locked by another process" in _one_line(err)
    code, out, _ = await check(*base)
    assert code == 0 and out.startswith("KFOR update — 2025-02 → 2025-06")
    assert (await check(*base))[1] == ""  # once


async def test_a_database_that_is_down_is_exit_7_not_the_source_problem_code(tmp_path: Path) -> None:
    """Nobody listens on the port: one line naming the database without its password."""
    report = tmp_path / "r.json"
    report.write_text(SEED)
    url = "postgresql://kfor:DBSECRET@127.0.0.1:1/kfor"
    code, out, err = await check("--source", str(report), "--db", url)
    assert (code, out) == (EXIT_CODES["unreachable"], "")
    assert "cannot reach the database postgresql://kfor@127.0.0.1:1/kfor" in _one_line(err)
    assert "DBSECRET" not in err
    from tests.process import kfor

    listing = kfor("webhooks", "list", "--db", url)
    assert listing.returncode == EXIT_CODES["unreachable"] and "cannot reach the database" in listing.stderr
    assert "Traceback" not in listing.stderr


def test_the_console_says_the_store_is_unreachable_in_one_line(bot_settings, dataset) -> None:
    from bot.briefings.service import BriefingService
    from bot.console.watch import ConsoleWatch

    said: list[str] = []
    settings = bot_settings.model_copy(update={"database_url": "postgresql://kfor:DBSECRET@127.0.0.1:1/kfor"})
    watch = ConsoleWatch(settings, BriefingService(dataset), lambda _b: None, said.append)
    watch.start()
    try:
        assert watch.wait_for_cycles(1)[0].status == "problem"
    finally:
        watch.stop()
    assert len(said) == 1 and said[0].startswith("[watch] stopped: cannot reach the database postgresql://kfor@")
    assert "DBSECRET" not in said[0]


def _private_mounts() -> bool:
    """Whether this machine lets the tests mount a tmpfs in a private mount namespace (root, or a CI that allows it)."""
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],  # noqa: S607
                           capture_output=True, check=False)  # fmt: skip
    return probe.returncode == 0


needs_mounts = pytest.mark.skipif(not _private_mounts(), reason="needs unshare -m and mount (root)")

_RUN = """run() {
  "$PY" -m bot check --source "$SRC" --db "sqlite:///$STATE/kfor.db" >"$OUT/$1.out" 2>"$OUT/$1.err"
  echo $? >"$OUT/$1.rc"
}
"""


def _in_private_mounts(tmp_path: Path, script: str) -> list[tuple[int, str, str]]:
    """Run ``script`` (checks numbered 1…n with ``run N``) in a private mount namespace; each check's outcome."""
    state, out = tmp_path / "state", tmp_path / "out"
    state.mkdir()
    out.mkdir()
    source = tmp_path / "r.json"
    source.write_text(SEED)
    (tmp_path / "changed.json").write_text(CHANGED)
    env = {**CHECK_ENV, "PYTHONPATH": str(ROOT), "PY": sys.executable, "SRC": str(source), "STATE": str(state),
           "OUT": str(out), "CHANGED": str(tmp_path / "changed.json")}  # fmt: skip
    subprocess.run(["unshare", "-m", "bash", "-c", "set -u\n" + _RUN + script], cwd=ROOT, env=env,  # noqa: S603,S607
                   check=True, timeout=120)  # fmt: skip
    runs = sorted(int(p.stem) for p in out.glob("*.rc"))
    return [(int((out / f"{n}.rc").read_text()), (out / f"{n}.out").read_text(), (out / f"{n}.err").read_text())
            for n in runs]  # fmt: skip


@needs_mounts
def test_a_full_disk_is_exit_5_and_the_digest_comes_once_when_space_is_freed(tmp_path: Path) -> None:
    runs = _in_private_mounts(
        tmp_path,
        """
mount -t tmpfs -o size=2m tmpfs "$STATE"
run 1
cp "$CHANGED" "$SRC"
dd if=/dev/zero of="$STATE/filler" bs=4k 2>/dev/null || true
run 2
rm -f "$STATE/filler"
run 3
run 4
""",
    )
    assert runs[0][0] == 0
    code, out, err = runs[1]
    assert (code, out) == (EXIT_CODES["disk-full"], "") and "is full; free some space" in _one_line(err)
    assert runs[2][0] == 0 and runs[2][1].startswith("KFOR update — 2025-02 → 2025-06")
    assert runs[3][:2] == (0, "")


@needs_mounts
def test_a_read_only_state_directory_is_exit_6_and_the_digest_comes_once_when_writable(tmp_path: Path) -> None:
    runs = _in_private_mounts(
        tmp_path,
        """
run 1
cp "$CHANGED" "$SRC"
mount --bind "$STATE" "$STATE" && mount -o remount,ro,bind "$STATE"
run 2
umount "$STATE"
run 3
run 4
""",
    )
    assert runs[0][0] == 0
    code, out, err = runs[1]
    assert (code, out) == (EXIT_CODES["read-only"], "") and "its file or folder is read-only" in _one_line(err)
    assert runs[2][0] == 0 and runs[2][1].startswith("KFOR update — 2025-02 → 2025-06")
    assert runs[3][:2] == (0, "")


async def test_a_429_with_a_charset_is_that_webhooks_failure_not_the_cycles(tmp_path: Path) -> None:
    """discord.py raises TypeError reading it: the check still ends in one line per outcome, exit 3, claim kept."""
    report = tmp_path / "r.json"
    report.write_text(SEED)
    async with receive_webhooks() as webhook:
        env = {"KFOR_DISCORD_API_BASE": webhook.api_base, "KFOR_DELIVERY_LEASE_SECONDS": "1"}
        base = ("--source", str(report), "--db", f"sqlite:///{tmp_path / 'kfor.db'}", "--webhook", webhook.url)
        assert (await check(*base, env=env))[0] == 0
        report.write_text(CHANGED)
        webhook.rate_limit_first, webhook.rate_limit_content_type = 1, "application/json; charset=utf-8"
        code, out, err = await check(*base, env=env)
        assert code == 3 and out.startswith("KFOR update") and "Traceback" not in err
        assert "delivery failed" in err and "outcome unknown" in err and webhook.posts == []
        import asyncio

        await asyncio.sleep(1.2)  # the claim's lease runs out: one careful retry
        assert (await check(*base, env=env))[0] == 0
        assert (await check(*base, env=env))[0] == 0
        (post,) = webhook.posts  # the digest and its table, in one post, once
        assert post["embeds"][0]["title"].startswith("KFOR update") and len(post["embeds"]) == 2


@needs_mounts
def test_the_console_on_a_read_only_state_directory_says_so_in_one_line_each_and_keeps_answering(tmp_path) -> None:
    """In a pseudo-terminal, as a person runs it: no traceback from the watcher or from /kfor chart."""
    import pty
    import select

    state = tmp_path / "state"
    state.mkdir()
    env = {**CHECK_ENV, "PYTHONPATH": str(ROOT), "KFOR_STATE_DIR": str(state),
           "TERM": "dumb", "COLUMNS": "120"}  # fmt: skip
    script = f'mount --bind "{state}" "{state}" && mount -o remount,ro,bind "{state}" && exec "{sys.executable}" -m bot'
    leader, follower = pty.openpty()
    process = subprocess.Popen(["unshare", "-m", "bash", "-c", script], cwd=ROOT, env=env,  # noqa: S603,S607
                               stdin=follower, stdout=follower, stderr=follower)  # fmt: skip
    os.close(follower)
    output = b""

    def read_until(marker: bytes) -> None:
        nonlocal output
        while marker not in output:
            ready, _, _ = select.select([leader], [], [], 60)
            assert ready, output.decode(errors="replace")[-2000:]
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the console closed the terminal
                return
            if not chunk:
                return
            output += chunk

    try:
        read_until(b"[watch] stopped")
        os.write(leader, b"/kfor chart\n")
        read_until(b"cannot write the chart")
        os.write(leader, b"/kfor top 3\n")
        read_until(b"Italy")
        os.write(leader, b"quit\n")
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
        os.close(leader)
    text = " ".join(output.decode(errors="replace").split())  # the console wraps long lines to the terminal
    assert "Traceback" not in text
    assert text.count("[watch] stopped: cannot write the store") == 1 and "is read-only" in text
    assert f"cannot write the chart in {state / 'charts'}: Read-only file system" in text
