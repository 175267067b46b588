"""API latency under concurrent clients (độ trễ API khi nhiều người dùng đồng thời).

Starts ``kehoach serve`` on 127.0.0.1 (a free port) over a fresh database — the Lạng Sơn
dataset by default, or ``--provinces N`` of ``bench/generate.py``'s synthetic national data —
creates an admin with ``kehoach user add``, warms the caches (the first alerts/status call
replays the rules), then runs ``--clients`` asyncio httpx clients on loopback with a bounded
request count and time. The mix: who, trace, alerts, statuses, targets (reads) and, with
``--writes``, a share of observation posts (each write replays the rules). Prints p50/p95/p99
per route and overall; ``--append`` adds them to ``bench/RESULTS.md``.

``--tool wrk`` drives the same request mix with wrk (C, one thread, keep-alive connections;
``make bench-tools`` installs it) instead of the Python clients, so the load tool takes little
of the two cores the server runs on; it reports the whole mix (no per-route split).

``--workers N`` starts ``kehoach serve --workers N`` (uvicorn worker processes, each with its own
runtime following the log); the warm-up is repeated N times (connections land on any worker).

``--judge external`` starts ``kehoach judge`` first (the one process that judges; the bench waits
for its start replay) and the workers with ``--judge external`` (they append facts and read the
judge's stored outcomes). ``--code DIR`` runs the server and judge from another checkout (e.g. a
``git worktree`` of an older commit: its modules come first on ``PYTHONPATH``); ``--against DIR``
runs the same measurement on DIR's code and on ``--code``'s as a pair started at the same moment
(two bench processes, each its own database, server and clients), ``--reps`` pairs in this one
run, and prints both with their ratio and the load average at each start.

Run: ``.venv/bin/python bench/bench_api.py [--clients 50] [--requests 2000] [--seconds 60]
[--workers 2] [--writes 0.02]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_ingest import _commit, _cpus, percentiles, publish  # noqa: E402
from bench.generate import Scale, write  # noqa: E402
from kg.dataset import load_into  # noqa: E402
from kg.log import open_log  # noqa: E402

KEHOACH = str(Path(sys.executable).parent / "kehoach")
PASSWORD = "bench-mat-khau-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(code: Path) -> dict[str, str]:
    """The server's environment: ``code``'s modules first (the checkout under test)."""
    return {**os.environ, "PYTHONPATH": str(code), "KEHOACH_SECRET_KEY": "bench-" + "z" * 40}


def prepare(db: Path, provinces: int | None) -> tuple[list[str], str]:
    """Load the data and add the admin; returns (target/task ids, the as-of date)."""
    if provinces:
        scale = Scale.fraction(provinces, 0)
        write(db, scale)
        as_of = f"{scale.year}-10-15"
    else:
        with open_log(db) as log:
            load_into(log)
        as_of = "2024-10-15"
    env = {**os.environ, "KEHOACH_NEW_PASSWORD": PASSWORD}
    subprocess.run([KEHOACH, "user", "add", "bench", "--role", "admin", "--db", str(db)],
                   env=env, check=True, capture_output=True)
    with open_log(db) as log:
        ids = [f.key for kind in ("target", "task") for f in log.current(kind)]
    return ids, as_of


def start_judge(db: Path, as_of: str, code: Path = ROOT) -> subprocess.Popen:
    """``kehoach judge`` on ``db``, returned once its start replay is stored (it prints its
    "judging" line then)."""
    proc = subprocess.Popen([KEHOACH, "judge", "--db", str(db), "--as-of", as_of, "--poll",
                             "0.05"], env=_env(code), stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if "judging" not in line:
        proc.kill()
        raise SystemExit(f"judge did not start: {line!r}")
    return proc


def start_server(db: Path, port: int, as_of: str, workers: int = 1, judge: str = "inline",
                 code: Path = ROOT) -> subprocess.Popen:
    proc = subprocess.Popen([KEHOACH, "serve", "--db", str(db), "--port", str(port),
                             "--as-of", as_of, "--workers", str(workers), "--judge", judge],
                            env=_env(code), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            httpx.get(f"{url}/openapi.json", timeout=1)
            return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start")


def request_mix(rng: random.Random, ids: list[str], writes: float, n: int
                ) -> tuple[str, str, dict[str, Any] | None]:
    if rng.random() < writes:
        body = {"indicator": "tourists", "period": f"{rng.randint(1, 9)}T/2024",
                "value": f"{rng.randint(100, 3000)}", "pct_of_plan": f"{rng.randint(5, 99)}",
                "as_of": "2024-09-30", "id": f"obs-bench-{n}"}
        return "write", "/api/v1/observations", body
    route = rng.choice(("who", "trace", "alerts", "statuses", "targets"))
    ident = rng.choice(ids)
    path = {"who": f"/api/v1/who?q={ident}", "trace": f"/api/v1/trace/{ident}",
            "alerts": "/api/v1/alerts?limit=50", "statuses": "/api/v1/statuses",
            "targets": "/api/v1/targets?limit=50"}[route]
    return route, path, None


async def client(url: str, token: str, plan: list[tuple[str, str, Any]], stop_at: float,
                 samples: dict[str, list[float]], errors: list[str]) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60) as http:
        for route, path, body in plan:
            if time.perf_counter() > stop_at:
                return
            t0 = time.perf_counter()
            try:
                response = await (http.post(path, json=body) if body else http.get(path))
            except httpx.TransportError as err:
                errors.append(f"{route} {type(err).__name__}")
                continue
            samples.setdefault(route, []).append(time.perf_counter() - t0)
            if response.status_code >= 400:
                errors.append(f"{route} {response.status_code}")


async def load(url: str, token: str, ids: list[str], args: argparse.Namespace
               ) -> dict[str, Any]:
    rng = random.Random(args.seed)
    per_client = args.requests // args.clients
    plans = [[request_mix(rng, ids, args.writes, c * per_client + i) for i in range(per_client)]
             for c in range(args.clients)]
    samples: dict[str, list[float]] = {}
    errors: list[str] = []
    started = time.perf_counter()
    await asyncio.gather(*(client(url, token, plan, started + args.seconds, samples, errors)
                           for plan in plans))
    elapsed = time.perf_counter() - started
    every = [s for values in samples.values() for s in values]
    return {"requests": len(every), "seconds": round(elapsed, 1),
            "req_per_s": round(len(every) / elapsed, 1), "errors": len(errors),
            "error_kinds": sorted(set(errors))[:5],
            "all": _p99(every), **{route: _p99(v) for route, v in sorted(samples.items())}}


WRK_SCRIPT = """
local headers = {["Authorization"] = "Bearer %(token)s", ["Content-Type"] = "application/json"}
local reqs = {}
init = function(args)
  reqs = { %(requests)s }
end
local i = 0
request = function()
  i = i %% #reqs + 1
  return reqs[i]
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests,
    e.connect + e.read + e.write + e.timeout, e.status, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def run_wrk(url: str, token: str, ids: list[str], args: argparse.Namespace,
            tmp: Path) -> dict[str, Any]:
    """The request mix through wrk; latencies in ms over every request of the run."""
    rng = random.Random(args.seed)
    calls = []
    for n in range(args.requests):
        _route, path, body = request_mix(rng, ids, args.writes, n)
        payload = f"[==[{json.dumps(body, ensure_ascii=False)}]==]" if body else "nil"
        calls.append(f'wrk.format("{"POST" if body else "GET"}", [==[{path}]==], headers, '
                     f"{payload})")
    script = tmp / "mix.lua"
    script.write_text(WRK_SCRIPT % {"token": token, "requests": ",\n".join(calls)},
                      encoding="utf-8")
    done = subprocess.run(["wrk", "-t1", f"-c{args.clients}", f"-d{int(args.seconds)}s",
                           "-s", str(script), url], capture_output=True, text=True, check=True)
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT"))
    n, transport, status, micros, p50, p95, p99, top = (int(v) for v in line.split()[1:])
    ms = lambda us: round(us / 1000, 2)  # noqa: E731
    return {"requests": n, "seconds": round(micros / 1e6, 1),
            "req_per_s": round(n / (micros / 1e6), 1), "errors": transport + status,
            "error_kinds": [f"{status} non-2xx/3xx"] if status else [],
            "all": {"n": n, "p50_ms": ms(p50), "p95_ms": ms(p95), "p99_ms": ms(p99),
                    "max_ms": ms(top)}}


def _p99(values: list[float]) -> dict[str, float]:
    out = percentiles(values)
    if values:
        ordered = sorted(values)
        out["p99_ms"] = round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000, 2)
    return out


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()  # SIGTERM: uvicorn stops its worker processes too (not SIGKILL)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def measure(args: argparse.Namespace, code: Path) -> tuple[dict[str, Any], float]:
    """One measurement on a fresh database with ``code``'s server (and judge): the result
    and the warm-up seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "api.db"
        ids, as_of = prepare(db, args.provinces)
        judge = start_judge(db, as_of, code) if args.judge == "external" else None
        port = free_port()
        proc = start_server(db, port, as_of, args.workers, args.judge, code)
        url = f"http://127.0.0.1:{port}"
        try:
            token = httpx.post(f"{url}/api/v1/auth/token", timeout=300, data={
                "username": "bench", "password": PASSWORD}).json()["access_token"]
            t0 = time.perf_counter()
            for _ in range(args.workers):  # each worker keeps its own caches
                for path in ("/api/v1/alerts?limit=1", "/api/v1/statuses",
                             f"/api/v1/who?q={ids[0]}"):
                    httpx.get(url + path, headers={"Authorization": f"Bearer {token}"},
                              timeout=600)
            warm = round(time.perf_counter() - t0, 2)
            result = (run_wrk(url, token, ids, args, Path(tmp)) if args.tool == "wrk"
                      else asyncio.run(load(url, token, ids, args)))
        finally:
            _stop(proc)
            if judge is not None:
                _stop(judge)
    return result, warm


def _table(result: dict[str, Any]) -> str:
    text = "| route | n | p50 ms | p95 ms | p99 ms | max ms |\n|---|---|---|---|---|---|\n"
    for route in [k for k in result if isinstance(result[k], dict)]:
        r = result[route]
        text += (f"| {route} | {r.get('n')} | {r.get('p50_ms')} | {r.get('p95_ms')} | "
                 f"{r.get('p99_ms')} | {r.get('max_ms')} |\n")
    return text


def _commit_of(code: Path) -> str:
    done = subprocess.run(["git", "-C", str(code), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True, check=False)
    return done.stdout.strip() or str(code)


def _side(code: Path, out: Path) -> subprocess.Popen:
    """One side of a pair: this bench, single mode, on ``code``'s server, result to ``out``."""
    argv, skip = [], False
    for arg in sys.argv[1:]:
        if skip:
            skip = False
        elif arg in ("--against", "--reps", "--code"):
            skip = True
        elif arg != "--append":
            argv.append(arg)
    return subprocess.Popen([sys.executable, __file__, *argv, "--code", str(code),
                             "--json-out", str(out)], stdout=subprocess.DEVNULL)


def compare(args: argparse.Namespace) -> None:
    """``--against``: the before (``--against``'s code) and after (``--code``'s) as pairs
    started at the same moment, ``--reps`` pairs in this one run; the load average at each
    pair's start."""
    before, after = Path(args.against).resolve(), Path(args.code).resolve()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for rep in range(1, args.reps + 1):
            load = os.getloadavg()[0]
            outs = {side: Path(tmp) / f"{side}-{rep}.json" for side in ("before", "after")}
            procs = {side: _side(code, outs[side])
                     for side, code in (("before", before), ("after", after))}
            for side, proc in procs.items():
                if proc.wait() != 0:
                    raise SystemExit(f"{side} side failed ({proc.returncode})")
            for side in ("before", "after"):
                result = json.loads(outs[side].read_text(encoding="utf-8"))
                rows.append((rep, side, load, result["warm"], result))
                print(side, rep, f"load {load:.2f}", json.dumps(result["all"]), flush=True)
    text = ("## API latency, before/after pairs started at the same moment — "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
            f"\n\n- machine: {platform.machine()}, {_cpus()} CPUs, Python "
            f"{platform.python_version()}; before = {_commit_of(before)}, after = "
            f"{_commit_of(after)} (bench code: {_commit()})\n"
            f"- command: `.venv/bin/python bench/bench_api.py {' '.join(sys.argv[1:])}`\n"
            f"- server: `kehoach serve --workers {args.workers} --judge {args.judge}`"
            + (" + `kehoach judge`" if args.judge == "external" else "")
            + f"; {args.clients} clients, {args.writes:.0%} writes; load tool: {args.tool}\n\n"
            "| pair | side | load (1 min) at the pair's start | req/s | errors | p50 ms | "
            "p95 ms | p99 ms |\n|---|---|---|---|---|---|---|---|\n")
    for rep, side, load, _warm, result in rows:
        r = result["all"]
        text += (f"| {rep} | {side} | {load:.2f} | {result['req_per_s']} | {result['errors']} | "
                 f"{r.get('p50_ms')} | {r.get('p95_ms')} | {r.get('p99_ms')} |\n")
    for rep in range(1, args.reps + 1):
        b, a = (next(r[4]["all"]["p95_ms"] for r in rows if r[0] == rep and r[1] == s)
                for s in ("before", "after"))
        text += f"\npair {rep}: p95 after ÷ before = {a / b:.2f}"
    text += "\n\nPer route, last pair (after):\n\n" + _table(rows[-1][4])
    publish(text + "\n", args.append)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--writes", type=float, default=0.0, help="share of writes (0..1)")
    parser.add_argument("--provinces", type=int, default=None)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=1, help="kehoach serve --workers")
    parser.add_argument("--tool", choices=("httpx", "wrk"), default="httpx",
                        help="load tool: asyncio httpx clients (default) or wrk")
    parser.add_argument("--judge", choices=("inline", "external"), default="inline",
                        help="external: one `kehoach judge` + workers with --judge external")
    parser.add_argument("--code", default=str(ROOT), help="checkout the server runs from")
    parser.add_argument("--against", default=None,
                        help="another checkout: before (it) / after (--code) in one run")
    parser.add_argument("--reps", type=int, default=2, help="pairs with --against")
    parser.add_argument("--json-out", default=None, help="also write the result as JSON here")
    parser.add_argument("--append", action="store_true")
    args = parser.parse_args()
    if args.against:
        compare(args)
        return
    result, warm = measure(args, Path(args.code).resolve())
    if args.json_out:
        Path(args.json_out).write_text(json.dumps({**result, "warm": warm}), encoding="utf-8")
    data = f"{args.provinces} synthetic province(s)" if args.provinces else "Lạng Sơn dataset"
    text = (f"## API latency (issue 8) — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n\n"
            f"- machine: {platform.machine()}, {_cpus()} CPUs, Python "
            f"{platform.python_version()}; commit {_commit()}\n"
            f"- command: `.venv/bin/python bench/bench_api.py {' '.join(sys.argv[1:])}`\n"
            f"- server: `kehoach serve --workers {args.workers} --judge {args.judge}`"
            f"; load tool: {args.tool}"
            f"; data: {data}"
            f"; cache warm-up (first alerts + statuses + who): {warm} s\n"
            f"- {args.clients} clients, {result['requests']} requests in {result['seconds']} s "
            f"({result['req_per_s']} req/s), {result['errors']} errors "
            f"{result['error_kinds'] or ''}\n\n" + _table(result))
    publish(text, args.append)


if __name__ == "__main__":
    main()
