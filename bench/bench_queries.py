"""Latency of the graph questions on the Lạng Sơn graph: who / trace / impact (p50, p95).

Set-up (load data/langson into a temporary log, build the PlanGraph) is outside the timers.
Also timed: building the graph from the log, and one incremental ``apply`` of a new version.
Appends one block to bench/RESULTS.md with date, commit and machine.

Run: .venv/bin/python bench/bench_queries.py [--repeat 200]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from kg.dataset import load_into
from kg.graph import PlanGraph
from kg.log import Fact, open_log

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "RESULTS.md"


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered), p95


def _time(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    fn()  # warm-up (prepared queries, caches)
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return _percentiles(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    log = open_log(Path(tempfile.mkdtemp()) / "kh.db")
    load_into(log, ROOT / "data" / "langson")
    build = _time(lambda: PlanGraph.from_log(log), max(5, args.repeat // 20))
    plan = PlanGraph.from_log(log)
    task = log.get("task", "task-004-001")
    version = [2]

    def apply_one() -> None:
        payload = {**task.payload, "support": ["so-y-te"] if version[0] % 2 else []}
        [outcome] = log.append([Fact("task", task.key, payload, task.source)])
        plan.apply([outcome.fact])
        version[0] += 1

    variants = {
        "who id (task)": lambda: plan.who("task-004-001"),
        "who phrase (no diacritics)": lambda: plan.who("giai ngan von dau tu cong"),
        "trace target grdp_growth@2024": lambda: plan.trace("grdp_growth@2024"),
        "trace observation obs-002-001": lambda: plan.trace("obs-002-001"),
        "impact 29/NQ-HĐND": lambda: plan.impact("29/NQ-HĐND"),
        "targets_of grdp_growth (SPARQL)": lambda: plan.targets_of("grdp_growth"),
    }
    rows = [("build graph from log", *build)]
    rows += [(name, *_time(fn, args.repeat)) for name, fn in variants.items()]
    rows.append(("apply one new task version", *_time(apply_one, max(5, args.repeat // 4))))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip() or "unknown"
    header = (f"\n## bench_queries — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit "
              f"{commit}, {os.cpu_count()} CPU {platform.machine()}, Python "
              f"{platform.python_version()}\n\nGraph: {len(plan)} triples; repeat "
              f"{args.repeat} (build {max(5, args.repeat // 20)}).\n\n"
              "| operation | p50 ms | p95 ms |\n|---|---:|---:|\n")
    table = "".join(f"| {name} | {p50:.2f} | {p95:.2f} |\n" for name, p50, p95 in rows)
    print(header + table)
    with RESULTS.open("a", encoding="utf-8") as out:
        if out.tell() == 0:
            out.write("# Benchmark results (append only)\n")
        out.write(header + table)


if __name__ == "__main__":
    main()
