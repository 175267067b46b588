"""Incremental rules benchmark (đo phiên luật tăng dần) on the real dataset (data/langson).

All variants in one run; set-up (loading the dataset, starting sessions) outside the timers:

- ``replay``: a full ``rules.replay.replay`` of data/langson as of 2024-12-31 (no persist);
- ``assert@clock``: ``RuleSession.assert_facts`` of one new observation dated on the session's
  clock (a report arriving today) — p50/p95 over ``--n`` different observations (a copy of an
  existing one under a new key, value changed);
- ``assert@backdated``: the same observations dated as their originals (late reports: the unit
  is re-judged from its first change point);
- ``write before``: what ``Runtime.write`` did before the session — append, then a full replay
  persisting its outcomes; ``write after``: ``service.runtime.Runtime.write`` now.

Run: ``.venv/bin/python bench/bench_incremental.py [--n 50] [--append]``.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_ingest import publish  # noqa: E402
from kg.dataset import DEFAULT_DATASET, load_dataset  # noqa: E402
from kg.log import Fact, StoredFact, open_log  # noqa: E402
from rules.replay import replay  # noqa: E402
from rules.session import RuleSession  # noqa: E402
from rules.store import reconcile  # noqa: E402
from service.runtime import Runtime  # noqa: E402
from service.settings import Settings  # noqa: E402

AS_OF = date(2024, 12, 31)


def _ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return (statistics.median(ordered) * 1000,
            ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000)


def _copies(originals: list[StoredFact], n: int, on: date | None) -> list[Fact]:
    """New observations like ``originals`` (new key, value +1 %), dated ``on`` or as theirs."""
    out = []
    for k, obs in enumerate(originals[:n]):
        payload = dict(obs.payload, id=f"bench-{k}")
        when = on or obs.as_of
        payload["as_of"] = when.isoformat() if when else None
        if payload.get("pct_of_plan"):
            payload["pct_of_plan"] = str(payload["pct_of_plan"]) + "1"
        out.append(Fact("observation", f"bench-{k}", payload, obs.source, when))
    return out


def _time_asserts(db: Path, facts: list[Fact]) -> list[float]:
    """Each fact asserted into a fresh session of the full dataset (so each is 'the next')."""
    log = open_log(db)
    session = RuleSession.start(log, AS_OF)
    samples = []
    for fact in facts:
        stored = [o.fact for o in log.append([fact], submitted_by="bench")]
        started = time.perf_counter()
        session.assert_facts(stored)
        samples.append(time.perf_counter() - started)
    log.close()
    return samples


def _time_writes(db: Path, facts: list[Fact], write: Callable[[Fact], object]) -> list[float]:
    samples = []
    for fact in facts:
        started = time.perf_counter()
        write(fact)
        samples.append(time.perf_counter() - started)
    return samples


def run(n: int) -> list[tuple[str, float, float, int]]:
    facts = load_dataset(DEFAULT_DATASET)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        def fresh(name: str) -> Path:
            path = Path(tmp) / f"{name}.db"
            log = open_log(path)
            log.append(facts, submitted_by="dataset")
            log.close()
            return path

        base = fresh("replay")
        log = open_log(base)
        times = []
        for _ in range(3):
            started = time.perf_counter()
            replay(log, AS_OF, persist=False)
            times.append(time.perf_counter() - started)
        observations = [f for f in log.current("observation") if f.as_of]
        log.close()
        rows.append(("full replay (3 runs)", *_ms(times), 3))
        step = max(1, len(observations) // n)
        sample = observations[::step][:n]
        for label, on in (("assert@clock", AS_OF), ("assert@backdated", None)):
            samples = _time_asserts(fresh(label), _copies(sample, n, on))
            rows.append((f"{label} one observation", *_ms(samples), len(samples)))

        before_db = fresh("before")
        before_log = open_log(before_db)

        def write_before(fact: Fact) -> None:
            before_log.append([fact], submitted_by="bench")
            reconcile(before_log, replay(before_log, AS_OF, persist=False).outcomes, AS_OF)

        writes = _copies(sample, min(n, 10), AS_OF)
        samples = _time_writes(before_db, writes, write_before)
        before_log.close()
        rows.append(("service write before (append + full replay)", *_ms(samples),
                     len(samples)))
        runtime = Runtime(Settings(db=fresh("after"), as_of=AS_OF))
        runtime.write([Fact("agency", "bench-warm", {"id": "bench-warm", "name": "x",
                                                     "kind": "department", "parent": None})],
                      "bench", None)  # the first write records the start replay's outcomes
        samples = _time_writes(before_db, _copies(sample, n, AS_OF),
                               lambda f: runtime.write([f], "bench", None))
        runtime.close()
        rows.append(("service write after (Runtime.write, session)", *_ms(samples),
                     len(samples)))
    return rows


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                              capture_output=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def report(rows: list[tuple[str, float, float, int]]) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"## bench_incremental — {now}", "",
             f"Commit {_commit()} (+ working tree), {platform.machine()} "
             f"{platform.processor() or platform.platform()}, Python "
             f"{platform.python_version()}, data/langson as of {AS_OF}.", "",
             "| variant | p50 ms | p95 ms | n |", "|---|---|---|---|"]
    lines += [f"| {name} | {p50:.1f} | {p95:.1f} | {count} |" for name, p50, p95, count in rows]
    replay_ms = rows[0][1]
    lines += ["", f"Full replay ÷ assert@clock p50: {replay_ms / rows[1][1]:.0f}×; "
              f"write before ÷ after p50: {rows[3][1] / rows[4][1]:.0f}×.", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50, help="observations to assert")
    parser.add_argument("--append", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args()
    publish(report(run(args.n)), args.append)


if __name__ == "__main__":
    main()
