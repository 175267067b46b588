"""A national year, end to end (một năm số liệu cả nước): every province's plan and monthly
reports through the service's write path, province by province, on this machine's cores — on
SQLite, on PostgreSQL, or both side by side in one run (``--backend``).

On SQLite each province is one kehoach instance with its own fact log (a SQLite file), as one
office runs it. On PostgreSQL every province is in ONE database — fact log, service tables and
outcome store shared — each province its own jurisdiction, as a national deployment runs it
(issue 19). The rules units (an indicator with its targets and reports, a task) never cross a
province, so provinces are independent and ``--workers`` of them run at once, each in a fresh
process. Province ``p`` of the generator is the ``p``-th of the 34 provinces listed on
1/7/2025 (data/jurisdictions.yaml, by code) on both backends.

For each province the timer covers everything after the synthetic data is made: the plan
(agencies, documents, indicators, targets, tasks) appended, the service started (rules session
replayed), then the year's twelve monthly rounds written as a running service receives them —
the clock moves to the round's month end, ``--batch`` observations per ``Runtime.write``
(notation checks → fact log → rules → alerts and status changes persisted) and the plan graph
refreshed after each write — and the database closed. The province's process collects its
garbage as a server process does (``freeze_gc``, set by ``kehoach serve``: ``service.heap``).
The PostgreSQL schema's tables are made before the clock starts (a SQLite province makes its
file's inside its timer: milliseconds).

Reported: wall time of the whole run, facts/s, per-province times, the peak RSS of each
province's process (``ru_maxrss``; with ``--workers`` processes alive at once, the memory the
run needs is at most the sum of the ``--workers`` largest peaks), the CPU time of the province
processes and, on a cluster the bench started, of the PostgreSQL server; the load average
before and after. With ``both``: the two national years one after the other (SQLite first),
PostgreSQL ÷ SQLite per measure and per province, and whether every province concluded the
same alerts and status changes on both (a digest of their contents, in order).

PostgreSQL: a throw-away cluster of Debian's ``postgresql`` package started by the bench in a
temporary folder with its durable defaults (bench/pg_cluster.py), or ``--db postgresql://…``
for a server of your own (each run makes a new schema there and leaves it).

Run: ``.venv/bin/python bench/bench_national.py [--provinces 34] [--workers 2]
[--backend sqlite|postgres|both] [--db postgresql://…] [--append]``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_ingest import _commit, _cpus, publish  # noqa: E402
from bench.generate import Scale, base_facts, report_rounds  # noqa: E402
from bench.pg_cluster import NoPostgres, new_schema, throwaway  # noqa: E402

BACKENDS = ("sqlite", "postgres")
NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def province_code(province: int) -> str:
    """The jurisdiction of generated province ``province`` (1…34): the 34 provinces of
    1/7/2025 in the reference list, by code — a real code, as the service accepts no other."""
    from kg.jurisdictions import jurisdictions

    codes = sorted(j.code for j in jurisdictions("province", date(2025, 7, 1)))
    if not 1 <= province <= len(codes):
        raise ValueError(f"province {province}: 1…{len(codes)}")
    return codes[province - 1]


def _digest(items: list[dict[str, Any]], into: Any) -> None:
    for item in items:  # the whole conclusion, keys sorted: any difference changes the digest
        into.update(json.dumps(item, sort_keys=True, ensure_ascii=False, default=str).encode())
        into.update(b"\n")


def province_year(province: int, seed: int, batch: int, months: int,
                  db: str | None = None) -> dict[str, Any]:
    """One province's year through ``Runtime`` (run in its own process): in a new SQLite file,
    or in the PostgreSQL database at ``db`` as the province's jurisdiction."""
    from kg.log import Fact
    from service.runtime import Runtime
    from service.schemas import ObservationCreate
    from service.settings import Settings
    from service.writes import observation_fact

    scale = Scale(months=months)
    base = base_facts(scale, seed, province)
    rounds = list(report_rounds(scale, seed, province))

    def checked(fact: Fact) -> Fact:
        body = ObservationCreate.model_validate(
            {k: v for k, v in fact.payload.items() if k not in ("indicator_text", "footnote")
             and v is not None} | {"source": fact.source.to_dict()})
        return observation_fact(body, "bench")

    code = province_code(province)
    digest = hashlib.sha256()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        # freeze_gc: the collector policy of a server process, as `kehoach serve` sets it
        runtime = Runtime(Settings(db=db or Path(tmp) / "province.db", jurisdiction=code,
                                   as_of=date(scale.year, 1, 1), freeze_gc=True))
        stored = _written(runtime.log.append(base, submitted_by="generator"))
        runtime.evaluation()
        runtime.graph()
        started = time.perf_counter() - t0
        alerts = changes = 0
        for when, facts in rounds:
            runtime.settings.as_of = when
            for i in range(0, len(facts), batch):
                outcome = runtime.write([checked(f) for f in facts[i:i + batch]], "bench", None)
                stored += _written(outcome.appended)
                alerts += len(outcome.alerts)
                changes += len(outcome.status_changes)
                _digest(outcome.alerts + outcome.status_changes, digest)
                runtime.graph()
        triples = len(runtime.graph())
        runtime.close()
        seconds = time.perf_counter() - t0
    return {"province": province, "jurisdiction": code, "plan_facts": len(base),
            "observations": sum(len(f) for _w, f in rounds), "stored_facts": stored,
            "alerts": alerts, "status_changes": changes, "triples": triples,
            "outputs": digest.hexdigest()[:16],
            "start_s": round(started, 2), "seconds": round(seconds, 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def _written(appended: list[Any]) -> int:
    """Fact versions an append wrote (duplicates write nothing) — the same on both backends,
    where a PostgreSQL ``seq`` counts every province of the database."""
    return sum(1 for item in appended if item.status != "duplicate")


def _server_cpu(data_dir: Path | None) -> float | None:
    """CPU seconds of a PostgreSQL cluster so far: the postmaster's own and its reaped
    children's (every backend that served a finished connection); None if not ours to read."""
    if data_dir is None:
        return None
    try:
        pid = int((data_dir / "postmaster.pid").read_text().split()[0])
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, ValueError, IndexError):
        return None
    # utime, stime, cutime, cstime: fields 14-17 of proc(5), 12-15 after "pid (comm) state"
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _preload() -> None:
    """Import the service in this process before the province processes fork from it, so
    every province of both backends runs the code as it was at the start (other work in the
    same tree may change files during a long run)."""
    import service.runtime  # noqa: F401
    import service.schemas  # noqa: F401
    import service.settings  # noqa: F401
    import service.writes  # noqa: F401


def _prepare(db: str) -> None:
    """Make the tables of every store a province opens in the shared database (migrations),
    outside the timers and before the provinces start at once."""
    from service.runtime import Runtime
    from service.settings import Settings

    Runtime(Settings(db=db, jurisdiction=province_code(1), as_of=date(2025, 1, 1))).close()


def run(args: argparse.Namespace, db: str | None = None,
        server_dir: Path | None = None) -> dict[str, Any]:
    """The national year on one backend: SQLite files (``db`` None) or the PostgreSQL
    database at ``db``."""
    _preload()
    if db is not None:
        _prepare(db)
    provinces = list(range(1, args.provinces + 1))
    load_before, cpu_before, server_before = os.getloadavg(), _children_cpu(), \
        _server_cpu(server_dir)
    t0 = time.perf_counter()
    rows = []
    # a fresh process per province: each province's peak RSS is its own
    with ProcessPoolExecutor(args.workers, max_tasks_per_child=1) as pool:
        futures = [pool.submit(province_year, p, args.seed, args.batch, args.months, db)
                   for p in provinces]
        for future in futures:
            rows.append(future.result())
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    wall = time.perf_counter() - t0
    server_after = _server_cpu(server_dir)
    peaks = sorted((r["peak_rss_mb"] for r in rows), reverse=True)
    facts = sum(r["plan_facts"] + r["observations"] for r in rows)
    return {"rows": rows, "wall_s": round(wall, 1), "facts": facts,
            "facts_per_s": round(facts / wall, 1),
            "observations": sum(r["observations"] for r in rows),
            "stored_facts": sum(r["stored_facts"] for r in rows),
            "alerts": sum(r["alerts"] for r in rows),
            "status_changes": sum(r["status_changes"] for r in rows),
            "max_peak_rss_mb": peaks[0],
            "concurrent_rss_mb": round(sum(peaks[:args.workers]), 1),
            "client_cpu_s": round(_children_cpu() - cpu_before, 1),
            "server_cpu_s": (round(server_after - server_before, 1)
                             if server_after is not None and server_before is not None
                             else None),
            "load": (load_before, os.getloadavg())}


def _load(result: dict[str, Any]) -> str:
    before, after = result["load"]
    return (f"{' / '.join(f'{x:.2f}' for x in before)} before, "
            f"{' / '.join(f'{x:.2f}' for x in after)} after")


def _header(title: str, args: argparse.Namespace) -> list[str]:
    return [f"## {title} — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC", "",
            f"- machine: {platform.machine()}, {_cpus()} CPUs, Python "
            f"{platform.python_version()}; commit {_commit()}",
            f"- command: `.venv/bin/python bench/bench_national.py {' '.join(sys.argv[1:])}`",
            f"- {args.provinces} province(s) of 34, {args.workers} at a time, "
            f"{args.batch} observations per write, {args.months} monthly rounds, live clock, "
            "graph refreshed after every write"]


def _measures(result: dict[str, Any], workers: int) -> list[tuple[str, Any]]:
    """(measure, value) rows of one backend's run."""
    rows = result["rows"]
    server = result["server_cpu_s"]
    return [("wall time, s", result["wall_s"]),
            ("facts in (plan + observations)", result["facts"]),
            ("facts/s (in ÷ wall)", result["facts_per_s"]),
            ("fact versions written", result["stored_facts"]),
            ("alerts / status changes", f"{result['alerts']:,} / {result['status_changes']:,}"),
            ("peak RSS of one province's process (max), MB", result["max_peak_rss_mb"]),
            (f"memory of {workers} at once (sum of the largest peaks), MB",
             result["concurrent_rss_mb"]),
            ("CPU of the province processes, s", result["client_cpu_s"]),
            ("CPU of the PostgreSQL server, s", "—" if server is None else server),
            ("CPU of both, s", round(result["client_cpu_s"] + (server or 0), 1)),
            ("per province: start s (min / max)",
             f"{min(r['start_s'] for r in rows)} / {max(r['start_s'] for r in rows)}"),
            ("per province: total s (min / max)",
             f"{min(r['seconds'] for r in rows)} / {max(r['seconds'] for r in rows)}"),
            ("triples per province graph (max)", max(r["triples"] for r in rows))]


def _cell(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int | float) else str(value)


def report(result: dict[str, Any], args: argparse.Namespace, backend: str) -> str:
    """One backend's section (the table issue 8's runs wrote, with its load and CPU)."""
    lines = _header(f"National year (issue 8) on {NAMES[backend]}", args)
    lines += [f"- load average (1 / 5 / 15 min): {_load(result)}", "",
              "| measure | value |", "|---|---|"]
    lines += [f"| {name} | {_cell(value)} |" for name, value in _measures(result, args.workers)]
    return "\n".join(lines) + "\n"


def same_outputs(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Did one province conclude the same on both backends (counts and contents)?"""
    keys = ("plan_facts", "observations", "stored_facts", "alerts", "status_changes",
            "triples", "outputs")
    return all(a[k] == b[k] for k in keys)


def compare(results: dict[str, dict[str, Any]], args: argparse.Namespace) -> str:
    """Both backends' section: each measure side by side with PostgreSQL ÷ SQLite, then one
    row per province with its times and whether its outputs are equal."""
    lite, pg = results["sqlite"], results["postgres"]
    lines = _header("National year on SQLite and PostgreSQL, one run (issue 19)", args)
    server = "a server given by --db" if args.db else "a throw-away local cluster (fsync on)"
    lines += [f"- SQLite: a file per province; PostgreSQL: the provinces in one database, "
              f"each its own jurisdiction, {server}; SQLite's year first, then PostgreSQL's",
              f"- load average (1 / 5 / 15 min): SQLite {_load(lite)}; PostgreSQL {_load(pg)}"
              " (a machine shared with other work unless said otherwise)", "",
              "| measure | SQLite | PostgreSQL | PostgreSQL ÷ SQLite |", "|---|---|---|---|"]
    for (name, a), (_n, b) in zip(_measures(lite, args.workers), _measures(pg, args.workers),
                                  strict=True):
        ratio = f"{b / a:.2f}" if isinstance(a, int | float) and isinstance(b, int | float) \
            and a else ""
        lines.append(f"| {name} | {_cell(a)} | {_cell(b)} | {ratio} |")
    equal = [same_outputs(a, b) for a, b in zip(lite["rows"], pg["rows"], strict=True)]
    lines += ["", f"Per province (outputs: plan facts, observations, versions written, alerts, "
              f"status changes, graph triples and a digest of every alert and status change "
              f"in order): **{sum(equal)} of {len(equal)} equal**.", "",
              "| province | jurisdiction | SQLite s | PostgreSQL s | ÷ | alerts / status changes "
              "| outputs equal |", "|---|---|---|---|---|---|---|"]
    for a, b, same in zip(lite["rows"], pg["rows"], equal, strict=True):
        lines.append(f"| {a['province']} | {a['jurisdiction']} | {a['seconds']} | "
                     f"{b['seconds']} | {b['seconds'] / a['seconds']:.2f} | "
                     f"{a['alerts']:,} / {a['status_changes']:,} | "
                     f"{'yes' if same else 'NO: ' + json.dumps([a, b])} |")
    return "\n".join(lines) + "\n"


def profile(args: argparse.Namespace, out: Path) -> str:
    """Province 1's year in this process under cProfile on ``--backend`` (sqlite or
    postgres): the stats saved to ``out``, the top functions by own time returned."""
    import cProfile
    import io
    import pstats

    with ExitStack() as stack:
        db = None
        if args.backend == "postgres":
            server = None if args.db else stack.enter_context(throwaway())
            db = new_schema(args.db or server.url(), f"profile_{os.getpid()}")
            _prepare(db)
        profiler = cProfile.Profile()
        row = profiler.runcall(province_year, 1, args.seed, args.batch, args.months, db)
    profiler.dump_stats(out)
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(30)
    return json.dumps(row) + "\n" + text.getvalue()


def national(args: argparse.Namespace) -> str:
    """Run the backends asked for; the section to publish."""
    backends = BACKENDS if args.backend == "both" else (args.backend,)
    results: dict[str, dict[str, Any]] = {}
    with ExitStack() as stack:
        for backend in backends:
            if backend == "sqlite":
                results[backend] = run(args)
                continue
            server = None if args.db else stack.enter_context(throwaway())
            base = args.db or server.url()
            schema = f"national_{datetime.now(UTC):%Y%m%d%H%M%S}_{os.getpid()}"
            results[backend] = run(args, new_schema(base, schema),
                                   None if server is None else server.data)
    if len(results) == 2:
        return compare(results, args)
    backend, result = next(iter(results.items()))
    return report(result, args, backend)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provinces", type=int, default=34, choices=range(1, 35),
                        metavar="1…34")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="sqlite",
                        help="sqlite: a file per province; postgres: every province in one "
                        "PostgreSQL database; both: the two one after the other, compared")
    parser.add_argument("--db", help="postgresql://… a server of your own (a new schema per "
                        "run); default: a throw-away local cluster")
    parser.add_argument("--append", action="store_true", help="append to bench/RESULTS.md")
    parser.add_argument("--profile", type=Path, metavar="FILE.prof", help="instead: province 1 "
                        "in this process under cProfile on --backend (sqlite or postgres)")
    args = parser.parse_args()
    if args.profile and args.backend == "both":
        parser.error("--profile runs one backend: --backend sqlite or postgres")
    if args.db and args.backend == "sqlite":
        parser.error("--db is the PostgreSQL server: use it with --backend postgres or both")
    try:
        if args.profile:
            print(profile(args, args.profile))
            return
        text = national(args)
    except NoPostgres as err:  # no PostgreSQL here and no --db
        sys.exit(str(err))
    publish(text, args.append)


if __name__ == "__main__":
    main()
