"""Run a computation in a forked child process that is killed at a wall-clock limit
(évaluation bornée dans le temps).

rdflib evaluates SPARQL in pure Python with no way to stop it from outside: a cross join whose
rows are all filtered out or counted (``SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e
?f }``) yields nothing for hours, and a thread cannot be killed. So the evaluation runs in a
child forked from this process — it sees the plan graph as it is, copy-on-write, with nothing
to load — and sends its JSON answer back through a pipe. The parent waits at most
``max_seconds`` (and stops early when ``cancelled()`` says the client left), then SIGKILLs and
reaps the child: whatever the query does (a join, a regular expression, an aggregate), its CPU
work ends with it. The child's address space is capped too (``MAX_EXTRA_BYTES`` over what it
inherited), so a query cannot exhaust memory before its time is up.

The child only evaluates: the query is parsed and checked by the caller before the fork (the
parser's caches take locks another thread might hold at the moment of the fork); it closes
every descriptor it inherited but its pipe (the server's sockets, the log's SQLite file) and
leaves with ``os._exit`` (no atexit handlers, no buffered output of the parent flushed
twice). The kernel ends it too if the parent dies (``PR_SET_PDEATHSIG``) or the limit passes
(an alarm and ``RLIMIT_CPU``), so a killed server leaves no query running.
"""

from __future__ import annotations

import ctypes
import gc
import json
import math
import os
import select
import signal
import time
from collections.abc import Callable
from typing import Any

from kg.errors import KehoachError

MAX_EXTRA_BYTES = 1 << 30  # address space a child may add to what it inherited
POLL_SECONDS = 0.1  # how often the parent looks at ``cancelled`` while it waits
_CHUNK = 1 << 16
PR_SET_PDEATHSIG = 1  # linux/prctl.h


class QueryError(KehoachError):
    """A SPARQL query was refused or could not run."""

    code = "query_error"


class QueryTimeout(QueryError):
    """The evaluation ran past its wall-clock limit and was stopped."""

    code = "query_timeout"


class QueryCancelled(QueryError):
    """The evaluation was stopped because its client went away."""

    code = "query_cancelled"


def run_bounded(compute: Callable[[], dict[str, Any]], max_seconds: float,
                cancelled: Callable[[], bool] | None = None) -> dict[str, Any]:
    """``compute()`` evaluated in a forked child; its JSON-able answer, or ``QueryTimeout``
    after ``max_seconds`` / ``QueryCancelled`` once ``cancelled()`` is true (the child killed
    either way). An error the child meets comes back as a ``QueryError`` with its code."""
    read_fd, write_fd = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: evaluate, answer, leave — never return into the caller
        try:
            _close_inherited(keep=write_fd)
            _die_with(parent, max_seconds)
            _child(compute, write_fd)
        finally:
            os._exit(1)
    os.close(write_fd)
    try:
        data = _collect(read_fd, time.monotonic() + max_seconds, cancelled)
    finally:
        os.close(read_fd)
        _stop(pid)
    if data is None:
        raise QueryTimeout(f"Truy vấn chạy quá {max_seconds:g} giây, đã dừng",
                           f"The query ran longer than {max_seconds:g} s and was stopped",
                           text=f"{max_seconds:g}")
    if data is False:
        raise QueryCancelled("Người gửi truy vấn đã ngắt kết nối, truy vấn đã dừng",
                             "The client went away; the query was stopped")
    return _answer(data)


def _child(compute: Callable[[], dict[str, Any]], write_fd: int) -> None:
    code = 0
    try:
        gc.freeze()  # collections do not walk (and copy) the inherited graph
        _cap_memory()
        try:
            answer: dict[str, Any] = {"ok": compute()}
        except KehoachError as err:
            answer = {"error": {"code": err.code, "vi": err.vi, "en": err.en,
                                "text": err.text}}
        except MemoryError:
            answer = {"error": {"code": "query_too_large",
                                "vi": "Truy vấn cần quá nhiều bộ nhớ, đã dừng",
                                "en": "The query needed too much memory and was stopped",
                                "text": None}}
        except Exception as err:  # noqa: BLE001 — any evaluation failure is the query's
            answer = {"error": {"code": "query_failed",
                                "vi": f"Truy vấn không chạy được: {err}",
                                "en": f"The query failed: {err}", "text": type(err).__name__}}
        data = json.dumps(answer, ensure_ascii=False, default=str).encode("utf-8")
        view = memoryview(data)
        while view:
            view = view[os.write(write_fd, view):]
    except BaseException:  # noqa: BLE001 — never return into the parent's code
        code = 1
    finally:
        os._exit(code)


def _close_inherited(keep: int) -> None:
    """Close the child's copies of the parent's descriptors (client sockets, the database,
    other queries' pipes) but the standard streams and ``keep``: a connection the server
    closes must not stay open in a child (no FIN sent until the child ends)."""
    top = os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 65536
    os.closerange(3, keep)
    os.closerange(keep + 1, max(top, keep + 2))


def _die_with(parent: int, max_seconds: float) -> None:
    """Limits the kernel enforces on the child even if the parent cannot (it was killed):
    SIGKILL when the parent dies (Linux ``PR_SET_PDEATHSIG``), SIGALRM one second after the
    limit, and the CPU time of the limit plus one second (``RLIMIT_CPU``)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
    seconds = math.ceil(max_seconds) + 1
    signal.signal(signal.SIGALRM, signal.SIG_DFL)  # its default action ends the process
    signal.alarm(seconds)
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    except (ImportError, OSError, ValueError):
        pass


def _cap_memory() -> None:
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as statm:
            size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = size + MAX_EXTRA_BYTES
        if hard == resource.RLIM_INFINITY or limit < hard:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError):
        pass  # not Linux: the time limit still holds


def _collect(read_fd: int, deadline: float,
             cancelled: Callable[[], bool] | None) -> bytes | None | bool:
    """The child's whole answer; None at the deadline, False when cancelled."""
    parts: list[bytes] = []
    poller = select.poll()  # not select(): a busy server's descriptors pass 1024
    poller.register(read_fd, select.POLLIN)
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        if cancelled is not None and cancelled():
            return False
        if poller.poll(math.ceil(min(left, POLL_SECONDS) * 1000)):
            chunk = os.read(read_fd, _CHUNK)
            if not chunk:
                return b"".join(parts)
            parts.append(chunk)


def _stop(pid: int) -> None:
    """Kill the child (if it is still running) and reap it: no process, no zombie left."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)


def _answer(data: bytes) -> dict[str, Any]:
    try:
        answer = json.loads(data)
    except ValueError:
        answer = {"error": {"code": "query_failed", "vi": "Tiến trình truy vấn dừng bất thường",
                            "en": "The query process ended abnormally", "text": None}}
    if "error" in answer:
        err = answer["error"]
        raise QueryError(err["vi"], err["en"], code=err["code"], text=err["text"])
    return answer["ok"]
