#!/usr/bin/env python3
"""Time to pick the adaptive quiz's next question, and to answer ``--target``, on the
default rule set, against a floor measured in the same run.

    .venv/bin/python benchmarks/reach.py

Targets: under 50 ms to pick the next question (the first question, nothing answered yet:
13 open questions; once the outcome is settled but not how to run it, when the pick
also weighs every answer of every question the paths read; and once both are settled but
not the advice, when it also searches the next steps), under 200 ms for ``--target``.
The floor is scoring 1,000 complete answer sets with the compiled evaluator (``verdict_of_valid``),
so the ratios say how many such batches one pick costs. Each figure is the median of
several runs after one warm-up; a fresh reacher is built for the cold figure (its tables
are then kept per rule set, as in the quiz).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from llmchoice.decide import reach as reach_module  # noqa: E402
from llmchoice.decide.compiled import compiled_for  # noqa: E402
from llmchoice.decide.partial import paths_of, steps_of  # noqa: E402
from llmchoice.decide.target import what_it_takes  # noqa: E402
from llmchoice.quiz.adaptive import pick  # noqa: E402
from llmchoice.ruleset.load import load_ruleset  # noqa: E402

RUNS = 15


def median_ms(fn: Callable[[], object], runs: int = RUNS) -> float:
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    rs = load_ruleset("default")
    crs = compiled_for(rs)
    rng = random.Random(17)
    required = [q for q in rs.questions if q.required]
    profiles = [{q.id: rng.choice(q.values) for q in required} for _ in range(1000)]
    floor = median_ms(lambda: [crs.verdict_of_valid(p) for p in profiles], runs=7)
    ids = [q.id for q in rs.questions]

    def cold() -> object:
        reach_module.reacher_for.clear()  # a cold start on purpose
        return pick(rs, {}, ids, ids)

    figures = {"first question, cold (tables built)": median_ms(cold, runs=5),
               "first question (13 open)": median_ms(lambda: pick(rs, {}, ids, ids))}
    rest = [q for q in ids if q != "transparency"]
    figures["outcome settled, path open (12 open)"] = median_ms(
        lambda: pick(rs, {"transparency": "essential"}, rest, rest))
    bank = {"transparency": "essential", "data": "regulated"}
    left = [q for q in ids if q not in bank]
    figures["outcome settled, path open (11 open, regulated)"] = median_ms(
        lambda: pick(rs, bank, left, left))
    onprem = {"transparency": "essential", "data": "on_premises"}
    left = [q for q in ids if q not in onprem]
    figures["outcome and path settled, advice open (11 open)"] = median_ms(
        lambda: pick(rs, onprem, left, left))
    told = {**onprem, "expertise": "none", "customization": "moderate",
            "performance": "good_enough", "control": "moderate", "time_to_market": "normal"}
    left = [q for q in ids if q not in told]
    figures["all settled: the offer to stop (6 open)"] = median_ms(
        lambda: pick(rs, told, left, left))
    partial = []
    for p in profiles[:40]:
        answered = dict(list(p.items())[:rng.randint(1, 6)])
        rest = [q for q in ids if q not in answered]
        partial.append((answered, rest))
    figures["a later question (1-6 answered), mean of 40"] = statistics.mean(
        median_ms(lambda a=a, r=r: pick(rs, a, r, r), runs=3) for a, r in partial)
    worst_target = 0.0
    for p in profiles[:20]:
        now = crs.verdict_of_valid(p).winner
        for t in rs.outcome_ids:
            worst_target = max(worst_target, median_ms(
                lambda p=p, t=t, now=now: what_it_takes(rs, p, t, now), runs=3))
    figures["--target, slowest of 20 profiles x 3 outcomes"] = worst_target
    def report_reach() -> object:
        reach = reach_module.reacher_for(rs).analyse({}, ids)
        return paths_of(rs, {}, ids, reach.reachable)

    partial_ms = median_ms(report_reach, runs=5)
    stopped = [q for q in ids if q not in onprem]

    def report_stopped() -> object:
        reach = reach_module.reacher_for(rs).analyse(onprem, stopped)
        ways = paths_of(rs, onprem, stopped, reach.reachable)
        return steps_of(rs, onprem, stopped, reach.reachable, ways)

    stopped_ms = median_ms(report_stopped, runs=5)
    print(f"floor: 1,000 verdicts with the compiled evaluator: {floor:.1f} ms")
    failed = False
    for name, ms in figures.items():
        target = 200.0 if name.startswith("--target") else 50.0
        ok = ms < target or "cold" in name
        failed |= not ok
        print(f"{name:48s} {ms:7.1f} ms  {ms / floor:5.2f}x floor  "
              f"(target < {target:.0f} ms{'' if ok else ': MISSED'})")
    print(f"{'recommend --partial, nothing answered (reach + paths)':48s} {partial_ms:7.1f} ms  "
          f"{partial_ms / floor:5.2f}x floor  (no target: once per report)")
    print(f"{'recommend on a file stopped after 2 (reach+paths+advice)':48s} "
          f"{stopped_ms:7.1f} ms  {stopped_ms / floor:5.2f}x floor  (no target: once per "
          f"report)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
