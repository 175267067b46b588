"""``kehoach serve --workers N`` runs uvicorn's worker processes (no supervisor of our own):
a worker that dies is replaced and SIGTERM to the server stops every worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.service.conftest import AS_OF, SECRET, _free_port

KEHOACH = str(Path(sys.executable).parent / "kehoach")
pytestmark = pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="/proc (Linux)")


def _children(pid: int) -> set[int]:
    """The worker processes of ``pid`` (not multiprocessing's resource tracker)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    found = {int(p) for p in path.read_text().split()} if path.exists() else set()
    return {p for p in found if b"spawn_main" in _cmdline(p)}


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _wait(predicate, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "Z" not in Path(
        f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/openapi.json", timeout=5).status_code == 200
    except httpx.TransportError:
        return False


def _serve(db: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "KEHOACH_SECRET_KEY": SECRET}
    return subprocess.Popen([KEHOACH, "serve", "--db", str(db), "--port", str(port),
                             "--as-of", AS_OF.isoformat(), "--workers", "2"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.mark.slow
def test_dead_worker_is_replaced_and_sigterm_stops_all(db):
    port = _free_port()
    proc = _serve(db, port)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(lambda: len(_children(proc.pid)) >= 2 and _answers(url))
        first = _children(proc.pid)
        victim = min(first)
        os.kill(victim, signal.SIGKILL)
        _wait(lambda: len(_children(proc.pid) - first) == 1)
        assert _answers(url)
        workers = _children(proc.pid)
        proc.terminate()
        assert proc.wait(timeout=30) == 0
        _wait(lambda: not any(_alive(pid) for pid in workers))
    finally:
        if proc.poll() is None:
            proc.kill()
