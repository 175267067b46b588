"""``kehoach serve --workers N`` with one ``SO_REUSEPORT`` socket per worker
(``service.workers``): the kernel spreads connections over the workers' sockets, a worker
that dies is replaced, and stopping the parent — or killing it — stops every worker."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from service.workers import reuse_port_socket, supported
from tests.service.conftest import AS_OF, SECRET, _free_port

KEHOACH = str(Path(sys.executable).parent / "kehoach")
pytestmark = pytest.mark.skipif(not supported() or not Path("/proc/self/task").exists(),
                                reason="SO_REUSEPORT and /proc (Linux)")


def test_connections_spread_over_sockets_sharing_a_port():
    holder = reuse_port_socket("127.0.0.1", 0, listen=False)  # holds the port, gets nothing
    port = holder.getsockname()[1]
    listeners = [reuse_port_socket("127.0.0.1", port) for _ in range(2)]
    clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(32)]
    try:
        accepted = []
        for sock in listeners:
            sock.setblocking(False)
            n = 0
            while True:
                try:
                    sock.accept()[0].close()
                except BlockingIOError:
                    break
                n += 1
            accepted.append(n)
        assert sum(accepted) == 32 and min(accepted) > 0, accepted
    finally:
        for sock in [*clients, *listeners, holder]:
            sock.close()


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


@pytest.mark.slow
def test_workers_stop_when_the_parent_is_killed(db):
    port = _free_port()
    proc = _serve(db, port)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(lambda: len(_children(proc.pid)) >= 2 and _answers(url))
        workers = _children(proc.pid)
        proc.kill()
        proc.wait(timeout=10)
        _wait(lambda: not any(_alive(pid) for pid in workers))
        assert not _answers(url)
    finally:
        if proc.poll() is None:
            proc.kill()
