"""The fact log on SQLite against PostgreSQL, side by side in one run (issue 19): the same
facts, the same ``kg.log`` code, each backend with its durable defaults (SQLite WAL +
synchronous=FULL; PostgreSQL fsync=on, synchronous_commit=on).

Measured, median of ``--repeat`` runs, each into a new, empty database:

- ``langson load``: ``kehoach load data/langson`` as ``load_into`` does it (parse + checks +
  one transaction), facts/s;
- ``province year``: one generated province's plan facts and its 12 monthly report rounds
  (bench/generate.py, 1 of 34 provinces) appended in batches of ``--batch``, facts/s;
- ``re-append``: the same province year again — every fact a duplicate, nothing written;
- ``read``: every version of the province year read back (``log.read()``), facts/s.

PostgreSQL is a throw-away cluster of Debian's ``postgresql`` package (bench/pg_cluster.py)
on a unix socket, or ``--url`` for a server of your own.

Run: ``.venv/bin/python bench/bench_log_backends.py [--repeat 3] [--batch 1000]``
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.generate import Scale, base_facts, report_rounds  # noqa: E402
from bench.pg_cluster import NoPostgres, new_schema, throwaway  # noqa: E402
from kg.dataset import DEFAULT_DATASET, load_into  # noqa: E402
from kg.log import Fact, open_log  # noqa: E402


def province_year(province: int = 1) -> list[list[Fact]]:
    """One generated province's year: its plan facts, then one list per monthly round."""
    scale = Scale()
    return [base_facts(scale, 7, province),
            *[facts for _when, facts in report_rounds(scale, 7, province)]]


def timed(step: Callable[[], int]) -> tuple[float, int]:
    started = time.perf_counter()
    n = step()
    return time.perf_counter() - started, n


def run_backend(new_target: Callable[[], Any], rounds: list[list[Fact]], batch: int,
                repeat: int) -> dict[str, dict[str, float]]:
    """Every measure on one backend (``new_target()``: a new empty database each time)."""
    samples: dict[str, list[tuple[float, int]]] = {}

    def add(name: str, sample: tuple[float, int]) -> None:
        samples.setdefault(name, []).append(sample)

    for _ in range(repeat):
        with open_log(new_target()) as log:
            add("langson load", timed(lambda log=log: len(load_into(log, DEFAULT_DATASET))))
        with open_log(new_target(), jurisdiction="bench") as log:
            def append_all(log=log) -> int:
                n = 0
                for facts in rounds:
                    for i in range(0, len(facts), batch):
                        n += len(log.append(facts[i:i + batch], submitted_by="bench"))
                return n
            add("province year", timed(append_all))
            add("re-append (all duplicates)", timed(append_all))
            add("read", timed(lambda log=log: sum(1 for _ in log.read())))
    result = {}
    for name, runs in samples.items():
        seconds = statistics.median(s for s, _n in runs)
        facts = runs[0][1]
        result[name] = {"facts": facts, "seconds": round(seconds, 3),
                        "facts_per_s": round(facts / seconds, 1)}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--url", help="a PostgreSQL database of your own (its public schema "
                        "must be empty; each run gets a new schema)")
    args = parser.parse_args()
    rounds = province_year()
    tmp = Path(tempfile.mkdtemp(prefix="kehoach-bench-"))
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, tmp, ignore_errors=True)
        try:
            base_url = args.url or stack.enter_context(throwaway()).url()
        except NoPostgres as err:  # no PostgreSQL here and no --url
            sys.exit(str(err))
        made = {"n": 0}

        def sqlite_target() -> Path:
            made["n"] += 1
            return tmp / f"bench-{made['n']}.db"

        def pg_target() -> str:
            made["n"] += 1
            return new_schema(base_url, f"bench_{made['n']}")

        results = {"sqlite": run_backend(sqlite_target, rounds, args.batch, args.repeat),
                   "postgresql": run_backend(pg_target, rounds, args.batch, args.repeat)}
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=ROOT).stdout.strip()
    print(json.dumps({"machine": f"{platform.machine()}, {platform.python_version()}",
                      "commit": commit, "batch": args.batch, "repeat": args.repeat,
                      "results": results}, indent=2))


if __name__ == "__main__":
    main()
