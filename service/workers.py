"""Worker processes that each listen on the port (tiến trình phục vụ, mỗi tiến trình một
socket): ``run_workers(host, port, n)`` behind ``kehoach serve --workers N``.

uvicorn's own ``--workers`` shares one listening socket: whichever process wakes first
accepts, so a burst of keep-alive connections splits unevenly (37 / 13 of 50 in the issue 8
runs) and the busier worker sets the latency. Here every worker binds its own socket with
``SO_REUSEPORT`` and the kernel spreads new connections across them by address hash. The
parent binds the port first without listening — it holds the port (and resolves port 0) but is
given no connections — starts the workers, restarts one that dies (at most
``MAX_RESTARTS`` a minute, then stops), and on SIGINT/SIGTERM stops them all gracefully.
Where ``SO_REUSEPORT`` does not exist, ``kehoach serve`` keeps uvicorn's workers.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import threading
import time
from multiprocessing.process import BaseProcess
from types import FrameType

APP = "service.app:app_from_environment"
MAX_RESTARTS = 5
STOP_SECONDS = 15.0
BACKLOG = 2048


def supported() -> bool:
    return hasattr(socket, "SO_REUSEPORT")


def reuse_port_socket(host: str, port: int, listen: bool = True) -> socket.socket:
    """A TCP socket on (host, port) that other ``SO_REUSEPORT`` sockets of this user share."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    if listen:
        sock.listen(BACKLOG)
    return sock


def serve_one(host: str, port: int, log_level: str = "info") -> None:
    """One worker: the app from the ``KEHOACH_*`` environment on its own listening socket."""
    import uvicorn

    threading.Thread(target=_follow_parent, args=(os.getppid(),), daemon=True).start()
    config = uvicorn.Config(APP, factory=True, host=host, port=port, log_level=log_level)
    uvicorn.Server(config).run(sockets=[reuse_port_socket(host, port)])


def _follow_parent(parent: int) -> None:
    """Stop this worker (gracefully, SIGTERM) when the parent is gone — killed outright, it
    could not stop its workers, which would keep serving the port."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os.kill(os.getpid(), signal.SIGTERM)


def run_workers(host: str, port: int, workers: int, log_level: str = "info") -> int:
    """Run ``workers`` processes until SIGINT/SIGTERM; the exit code (1 if workers kept
    dying)."""
    holder = reuse_port_socket(host, port, listen=False)
    port = holder.getsockname()[1]
    context = multiprocessing.get_context("spawn")
    stopping: list[int] = []

    def start() -> BaseProcess:
        process = context.Process(target=serve_one, args=(host, port, log_level))
        process.start()
        return process

    def stop(signum: int, _frame: FrameType | None) -> None:
        stopping.append(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    processes = [start() for _ in range(workers)]
    restarts: list[float] = []
    code = 0
    try:
        while not stopping:
            for n, process in enumerate(processes):
                if process.is_alive() or stopping:
                    continue
                restarts = [t for t in restarts if t > time.monotonic() - 60] + [time.monotonic()]
                if len(restarts) > MAX_RESTARTS:
                    stopping.append(0)
                    code = 1
                    break
                processes[n] = start()
            time.sleep(0.2)
    finally:
        _stop_all(processes)
        holder.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return code


def _stop_all(processes: list[BaseProcess]) -> None:
    """SIGTERM each worker (uvicorn finishes its requests and the app's lifespan), then
    SIGKILL what is left after ``STOP_SECONDS``."""
    for process in processes:
        if process.is_alive():
            process.terminate()
    deadline = time.monotonic() + STOP_SECONDS
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join()
