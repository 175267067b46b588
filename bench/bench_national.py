"""A national year, end to end (một năm số liệu cả nước): every province's plan and monthly
reports through the service's write path, province by province, on this machine's cores.

Each province is one kehoach instance with its own fact log (a SQLite file), as the ministry
would run them: the rules units (an indicator with its targets and reports, a task) never
cross a province, so provinces are independent and ``--workers`` of them run at once, each in
a fresh process. For each province the timer covers everything after the synthetic data is
made: the plan (agencies, documents, indicators, targets, tasks) appended, the service started
(rules session replayed), then the year's twelve monthly rounds written as a running service
receives them — the clock moves to the round's month end, ``--batch`` observations per
``Runtime.write`` (notation checks → fact log → rules → alerts and status changes persisted)
and the plan graph refreshed after each write — and the database closed.

Reported: wall time of the whole run, facts/s, per-province times and the peak RSS of each
province's process (``ru_maxrss``); with ``--workers`` processes alive at once, the memory the
run needs is at most the sum of the ``--workers`` largest peaks.

Run: ``.venv/bin/python bench/bench_national.py [--provinces 34] [--workers 2] [--append]``
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_ingest import _commit, _cpus, publish  # noqa: E402
from bench.generate import Scale, base_facts, report_rounds  # noqa: E402


def province_year(province: int, seed: int, batch: int, months: int) -> dict[str, Any]:
    """One province's year through ``Runtime`` (run in its own process)."""
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

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        runtime = Runtime(Settings(db=Path(tmp) / "province.db", as_of=date(scale.year, 1, 1)))
        runtime.log.append(base, submitted_by="generator")
        runtime.evaluation()
        runtime.graph()
        started = time.perf_counter() - t0
        alerts = changes = 0
        for when, facts in rounds:
            runtime.settings.as_of = when
            for i in range(0, len(facts), batch):
                outcome = runtime.write([checked(f) for f in facts[i:i + batch]], "bench", None)
                alerts += len(outcome.alerts)
                changes += len(outcome.status_changes)
                runtime.graph()
        stored = runtime.log.last_seq()
        triples = len(runtime.graph())
        runtime.close()
        seconds = time.perf_counter() - t0
    return {"province": province, "plan_facts": len(base),
            "observations": sum(len(f) for _w, f in rounds), "stored_facts": stored,
            "alerts": alerts, "status_changes": changes, "triples": triples,
            "start_s": round(started, 2), "seconds": round(seconds, 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def run(args: argparse.Namespace) -> dict[str, Any]:
    provinces = list(range(1, args.provinces + 1))
    t0 = time.perf_counter()
    rows = []
    # a fresh process per province: each province's peak RSS is its own
    with ProcessPoolExecutor(args.workers, max_tasks_per_child=1) as pool:
        futures = [pool.submit(province_year, p, args.seed, args.batch, args.months)
                   for p in provinces]
        for future in futures:
            rows.append(future.result())
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    wall = time.perf_counter() - t0
    peaks = sorted((r["peak_rss_mb"] for r in rows), reverse=True)
    facts = sum(r["plan_facts"] + r["observations"] for r in rows)
    return {"rows": rows, "wall_s": round(wall, 1), "facts": facts,
            "facts_per_s": round(facts / wall, 1),
            "observations": sum(r["observations"] for r in rows),
            "stored_facts": sum(r["stored_facts"] for r in rows),
            "alerts": sum(r["alerts"] for r in rows),
            "status_changes": sum(r["status_changes"] for r in rows),
            "max_peak_rss_mb": peaks[0],
            "concurrent_rss_mb": round(sum(peaks[:args.workers]), 1)}


def report(result: dict[str, Any], args: argparse.Namespace) -> str:
    rows = result["rows"]
    lines = [f"## National year (issue 8) — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC", "",
             f"- machine: {platform.machine()}, {_cpus()} CPUs, Python "
             f"{platform.python_version()}; commit {_commit()}",
             f"- command: `.venv/bin/python bench/bench_national.py {' '.join(sys.argv[1:])}`",
             f"- {args.provinces} province(s) of 34, {args.workers} at a time, "
             f"{args.batch} observations per write, {args.months} monthly rounds, live clock, "
             "graph refreshed after every write", "",
             "| measure | value |", "|---|---|",
             f"| wall time | {result['wall_s']} s ({result['wall_s'] / 60:.1f} min) |",
             f"| facts in (plan + observations) | {result['facts']:,} "
             f"({result['observations']:,} observations) |",
             f"| facts/s (in ÷ wall) | {result['facts_per_s']:,} |",
             f"| facts stored (with alerts and status changes) | {result['stored_facts']:,} |",
             f"| alerts / status changes | {result['alerts']:,} / "
             f"{result['status_changes']:,} |",
             f"| peak RSS of one province's process (max) | {result['max_peak_rss_mb']} MB |",
             f"| memory of {args.workers} at once (sum of the largest peaks) | "
             f"{result['concurrent_rss_mb']} MB |",
             f"| per province: start s (min / max) | {min(r['start_s'] for r in rows)} / "
             f"{max(r['start_s'] for r in rows)} |",
             f"| per province: total s (min / max) | {min(r['seconds'] for r in rows)} / "
             f"{max(r['seconds'] for r in rows)} |",
             f"| triples per province graph (max) | {max(r['triples'] for r in rows):,} |"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--append", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args()
    publish(report(run(args), args), args.append)


if __name__ == "__main__":
    main()
