"""How much the explanation costs on top of the evaluation it explains.

Run: ``python benchmarks/bench_explain.py``. Prints, for each answer set of the
default rule set's tests, the median time of ``engine.evaluate`` (the floor,
measured in the same run) and of ``explain.explain`` and its parts, as
milliseconds and as a ratio to the floor. No thresholds: numbers to read, not
assertions (timings vary with the machine; ratios much less).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from llmchoice.answers.validate import validate
from llmchoice.decide.engine import evaluate
from llmchoice.decide.explain import explain, robustness, weight_flips
from llmchoice.ruleset.load import load_ruleset


def _median_ms(fn: Callable[[], object], repeat: int = 15) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    rs = load_ruleset()
    rows = []
    for test in rs.tests:
        answers = validate(rs, test.answers, source="bench", use_defaults=True).answers
        result = evaluate(rs, answers)
        floor = _median_ms(lambda a=answers: evaluate(rs, a))  # type: ignore[misc]
        whole = _median_ms(lambda r=result: explain(rs, r))  # type: ignore[misc]
        robust = _median_ms(lambda r=result: robustness(rs, r))  # type: ignore[misc]
        flips = _median_ms(lambda r=result: weight_flips(rs, r))  # type: ignore[misc]
        rows.append((test.name[:44], floor, whole, robust, flips))
    print(f"{'answer set':44} {'evaluate':>9} {'explain':>9} {'ratio':>6} "
          f"{'robust.':>8} {'weights':>8}")
    for name, floor, whole, robust, flips in rows:
        print(f"{name:44} {floor:8.2f}ms {whole:8.2f}ms {whole / floor:5.1f}x "
              f"{robust:7.2f}ms {flips:7.2f}ms")
    ratios = [r[2] / r[1] for r in rows]
    print(f"median explain/evaluate ratio: {statistics.median(ratios):.1f}x "
          f"(max {max(ratios):.1f}x)")


if __name__ == "__main__":
    main()
